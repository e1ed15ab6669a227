/* Unit tests of the e2k memory map, CPU numbering and boot info block (built, then decoded field by field). */
#include <glib.h>
#include <string.h>

#include "hw/e2k/bootinfo.h"
#include "hw/e2k/e2k-layout.h"
#include "e2k-bootinfo-decode.h"

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

/* Run a call whose last argument is &err and require success without an error. */
#define ASSERT_OK(call) do { \
        GError *err = NULL; \
        bool ok_ = (call); \
        g_assert_no_error(err); \
        g_assert_true(ok_); \
    } while (0)

/* Run a call that must fail with an error whose message contains `needle`. */
#define ASSERT_FAILS(call, needle) do { \
        GError *err = NULL; \
        bool ok_ = (call); \
        g_assert_false(ok_); \
        g_assert_nonnull(err); \
        if (!strstr(err->message, (needle))) { \
            g_test_message("message: %s", err->message); \
        } \
        g_assert_nonnull(strstr(err->message, (needle))); \
        g_assert_null(strchr(err->message, '\n')); \
        g_error_free(err); \
    } while (0)

/* ---- the documented offsets (docs/design/e2k-bootinfo.md) ---- */

static void test_offsets(void)
{
    static const struct { const char *name; unsigned got, want; } t[] = {
        { "block size", E2K_BOOTBLOCK_SIZE, 0x1000 },
        { "boot_info_t size", E2K_BOOT_INFO_SIZE, 0xd88 },
        { "signature", E2K_BI_SIGNATURE, 0x000 },
        { "num_of_banks", E2K_BI_NUM_OF_BANKS, 0x007 },
        { "kernel_base", E2K_BI_KERNEL_BASE, 0x008 },
        { "kernel_size", E2K_BI_KERNEL_SIZE, 0x010 },
        { "ramdisk_base", E2K_BI_RAMDISK_BASE, 0x018 },
        { "ramdisk_size", E2K_BI_RAMDISK_SIZE, 0x020 },
        { "num_of_cpus", E2K_BI_NUM_OF_CPUS, 0x028 },
        { "mach_flags", E2K_BI_MACH_FLAGS, 0x02a },
        { "num_of_busy", E2K_BI_NUM_OF_BUSY, 0x02c },
        { "num_of_nodes", E2K_BI_NUM_OF_NODES, 0x02e },
        { "mp_table_base", E2K_BI_MP_TABLE_BASE, 0x030 },
        { "serial_base", E2K_BI_SERIAL_BASE, 0x038 },
        { "nodes_map", E2K_BI_NODES_MAP, 0x040 },
        { "kernel_args_string", E2K_BI_KERNEL_ARGS, 0x058 },
        { "nodes_mem", E2K_BI_NODES_MEM, 0x0d8 },
        { "busy", E2K_BI_BUSY, 0x2d8 },
        { "bios signature", E2K_BI_BIOS_SIGNATURE, 0x538 },
        { "cpu_type", E2K_BI_CPU_TYPE, 0x5c2 },
        { "banks_ex", E2K_BI_BANKS_EX, 0x968 },
        { "devtree", E2K_BI_DEVTREE, 0xd68 },
        { "bootblock_ver", E2K_BB_BOOTBLOCK_VER, 0xf5b },
        { "boot_flags", E2K_BB_BOOT_FLAGS, 0xffc },
        { "bootblock_marker", E2K_BB_MARKER, 0xffe },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        if (t[i].got != t[i].want) {
            g_test_message("%s at 0x%x, documented 0x%x", t[i].name, t[i].got, t[i].want);
        }
        g_assert_cmphex(t[i].got, ==, t[i].want);
    }
    /* The arrays end where the next field starts. */
    g_assert_cmphex(E2K_BI_NODES_MEM + E2K_MAX_NODES * E2K_NODE_BANKS_SIZE, ==, E2K_BI_BUSY);
    g_assert_cmphex(E2K_BI_KERNEL_ARGS + E2K_KERNEL_ARGS_SIZE, ==, E2K_BI_NODES_MEM);
    g_assert_cmphex(E2K_BI_BANKS_EX + E2K_BANKS_EX_MAX * E2K_BANK_INFO_SIZE, ==, E2K_BI_DEVTREE);
    g_assert_cmpint(E2K_CPU_TYPE_E8C, ==, 7);
}

/* ---- memory map ---- */

