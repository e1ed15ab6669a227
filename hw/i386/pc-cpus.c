/* The pc machine's possible CPUs: x86 topology ids, APIC IDs and the NUMA hooks built on them. */
#include "hw/i386/pc-cpus.h"

#include "numa/numa.h"

/* Bits needed to number count items (0 for one item). */
static unsigned apicid_bitwidth_for_count(unsigned count)
{
    return count <= 1 ? 0 : 32 - __builtin_clz(count - 1);
}

void x86_topo_ids_from_idx(const SmpTopology *smp, unsigned idx, X86CPUTopoIDs *ids)
{
    unsigned threads = smp->threads, cores = smp->cores, dies = smp->dies;

    ids->pkg_id = idx / (dies * cores * threads);
    ids->die_id = idx / (cores * threads) % dies;
    ids->core_id = idx / threads % cores;
    ids->smt_id = idx % threads;
}

uint32_t x86_apic_id_from_index(const SmpTopology *smp, unsigned idx)
{
    unsigned core_off = apicid_bitwidth_for_count(smp->threads);
    unsigned die_off = core_off + apicid_bitwidth_for_count(smp->cores);
    unsigned pkg_off = die_off + apicid_bitwidth_for_count(smp->dies);
    X86CPUTopoIDs ids;

    x86_topo_ids_from_idx(smp, idx, &ids);
    return ids.pkg_id << pkg_off | ids.die_id << die_off | ids.core_id << core_off |
           ids.smt_id;
}

/* Built once per topology: NUMA assignments live in the slots' props, so never rebuild. */
const CPUArchIdList *pc_possible_cpu_arch_ids(MachineState *ms)
{
    unsigned n = ms->smp.max_cpus;

    if (ms->possible_cpus) {
        g_assert((unsigned)ms->possible_cpus->len == n);
        return ms->possible_cpus;
    }
    ms->possible_cpus = g_malloc0(sizeof(CPUArchIdList) + n * sizeof(CPUArchId));
    ms->possible_cpus->len = n;
    for (unsigned i = 0; i < n; i++) {
        CPUArchId *slot = &ms->possible_cpus->cpus[i];
        X86CPUTopoIDs ids;

        x86_topo_ids_from_idx(&ms->smp, i, &ids);
        slot->arch_id = x86_apic_id_from_index(&ms->smp, i);
        slot->vcpus_count = 1;
        slot->cpu_index = i;
        slot->type = PC_CPU_TYPE;
        slot->props = (CpuInstanceProperties) {
            .has_socket_id = true, .socket_id = ids.pkg_id,
            /* die-id only exists when there is more than one die, as in QEMU */
            .has_die_id = ms->smp.dies > 1, .die_id = ms->smp.dies > 1 ? ids.die_id : 0,
            .has_core_id = true, .core_id = ids.core_id,
            .has_thread_id = true, .thread_id = ids.smt_id,
        };
    }
    return ms->possible_cpus;
}

CpuInstanceProperties *pc_cpu_index_to_props(MachineState *ms, unsigned cpu_index)
{
    const CPUArchIdList *slots = pc_possible_cpu_arch_ids(ms);

    return cpu_index < (unsigned)slots->len ? &ms->possible_cpus->cpus[cpu_index].props : NULL;
}

/* Whole sockets per node, round-robin: socket s goes to node s % nodes. */
int64_t pc_get_default_cpu_node_id(const MachineState *ms, int idx)
{
    X86CPUTopoIDs ids;

    x86_topo_ids_from_idx(&ms->smp, idx, &ids);
    return ids.pkg_id % ms->numa->num_nodes;
}
