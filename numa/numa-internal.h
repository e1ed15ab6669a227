/* Helpers shared by the numa/ files only: undoing a half-applied -numa option. */
#ifndef NUMBAT_NUMA_INTERNAL_H
#define NUMBAT_NUMA_INTERNAL_H

#include "numa/numa.h"

/*
 * A -numa option that fails half way (say its third cpus= value is already on another
 * node) must leave no trace: under --preconfig the next set-numa-node sees the state.
 * The snapshot keeps what CPU assignment may touch: the possible CPUs' node ids and
 * one node's CPU-related fields.
 */
typedef struct NumaCpuSnapshot {
    GArray *slot_nodes;     /* int64_t per possible CPU, -1 = no node */
    int node;
    bool has_cpu;
    uint16_t initiator;
} NumaCpuSnapshot;

void numa_cpu_snapshot_take(MachineState *ms, int node, NumaCpuSnapshot *snap);
void numa_cpu_snapshot_restore(MachineState *ms, NumaCpuSnapshot *snap);
void numa_cpu_snapshot_drop(NumaCpuSnapshot *snap);

/* The node's CPU bitmap (e2k layer), allocated max_cpus wide on first use. */
unsigned long *numa_node_cpu_bitmap(MachineState *ms, int node);

#endif
