/* NUMA entry points: the state's lifetime, one -numa option in, and the completion pass. */
#include "numa/numa.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "hw/core/boards.h"
#include "qapi-visit.h"
#include "qapi/visitor.h"
#include "util/opts.h"

NumaState *numa_state_new(void)
{
    NumaState *ns = g_new0(NumaState, 1);

    for (int i = 0; i < MAX_NODES; i++) {
        ns->nodes[i].initiator = NUMA_NODE_UNASSIGNED;
    }
    ns->ranges = g_array_new(FALSE, FALSE, sizeof(NumaAddrRange));
    return ns;
}

void numa_state_free(NumaState *ns)
{
    if (!ns) {
        return;
    }
    for (int i = 0; i < MAX_NODES; i++) {
        NodeInfo *node = &ns->nodes[i];

        if (node->node_memdev && ns->memdev_release) {
            ns->memdev_release(ns->memdev_opaque, node->node_memdev);
        }
        g_free(node->memdev_id);
        g_free(node->node_cpu);
    }
    numa_hmat_free(ns);
    g_array_free(ns->ranges, TRUE);
    g_free(ns);
}

void numa_set_memdev_resolver(NumaState *ns, NumaMemdevResolveFn resolve,
                              NumaMemdevReleaseFn release, void *opaque)
{
    ns->memdev_resolve = resolve;
    ns->memdev_release = release;
    ns->memdev_opaque = opaque;
}

bool numa_uses_cpu_bitmaps(const MachineState *ms)
{
    /* The x86 layer keeps CPU->node in the possible CPUs' props; boards without the
     * props hook are the older (e2k) layer with per-node bitmaps. */
    return ms->mc->cpu_index_to_instance_props == NULL;
}

bool set_numa_options(MachineState *ms, NumaOptions *opts, GError **errp)
{
    if (!ms->numa) {
        error_setg(errp, "NUMA is not supported by this machine-type");
        return false;
    }
    switch (opts->type) {
    case NUMA_OPTIONS_TYPE_NODE:
        return numa_parse_node(ms, &opts->u.node, errp);
    case NUMA_OPTIONS_TYPE_DIST:
        return numa_parse_distance(ms->numa, &opts->u.dist, errp);
    case NUMA_OPTIONS_TYPE_CPU:
        return numa_parse_cpu(ms, &opts->u.cpu, errp);
    case NUMA_OPTIONS_TYPE_HMAT_LB:
        return numa_parse_hmat_lb(ms->numa, &opts->u.hmat_lb, errp);
    case NUMA_OPTIONS_TYPE_HMAT_CACHE:
        return numa_parse_hmat_cache(ms->numa, &opts->u.hmat_cache, errp);
    default:
        error_setg(errp, "Invalid NUMA option type %d", (int)opts->type);
        return false;
    }
}

/*
 * The command line's mem= predates size suffixes: a value ending in a digit is MiB.
 * The visitor already parsed it as bytes, so only the scaling is left; a value that
 * no longer fits in 64 bits is refused rather than silently wrapped.
 */
static bool numa_fixup_legacy_mem(const Opts *opts, NumaNodeOptions *node, GError **errp)
{
    const char *raw = opt_get(opts, "mem");
    size_t len = raw ? strlen(raw) : 0;

    if (!len || !isdigit((unsigned char)raw[len - 1])) {
        return true;
    }
    if (node->mem > (UINT64_MAX >> 20)) {
        error_setg_errno(errp, ERANGE, "could not parse memory size '%s'", raw);
        return false;
    }
    node->mem <<= 20;
    return true;
}

bool numa_parse_opts(MachineState *ms, const Opts *opts, GError **errp)
{
    NumaOptions *object = NULL;
    Visitor *v = opts_visitor_new(opts);
    bool ok = visit_type_NumaOptions(v, NULL, &object, errp);

    visit_free(v);
    if (ok && object->type == NUMA_OPTIONS_TYPE_NODE && object->u.node.has_mem) {
        ok = numa_fixup_legacy_mem(opts, &object->u.node, errp);
    }
    if (ok) {
        ok = set_numa_options(ms, object, errp);
    }
    qapi_free_NumaOptions(object);
    return ok;
}

/*
 * Everything that needs the whole set of -numa options, in the seeds' order: node ids,
 * RAM split and total, address ranges, distances, then CPUs (whose default placement
 * needs the final node count) and HMAT initiators; reused memdevs are found last, where
 * the seeds found them (while composing system RAM).
 */
bool numa_complete_configuration(MachineState *ms, GError **errp)
{
    NumaState *ns = ms->numa;

    if (!ns) {
        return true;
    }
    if (!numa_check_node_ids(ns, errp) || !numa_complete_memory(ms, errp)) {
        return false;
    }
    if (ns->num_nodes == 0) {
        return true;
    }
    if (ns->have_numa_distance) {
        if (!numa_validate_distance(ns, errp)) {
            return false;
        }
        numa_complete_distance(ns);
    }
    return numa_finish_cpu_init(ms, errp) && numa_check_memdevs_unique(ns, errp);
}
