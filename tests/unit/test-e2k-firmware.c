/* Unit tests of the e2k glue: -numa options through the real NUMA layer into the boot info block and device tree. */
#include <glib.h>
#include <glib/gstdio.h>
#include <libfdt.h>
#include <string.h>

#include "hw/e2k/e2k-machine.h"
#include "e2k-bootinfo-decode.h"
#include "numa-test-machine.h"

/* An e2k board as the machine class will set it up: socket hook, shift 23. */
static TestMachine *e2k_machine(unsigned sockets, unsigned cores, bool by_socket, uint64_t ram)
{
    TestMachine *tm = tm_new_e2k(sockets, cores, by_socket, ram);

    tm->mc.cpu_index_to_socket_id = by_socket ? e2k_cpu_index_to_socket_id : NULL;
    tm->mc.numa_mem_align_shift = E2K_NUMA_MEM_ALIGN_SHIFT;
    return tm;
}

static void dump_and_decode(TestMachine *tm, E2kBootInfoDecoded *d, void **dtb, size_t *size)
{
    g_autofree E2kFirmware *fw = g_new0(E2kFirmware, 1);
    uint8_t block[E2K_BOOTBLOCK_SIZE];
    GError *err = NULL;

    g_assert_true(e2k_firmware_init(fw, &tm->ms, "console=ttyS0", &err));
    g_assert_no_error(err);
    *dtb = e2k_firmware_dtb(fw, size, &err);
    g_assert_no_error(err);
    g_assert_true(e2k_firmware_dtb_addr(fw, *size, &fw->bootinfo.devtree, &err));
    g_assert_true(e2k_bootinfo_build(&fw->bootinfo, block, &err));
    g_assert_no_error(err);
    g_assert_true(e2k_bootinfo_decode(block, sizeof(block), d, &err));
    g_assert_no_error(err);
}

static uint32_t cpu_node_of(const void *fdt, uint32_t id)
{
    g_autofree char *path = g_strdup_printf("/cpus/cpu@%x", id);
    int off = fdt_path_offset(fdt, path);
    const fdt32_t *p;

    g_assert_cmpint(off, >=, 0);
    p = fdt_getprop(fdt, off, "numa-node-id", NULL);
    g_assert_nonnull(p);
    return fdt32_ld(p);
}

static void test_no_numa(void)
{
    TestMachine *tm = e2k_machine(1, 4, true, 3 * GiB);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    g_autofree void *dtb = NULL;
    size_t size;

    numa_state_free(tm->ms.numa);
    tm->ms.numa = NULL;
    dump_and_decode(tm, d, &dtb, &size);
    g_assert_cmphex(d->nodes_map, ==, 1);
    g_assert_cmpuint(d->num_of_cpus, ==, 4);
    g_assert_cmpuint(d->nodes[0].nb_banks, ==, 2);
    g_assert_cmphex(d->nodes[0].banks[1].addr, ==, E2K_HIMEM_BASE);
    /* The DTB sits at the top of low RAM (2 GiB here), 64 KiB aligned. */
    g_assert_cmphex(d->devtree, ==, 2 * GiB - E2K_DTB_ALIGN);
    g_assert_cmpuint(cpu_node_of(dtb, 3), ==, 0);
    tm->ms.numa = numa_state_new();
    tm_free(tm);
}

