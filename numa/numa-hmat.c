/* -numa hmat-lb / hmat-cache: HMAT latency, bandwidth and memory side cache entries and their checks. */
#include "numa/numa.h"

#include <inttypes.h>

#define HMAT_MIB (UINT64_C(1) << 20)
#define HMAT_MAX_ENTRY 65534        /* largest value an HMAT table entry may hold */
#define HMAT_CACHE_ASSOC_COUNT 3    /* none, direct, complex */
#define HMAT_CACHE_POLICY_COUNT 3   /* none, write-back, write-through */

static bool numa_hmat_check_enabled(const NumaState *ns, GError **errp)
{
    if (!ns->hmat_enabled) {
        error_setg(errp, "ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, "
                   "enable it with -machine hmat=on before using any of hmat specific "
                   "options");
        return false;
    }
    return true;
}

/*
 * QEMU compares with '>' here, so initiator == num_nodes slips through to a different
 * message; numbat uses the bound its own message states.
 */
static bool numa_hmat_lb_check_nodes(const NumaState *ns, const NumaHmatLBOptions *lb,
                                     GError **errp)
{
    if (lb->initiator >= ns->num_nodes) {
        error_setg(errp, "Invalid initiator=%d, it should be less than %d",
                   lb->initiator, ns->num_nodes);
        return false;
    }
    if (lb->target >= ns->num_nodes) {
        error_setg(errp, "Invalid target=%d, it should be less than %d",
                   lb->target, ns->num_nodes);
        return false;
    }
    if (!ns->nodes[lb->initiator].has_cpu) {
        error_setg(errp, "Invalid initiator=%d, it isn't an initiator proximity domain",
                   lb->initiator);
        return false;
    }
    if (!ns->nodes[lb->target].present) {
        error_setg(errp, "The target=%d should point to an existing node", lb->target);
        return false;
    }
    if ((unsigned)lb->hierarchy >= HMAT_LB_LEVELS || (unsigned)lb->data_type >= HMAT_LB_TYPES) {
        error_setg(errp, "Invalid hmat-lb hierarchy or data-type");
        return false;
    }
    return true;
}

static bool numa_hmat_lb_is_duplicate(const HmatLbInfo *info, const NumaHmatLBOptions *lb)
{
    for (guint i = 0; i < info->list->len; i++) {
        const HmatLbData *d = &g_array_index(info->list, HmatLbData, i);

        if (d->initiator == lb->initiator && d->target == lb->target) {
            return true;
        }
    }
    return false;
}

/*
 * Latencies share one base, a power of ten, and every entry is value / base in 16 bits.
 * The base is the smallest power of ten any value is a multiple of; QEMU checks the range
 * against the previous base (order-dependent); numbat checks the largest value against
 * the new one, so a table is accepted exactly when it can be encoded.
 */
static bool numa_hmat_lb_latency(NumaState *ns, HmatLbInfo *info,
                                 const NumaHmatLBOptions *lb, GError **errp)
{
    uint64_t temp_base = 1, v, largest;

    if (!lb->has_latency) {
        error_setg(errp, "Missing 'latency' option");
        return false;
    }
    if (lb->has_bandwidth) {
        error_setg(errp, "Invalid option 'bandwidth' since the data type is latency");
        return false;
    }
    if (numa_hmat_lb_is_duplicate(info, lb)) {
        error_setg(errp, "Duplicate configuration of the latency for initiator=%d and "
                   "target=%d", lb->initiator, lb->target);
        return false;
    }
    if (!lb->latency) {
        return true;    /* 0 = not given: stored as an empty entry */
    }
    for (v = lb->latency; v % 10 == 0; v /= 10) {
        temp_base *= 10;
    }
    temp_base = info->base ? MIN(info->base, temp_base) : temp_base;
    largest = MAX(info->range_bitmap, lb->latency);
    if (largest / temp_base > HMAT_MAX_ENTRY) {
        error_setg(errp, "Latency %" PRIu64 " between initiator=%d and target=%d should not "
                   "differ from previously entered min or max values on more than 65534",
                   lb->latency, lb->initiator, lb->target);
        return false;
    }
    info->base = temp_base;
    info->range_bitmap = largest;
    ns->nodes[lb->target].lb_info_provided |= HMAT_LB_INFO_LATENCY;
    return true;
}

