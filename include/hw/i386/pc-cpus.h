/* The pc machine's possible CPUs: x86 topology ids, APIC IDs and the NUMA hooks built on them. */
#ifndef NUMBAT_HW_I386_PC_CPUS_H
#define NUMBAT_HW_I386_PC_CPUS_H

#include <stdint.h>
#include "hw/core/boards.h"

#define PC_CPU_TYPE "qemu64-x86_64-cpu"     /* what QEMU's query-hotpluggable-cpus says */
#define PC_NUMA_MEM_ALIGN_SHIFT 23          /* 8 MiB, as QEMU */

/* Topology ids of CPU index idx under smp (QEMU's x86_topo_ids_from_idx). */
typedef struct X86CPUTopoIDs {
    unsigned pkg_id, die_id, core_id, smt_id;
} X86CPUTopoIDs;
void x86_topo_ids_from_idx(const SmpTopology *smp, unsigned idx, X86CPUTopoIDs *ids);
/* APIC ID of CPU index idx: each level's field is as wide as its count needs
 * (-smp 2,cores=3,sockets=2,maxcpus=6 gives 0,1,2,4,5,6). */
uint32_t x86_apic_id_from_index(const SmpTopology *smp, unsigned idx);

/* MachineClass hooks (hw/i386/pc-cpus.c). */
const CPUArchIdList *pc_possible_cpu_arch_ids(MachineState *ms);
CpuInstanceProperties *pc_cpu_index_to_props(MachineState *ms, unsigned cpu_index);
int64_t pc_get_default_cpu_node_id(const MachineState *ms, int idx);

#endif