static void test_by_socket_with_distances(void)
{
    TestMachine *tm = e2k_machine(2, 4, true, 4 * GiB);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    g_autofree void *dtb = NULL;
    size_t size;

    tm_numa_ok(tm, "node,nodeid=0");
    tm_numa_ok(tm, "node,nodeid=1");
    tm_numa_ok(tm, "dist,src=0,dst=1,val=21");
    tm_numa_ok(tm, "dist,src=1,dst=0,val=31");
    tm_complete_ok(tm);
    dump_and_decode(tm, d, &dtb, &size);
    g_assert_cmpuint(d->num_of_nodes, ==, 2);
    /* Legacy equal split, 8 MiB aligned: 2 GiB each; node 1 is all high RAM. */
    g_assert_cmphex(d->nodes[0].banks[0].size, ==, 2 * GiB);
    g_assert_cmphex(d->nodes[1].banks[0].addr, ==, E2K_HIMEM_BASE);
    /* Socket 0 (CPUs 0-3) on node 0 = ids 0..3; socket 1 on node 1 = ids 16..19. */
    g_assert_cmpuint(cpu_node_of(dtb, 3), ==, 0);
    g_assert_cmpuint(cpu_node_of(dtb, 0x10), ==, 1);
    g_assert_cmpuint(cpu_node_of(dtb, 0x13), ==, 1);
    {
        int map = fdt_path_offset(dtb, "/distance-map"), len;
        const fdt32_t *m = fdt_getprop(dtb, map, "distance-matrix", &len);
        g_assert_cmpint(len, ==, 4 * 3 * 4);
        g_assert_cmpuint(fdt32_ld(&m[5]), ==, 21);     /* <0 1 21> */
        g_assert_cmpuint(fdt32_ld(&m[8]), ==, 31);     /* <1 0 31> */
    }
    tm_free(tm);
}

static void test_round_robin_memless_and_explicit(void)
{
    TestMachine *tm = e2k_machine(1, 6, false, 1 * GiB);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    g_autofree void *dtb = NULL;
    size_t size;

    tm_numa_ok(tm, "node,nodeid=0,mem=1024");
    tm_numa_ok(tm, "node,nodeid=1,mem=0");
    tm_numa_ok(tm, "node,nodeid=2,mem=0");
    tm_complete_ok(tm);
    dump_and_decode(tm, d, &dtb, &size);
    g_assert_cmphex(d->nodes_map, ==, 0x7);
    g_assert_cmpuint(d->nodes[1].nb_banks, ==, 0);
    /* Round-robin: CPU i on node i % 3, the k-th of its node: 0,16,32,1,17,33. */
    g_assert_cmpuint(cpu_node_of(dtb, 0x21), ==, 2);
    g_assert_cmpuint(cpu_node_of(dtb, 0x11), ==, 1);
    tm_free(tm);
}

