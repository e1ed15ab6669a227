/* -numa node: declare a node with its CPUs and memory (mem= or memdev=), and the node-id checks. */
#include "numa/numa.h"

#include <inttypes.h>

#include "hw/core/boards.h"
#include "numa-internal.h"

static bool numa_node_parse_initiator(NumaState *ns, const NumaNodeOptions *node,
                                      uint16_t nodenr, GError **errp)
{
    ns->nodes[nodenr].initiator = NUMA_NODE_UNASSIGNED;
    if (!node->has_initiator) {
        return true;
    }
    if (!ns->hmat_enabled) {
        error_setg(errp, "ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, "
                   "enable it with -machine hmat=on before using any of hmat specific "
                   "options");
        return false;
    }
    if (node->initiator >= MAX_NODES) {
        /* QEMU only prints this and carries on without the node; numbat stops here. */
        error_setg(errp, "The initiator id %" PRIu16 " expects an integer between 0 and %d",
                   node->initiator, MAX_NODES - 1);
        return false;
    }
    ns->nodes[nodenr].initiator = node->initiator;
    return true;
}

static bool numa_node_parse_cpus(MachineState *ms, const NumaNodeOptions *node,
                                 uint16_t nodenr, GError **errp)
{
    for (const uint16List *cpus = node->cpus; cpus; cpus = cpus->next) {
        if (cpus->value >= ms->smp.max_cpus) {
            error_setg(errp, "CPU index (%" PRIu16 ") should be smaller than maxcpus (%d)",
                       cpus->value, (int)ms->smp.max_cpus);
            return false;
        }
        if (!numa_add_cpu_index(ms, nodenr, cpus->value, errp)) {
            return false;
        }
    }
    return true;
}

/*
 * mem= and memdev= cannot be mixed across nodes.  A node with neither is a memory-less
 * node and fits with either kind (the seeds refused it beside memdev nodes; QEMU 4.1
 * and numbat allow it).
 */
static bool numa_node_check_mem_kind(const NumaState *ns, const NumaNodeOptions *node,
                                     GError **errp)
{
    if (node->has_mem && node->has_memdev) {
        error_setg(errp, "cannot specify both mem= and memdev=");
        return false;
    }
    if ((node->has_memdev && ns->have_mem) || (node->has_mem && ns->have_memdevs)) {
        error_setg(errp, "memdev option must be specified for either all or no nodes");
        return false;
    }
    return true;
}

static bool numa_node_resolve_memdev(NumaState *ns, const char *id, void **backend,
                                     uint64_t *size, GError **errp)
{
    /* "ambiguous" is the seeds' (and QEMU's) word even when no such backend exists. */
    if (!ns->memdev_resolve || !ns->memdev_resolve(ns->memdev_opaque, id, backend, size)) {
        error_setg(errp, "memdev=%s is ambiguous", id);
        return false;
    }
    return true;
}

static bool numa_node_parse_checked(MachineState *ms, const NumaNodeOptions *node,
                                    uint16_t nodenr, GError **errp)
{
    NumaState *ns = ms->numa;
    NodeInfo *info = &ns->nodes[nodenr];
    void *backend = NULL;
    uint64_t size = 0;

    if (!numa_node_parse_initiator(ns, node, nodenr, errp) ||
        !numa_node_parse_cpus(ms, node, nodenr, errp) ||
        !numa_node_check_mem_kind(ns, node, errp)) {
        return false;
    }
    if (node->has_memdev &&
        !numa_node_resolve_memdev(ns, node->memdev, &backend, &size, errp)) {
        return false;
    }
    if (node->has_mem) {
        info->node_mem = node->mem;
        ns->have_mem = true;
    }
    if (node->has_memdev) {
        info->node_mem = size;
        info->node_memdev = backend;
        info->memdev_id = g_strdup(node->memdev);
        ns->have_memdevs = true;
    }
    info->present = true;
    ns->max_numa_nodeid = MAX(ns->max_numa_nodeid, nodenr + 1);
    ns->num_nodes++;
    return true;
}

bool numa_parse_node(MachineState *ms, const NumaNodeOptions *node, GError **errp)
{
    NumaState *ns = ms->numa;
    uint16_t nodenr = node->has_nodeid ? node->nodeid : (uint16_t)ns->num_nodes;
    NumaCpuSnapshot snap;
    bool ok;

    if (nodenr >= MAX_NODES) {
        error_setg(errp, "Max number of NUMA nodes reached: %" PRIu16, nodenr);
        return false;
    }
    if (ns->nodes[nodenr].present) {
        error_setg(errp, "Duplicate NUMA nodeid: %" PRIu16, nodenr);
        return false;
    }
    numa_cpu_snapshot_take(ms, nodenr, &snap);
    ok = numa_node_parse_checked(ms, node, nodenr, errp);
    if (!ok) {
        /* The node was not present before: clear what the CPU steps left on it. */
        numa_cpu_snapshot_restore(ms, &snap);
        ns->nodes[nodenr].initiator = NUMA_NODE_UNASSIGNED;
        if (ns->nodes[nodenr].node_cpu) {
            g_clear_pointer(&ns->nodes[nodenr].node_cpu, g_free);
        }
    }
    numa_cpu_snapshot_drop(&snap);
    return ok;
}

bool numa_check_node_ids(const NumaState *ns, GError **errp)
{
    /* No sparse node ids; the largest missing one is reported first, as in the seeds. */
    for (int i = ns->max_numa_nodeid - 1; i >= 0; i--) {
        if (!ns->nodes[i].present) {
            error_setg(errp, "numa: Node ID missing: %d", i);
            return false;
        }
    }
    return true;
}
