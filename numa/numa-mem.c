/* Node memory: RAM auto-assignment, the total check, node address ranges and numa_get_node(). */
#include "numa/numa.h"

#include <inttypes.h>

#include "hw/core/boards.h"

static uint64_t numa_align_mask(const MachineClass *mc)
{
    int shift = mc ? mc->numa_mem_align_shift : 0;

    return shift > 0 && shift < 64 ? ~((UINT64_C(1) << shift) - 1) : ~UINT64_C(0);
}

/* Equal shares rounded down to the alignment; the last node takes what is left. */
void numa_legacy_auto_assign_ram(const MachineClass *mc, NodeInfo *nodes, int nb_nodes,
                                 uint64_t size)
{
    uint64_t mask = numa_align_mask(mc);
    uint64_t usedmem = 0;
    int i;

    if (nb_nodes <= 0) {
        return;
    }
    for (i = 0; i < nb_nodes - 1; i++) {
        nodes[i].node_mem = (size / nb_nodes) & mask;
        usedmem += nodes[i].node_mem;
    }
    nodes[i].node_mem = size - usedmem;
}

/*
 * Like the legacy split, but what alignment cuts off one node is carried to the next,
 * so the nodes stay close to equal instead of the last one absorbing every remainder.
 */
void numa_default_auto_assign_ram(const MachineClass *mc, NodeInfo *nodes, int nb_nodes,
                                  uint64_t size)
{
    uint64_t mask = numa_align_mask(mc);
    uint64_t usedmem = 0, propagate = 0;
    uint64_t granularity;
    int i;

    if (nb_nodes <= 0) {
        return;
    }
    granularity = size / nb_nodes;
    for (i = 0; i < nb_nodes - 1; i++) {
        uint64_t node_mem = (granularity + propagate) & mask;

        propagate = granularity + propagate - node_mem;
        nodes[i].node_mem = node_mem;
        usedmem += node_mem;
    }
    nodes[i].node_mem = size - usedmem;
}

/* ---- address ranges: a sorted array, so a lookup is a binary search ---- */

/* Index of the first range starting above addr (== len when none does). */
static guint numa_range_upper_bound(const GArray *ranges, uint64_t addr)
{
    guint lo = 0, hi = ranges->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (g_array_index(ranges, NumaAddrRange, mid).start <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

bool numa_set_mem_node_id(NumaState *ns, uint64_t addr, uint64_t size, uint32_t node,
                          GError **errp)
{
    NumaAddrRange r = { .start = addr, .end = addr + size - 1, .node = node };
    guint pos;

    if (!size) {
        return true;    /* memory-less nodes own no range */
    }
    if (node >= MAX_NODES || r.end < addr) {
        error_setg(errp, "Invalid NUMA memory range 0x%" PRIx64 "+0x%" PRIx64
                   " for node %" PRIu32, addr, size, node);
        return false;
    }
    pos = numa_range_upper_bound(ns->ranges, addr);
    if ((pos > 0 && g_array_index(ns->ranges, NumaAddrRange, pos - 1).end >= addr) ||
        (pos < ns->ranges->len && g_array_index(ns->ranges, NumaAddrRange, pos).start <= r.end)) {
        error_setg(errp, "NUMA memory range 0x%" PRIx64 "+0x%" PRIx64 " of node %" PRIu32
                   " overlaps another node's range", addr, size, node);
        return false;
    }
    g_array_insert_val(ns->ranges, pos, r);
    return true;
}

bool numa_unset_mem_node_id(NumaState *ns, uint64_t addr, uint64_t size, uint32_t node)
{
    guint pos = numa_range_upper_bound(ns->ranges, addr);
    const NumaAddrRange *r;

    if (!size || pos == 0) {
        return false;
    }
    r = &g_array_index(ns->ranges, NumaAddrRange, pos - 1);
    if (r->start != addr || r->end != addr + size - 1 || r->node != node) {
        return false;
    }
    g_array_remove_index(ns->ranges, pos - 1);
    return true;
}

int numa_get_node(const NumaState *ns, uint64_t addr, GError **errp)
{
    guint pos = ns ? numa_range_upper_bound(ns->ranges, addr) : 0;

    if (pos > 0) {
        const NumaAddrRange *r = &g_array_index(ns->ranges, NumaAddrRange, pos - 1);

        if (addr <= r->end) {
            return r->node;
        }
    }
    error_setg(errp, "Address 0x%" PRIx64 " doesn't belong to any NUMA node", addr);
    return -1;
}

/* ---- completion ---- */

static bool numa_any_node_has_mem(const NumaState *ns)
{
    for (int i = 0; i < ns->num_nodes; i++) {
        if (ns->nodes[i].node_mem) {
            return true;
        }
    }
    return false;
}

/* Nodes are laid out in node-id order from guest address 0, each right after the last. */
static bool numa_set_mem_ranges(NumaState *ns, GError **errp)
{
    uint64_t start = 0;

    for (int i = 0; i < ns->num_nodes; i++) {
        if (!numa_set_mem_node_id(ns, start, ns->nodes[i].node_mem, i, errp)) {
            return false;
        }
        start += ns->nodes[i].node_mem;
    }
    return true;
}

bool numa_complete_memory(MachineState *ms, GError **errp)
{
    const MachineClass *mc = ms->mc;
    NumaState *ns = ms->numa;
    uint64_t total = 0;

    g_array_set_size(ns->ranges, 0);
    if (ns->num_nodes == 0) {
        /* Without -numa all of RAM is node 0's, so numa_get_node() still answers. */
        return numa_set_mem_node_id(ns, 0, ms->ram_size, 0, errp);
    }
    if (!ns->have_memdevs && !numa_any_node_has_mem(ns)) {
        void (*assign)(const MachineClass *, NodeInfo *, int, uint64_t) =
            mc->numa_auto_assign_ram ? mc->numa_auto_assign_ram
                                     : numa_default_auto_assign_ram;
        assign(mc, ns->nodes, ns->num_nodes, ms->ram_size);
    }
    for (int i = 0; i < ns->num_nodes; i++) {
        /* Saturate: a wrapped sum could otherwise match ram_size by accident. */
        total = ns->nodes[i].node_mem > UINT64_MAX - total ? UINT64_MAX
                                                           : total + ns->nodes[i].node_mem;
    }
    if (total != ms->ram_size) {
        error_setg(errp, "total memory for NUMA nodes (0x%" PRIx64 ") should equal RAM size "
                   "(0x%" PRIx64 ")", total, (uint64_t)ms->ram_size);
        return false;
    }
    return numa_set_mem_ranges(ns, errp);
}

bool numa_check_memdevs_unique(const NumaState *ns, GError **errp)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (int i = 0; i < ns->num_nodes; i++) {
        const char *id = ns->nodes[i].memdev_id;

        if (!id) {
            continue;
        }
        if (!g_hash_table_add(seen, (gpointer)id)) {
            error_setg(errp, "memory backend %s is used multiple times. Each -numa option "
                       "must use a different memdev value.", id);
            return false;
        }
    }
    return true;
}