/* Bandwidths share a power-of-two base; all values must fit 16 bits above it. */
static bool numa_hmat_lb_bandwidth(NumaState *ns, HmatLbInfo *info,
                                   const NumaHmatLBOptions *lb, GError **errp)
{
    uint64_t bitmap, temp_base;
    int first_bit, last_bit;

    if (!lb->has_bandwidth) {
        error_setg(errp, "Missing 'bandwidth' option");
        return false;
    }
    if (lb->has_latency) {
        error_setg(errp, "Invalid option 'latency' since the data type is bandwidth");
        return false;
    }
    if (lb->bandwidth % HMAT_MIB) {
        error_setg(errp, "Bandwidth %" PRIu64 " between initiator=%d and target=%d should "
                   "be 1MB aligned", lb->bandwidth, lb->initiator, lb->target);
        return false;
    }
    if (numa_hmat_lb_is_duplicate(info, lb)) {
        error_setg(errp, "Duplicate configuration of the bandwidth for initiator=%d and "
                   "target=%d", lb->initiator, lb->target);
        return false;
    }
    info->base = info->base ? info->base : 1;
    if (!lb->bandwidth) {
        return true;
    }
    bitmap = info->range_bitmap | lb->bandwidth;
    first_bit = __builtin_ctzll(bitmap);
    last_bit = 64 - __builtin_clzll(bitmap);
    temp_base = UINT64_C(1) << first_bit;
    if (last_bit - first_bit > 16 || lb->bandwidth / temp_base > HMAT_MAX_ENTRY) {
        error_setg(errp, "Bandwidth %" PRIu64 " between initiator=%d and target=%d should "
                   "not differ from previously entered values on more than 65534",
                   lb->bandwidth, lb->initiator, lb->target);
        return false;
    }
    info->base = temp_base;
    info->range_bitmap = bitmap;
    ns->nodes[lb->target].lb_info_provided |= HMAT_LB_INFO_BANDWIDTH;
    return true;
}

bool numa_parse_hmat_lb(NumaState *ns, const NumaHmatLBOptions *lb, GError **errp)
{
    HmatLbInfo *info;
    HmatLbData data;
    bool created = false;
    bool is_latency, ok;

    if (!numa_hmat_check_enabled(ns, errp) || !numa_hmat_lb_check_nodes(ns, lb, errp)) {
        return false;
    }
    info = ns->hmat_lb[lb->hierarchy][lb->data_type];
    if (!info) {
        info = g_new0(HmatLbInfo, 1);
        info->hierarchy = lb->hierarchy;
        info->data_type = lb->data_type;
        info->list = g_array_new(FALSE, TRUE, sizeof(HmatLbData));
        ns->hmat_lb[lb->hierarchy][lb->data_type] = info;
        created = true;
    }
    is_latency = (unsigned)lb->data_type <= HMAT_LB_DATA_WRITE_LATENCY;
    ok = is_latency ? numa_hmat_lb_latency(ns, info, lb, errp)
                    : numa_hmat_lb_bandwidth(ns, info, lb, errp);
    if (!ok) {
        if (created) {
            /* a rejected first entry leaves no empty table behind */
            g_array_free(info->list, TRUE);
            g_clear_pointer(&ns->hmat_lb[lb->hierarchy][lb->data_type], g_free);
        }
        return false;
    }
    data = (HmatLbData) {
        .initiator = lb->initiator,
        .target = lb->target,
        .data = is_latency ? lb->latency : lb->bandwidth,
    };
    g_array_append_val(info->list, data);
    return true;
}

