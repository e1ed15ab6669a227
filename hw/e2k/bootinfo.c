/* Builds MCST's e2k bootblock (boot_info_t and its trailer) into a byte buffer with explicit little-endian stores. */
#include "hw/e2k/bootinfo.h"

#include <inttypes.h>
#include <string.h>

static void st_u8(uint8_t *b, size_t off, uint8_t v)
{
    b[off] = v;
}

static void st_le16(uint8_t *b, size_t off, uint16_t v)
{
    b[off] = v & 0xff;
    b[off + 1] = v >> 8;
}

static void st_le64(uint8_t *b, size_t off, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        b[off + i] = (v >> (8 * i)) & 0xff;
    }
}

static void st_bank(uint8_t *b, size_t off, const E2kBank *bank)
{
    st_le64(b, off, bank->addr);
    st_le64(b, off + 8, bank->size);
}

bool e2k_bootinfo_input_init(E2kBootInfoInput *in, const uint64_t *node_mem,
                             unsigned nb_nodes, unsigned nb_cpus, GError **errp)
{
    memset(in, 0, sizeof(*in));
    in->nb_cpus = nb_cpus;
    in->cpu_type = E2K_CPU_TYPE_E8C;
    return e2k_layout_ram(node_mem, nb_nodes, in->nodes, errp);
}

/* A node whose list reaches into banks_ex: all 4 nodes_mem slots are in use. */
static bool node_uses_banks_ex(const E2kNodeRam *node)
{
    return node->present && node->nb_banks >= E2K_NODE_BANKS_FUSTY;
}

static bool check_node(const E2kNodeRam *node, unsigned n, GError **errp)
{
    if (!node->present && node->nb_banks) {
        error_setg(errp, "e2k boot info: absent NUMA node %u cannot have memory", n);
        return false;
    }
    if (node->nb_banks > E2K_NODE_MAX_BANKS) {
        error_setg(errp, "e2k boot info: NUMA node %u has %u memory banks, at most %d fit",
                   n, node->nb_banks, E2K_NODE_MAX_BANKS);
        return false;
    }
    for (unsigned i = 0; i < node->nb_banks; i++) {
        if (node->banks[i].size == 0) {
            /* A size-0 bank is the end marker: it would hide the banks after it. */
            error_setg(errp, "e2k boot info: bank %u of NUMA node %u is empty", i, n);
            return false;
        }
    }
    return true;
}

/*
 * The banks_ex rule (docs/design/e2k-bootinfo.md): the nodes using banks_ex must be
 * nodes 0..k-1, so that the decompressor's shared cursor and the kernel's "n-th segment
 * after n end markers" find the same list; and the lists plus one end marker each must
 * fit in the 64 entries.
 */
static bool check_banks_ex(const E2kBootInfoInput *in, GError **errp)
{
    unsigned used = 0;
    int first_short = -1;

    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        const E2kNodeRam *node = &in->nodes[n];

        if (!node_uses_banks_ex(node)) {
            if (first_short < 0) {
                first_short = n;
            }
            continue;
        }
        if (first_short >= 0) {
            error_setg(errp, "e2k boot info: NUMA node %u has %u memory banks but node %d "
                       "has fewer than %d; MCST's readers only agree on banks_ex when every "
                       "lower node also fills its %d nodes_mem slots", n, node->nb_banks,
                       first_short, E2K_NODE_BANKS_FUSTY, E2K_NODE_BANKS_FUSTY);
            return false;
        }
        used += node->nb_banks - E2K_NODE_BANKS_FUSTY + 1;
    }
    if (used > E2K_BANKS_EX_MAX) {
        error_setg(errp, "e2k boot info: the memory banks need %u banks_ex entries (with end "
                   "markers), only %d exist", used, E2K_BANKS_EX_MAX);
        return false;
    }
    return true;
}

