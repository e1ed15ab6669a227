/* Placing the CPUs no option mapped, once all nodes are known, and the checks on the result. */
#include "numa/numa.h"

#include "hw/core/boards.h"
#include "numa-internal.h"
#include "util/bitmap.h"

/* ---- x86 layer ---- */

/*
 * With no CPU mapped at all the board's default applies (pc: socket id modulo node
 * count); with a partial mapping the rest go to node 0 and the user is warned.
 */
static bool numa_finish_cpu_props(MachineState *ms, GError **errp)
{
    const MachineClass *mc = ms->mc;
    const CPUArchIdList *slots;
    g_autoptr(GString) unmapped = g_string_new(NULL);
    bool default_mapping = true;
    int n;

    if (mc->possible_cpu_arch_ids) {
        mc->possible_cpu_arch_ids(ms);     /* fills ms->possible_cpus */
    }
    slots = ms->possible_cpus;
    n = slots ? slots->len : 0;

    for (int i = 0; i < n; i++) {
        default_mapping &= !slots->cpus[i].props.has_node_id;
    }
    for (int i = 0; i < n; i++) {
        CpuInstanceProperties props = ms->possible_cpus->cpus[i].props;

        if (props.has_node_id) {
            continue;
        }
        if (default_mapping) {
            props.node_id = mc->get_default_cpu_node_id
                            ? mc->get_default_cpu_node_id(ms, i) : i % ms->numa->num_nodes;
        } else {
            g_autofree char *slot = numa_cpu_slot_to_string(&props, i);

            g_string_append_printf(unmapped, "%s%s", unmapped->len ? ", " : "", slot);
            props.node_id = 0;
        }
        props.has_node_id = true;
        if (!numa_set_cpu_node(ms, &props, errp)) {
            return false;
        }
    }
    if (ms->numa->hmat_enabled && !numa_validate_initiators(ms->numa, errp)) {
        return false;
    }
    if (unmapped->len) {
        warn_report("CPU(s) not present in any NUMA nodes: %s", unmapped->str);
        warn_report("All CPU(s) up to maxcpus should be described in NUMA config, "
                    "ability to start up with partial NUMA mappings is obsoleted and will "
                    "be removed in future");
    }
    return true;
}

/* ---- e2k layer ---- */

static char *numa_enumerate_cpus(const unsigned long *cpus, size_t nbits)
{
    GString *s = g_string_new(NULL);
    size_t cpu;

    for_each_set_bit(cpu, cpus, nbits) {
        g_string_append_printf(s, "%s%zu", s->len ? " " : "", cpu);
    }
    return g_string_free(s, FALSE);
}

/*
 * Without any cpus= the CPUs are dealt out: round-robin by index, or, when the board
 * knows sockets, by socket so that one socket's cores stay on one node.
 */
static void numa_default_cpu_bitmaps(MachineState *ms)
{
    const MachineClass *mc = ms->mc;
    NumaState *ns = ms->numa;

    for (int i = 0; i < ns->num_nodes; i++) {
        if (ns->nodes[i].node_cpu &&
            !bitmap_empty(ns->nodes[i].node_cpu, ns->cpu_bitmap_bits)) {
            return;
        }
    }
    for (unsigned i = 0; i < ms->smp.max_cpus; i++) {
        int64_t node = mc->cpu_index_to_socket_id ? mc->cpu_index_to_socket_id(ms, i)
                                                  : (int64_t)i;

        /* a board answering -1 (unknown socket) falls back to round-robin */
        set_bit(i, numa_node_cpu_bitmap(ms, (node < 0 ? i : node) % ns->num_nodes));
    }
}

static bool numa_validate_cpu_bitmaps(MachineState *ms, GError **errp)
{
    NumaState *ns = ms->numa;
    size_t nbits = ms->smp.max_cpus;
    g_autofree unsigned long *seen = bitmap_new(nbits);

    for (int i = 0; i < ns->num_nodes; i++) {
        const unsigned long *cpus = numa_node_cpu_bitmap(ms, i);

        if (bitmap_intersects(seen, cpus, nbits)) {
            bitmap_and(seen, seen, cpus, nbits);
            g_autofree char *list = numa_enumerate_cpus(seen, nbits);
            error_setg(errp, "CPU(s) present in multiple NUMA nodes: %s", list);
            return false;
        }
        bitmap_or(seen, seen, cpus, nbits);
        if (ns->hmat_enabled && !bitmap_empty(cpus, nbits)) {
            ns->nodes[i].has_cpu = true;
        }
    }
    if (!bitmap_full(seen, nbits)) {
        g_autofree unsigned long *missing = bitmap_new(nbits);

        bitmap_fill(missing, nbits);
        bitmap_andnot(missing, missing, seen, nbits);
        g_autofree char *list = numa_enumerate_cpus(missing, nbits);
        warn_report("CPU(s) not present in any NUMA nodes: %s", list);
        warn_report("All CPU(s) up to maxcpus should be described in NUMA config");
    }
    return true;
}

static bool numa_finish_cpu_bitmaps(MachineState *ms, GError **errp)
{
    numa_default_cpu_bitmaps(ms);
    if (!numa_validate_cpu_bitmaps(ms, errp)) {
        return false;
    }
    return !ms->numa->hmat_enabled || numa_validate_initiators(ms->numa, errp);
}

bool numa_finish_cpu_init(MachineState *ms, GError **errp)
{
    if (!ms->numa || ms->numa->num_nodes == 0) {
        return true;
    }
    return numa_uses_cpu_bitmaps(ms) ? numa_finish_cpu_bitmaps(ms, errp)
                                     : numa_finish_cpu_props(ms, errp);
}