/* Levels are defined bottom up and each level is larger than the one above it. */
static bool numa_hmat_cache_check_level(const NumaState *ns, const NumaHmatCacheOptions *c,
                                        GError **errp)
{
    HmatCacheInfo *const *levels = ns->hmat_cache[c->node_id];

    if (levels[c->level]) {
        error_setg(errp, "Duplicate configuration of the side cache for node-id=%" PRIu32
                   " and level=%u", c->node_id, c->level);
        return false;
    }
    if (c->level > 1 && !levels[c->level - 1]) {
        error_setg(errp, "Cache level=%u shall be defined first", c->level - 1);
        return false;
    }
    if (c->level > 1 && c->size <= levels[c->level - 1]->size) {
        error_setg(errp, "Invalid size=%" PRIu64 ", the size of level=%u should be larger "
                   "than the size(%" PRIu64 ") of level=%u", c->size, c->level,
                   levels[c->level - 1]->size, c->level - 1);
        return false;
    }
    if (c->level < HMAT_LB_LEVELS - 1 && levels[c->level + 1] &&
        c->size >= levels[c->level + 1]->size) {
        error_setg(errp, "Invalid size=%" PRIu64 ", the size of level=%u should be less "
                   "than the size(%" PRIu64 ") of level=%u", c->size, c->level,
                   levels[c->level + 1]->size, c->level + 1);
        return false;
    }
    return true;
}

bool numa_parse_hmat_cache(NumaState *ns, const NumaHmatCacheOptions *c, GError **errp)
{
    HmatCacheInfo *info;

    if (!numa_hmat_check_enabled(ns, errp)) {
        return false;
    }
    if (c->node_id >= (uint32_t)ns->num_nodes) {
        error_setg(errp, "Invalid node-id=%" PRIu32 ", it should be less than %d",
                   c->node_id, ns->num_nodes);
        return false;
    }
    if (ns->nodes[c->node_id].lb_info_provided !=
        (HMAT_LB_INFO_LATENCY | HMAT_LB_INFO_BANDWIDTH)) {
        error_setg(errp, "The latency and bandwidth information of node-id=%" PRIu32
                   " should be provided before memory side cache attributes", c->node_id);
        return false;
    }
    if (c->level < 1 || c->level >= HMAT_LB_LEVELS) {
        error_setg(errp, "Invalid level=%u, it should be larger than 0 and less than or "
                   "equal to %d", c->level, HMAT_LB_LEVELS - 1);
        return false;
    }
    if ((unsigned)c->associativity >= HMAT_CACHE_ASSOC_COUNT ||
        (unsigned)c->policy >= HMAT_CACHE_POLICY_COUNT) {
        error_setg(errp, "Invalid hmat-cache associativity or policy");
        return false;
    }
    if (!numa_hmat_cache_check_level(ns, c, errp)) {
        return false;
    }
    info = g_new0(HmatCacheInfo, 1);
    *info = (HmatCacheInfo) {
        .node_id = c->node_id, .size = c->size, .level = c->level,
        .associativity = c->associativity, .policy = c->policy, .line = c->line,
    };
    ns->hmat_cache[c->node_id][c->level] = info;
    return true;
}

bool numa_validate_initiators(const NumaState *ns, GError **errp)
{
    for (int i = 0; i < ns->num_nodes; i++) {
        uint16_t initiator = ns->nodes[i].initiator;

        if (initiator == NUMA_NODE_UNASSIGNED) {
            continue;
        }
        if (!ns->nodes[initiator].present) {
            error_setg(errp, "NUMA node %" PRIu16 " is missing, use '-numa node' option to "
                       "declare it first", initiator);
            return false;
        }
        if (!ns->nodes[initiator].has_cpu) {
            error_setg(errp, "The initiator of NUMA node %d is invalid", i);
            return false;
        }
    }
    return true;
}

void numa_hmat_free(NumaState *ns)
{
    for (int h = 0; h < HMAT_LB_LEVELS; h++) {
        for (int t = 0; t < HMAT_LB_TYPES; t++) {
            HmatLbInfo *info = ns->hmat_lb[h][t];

            if (info) {
                g_array_free(info->list, TRUE);
                g_free(info);
                ns->hmat_lb[h][t] = NULL;
            }
        }
    }
    for (int n = 0; n < MAX_NODES; n++) {
        for (int l = 0; l < HMAT_LB_LEVELS; l++) {
            g_clear_pointer(&ns->hmat_cache[n][l], g_free);
        }
    }
}