/* nodes_map, num_of_nodes, nodes_mem, banks_ex, num_of_banks. */
static void put_memory(const E2kBootInfoInput *in, uint8_t *b)
{
    uint64_t map = 0;
    unsigned nodes = 0, total = 0, ex = 0;

    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        const E2kNodeRam *node = &in->nodes[n];
        size_t slots = E2K_BI_NODES_MEM + n * E2K_NODE_BANKS_SIZE;

        if (!node->present) {
            continue;
        }
        map |= UINT64_C(1) << n;
        nodes++;
        total += node->nb_banks;
        for (unsigned i = 0; i < node->nb_banks; i++) {
            if (i < E2K_NODE_BANKS_FUSTY) {
                st_bank(b, slots + i * E2K_BANK_INFO_SIZE, &node->banks[i]);
            } else {
                st_bank(b, E2K_BI_BANKS_EX + ex++ * E2K_BANK_INFO_SIZE, &node->banks[i]);
            }
        }
        if (node_uses_banks_ex(node)) {
            ex++;   /* the buffer is zeroed: this entry is the node's size-0 end marker */
        }
    }
    st_le64(b, E2K_BI_NODES_MAP, map);
    st_le16(b, E2K_BI_NUM_OF_NODES, nodes);
    st_u8(b, E2K_BI_NUM_OF_BANKS, total);
}

/* busy[] and num_of_busy: RAM the decompressor must not hand out (firmware images). */
static bool put_busy(const E2kBootInfoInput *in, uint8_t *b, GError **errp)
{
    if (in->nb_busy > E2K_BUSY_MAX) {
        error_setg(errp, "e2k boot info: %u busy areas, at most %d fit", in->nb_busy,
                   E2K_BUSY_MAX);
        return false;
    }
    for (unsigned i = 0; i < in->nb_busy; i++) {
        if (in->busy[i].size == 0) {
            error_setg(errp, "e2k boot info: busy area %u is empty", i);
            return false;
        }
        st_bank(b, E2K_BI_BUSY + i * E2K_BANK_INFO_SIZE, &in->busy[i]);
    }
    st_le16(b, E2K_BI_NUM_OF_BUSY, in->nb_busy);
    return true;
}

static bool put_cmdline(const char *cmdline, uint8_t *b, GError **errp)
{
    size_t len = cmdline ? strlen(cmdline) : 0;

    if (len >= E2K_KERNEL_ARGS_SIZE) {
        error_setg(errp, "kernel command line too long for the e2k boot info "
                   "(%zu bytes, at most %d)", len, E2K_KERNEL_ARGS_SIZE - 1);
        return false;
    }
    if (len) {
        memcpy(b + E2K_BI_KERNEL_ARGS, cmdline, len);   /* the NUL is already there */
    }
    return true;
}

bool e2k_bootinfo_build(const E2kBootInfoInput *in, uint8_t *out, GError **errp)
{
    memset(out, 0, E2K_BOOTBLOCK_SIZE);
    if (in->nb_cpus == 0 || in->nb_cpus > E2K_MAX_CPUS) {
        error_setg(errp, "e2k boot info: %u CPUs, the board supports 1 to %d",
                   in->nb_cpus, E2K_MAX_CPUS);
        return false;
    }
    for (unsigned n = 0; n < E2K_MAX_NODES; n++) {
        if (!check_node(&in->nodes[n], n, errp)) {
            return false;
        }
    }
    if (!check_banks_ex(in, errp) || !put_cmdline(in->cmdline, out, errp) ||
        !put_busy(in, out, errp)) {
        return false;
    }
    st_le16(out, E2K_BI_SIGNATURE, E2K_BOOT_SIGNATURE);
    st_le64(out, E2K_BI_KERNEL_BASE, in->kernel_base);
    st_le64(out, E2K_BI_KERNEL_SIZE, in->kernel_size);
    st_le64(out, E2K_BI_RAMDISK_BASE, in->ramdisk_base);
    st_le64(out, E2K_BI_RAMDISK_SIZE, in->ramdisk_size);
    st_le16(out, E2K_BI_NUM_OF_CPUS, in->nb_cpus);
    st_le64(out, E2K_BI_SERIAL_BASE, in->serial_base);
    put_memory(in, out);
    /* Older kernels check the 2021 bios.signature before trusting cpu_type and friends. */
    memcpy(out + E2K_BI_BIOS_SIGNATURE, E2K_BIOS_SIGNATURE, sizeof(E2K_BIOS_SIGNATURE));
    st_u8(out, E2K_BI_CPU_TYPE, in->cpu_type);
    st_le64(out, E2K_BI_DEVTREE, in->devtree);
    st_u8(out, E2K_BB_BOOTBLOCK_VER, E2K_BOOTBLOCK_VER);
    st_le16(out, E2K_BB_MARKER, E2K_BOOTBLOCK_MARKER);
    return true;
}
