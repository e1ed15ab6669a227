/* CPU-to-node assignment for both layers: possible-CPU props (x86) and per-node bitmaps (e2k). */
#include "numa/numa.h"

#include <inttypes.h>

#include "hw/core/boards.h"
#include "numa-internal.h"
#include "util/bitmap.h"

/* ---- undo support ---- */

void numa_cpu_snapshot_take(MachineState *ms, int node, NumaCpuSnapshot *snap)
{
    CPUArchIdList *slots;

    /* The hook may build the slots lazily; they must exist before the snapshot. */
    if (ms->mc->possible_cpu_arch_ids) {
        ms->mc->possible_cpu_arch_ids(ms);
    }
    slots = ms->possible_cpus;

    snap->slot_nodes = g_array_new(FALSE, FALSE, sizeof(int64_t));
    for (int i = 0; slots && i < slots->len; i++) {
        const CpuInstanceProperties *p = &slots->cpus[i].props;
        int64_t v = p->has_node_id ? p->node_id : -1;

        g_array_append_val(snap->slot_nodes, v);
    }
    snap->node = node;
    snap->has_cpu = ms->numa->nodes[node].has_cpu;
    snap->initiator = ms->numa->nodes[node].initiator;
}

void numa_cpu_snapshot_restore(MachineState *ms, NumaCpuSnapshot *snap)
{
    CPUArchIdList *slots = ms->possible_cpus;

    for (guint i = 0; slots && i < snap->slot_nodes->len && (int)i < slots->len; i++) {
        int64_t v = g_array_index(snap->slot_nodes, int64_t, i);

        slots->cpus[i].props.has_node_id = v >= 0;
        slots->cpus[i].props.node_id = v >= 0 ? v : 0;
    }
    ms->numa->nodes[snap->node].has_cpu = snap->has_cpu;
    ms->numa->nodes[snap->node].initiator = snap->initiator;
}

void numa_cpu_snapshot_drop(NumaCpuSnapshot *snap)
{
    g_array_free(snap->slot_nodes, TRUE);
    snap->slot_nodes = NULL;
}

/* ---- x86 layer: possible CPUs' props ---- */

static const CPUArchIdList *numa_possible_cpus(MachineState *ms)
{
    const MachineClass *mc = ms->mc;

    return mc->possible_cpu_arch_ids ? mc->possible_cpu_arch_ids(ms) : NULL;
}

/* Keys the board's slots do not have are refused before any matching, in QEMU's order. */
static bool numa_cpu_props_supported(const CpuInstanceProperties *want,
                                     const CpuInstanceProperties *slot, GError **errp)
{
    const char *bad = NULL;

    if (want->has_thread_id && !slot->has_thread_id) {
        bad = "thread-id";
    } else if (want->has_core_id && !slot->has_core_id) {
        bad = "core-id";
    } else if (want->has_socket_id && !slot->has_socket_id) {
        bad = "socket-id";
    } else if (want->has_die_id && !slot->has_die_id) {
        bad = "die-id";
    }
    if (bad) {
        error_setg(errp, "%s is not supported", bad);
        return false;
    }
    return true;
}

static bool numa_cpu_props_match(const CpuInstanceProperties *want,
                                 const CpuInstanceProperties *slot)
{
    return !(want->has_thread_id && want->thread_id != slot->thread_id) &&
           !(want->has_core_id && want->core_id != slot->core_id) &&
           !(want->has_die_id && want->die_id != slot->die_id) &&
           !(want->has_socket_id && want->socket_id != slot->socket_id);
}

/* With HMAT a node holding CPUs is its own initiator. */
static bool numa_cpu_note_initiator(NumaState *ns, int64_t node, GError **errp)
{
    NodeInfo *info = &ns->nodes[node];

    if (!ns->hmat_enabled) {
        return true;
    }
    if (info->initiator < MAX_NODES && info->initiator != node) {
        error_setg(errp, "The initiator of CPU NUMA node %" PRId64 " should be itself "
                   "(got %" PRIu16 ")", node, info->initiator);
        return false;
    }
    info->has_cpu = true;
    info->initiator = node;
    return true;
}

bool numa_set_cpu_node(MachineState *ms, const CpuInstanceProperties *props, GError **errp)
{
    bool match = false;

    g_assert(props->has_node_id && props->node_id >= 0 && props->node_id < MAX_NODES);
    if (!ms->mc->possible_cpu_arch_ids) {
        error_setg(errp, "mapping of CPUs to NUMA node is not supported");
        return false;
    }
    numa_possible_cpus(ms);
    for (int i = 0; ms->possible_cpus && i < ms->possible_cpus->len; i++) {
        CpuInstanceProperties *slot = &ms->possible_cpus->cpus[i].props;

        if (!numa_cpu_props_supported(props, slot, errp)) {
            return false;
        }
        if (!numa_cpu_props_match(props, slot)) {
            continue;
        }
        if (slot->has_node_id && slot->node_id != props->node_id) {
            error_setg(errp, "CPU is already assigned to node-id: %" PRId64, slot->node_id);
            return false;
        }
        match = true;
        slot->has_node_id = true;
        slot->node_id = props->node_id;
        if (!numa_cpu_note_initiator(ms->numa, props->node_id, errp)) {
            return false;
        }
    }
    if (!match) {
        error_setg(errp, "no match found");
        return false;
    }
    return true;
}