static void test_dump_files(void)
{
    TestMachine *tm = e2k_machine(2, 2, true, 512 * MiB);
    g_autofree char *dir = g_dir_make_tmp("e2k-fw-XXXXXX", NULL);
    g_autofree char *bi = g_build_filename(dir, "bi.bin", NULL);
    g_autofree char *dt = g_build_filename(dir, "dt.dtb", NULL);
    g_autofree char *bi_data = NULL, *dt_data = NULL;
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    GError *err = NULL;
    size_t bi_len, dt_len;

    tm_numa_ok(tm, "node,nodeid=0");
    tm_numa_ok(tm, "node,nodeid=1");
    tm_complete_ok(tm);
    g_assert_true(e2k_firmware_dump(&tm->ms, NULL, bi, dt, &err));
    g_assert_no_error(err);
    g_assert_true(g_file_get_contents(bi, &bi_data, &bi_len, NULL));
    g_assert_true(g_file_get_contents(dt, &dt_data, &dt_len, NULL));
    g_assert_true(e2k_bootinfo_decode((uint8_t *)bi_data, bi_len, d, &err));
    g_assert_no_error(err);
    g_assert_cmpint(fdt_check_header(dt_data), ==, 0);
    g_assert_cmpuint(fdt_totalsize(dt_data), ==, dt_len);
    g_assert_cmphex(d->devtree, ==, 512 * MiB - E2K_DTB_ALIGN);
    g_assert_cmpstr(d->cmdline, ==, "");
    g_assert_false(e2k_firmware_dump(&tm->ms, NULL, "/nonexistent-dir/x", NULL, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_unlink(bi);
    g_unlink(dt);
    g_rmdir(dir);
    tm_free(tm);
}

/* Node of each CPU index after the NUMA layer's default e2k grouping. */
static void assert_cpu_nodes(TestMachine *tm, const int *want, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        g_assert_cmpint(numa_get_node_for_cpu(&tm->ms, i), ==, want[i]);
    }
}

static TestMachine *e2k_with_nodes(unsigned sockets, unsigned cores, unsigned threads,
                                   unsigned nodes)
{
    TestMachine *tm = e2k_machine(sockets, cores, true, 1 * GiB);

    tm->ms.smp.threads = threads;
    tm->ms.smp.cpus = tm->ms.smp.max_cpus = sockets * cores * threads;
    for (unsigned n = 0; n < nodes; n++) {
        g_autofree char *arg = g_strdup_printf("node,nodeid=%u", n);
        tm_numa_ok(tm, arg);
    }
    tm_complete_ok(tm);
    return tm;
}

/* Sockets = nodes by default: one -smp socket becomes one socket per node. */
static void test_default_sockets(void)
{
    static const int blocks[] = { 0, 0, 1, 1 }, rr[] = { 0, 1, 2, 0 }, rr2[] = { 0, 1, 0, 1 };
    static const int four[] = { 0, 0, 1, 1, 2, 2, 3, 3 }, threads[] = { 0, 1, 0, 1, 0, 1 };
    TestMachine *tm;

    tm = e2k_with_nodes(1, 4, 1, 2);                 /* -smp 4 + 2 nodes */
    g_assert_cmpuint(e2k_default_sockets(&tm->ms), ==, 2);
    assert_cpu_nodes(tm, blocks, 4);
    tm_free(tm);
    tm = e2k_with_nodes(1, 8, 1, 4);                 /* -smp 8 + 4 nodes */
    assert_cpu_nodes(tm, four, 8);
    tm_free(tm);
    tm = e2k_with_nodes(1, 4, 1, 3);                 /* 3 does not divide 4: round-robin */
    g_assert_cmpuint(e2k_default_sockets(&tm->ms), ==, 0);
    assert_cpu_nodes(tm, rr, 4);
    tm_free(tm);
    tm = e2k_with_nodes(4, 1, 1, 2);                 /* explicit sockets=4: socket % 2 */
    g_assert_cmpuint(e2k_default_sockets(&tm->ms), ==, 0);
    assert_cpu_nodes(tm, rr2, 4);
    tm_free(tm);
    tm = e2k_with_nodes(1, 3, 2, 2);                 /* 3 cores cannot split over 2 chips */
    g_assert_cmpuint(e2k_default_sockets(&tm->ms), ==, 0);
    assert_cpu_nodes(tm, threads, 6);
    tm_free(tm);
    tm = e2k_with_nodes(1, 4, 1, 1);                 /* one node: nothing to derive */
    g_assert_cmpuint(e2k_default_sockets(&tm->ms), ==, 0);
    g_assert_cmpint(e2k_cpu_index_to_socket_id(&tm->ms, 3), ==, 0);
    tm_free(tm);
}

/* The images e2k_firmware_build places: bootblock right below the DTB, both in busy[]. */
static void test_images_busy(void)
{
    TestMachine *tm = e2k_machine(2, 2, true, 256 * MiB);
    g_autofree E2kBootInfoDecoded *d = g_new0(E2kBootInfoDecoded, 1);
    g_autoptr(E2kFirmwareImages) img = NULL;
    GError *err = NULL;

    tm_numa_ok(tm, "node,nodeid=0");
    tm_numa_ok(tm, "node,nodeid=1");
    tm_complete_ok(tm);
    img = e2k_firmware_build(&tm->ms, "quiet", &err);
    g_assert_no_error(err);
    g_assert_cmphex(img->dtb_addr, ==, 256 * MiB - E2K_DTB_ALIGN);
    g_assert_cmphex(img->block_addr, ==, img->dtb_addr - E2K_BOOTBLOCK_SIZE);
    g_assert_cmpint(fdt_check_header(img->dtb), ==, 0);
    g_assert_cmpuint(fdt_totalsize(img->dtb), ==, img->dtb_size);
    g_assert_true(e2k_bootinfo_decode(img->block, sizeof(img->block), d, &err));
    g_assert_no_error(err);
    g_assert_cmpuint(d->num_of_busy, ==, 2);
    g_assert_cmphex(d->busy[0].addr, ==, img->block_addr);
    g_assert_cmphex(d->busy[0].size, ==, E2K_BOOTBLOCK_SIZE);
    g_assert_cmphex(d->busy[1].addr, ==, img->dtb_addr);
    g_assert_cmphex(d->busy[1].size % E2K_PAGE_SIZE, ==, 0);
    g_assert_cmphex(d->busy[1].size, >=, img->dtb_size);
    g_assert_cmphex(d->devtree, ==, img->dtb_addr);
    g_assert_cmpstr(d->cmdline, ==, "quiet");
    tm_free(tm);
}

/* numa_get_node() answers in guest addresses once the board remapped the ranges. */
static void test_remap_ranges(void)
{
    TestMachine *tm = e2k_machine(2, 1, true, 4 * GiB);
    GError *err = NULL;

    tm_numa_ok(tm, "node,nodeid=0,mem=2048");
    tm_numa_ok(tm, "node,nodeid=1,mem=0");
    tm_numa_ok(tm, "node,nodeid=2,mem=2048");
    tm_complete_ok(tm);
    /* Before: RAM offsets, node 2 at 2 GiB. */
    g_assert_cmpint(numa_get_node(tm->ms.numa, 2 * GiB, NULL), ==, 2);
    g_assert_true(e2k_numa_remap_ranges(&tm->ms, &err));
    g_assert_no_error(err);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 0, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 2 * GiB - 1, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 2 * GiB, NULL), ==, -1);     /* the I/O hole */
    g_assert_cmpint(numa_get_node(tm->ms.numa, E2K_HIMEM_BASE, NULL), ==, 2);
    g_assert_cmpint(numa_get_node(tm->ms.numa, E2K_HIMEM_BASE + 2 * GiB - 1, NULL), ==, 2);
    g_assert_cmpint(numa_get_node(tm->ms.numa, E2K_HIMEM_BASE + 2 * GiB, NULL), ==, -1);
    tm_free(tm);

    /* Without -numa: node 0 owns both windows. */
    tm = e2k_machine(1, 1, true, 3 * GiB);
    tm_complete_ok(tm);
    g_assert_true(e2k_numa_remap_ranges(&tm->ms, &err));
    g_assert_cmpint(numa_get_node(tm->ms.numa, E2K_HIMEM_BASE + 1 * GiB - 1, NULL), ==, 0);
    g_assert_cmpint(numa_get_node(tm->ms.numa, 2 * GiB, NULL), ==, -1);
    tm_free(tm);
}