static void assert_bank(const E2kNodeRam *node, unsigned i, uint64_t addr, uint64_t size)
{
    g_assert_cmpuint(i, <, node->nb_banks);
    g_assert_cmphex(node->banks[i].addr, ==, addr);
    g_assert_cmphex(node->banks[i].size, ==, size);
}

static void test_layout_windows(void)
{
    E2kNodeRam nodes[E2K_MAX_NODES];
    uint64_t one[] = { 4 * GiB };
    uint64_t three[] = { 1 * GiB, 2 * GiB, 1 * GiB };

    ASSERT_OK(e2k_layout_ram(one, 1, nodes, &err));
    g_assert_cmpuint(nodes[0].nb_banks, ==, 2);
    assert_bank(&nodes[0], 0, 0, 2 * GiB);
    assert_bank(&nodes[0], 1, E2K_HIMEM_BASE, 2 * GiB);
    g_assert_false(nodes[1].present);

    /* Node 1 straddles the 2 GiB line: two banks; node 2 is all high. */
    ASSERT_OK(e2k_layout_ram(three, 3, nodes, &err));
    g_assert_cmpuint(nodes[0].nb_banks, ==, 1);
    assert_bank(&nodes[0], 0, 0, 1 * GiB);
    g_assert_cmpuint(nodes[1].nb_banks, ==, 2);
    assert_bank(&nodes[1], 0, 1 * GiB, 1 * GiB);
    assert_bank(&nodes[1], 1, E2K_HIMEM_BASE, 1 * GiB);
    g_assert_cmpuint(nodes[2].nb_banks, ==, 1);
    assert_bank(&nodes[2], 0, E2K_HIMEM_BASE + 1 * GiB, 1 * GiB);
    g_assert_cmphex(e2k_ram_offset_to_addr(2 * GiB - 1), ==, 2 * GiB - 1);
    g_assert_cmphex(e2k_ram_offset_to_addr(2 * GiB), ==, E2K_HIMEM_BASE);
}

static void test_layout_memless_and_errors(void)
{
    E2kNodeRam nodes[E2K_MAX_NODES];
    uint64_t memless[] = { 1 * GiB, 0, 512 * MiB, 0 };
    uint64_t nine[9] = { 0 };
    uint64_t odd[] = { 1 * GiB + 512 };

    ASSERT_OK(e2k_layout_ram(memless, 4, nodes, &err));
    for (unsigned n = 0; n < 4; n++) {
        g_assert_true(nodes[n].present);
    }
    g_assert_cmpuint(nodes[1].nb_banks, ==, 0);
    g_assert_cmpuint(nodes[3].nb_banks, ==, 0);
    assert_bank(&nodes[2], 0, 1 * GiB, 512 * MiB);
    ASSERT_FAILS(e2k_layout_ram(nine, 9, nodes, &err), "1 to 8 NUMA nodes");
    ASSERT_FAILS(e2k_layout_ram(nine, 0, nodes, &err), "1 to 8 NUMA nodes");
    ASSERT_FAILS(e2k_layout_ram(odd, 1, nodes, &err), "multiple of 4 KiB");
}

/* ---- CPU numbering ---- */

static void test_cpu_ids_round_robin_and_socket(void)
{
    uint32_t rr_node[8], sock_node[8], ids[8];
    static const uint32_t rr_want[8] = { 0, 16, 32, 48, 1, 17, 33, 49 };
    static const uint32_t sock_want[8] = { 0, 1, 16, 17, 32, 33, 48, 49 };

    for (unsigned i = 0; i < 8; i++) {
        rr_node[i] = i % 4;              /* round-robin over 4 nodes */
        sock_node[i] = i / 2 % 4;        /* 4 sockets of 2 cores, socket = node */
    }
    ASSERT_OK(e2k_layout_cpu_ids(rr_node, 8, 4, ids, &err));
    g_assert_cmpmem(ids, sizeof(ids), rr_want, sizeof(rr_want));
    ASSERT_OK(e2k_layout_cpu_ids(sock_node, 8, 4, ids, &err));
    g_assert_cmpmem(ids, sizeof(ids), sock_want, sizeof(sock_want));
}

static void test_cpu_ids_errors(void)
{
    uint32_t node[17] = { 0 }, ids[17];

    ASSERT_OK(e2k_layout_cpu_ids(node, 16, 1, ids, &err));
    g_assert_cmpuint(ids[15], ==, 15);
    ASSERT_FAILS(e2k_layout_cpu_ids(node, 17, 1, ids, &err), "more than 16 CPUs");
    node[3] = 2;
    ASSERT_FAILS(e2k_layout_cpu_ids(node, 4, 2, ids, &err), "CPU 3 is not in any NUMA node");
}

