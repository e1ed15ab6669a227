/* The e2k board's flattened device tree: CPUs and memory banks with numa-node-id, the NUMA distance map and /chosen. */
#ifndef NUMBAT_HW_E2K_E2K_FDT_H
#define NUMBAT_HW_E2K_E2K_FDT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"
#include "hw/e2k/e2k-layout.h"

#define E2K_FDT_COMPATIBLE      "numbat,e2k"   /* root: this virtual board ... */
#define E2K_FDT_COMPATIBLE_GEN  "mcst,e2k"     /* ... a generic Elbrus system */
#define E2K_FDT_DISTANCE_LOCAL  10             /* the binding's local distance */
#define E2K_FDT_DISTANCE_REMOTE 20             /* used when no matrix is given */
#define E2K_FDT_DISTANCE_MAX    254            /* larger values mean "unreachable" in SLIT terms */

typedef struct E2kFdtInput {
    unsigned nb_nodes;           /* NUMA nodes 0..nb_nodes-1 (1..E2K_MAX_NODES) */
    const E2kNodeRam *nodes;     /* [nb_nodes]: the banks of each node */
    unsigned nb_cpus;            /* CPU indexes 0..nb_cpus-1 */
    const uint32_t *cpu_node;    /* [nb_cpus]: node of each CPU index */
    const uint8_t *distance;     /* [nb_nodes * nb_nodes], row = from; NULL: 10 local / 20 */
    const char *cmdline;         /* /chosen/bootargs; NULL = no bootargs */
    const char *cpu_model;       /* "e8c" (NULL = "e8c"): model string and cpu compatible */
} E2kFdtInput;

/*
 * Build the DTB.  CPUs are /cpus/cpu@ID with the Elbrus id of e2k_layout_cpu_ids; each
 * bank is a /memory@ADDR node; /distance-map lists every ordered pair.  Returns a
 * g_malloc'd packed blob and its size, or NULL with *errp set for an input Linux would
 * reject (bad distances, CPU without node, more than 16 CPUs on a node ...).
 */
void *e2k_fdt_build(const E2kFdtInput *in, size_t *size, GError **errp);

#endif
