/* The machine's CPUs over QMP: query-hotpluggable-cpus and query-cpus-fast. */
#include "hw/core/boards.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "numa/numa.h"
#include "qapi-commands.h"
#include "sysemu/sysemu.h"

/* numbat has no per-CPU QOM objects; the paths follow QEMU's unattached-device naming. */
static char *machine_cpu_qom_path(unsigned cpu_index)
{
    return g_strdup_printf("/machine/unattached/device[%u]", cpu_index);
}

static CpuInstanceProperties *machine_cpu_props(const MachineState *ms, unsigned idx)
{
    CpuInstanceProperties *props = g_new0(CpuInstanceProperties, 1);

    if (ms->possible_cpus && idx < (unsigned)ms->possible_cpus->len) {
        *props = ms->possible_cpus->cpus[idx].props;
    }
    return props;
}

HotpluggableCPUList *qmp_query_hotpluggable_cpus(SysEmu *se, GError **errp)
{
    MachineState *ms = se->machine;
    const CPUArchIdList *slots;
    HotpluggableCPUList *head = NULL;

    if (!ms || !ms->mc->possible_cpu_arch_ids) {
        error_setg(errp, "machine does not support hot-plugging CPUs");
        return NULL;
    }
    slots = ms->mc->possible_cpu_arch_ids(ms);
    /* QEMU prepends, so the highest slot comes first. */
    for (int i = 0; i < slots->len; i++) {
        HotpluggableCPUList *e = g_new0(HotpluggableCPUList, 1);
        HotpluggableCPU *cpu = g_new0(HotpluggableCPU, 1);

        cpu->type = g_strdup(slots->cpus[i].type ? slots->cpus[i].type : "");
        cpu->vcpus_count = slots->cpus[i].vcpus_count;
        cpu->props = machine_cpu_props(ms, i);
        /* Only CPUs that exist have an object; the other slots are empty sockets. */
        if (se->machine_initialized && (unsigned)i < ms->smp.cpus) {
            cpu->has_qom_path = true;
            cpu->qom_path = machine_cpu_qom_path(i);
        }
        e->value = cpu;
        e->next = head;
        head = e;
    }
    return head;
}

CpuInfoFastList *qmp_query_cpus_fast(SysEmu *se, GError **errp)
{
    const MachineState *ms = se->machine;
    CpuInfoFastList *head = NULL, **tail = &head;
    /* Every vCPU runs on the main thread: numbat is single-threaded. */
    int64_t tid = syscall(SYS_gettid);

    for (unsigned i = 0; ms && i < ms->smp.cpus; i++) {
        CpuInfoFastList *e = g_new0(CpuInfoFastList, 1);
        CpuInfoFast *info = g_new0(CpuInfoFast, 1);

        info->cpu_index = i;
        info->qom_path = machine_cpu_qom_path(i);
        info->thread_id = tid;
        info->target = g_strcmp0(se->target, "e2k") ? SYS_EMU_TARGET_X86_64
                                                    : SYS_EMU_TARGET_E2K;
        if (ms->mc->cpu_index_to_instance_props) {
            info->has_props = true;
            info->props = machine_cpu_props(ms, i);
        } else if (ms->numa && ms->numa->num_nodes) {
            /* e2k: no topology props, but the node is known from the bitmaps. */
            info->has_props = true;
            info->props = g_new0(CpuInstanceProperties, 1);
            info->props->has_node_id = true;
            info->props->node_id = numa_get_node_for_cpu(ms, i);
        }
        e->value = info;
        *tail = e;
        tail = &e->next;
    }
    return head;
}