/* ---- boot info: build, decode, compare ---- */

static void build_and_decode(const E2kBootInfoInput *in, uint8_t *buf, E2kBootInfoDecoded *d)
{
    ASSERT_OK(e2k_bootinfo_build(in, buf, &err));
    ASSERT_OK(e2k_bootinfo_decode(buf, E2K_BOOTBLOCK_SIZE, d, &err));
}

/* Everything the input says must come back from its offset. */
static void assert_matches(const E2kBootInfoInput *in, const E2kBootInfoDecoded *d)
{
    uint64_t map = 0;
    unsigned nodes = 0;

    g_assert_cmphex(d->signature, ==, 0x8086);
    g_assert_cmphex(d->marker, ==, 0xaa55);
    g_assert_cmpuint(d->bootblock_ver, ==, E2K_BOOTBLOCK_VER);
    g_assert_cmpuint(d->boot_flags, ==, 0);
    g_assert_cmpuint(d->mp_table_base, ==, 0);
    g_assert_cmpuint(d->num_of_cpus, ==, in->nb_cpus);
    g_assert_cmpuint(d->cpu_type, ==, in->cpu_type);
    g_assert_cmphex(d->kernel_base, ==, in->kernel_base);
    g_assert_cmphex(d->kernel_size, ==, in->kernel_size);
    g_assert_cmphex(d->ramdisk_base, ==, in->ramdisk_base);
    g_assert_cmphex(d->ramdisk_size, ==, in->ramdisk_size);
    g_assert_cmphex(d->devtree, ==, in->devtree);
    g_assert_cmphex(d->serial_base, ==, in->serial_base);
    g_assert_cmpstr(d->cmdline, ==, in->cmdline ? in->cmdline : "");
    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        const E2kNodeRam *want = &in->nodes[n], *got = &d->nodes[n];

        map |= (uint64_t)want->present << n;
        nodes += want->present;
        g_assert_cmpint(got->present, ==, want->present);
        g_assert_cmpuint(got->nb_banks, ==, want->nb_banks);
        for (unsigned i = 0; i < want->nb_banks; i++) {
            assert_bank(got, i, want->banks[i].addr, want->banks[i].size);
        }
    }
    g_assert_cmphex(d->nodes_map, ==, map);
    g_assert_cmpuint(d->num_of_nodes, ==, nodes);
}

static void check_equal_split(unsigned nb_nodes, uint64_t total, unsigned cpus)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];
    uint64_t mem[E2K_MAX_NODES];

    for (unsigned n = 0; n < nb_nodes; n++) {
        mem[n] = total / nb_nodes;
    }
    ASSERT_OK(e2k_bootinfo_input_init(in, mem, nb_nodes, cpus, &err));
    in->kernel_base = 0x10000000;
    in->kernel_size = 0x123456;
    in->ramdisk_base = 0x20000000;
    in->ramdisk_size = 0x400000;
    in->devtree = 0x7f000000;
    in->serial_base = 0x101000000ull;
    in->cmdline = "console=ttyS0 root=/dev/ram0 nodemem=1";
    build_and_decode(in, buf, d);
    assert_matches(in, d);
    g_assert_cmphex(d->nodes_map, ==, (UINT64_C(1) << nb_nodes) - 1);
}

static void test_nodes_1_2_4_8(void)
{
    check_equal_split(1, 1 * GiB, 1);
    check_equal_split(1, 6 * GiB, 8);
    check_equal_split(2, 4 * GiB, 4);
    check_equal_split(4, 8 * GiB, 16);
    check_equal_split(8, 16 * GiB, 64);
    check_equal_split(8, 1 * GiB, 128);
}

static uint64_t raw_le(const uint8_t *buf, size_t off, unsigned len)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < len; i++) {
        v |= (uint64_t)buf[off + i] << (8 * i);
    }
    return v;
}

