/* -numa dist: node-to-node distances, their checks, and completing the table after parsing. */
#include "numa/numa.h"

#include <inttypes.h>

bool numa_parse_distance(NumaState *ns, const NumaDistOptions *dist, GError **errp)
{
    uint16_t src = dist->src;
    uint16_t dst = dist->dst;
    uint8_t val = dist->val;

    if (src >= MAX_NODES || dst >= MAX_NODES) {
        error_setg(errp, "Invalid node %d, max possible could be %d",
                   MAX(src, dst), MAX_NODES);
        return false;
    }
    if (!ns->nodes[src].present || !ns->nodes[dst].present) {
        error_setg(errp, "Source/Destination NUMA node is missing. "
                   "Please use '-numa node' option to declare it first.");
        return false;
    }
    if (val < NUMA_DISTANCE_MIN) {
        error_setg(errp, "NUMA distance (%" PRIu8 ") is invalid, "
                   "it shouldn't be less than %d.", val, NUMA_DISTANCE_MIN);
        return false;
    }
    if (src == dst && val != NUMA_DISTANCE_MIN) {
        error_setg(errp, "Local distance of node %d should be %d.", src, NUMA_DISTANCE_MIN);
        return false;
    }
    /* A repeated pair overwrites the earlier value, as in the seeds. */
    ns->nodes[src].distance[dst] = val;
    ns->have_numa_distance = true;
    return true;
}

/*
 * A symmetric table needs one direction of every pair; once any pair differs between
 * its two directions the table is asymmetric and every direction must be given.
 * Distances to self are always 10 and never required.
 */
bool numa_validate_distance(const NumaState *ns, GError **errp)
{
    bool is_asymmetrical = false;
    int n = ns->num_nodes;

    for (int src = 0; src < n; src++) {
        for (int dst = src + 1; dst < n; dst++) {
            uint8_t there = ns->nodes[src].distance[dst];
            uint8_t back = ns->nodes[dst].distance[src];

            if (!there && !back) {
                error_setg(errp, "The distance between node %d and %d is missing, at least "
                           "one distance value between each nodes should be provided.",
                           src, dst);
                return false;
            }
            if (there && back && there != back) {
                is_asymmetrical = true;
            }
        }
    }
    if (!is_asymmetrical) {
        return true;
    }
    for (int src = 0; src < n; src++) {
        for (int dst = 0; dst < n; dst++) {
            if (src != dst && !ns->nodes[src].distance[dst]) {
                error_setg(errp, "At least one asymmetrical pair of distances is given, "
                           "please provide distances for both directions of all node "
                           "pairs.");
                return false;
            }
        }
    }
    return true;
}

void numa_complete_distance(NumaState *ns)
{
    int n = ns->num_nodes;

    /* After validation the only holes are self distances and mirror images. */
    for (int src = 0; src < n; src++) {
        for (int dst = 0; dst < n; dst++) {
            if (ns->nodes[src].distance[dst]) {
                continue;
            }
            ns->nodes[src].distance[dst] = src == dst ? NUMA_DISTANCE_MIN
                                                      : ns->nodes[dst].distance[src];
        }
    }
}
