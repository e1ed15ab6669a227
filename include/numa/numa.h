/* Guest NUMA topology: the per-machine NUMA state and the -numa / set-numa-node entry points. */
#ifndef NUMBAT_NUMA_NUMA_H
#define NUMBAT_NUMA_NUMA_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "qapi-types.h"

#define MAX_NODES 128
#define NUMA_NODE_UNASSIGNED MAX_NODES   /* "no initiator" in NodeInfo.initiator */

#define NUMA_DISTANCE_MIN         10     /* local distance; smaller values are rejected */
#define NUMA_DISTANCE_DEFAULT     20     /* what table builders use without -numa dist */
#define NUMA_DISTANCE_MAX         254
#define NUMA_DISTANCE_UNREACHABLE 255

/* HMAT memory hierarchies and data types, in the order of the QAPI enums. */
enum {
    HMAT_LB_MEM_MEMORY = 0,
    HMAT_LB_MEM_CACHE_1ST_LEVEL = 1,
    HMAT_LB_MEM_CACHE_2ND_LEVEL = 2,
    HMAT_LB_MEM_CACHE_3RD_LEVEL = 3,
    HMAT_LB_LEVELS
};
enum {
    HMAT_LB_DATA_ACCESS_LATENCY = 0,
    HMAT_LB_DATA_READ_LATENCY = 1,
    HMAT_LB_DATA_WRITE_LATENCY = 2,
    HMAT_LB_DATA_ACCESS_BANDWIDTH = 3,
    HMAT_LB_DATA_READ_BANDWIDTH = 4,
    HMAT_LB_DATA_WRITE_BANDWIDTH = 5,
    HMAT_LB_TYPES
};
#define HMAT_LB_INFO_LATENCY   (1u << 0)   /* NodeInfo.lb_info_provided bits */
#define HMAT_LB_INFO_BANDWIDTH (1u << 1)

typedef struct MachineState MachineState;
typedef struct MachineClass MachineClass;
typedef struct Opts Opts;

typedef struct NodeInfo {
    uint64_t node_mem;          /* bytes; 0 = memory-less node */
    char *memdev_id;            /* memdev= as given, or NULL */
    void *node_memdev;          /* the backend the resolver returned (opaque here) */
    bool present;
    bool has_cpu;               /* the node has CPUs (tracked only with hmat=on) */
    uint8_t lb_info_provided;   /* HMAT_LB_INFO_* given with this node as target */
    uint16_t initiator;         /* NUMA_NODE_UNASSIGNED when none */
    uint8_t distance[MAX_NODES];/* 0 = not given; filled by numa_complete_configuration */
    unsigned long *node_cpu;    /* e2k layer: CPU indexes of this node (max_cpus bits) */
} NodeInfo;

/* One hmat-lb entry. */
typedef struct HmatLbData {
    uint16_t initiator;
    uint16_t target;
    uint64_t data;              /* ns for latencies, bytes/s for bandwidths */
} HmatLbData;

/* All hmat-lb entries of one (hierarchy, data type).  Table entries are data / base. */
typedef struct HmatLbInfo {
    uint8_t hierarchy;
    uint8_t data_type;
    uint64_t base;              /* latency: power of 10 (ns); bandwidth: power of 2 (bytes/s);
                                 * 0 while no non-zero value was given */
    uint64_t range_bitmap;      /* latency: largest value; bandwidth: OR of all values */
    GArray *list;               /* of HmatLbData, in command-line order */
} HmatLbInfo;

/* One hmat-cache entry. */
typedef struct HmatCacheInfo {
    uint32_t node_id;
    uint64_t size;
    uint8_t level;
    uint8_t associativity;      /* HmatCacheAssociativity */
    uint8_t policy;             /* HmatCacheWritePolicy */
    uint16_t line;
} HmatCacheInfo;

/* A guest-physical RAM range owned by a node (sorted, non-overlapping array). */
typedef struct NumaAddrRange {
    uint64_t start;
    uint64_t end;               /* inclusive */
    uint32_t node;
} NumaAddrRange;

/*
 * Finds a memory backend by id for -numa node,memdev=.  Returns false when no memory
 * backend has that id.  On success *backend is stored in NodeInfo.node_memdev (a
 * reference the resolver took, released through the release hook) and *size is its size.
 */
typedef bool (*NumaMemdevResolveFn)(void *opaque, const char *id, void **backend,
                                    uint64_t *size);
typedef void (*NumaMemdevReleaseFn)(void *opaque, void *backend);