/* Independent of the decoder: literal offsets and byte order. */
static void test_raw_bytes(void)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];
    uint64_t mem[] = { 3 * GiB, 1 * GiB };

    ASSERT_OK(e2k_bootinfo_input_init(in, mem, 2, 2, &err));
    in->devtree = 0x1122334455667788ull;
    in->cmdline = "quiet";
    ASSERT_OK(e2k_bootinfo_build(in, buf, &err));
    g_assert_cmphex(buf[0x000], ==, 0x86);
    g_assert_cmphex(buf[0x001], ==, 0x80);
    g_assert_cmphex(buf[0x007], ==, 3);                 /* node 0: 2 banks, node 1: 1 */
    g_assert_cmphex(raw_le(buf, 0x028, 2), ==, 2);
    g_assert_cmphex(raw_le(buf, 0x02e, 2), ==, 2);
    g_assert_cmphex(raw_le(buf, 0x040, 8), ==, 0x3);
    g_assert_cmpstr((const char *)buf + 0x058, ==, "quiet");
    g_assert_cmphex(raw_le(buf, 0x0d8, 8), ==, 0);       /* node 0 bank 0 */
    g_assert_cmphex(raw_le(buf, 0x0e0, 8), ==, 2 * GiB);
    g_assert_cmphex(raw_le(buf, 0x0e8, 8), ==, 0x400000000ull);
    g_assert_cmphex(raw_le(buf, 0x0f0, 8), ==, 1 * GiB);
    g_assert_cmphex(raw_le(buf, 0x118, 8), ==, 0x440000000ull); /* node 1 bank 0 */
    g_assert_cmphex(raw_le(buf, 0x120, 8), ==, 1 * GiB);
    g_assert_cmpmem(buf + 0x538, 8, "E2KBIOS", 8);
    g_assert_cmphex(buf[0x5c2], ==, 7);
    g_assert_cmphex(raw_le(buf, 0xd68, 8), ==, 0x1122334455667788ull);
    g_assert_cmphex(buf[0xf5b], ==, 1);
    g_assert_cmphex(buf[0xffe], ==, 0x55);
    g_assert_cmphex(buf[0xfff], ==, 0xaa);
}

static void test_memless_nodes(void)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];
    uint64_t mem[] = { 0, 2 * GiB, 0, 2 * GiB };

    ASSERT_OK(e2k_bootinfo_input_init(in, mem, 4, 4, &err));
    build_and_decode(in, buf, d);
    assert_matches(in, d);
    /* Memory-less nodes are online (in the map and the count) but have no banks. */
    g_assert_cmphex(d->nodes_map, ==, 0xf);
    g_assert_cmpuint(d->num_of_nodes, ==, 4);
    g_assert_cmpuint(d->nodes[0].nb_banks, ==, 0);
    g_assert_cmpuint(d->num_of_banks, ==, 2);
    assert_bank(&d->nodes[1], 0, 0, 2 * GiB);
    assert_bank(&d->nodes[3], 0, E2K_HIMEM_BASE, 2 * GiB);
}

static void test_straddle(void)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];
    uint64_t mem[] = { 1536 * MiB, 1 * GiB };

    ASSERT_OK(e2k_bootinfo_input_init(in, mem, 2, 2, &err));
    build_and_decode(in, buf, d);
    assert_matches(in, d);
    g_assert_cmpuint(d->nodes[1].nb_banks, ==, 2);
    assert_bank(&d->nodes[1], 0, 1536 * MiB, 512 * MiB);
    assert_bank(&d->nodes[1], 1, E2K_HIMEM_BASE, 512 * MiB);
}

/* Give node n `count` separate 1 MiB banks 2 MiB apart (holes make them separate). */
static void set_banks(E2kBootInfoInput *in, unsigned n, unsigned count)
{
    in->nodes[n].present = true;
    in->nodes[n].nb_banks = count;     /* may exceed the array to test the limit */
    for (unsigned i = 0; i < MIN(count, E2K_NODE_MAX_BANKS); i++) {
        in->nodes[n].banks[i].addr = E2K_HIMEM_BASE + ((uint64_t)n << 32) + i * 2 * MiB;
        in->nodes[n].banks[i].size = 1 * MiB;
    }
}

static E2kBootInfoInput *explicit_input(unsigned cpus)
{
    E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);

    in->nb_cpus = cpus;
    in->cpu_type = E2K_CPU_TYPE_E8C;
    return in;
}

