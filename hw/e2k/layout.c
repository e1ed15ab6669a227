/* The e2k memory map and CPU numbering: per-node RAM banks in the low/high windows, Elbrus CPU ids per node. */
#include "hw/e2k/e2k-layout.h"

#include <inttypes.h>
#include <string.h>

uint64_t e2k_ram_offset_to_addr(uint64_t off)
{
    /* Low RAM is identity-mapped; everything past 2 GiB of RAM continues at 16 GiB. */
    return off < E2K_MLO_SIZE ? E2K_MLO_BASE + off : E2K_HIMEM_BASE + (off - E2K_MLO_SIZE);
}

/* Append the part of RAM offsets [lo, hi) inside window [w_lo, w_hi) as one bank. */
static void add_window_bank(E2kNodeRam *node, uint64_t lo, uint64_t hi,
                            uint64_t w_lo, uint64_t w_hi)
{
    uint64_t s = MAX(lo, w_lo), e = MIN(hi, w_hi);

    if (s < e) {
        node->banks[node->nb_banks].addr = e2k_ram_offset_to_addr(s);
        node->banks[node->nb_banks].size = e - s;
        node->nb_banks++;
    }
}

bool e2k_layout_ram(const uint64_t *node_mem, unsigned nb_nodes, E2kNodeRam *nodes,
                    GError **errp)
{
    uint64_t off = 0;

    if (nb_nodes == 0 || nb_nodes > E2K_MAX_NODES) {
        error_setg(errp, "the e2k machine supports 1 to %d NUMA nodes, not %u",
                   E2K_MAX_NODES, nb_nodes);
        return false;
    }
    memset(nodes, 0, sizeof(*nodes) * E2K_MAX_NODES);
    for (unsigned n = 0; n < nb_nodes; n++) {
        uint64_t size = node_mem[n];

        if (size % E2K_PAGE_SIZE) {
            error_setg(errp, "e2k: memory of NUMA node %u (0x%" PRIx64 " bytes) is not a "
                       "multiple of 4 KiB", n, size);
            return false;
        }
        /* The high window ends at 2^64: the sum must not wrap. */
        if (size > UINT64_MAX - E2K_HIMEM_BASE - off) {
            error_setg(errp, "e2k: RAM of NUMA node %u does not fit in the address space", n);
            return false;
        }
        nodes[n].present = true;
        add_window_bank(&nodes[n], off, off + size, 0, E2K_MLO_SIZE);
        add_window_bank(&nodes[n], off, off + size, E2K_MLO_SIZE, UINT64_MAX);
        off += size;
    }
    return true;
}

bool e2k_layout_cpu_ids(const uint32_t *cpu_node, unsigned nb_cpus, unsigned nb_nodes,
                        uint32_t *ids, GError **errp)
{
    unsigned used[E2K_MAX_NODES] = { 0 };

    if (nb_nodes == 0 || nb_nodes > E2K_MAX_NODES) {
        error_setg(errp, "the e2k machine supports 1 to %d NUMA nodes, not %u",
                   E2K_MAX_NODES, nb_nodes);
        return false;
    }
    for (unsigned i = 0; i < nb_cpus; i++) {
        uint32_t n = cpu_node[i];

        if (n >= nb_nodes) {
            /* The guest derives a CPU's node from its id, so every CPU needs one. */
            error_setg(errp, "e2k: CPU %u is not in any NUMA node", i);
            return false;
        }
        if (used[n] == E2K_NODE_CPU_IDS) {
            error_setg(errp, "e2k: NUMA node %" PRIu32 " has more than %d CPUs", n,
                       E2K_NODE_CPU_IDS);
            return false;
        }
        ids[i] = n * E2K_NODE_CPU_IDS + used[n]++;
    }
    return true;
}
