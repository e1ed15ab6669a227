/* NUMA over the monitor: query-numa, set-numa-node (--preconfig) and the "info numa" text. */
#include "numa/numa-machine.h"

#include <inttypes.h>

#include "hw/core/boards.h"
#include "qapi-commands.h"
#include "sysemu/sysemu.h"

/* The distance row as the guest will see it: given values, else 10 local / 20 remote. */
static intList *numa_distance_row(const NumaState *ns, int src)
{
    intList *head = NULL, **tail = &head;

    for (int dst = 0; dst < ns->num_nodes; dst++) {
        intList *e = g_new0(intList, 1);
        uint8_t d = ns->have_numa_distance ? ns->nodes[src].distance[dst] : 0;

        e->value = d ? d : (src == dst ? NUMA_DISTANCE_MIN : NUMA_DISTANCE_DEFAULT);
        *tail = e;
        tail = &e->next;
    }
    return head;
}

/* Every possible CPU (0..maxcpus-1) placed on node, ascending. */
static intList *numa_node_cpus(const MachineState *ms, int node, unsigned ncpus)
{
    intList *head = NULL, **tail = &head;

    for (unsigned i = 0; i < ncpus; i++) {
        if (numa_get_node_for_cpu(ms, i) == node) {
            intList *e = g_new0(intList, 1);
            e->value = i;
            *tail = e;
            tail = &e->next;
        }
    }
    return head;
}

NumaNodeInfoList *qmp_query_numa(SysEmu *se, GError **errp)
{
    const MachineState *ms = se->machine;
    const NumaState *ns = ms ? ms->numa : NULL;
    NumaNodeInfoList *head = NULL, **tail = &head;

    for (int i = 0; ns && i < ns->num_nodes; i++) {
        const NodeInfo *node = &ns->nodes[i];
        NumaNodeInfoList *e = g_new0(NumaNodeInfoList, 1);
        NumaNodeInfo *info = g_new0(NumaNodeInfo, 1);

        info->node_id = i;
        info->size = node->node_mem;
        info->has_memdev = node->memdev_id != NULL;
        info->memdev = g_strdup(node->memdev_id);
        info->cpus = numa_node_cpus(ms, i, ms->smp.max_cpus);
        info->distance = numa_distance_row(ns, i);
        info->has_initiator = node->initiator < MAX_NODES;
        info->initiator = node->initiator;
        e->value = info;
        *tail = e;
        tail = &e->next;
    }
    return head;
}

void qmp_set_numa_node(SysEmu *se, NumaOptions *cmd, GError **errp)
{
    if (se->machine_initialized) {
        error_setg(errp, "The command is permitted only before the machine has been created");
        return;
    }
    /* JSON sizes are bytes: no suffix-less MiB fixup as on the command line. */
    set_numa_options(se->machine, cmd, errp);
}

char *numa_info_text(const MachineState *ms)
{
    const NumaState *ns = ms->numa;
    int nodes = ns ? ns->num_nodes : 0;
    GString *out = g_string_new(NULL);

    g_string_append_printf(out, "%d nodes\n", nodes);
    for (int i = 0; i < nodes; i++) {
        g_string_append_printf(out, "node %d cpus:", i);
        /* QEMU lists the CPUs that exist (-smp cpus), not every possible one. */
        for (unsigned c = 0; c < ms->smp.cpus; c++) {
            if (numa_get_node_for_cpu(ms, c) == i) {
                g_string_append_printf(out, " %u", c);
            }
        }
        g_string_append_printf(out, "\nnode %d size: %" PRIu64 " MB\n", i,
                               ns->nodes[i].node_mem >> 20);
        /* No pc-dimm / virtio-mem yet: nothing is ever plugged. */
        g_string_append_printf(out, "node %d plugged: 0 MB\n", i);
    }
    return g_string_free(out, FALSE);
}