static void test_banks_ex_overflow(void)
{
    g_autofree E2kBootInfoInput *in = explicit_input(2);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];

    /* Node 0: exactly 4 banks still owns an end marker in banks_ex (ex[0]);
     * node 1's banks 4 and 5 follow it, then its marker. */
    set_banks(in, 0, 4);
    set_banks(in, 1, 6);
    build_and_decode(in, buf, d);
    assert_matches(in, d);
    g_assert_cmpuint(d->banks_ex_used, ==, 4);
    g_assert_cmphex(raw_le(buf, E2K_BI_BANKS_EX + 8, 8), ==, 0);
    g_assert_cmphex(raw_le(buf, E2K_BI_BANKS_EX + 16, 8), ==, in->nodes[1].banks[4].addr);
    g_assert_cmphex(raw_le(buf, E2K_BI_BANKS_EX + 40, 8), ==, in->nodes[1].banks[5].size);
    g_assert_cmphex(raw_le(buf, E2K_BI_BANKS_EX + 56, 8), ==, 0);
    g_assert_cmpuint(d->num_of_banks, ==, 10);

    /* A node after the overflowing ones may be short: it never reads banks_ex. */
    set_banks(in, 2, 1);
    build_and_decode(in, buf, d);
    assert_matches(in, d);

    /* The largest node: 63 banks, 59 of them in banks_ex plus the marker. */
    memset(in->nodes, 0, sizeof(in->nodes));
    set_banks(in, 0, E2K_NODE_MAX_BANKS);
    build_and_decode(in, buf, d);
    assert_matches(in, d);
    g_assert_cmpuint(d->banks_ex_used, ==, 60);
}

static void test_banks_ex_errors(void)
{
    g_autofree E2kBootInfoInput *in = explicit_input(2);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];

    /* Readers disagree when a short node precedes an overflowing one. */
    set_banks(in, 0, 2);
    set_banks(in, 1, 6);
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "node 1 has 6 memory banks but node 0");
    /* ... also when the short node is memory-less. */
    set_banks(in, 0, 0);
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "but node 0");
    /* 2 x (40 - 4 + 1) = 74 entries > 64 */
    set_banks(in, 0, 40);
    set_banks(in, 1, 40);
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "74 banks_ex entries");
    memset(in->nodes, 0, sizeof(in->nodes));
    set_banks(in, 0, E2K_NODE_MAX_BANKS + 1);
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "at most 63 fit");
}

static void test_cmdline_limits(void)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];
    uint64_t mem[] = { 1 * GiB };
    char line[200];

    ASSERT_OK(e2k_bootinfo_input_init(in, mem, 1, 1, &err));
    memset(line, 'x', sizeof(line));
    line[127] = '\0';
    in->cmdline = line;
    build_and_decode(in, buf, d);
    g_assert_cmpuint(strlen(d->cmdline), ==, 127);
    line[127] = 'x';
    line[128] = '\0';
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err),
                 "kernel command line too long for the e2k boot info (128 bytes, at most 127)");
    in->cmdline = NULL;
    build_and_decode(in, buf, d);
    g_assert_cmpstr(d->cmdline, ==, "");
}

static void test_bad_input(void)
{
    g_autofree E2kBootInfoInput *in = explicit_input(0);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];

    set_banks(in, 0, 1);
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "0 CPUs");
    in->nb_cpus = E2K_MAX_CPUS + 1;
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "129 CPUs");
    in->nb_cpus = 1;
    set_banks(in, 1, 1);
    in->nodes[1].present = false;
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "absent NUMA node 1");
    in->nodes[1].present = true;
    in->nodes[1].banks[0].size = 0;
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "bank 0 of NUMA node 1 is empty");
}

/* busy[]: the firmware's own areas (bootblock, DTB) at 0x2d8, num_of_busy at 0x02c. */
static void test_busy(void)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    uint8_t buf[E2K_BOOTBLOCK_SIZE];
    uint64_t mem[] = { 1 * GiB };

    ASSERT_OK(e2k_bootinfo_input_init(in, mem, 1, 1, &err));
    in->nb_busy = 2;
    in->busy[0] = (E2kBank){ 0x3ffef000, 0x1000 };
    in->busy[1] = (E2kBank){ 0x3fff0000, 0x2000 };
    build_and_decode(in, buf, d);
    g_assert_cmphex(raw_le(buf, 0x02c, 2), ==, 2);
    g_assert_cmphex(raw_le(buf, 0x2d8, 8), ==, 0x3ffef000);
    g_assert_cmphex(raw_le(buf, 0x2e0, 8), ==, 0x1000);
    g_assert_cmphex(raw_le(buf, 0x2e8, 8), ==, 0x3fff0000);
    g_assert_cmphex(raw_le(buf, 0x2f0, 8), ==, 0x2000);
    g_assert_cmphex(raw_le(buf, 0x2f8, 8), ==, 0);     /* busy[2] unused */
    g_assert_cmpuint(d->num_of_busy, ==, 2);
    g_assert_cmphex(d->busy[1].addr, ==, 0x3fff0000);
    g_assert_cmphex(d->busy[1].size, ==, 0x2000);
    /* An unused entry that is not zero, or a count past the array, is caught. */
    buf[0x2f8] = 1;
    ASSERT_FAILS(e2k_bootinfo_decode(buf, sizeof(buf), d, &err), "outside any field");
    buf[0x2f8] = 0;
    buf[0x02c] = 5;
    ASSERT_FAILS(e2k_bootinfo_decode(buf, sizeof(buf), d, &err), "num_of_busy 5");
    /* Bad input: too many areas, an empty area. */
    in->nb_busy = E2K_BUSY_MAX + 1;
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "5 busy areas, at most 4");
    in->nb_busy = 2;
    in->busy[1].size = 0;
    ASSERT_FAILS(e2k_bootinfo_build(in, buf, &err), "busy area 1 is empty");
}