/* ---- e2k layer: bitmaps ---- */

unsigned long *numa_node_cpu_bitmap(MachineState *ms, int node)
{
    NumaState *ns = ms->numa;

    if (!ns->cpu_bitmap_bits) {
        ns->cpu_bitmap_bits = ms->smp.max_cpus;
    }
    if (!ns->nodes[node].node_cpu) {
        ns->nodes[node].node_cpu = bitmap_new(ns->cpu_bitmap_bits);
    }
    return ns->nodes[node].node_cpu;
}

bool numa_add_cpu_index(MachineState *ms, uint16_t nodenr, unsigned cpu_index, GError **errp)
{
    const MachineClass *mc = ms->mc;
    const CpuInstanceProperties *slot_props;
    CpuInstanceProperties props;

    if (numa_uses_cpu_bitmaps(ms)) {
        /* Overlaps between nodes are reported once all nodes are known. */
        set_bit(cpu_index, numa_node_cpu_bitmap(ms, nodenr));
        return numa_cpu_note_initiator(ms->numa, nodenr, errp);
    }
    slot_props = mc->cpu_index_to_instance_props(ms, cpu_index);
    if (!slot_props) {
        error_setg(errp, "no match found");
        return false;
    }
    props = *slot_props;
    props.has_node_id = true;
    props.node_id = nodenr;
    return numa_set_cpu_node(ms, &props, errp);
}

bool numa_parse_cpu(MachineState *ms, const NumaCpuOptions *cpu, GError **errp)
{
    NumaState *ns = ms->numa;
    CpuInstanceProperties props = {
        .has_node_id = cpu->has_node_id, .node_id = cpu->node_id,
        .has_socket_id = cpu->has_socket_id, .socket_id = cpu->socket_id,
        .has_die_id = cpu->has_die_id, .die_id = cpu->die_id,
        .has_core_id = cpu->has_core_id, .core_id = cpu->core_id,
        .has_thread_id = cpu->has_thread_id, .thread_id = cpu->thread_id,
    };
    NumaCpuSnapshot snap;
    bool ok;

    if (!props.has_node_id) {
        error_setg(errp, "Missing mandatory node-id property");
        return false;
    }
    /* QEMU indexes nodes[] with an unchecked int64 here; numbat range-checks first. */
    if (props.node_id < 0 || props.node_id >= MAX_NODES ||
        !ns->nodes[props.node_id].present) {
        error_setg(errp, "Invalid node-id=%" PRId64 ", NUMA node must be defined with "
                   "-numa node,nodeid=ID before it's used with -numa cpu,node-id=ID",
                   props.node_id);
        return false;
    }
    if (numa_uses_cpu_bitmaps(ms)) {
        error_setg(errp, "mapping of CPUs to NUMA node is not supported");
        return false;
    }
    numa_cpu_snapshot_take(ms, props.node_id, &snap);
    ok = numa_set_cpu_node(ms, &props, errp);
    if (!ok) {
        numa_cpu_snapshot_restore(ms, &snap);
    }
    numa_cpu_snapshot_drop(&snap);
    return ok;
}

char *numa_cpu_slot_to_string(const CpuInstanceProperties *props, unsigned cpu_index)
{
    GString *s = g_string_new(NULL);
    const char *sep = "";

    g_string_append_printf(s, "CPU %u [", cpu_index);
#define APPEND_ID(field, key) \
    if (props->has_##field) { \
        g_string_append_printf(s, "%s" key ": %" PRId64, sep, props->field); \
        sep = ", "; \
    }
    APPEND_ID(socket_id, "socket-id")
    APPEND_ID(die_id, "die-id")
    APPEND_ID(core_id, "core-id")
    APPEND_ID(thread_id, "thread-id")
#undef APPEND_ID
    g_string_append_c(s, ']');
    return g_string_free(s, FALSE);
}

int numa_get_node_for_cpu(const MachineState *ms, unsigned cpu_index)
{
    const NumaState *ns = ms->numa;

    if (!ns) {
        return 0;
    }
    if (!numa_uses_cpu_bitmaps(ms)) {
        const CPUArchIdList *slots = ms->possible_cpus;

        if (slots && cpu_index < (unsigned)slots->len &&
            slots->cpus[cpu_index].props.has_node_id) {
            return slots->cpus[cpu_index].props.node_id;
        }
        return ns->num_nodes;
    }
    for (int i = 0; i < ns->num_nodes; i++) {
        if (ns->nodes[i].node_cpu && cpu_index < ns->cpu_bitmap_bits &&
            test_bit(cpu_index, ns->nodes[i].node_cpu)) {
            return i;
        }
    }
    return ns->num_nodes;
}