static void test_too_many_nodes(void)
{
    TestMachine *tm = e2k_machine(1, 1, false, 1 * GiB);
    g_autofree E2kFirmware *fw = g_new0(E2kFirmware, 1);
    GError *err = NULL;

    for (int n = 0; n < 9; n++) {
        g_autofree char *arg = g_strdup_printf("node,nodeid=%d", n);
        tm_numa_ok(tm, arg);
    }
    tm_complete_ok(tm);
    g_assert_false(e2k_firmware_init(fw, &tm->ms, NULL, &err));
    g_assert_nonnull(strstr(err->message, "1 to 8 NUMA nodes, not 9"));
    g_clear_error(&err);
    g_assert_false(e2k_numa_remap_ranges(&tm->ms, &err));
    g_assert_nonnull(strstr(err->message, "1 to 8 NUMA nodes, not 9"));
    g_error_free(err);
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/e2k/firmware/no-numa", test_no_numa);
    g_test_add_func("/e2k/firmware/by-socket-distances", test_by_socket_with_distances);
    g_test_add_func("/e2k/firmware/round-robin-memless", test_round_robin_memless_and_explicit);
    g_test_add_func("/e2k/firmware/dump-files", test_dump_files);
    g_test_add_func("/e2k/firmware/too-many-nodes", test_too_many_nodes);
    g_test_add_func("/e2k/firmware/default-sockets", test_default_sockets);
    g_test_add_func("/e2k/firmware/images-busy", test_images_busy);
    g_test_add_func("/e2k/firmware/remap-ranges", test_remap_ranges);
    return g_test_run();
}