/* The decoder must be able to fail, or the tests above prove nothing. */
static void test_decoder_rejects(void)
{
    g_autofree E2kBootInfoInput *in = g_new0(E2kBootInfoInput, 1);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    uint8_t good[E2K_BOOTBLOCK_SIZE], buf[E2K_BOOTBLOCK_SIZE];
    uint64_t mem[] = { 1 * GiB, 1 * GiB };

    ASSERT_OK(e2k_bootinfo_input_init(in, mem, 2, 2, &err));
    ASSERT_OK(e2k_bootinfo_build(in, good, &err));
    ASSERT_FAILS(e2k_bootinfo_decode(good, 100, d, &err), "not 4096");
#define CORRUPT(off, val, needle) do { \
        memcpy(buf, good, sizeof(buf)); \
        buf[off] = (val); \
        ASSERT_FAILS(e2k_bootinfo_decode(buf, sizeof(buf), d, &err), needle); \
    } while (0)
    CORRUPT(0x001, 0x81, "signature");
    CORRUPT(0xfff, 0xab, "marker");
    CORRUPT(0x007, 5, "num_of_banks");
    CORRUPT(0x02e, 3, "num_of_nodes");
    CORRUPT(0x100, 1, "outside any field");        /* node 0's unused bank slot */
    CORRUPT(0xe00, 1, "outside any field");       /* padding after boot_info_t */
    CORRUPT(E2K_BI_BANKS_EX, 1, "outside any field");
#undef CORRUPT
    /* Hand-made decompressor-style list after a short node: the kernel walk disagrees. */
    memcpy(buf, good, sizeof(buf));
    for (unsigned i = 0; i < 4; i++) {
        buf[E2K_BI_NODES_MEM + E2K_NODE_BANKS_SIZE + i * 16 + 8] = 1;   /* node 1: 4 banks */
    }
    buf[E2K_BI_BANKS_EX + 8] = 1;                                      /* its 5th in ex[0] */
    buf[0x007] = 7;
    ASSERT_FAILS(e2k_bootinfo_decode(buf, sizeof(buf), d, &err), "kernel");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/e2k/bootinfo/offsets", test_offsets);
    g_test_add_func("/e2k/layout/windows", test_layout_windows);
    g_test_add_func("/e2k/layout/memless-and-errors", test_layout_memless_and_errors);
    g_test_add_func("/e2k/layout/cpu-ids", test_cpu_ids_round_robin_and_socket);
    g_test_add_func("/e2k/layout/cpu-id-errors", test_cpu_ids_errors);
    g_test_add_func("/e2k/bootinfo/nodes-1-2-4-8", test_nodes_1_2_4_8);
    g_test_add_func("/e2k/bootinfo/raw-bytes", test_raw_bytes);
    g_test_add_func("/e2k/bootinfo/busy", test_busy);
    g_test_add_func("/e2k/bootinfo/memless-nodes", test_memless_nodes);
    g_test_add_func("/e2k/bootinfo/straddle-2g", test_straddle);
    g_test_add_func("/e2k/bootinfo/banks-ex-overflow", test_banks_ex_overflow);
    g_test_add_func("/e2k/bootinfo/banks-ex-errors", test_banks_ex_errors);
    g_test_add_func("/e2k/bootinfo/cmdline-limits", test_cmdline_limits);
    g_test_add_func("/e2k/bootinfo/bad-input", test_bad_input);
    g_test_add_func("/e2k/bootinfo/decoder-rejects", test_decoder_rejects);
    return g_test_run();
}
