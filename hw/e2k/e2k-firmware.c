/* Turns a configured e2k MachineState (RAM, -smp, NUMA state) into the boot info block and device tree, and dumps them. */
#include "hw/e2k/e2k-machine.h"

#include <string.h>

#include "numa/numa.h"

int e2k_cpu_index_to_socket_id(const MachineState *ms, unsigned cpu_index)
{
    unsigned per_socket = MAX(ms->smp.dies, 1) * MAX(ms->smp.cores, 1) *
                          MAX(ms->smp.threads, 1);

    return cpu_index / per_socket;
}

static bool fill_numa(E2kFirmware *fw, const MachineState *ms, uint64_t *mem, GError **errp)
{
    const NumaState *ns = ms->numa;

    if (ns->num_nodes > E2K_MAX_NODES) {
        error_setg(errp, "the e2k machine supports 1 to %d NUMA nodes, not %d",
                   E2K_MAX_NODES, ns->num_nodes);
        return false;
    }
    fw->nb_nodes = ns->num_nodes;
    fw->have_distance = ns->have_numa_distance;
    for (unsigned a = 0; a < fw->nb_nodes; a++) {
        mem[a] = ns->nodes[a].node_mem;
        for (unsigned b = 0; b < fw->nb_nodes; b++) {
            fw->distance[a * fw->nb_nodes + b] = ns->nodes[a].distance[b];
        }
    }
    for (unsigned i = 0; i < ms->smp.cpus; i++) {
        int node = numa_get_node_for_cpu(ms, i);
        /* Unassigned CPUs only drew a warning; QEMU's CPUState default put them on node 0. */
        fw->cpu_node[i] = node < ns->num_nodes ? node : 0;
    }
    return true;
}

bool e2k_firmware_init(E2kFirmware *fw, const MachineState *ms, const char *cmdline,
                       GError **errp)
{
    uint64_t mem[E2K_MAX_NODES] = { ms->ram_size };

    memset(fw, 0, sizeof(*fw));
    if (ms->smp.cpus == 0 || ms->smp.cpus > E2K_MAX_CPUS) {
        error_setg(errp, "the e2k machine supports 1 to %d CPUs, not %u", E2K_MAX_CPUS,
                   ms->smp.cpus);
        return false;
    }
    if (ms->numa && ms->numa->num_nodes > 0) {
        if (!fill_numa(fw, ms, mem, errp)) {
            return false;
        }
    } else {
        fw->nb_nodes = 1;      /* no -numa: one node owning everything */
    }
    if (!e2k_bootinfo_input_init(&fw->bootinfo, mem, fw->nb_nodes, ms->smp.cpus, errp)) {
        return false;
    }
    fw->bootinfo.cmdline = cmdline;
    return true;
}

void *e2k_firmware_dtb(const E2kFirmware *fw, size_t *size, GError **errp)
{
    E2kFdtInput in = {
        .nb_nodes = fw->nb_nodes,
        .nodes = fw->bootinfo.nodes,
        .nb_cpus = fw->bootinfo.nb_cpus,
        .cpu_node = fw->cpu_node,
        .distance = fw->have_distance ? fw->distance : NULL,
        .cmdline = fw->bootinfo.cmdline,
        .cpu_model = E2K_DEFAULT_CPU_MODEL,
    };

    return e2k_fdt_build(&in, size, errp);
}

bool e2k_firmware_dtb_addr(const E2kFirmware *fw, size_t size, uint64_t *addr, GError **errp)
{
    uint64_t low_end = 0, need = ((uint64_t)size + E2K_DTB_ALIGN - 1) & ~(E2K_DTB_ALIGN - 1);

    for (unsigned n = 0; n < fw->nb_nodes; n++) {
        for (unsigned i = 0; i < fw->bootinfo.nodes[n].nb_banks; i++) {
            const E2kBank *b = &fw->bootinfo.nodes[n].banks[i];
            if (b->addr < E2K_MLO_SIZE) {
                low_end = MAX(low_end, b->addr + b->size);
            }
        }
    }
    if (low_end < need) {
        error_setg(errp, "e2k: no room for the device tree in low RAM");
        return false;
    }
    *addr = (low_end - need) & ~(E2K_DTB_ALIGN - 1);
    return true;
}

bool e2k_firmware_dump(const MachineState *ms, const char *cmdline, const char *bootinfo_path,
                       const char *dtb_path, GError **errp)
{
    g_autofree E2kFirmware *fw = g_new0(E2kFirmware, 1);
    g_autofree void *dtb = NULL;
    uint8_t block[E2K_BOOTBLOCK_SIZE];
    size_t size;

    if (!e2k_firmware_init(fw, ms, cmdline, errp) ||
        !(dtb = e2k_firmware_dtb(fw, &size, errp)) ||
        !e2k_firmware_dtb_addr(fw, size, &fw->bootinfo.devtree, errp) ||
        !e2k_bootinfo_build(&fw->bootinfo, block, errp)) {
        return false;
    }
    if (dtb_path && !g_file_set_contents(dtb_path, dtb, size, errp)) {
        return false;
    }
    return !bootinfo_path ||
           g_file_set_contents(bootinfo_path, (const char *)block, sizeof(block), errp);
}