typedef struct NumaState {
    int num_nodes;              /* nodes declared so far */
    int max_numa_nodeid;        /* highest declared node id + 1 */
    bool have_memdevs;          /* some node used memdev= */
    bool have_mem;              /* some node used mem= */
    bool have_numa_distance;    /* some -numa dist was given */
    bool hmat_enabled;          /* -machine hmat=on */
    NodeInfo nodes[MAX_NODES];
    HmatLbInfo *hmat_lb[HMAT_LB_LEVELS][HMAT_LB_TYPES];
    HmatCacheInfo *hmat_cache[MAX_NODES][HMAT_LB_LEVELS];
    GArray *ranges;             /* of NumaAddrRange, sorted by start */
    unsigned cpu_bitmap_bits;   /* width of the node_cpu bitmaps (max_cpus) */
    NumaMemdevResolveFn memdev_resolve;
    NumaMemdevReleaseFn memdev_release;
    void *memdev_opaque;
} NumaState;

/* numa.c: lifetime and entry points */
NumaState *numa_state_new(void);
void numa_state_free(NumaState *ns);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(NumaState, numa_state_free)
/* How memdev= ids become backends (set by whoever owns the object tree). */
void numa_set_memdev_resolver(NumaState *ns, NumaMemdevResolveFn resolve,
                              NumaMemdevReleaseFn release, void *opaque);
/* Apply one -numa option / set-numa-node argument (mem= is in bytes here). */
bool set_numa_options(MachineState *ms, NumaOptions *opts, GError **errp);
/* -numa from the command line: opts visitor, legacy suffix-less mem= in MiB, then the above. */
bool numa_parse_opts(MachineState *ms, const Opts *opts, GError **errp);
/* After all options: ids, RAM split and sum, address ranges, distances, CPUs, initiators. */
bool numa_complete_configuration(MachineState *ms, GError **errp);
/* True when the machine keeps CPU->node in per-node bitmaps (the e2k layer). */
bool numa_uses_cpu_bitmaps(const MachineState *ms);

/* numa-node.c */
bool numa_parse_node(MachineState *ms, const NumaNodeOptions *node, GError **errp);
bool numa_check_node_ids(const NumaState *ns, GError **errp);

/* numa-dist.c */
bool numa_parse_distance(NumaState *ns, const NumaDistOptions *dist, GError **errp);
bool numa_validate_distance(const NumaState *ns, GError **errp);
void numa_complete_distance(NumaState *ns);

/* numa-cpu.c: both layers */
bool numa_parse_cpu(MachineState *ms, const NumaCpuOptions *cpu, GError **errp);
/* Map the possible CPUs matching props (props->node_id set) to that node (x86 layer). */
bool numa_set_cpu_node(MachineState *ms, const CpuInstanceProperties *props, GError **errp);
/* Add one cpu index to a node: x86 layer through the slot's props, e2k layer in the bitmap. */
bool numa_add_cpu_index(MachineState *ms, uint16_t nodenr, unsigned cpu_index, GError **errp);
/* Default / leftover CPU placement and checks, once the nodes are final. */
bool numa_finish_cpu_init(MachineState *ms, GError **errp);
/* Node of a CPU index; num_nodes when it is in none. */
int numa_get_node_for_cpu(const MachineState *ms, unsigned cpu_index);
/* "CPU 2 [socket-id: 0, core-id: 2, thread-id: 0]" */
char *numa_cpu_slot_to_string(const CpuInstanceProperties *props, unsigned cpu_index);

/* numa-mem.c */
void numa_legacy_auto_assign_ram(const MachineClass *mc, NodeInfo *nodes, int nb_nodes,
                                 uint64_t size);
void numa_default_auto_assign_ram(const MachineClass *mc, NodeInfo *nodes, int nb_nodes,
                                  uint64_t size);
bool numa_complete_memory(MachineState *ms, GError **errp);
bool numa_check_memdevs_unique(const NumaState *ns, GError **errp);
bool numa_set_mem_node_id(NumaState *ns, uint64_t addr, uint64_t size, uint32_t node,
                          GError **errp);
bool numa_unset_mem_node_id(NumaState *ns, uint64_t addr, uint64_t size, uint32_t node);
/* Node owning addr, or -1 with "Address 0x... doesn't belong to any NUMA node". */
int numa_get_node(const NumaState *ns, uint64_t addr, GError **errp);

/* numa-hmat.c */
bool numa_parse_hmat_lb(NumaState *ns, const NumaHmatLBOptions *lb, GError **errp);
bool numa_parse_hmat_cache(NumaState *ns, const NumaHmatCacheOptions *cache, GError **errp);
bool numa_validate_initiators(const NumaState *ns, GError **errp);
void numa_hmat_free(NumaState *ns);

#endif
