/* Turns a configured e2k MachineState (RAM, -smp, NUMA state) into the boot info block and device tree, and dumps them. */
#include "hw/e2k/e2k-machine.h"

#include <string.h>

#include "numa/numa.h"

/* Cores in the whole -smp topology: a socket boundary may not split a core. */
static unsigned e2k_total_cores(const MachineState *ms)
{
    return ms->smp.max_cpus / (MAX(ms->smp.dies, 1) * MAX(ms->smp.threads, 1));
}

unsigned e2k_default_sockets(const MachineState *ms)
{
    unsigned nodes = ms->numa ? ms->numa->num_nodes : 0;
    unsigned cores = e2k_total_cores(ms);

    /*
     * Only a one-socket topology is re-derived: an explicit sockets=S > 1 stands.  A bare
     * "-smp N" and "-smp N,sockets=1" look the same here, and on e2k one socket cannot be
     * N chips, so both mean "as many sockets as nodes".
     */
    if (ms->smp.sockets > 1 || nodes < 2 || cores == 0 || cores % nodes) {
        return 0;
    }
    return nodes;
}

int e2k_cpu_index_to_socket_id(const MachineState *ms, unsigned cpu_index)
{
    unsigned sockets = e2k_default_sockets(ms);
    unsigned per_socket = MAX(ms->smp.dies, 1) * MAX(ms->smp.cores, 1) *
                          MAX(ms->smp.threads, 1);

    if (sockets) {
        return cpu_index / (ms->smp.max_cpus / sockets);
    }
    if (ms->smp.sockets <= 1 && ms->numa && ms->numa->num_nodes > 1) {
        return -1;     /* uneven split: round-robin beats piling every CPU on node 0 */
    }
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

/* numa_complete_memory's ranges are RAM offsets: swap them for the banks' guest addresses. */
bool e2k_numa_remap_ranges(MachineState *ms, GError **errp)
{
    NumaState *ns = ms->numa;
    g_autofree E2kNodeRam *nodes = g_new0(E2kNodeRam, E2K_MAX_NODES);
    uint64_t mem[E2K_MAX_NODES] = { ms->ram_size };
    unsigned nb = 1;
    uint64_t off = 0;

    if (!ns) {
        return true;
    }
    if (ns->num_nodes > E2K_MAX_NODES) {
        error_setg(errp, "the e2k machine supports 1 to %d NUMA nodes, not %d",
                   E2K_MAX_NODES, ns->num_nodes);
        return false;
    }
    if (ns->num_nodes > 0) {
        nb = ns->num_nodes;
        for (unsigned n = 0; n < nb; n++) {
            mem[n] = ns->nodes[n].node_mem;
        }
    }
    if (!e2k_layout_ram(mem, nb, nodes, errp)) {
        return false;
    }
    for (unsigned n = 0; n < nb; off += mem[n], n++) {
        numa_unset_mem_node_id(ns, off, mem[n], n);
    }
    for (unsigned n = 0; n < nb; n++) {
        for (unsigned i = 0; i < nodes[n].nb_banks; i++) {
            if (!numa_set_mem_node_id(ns, nodes[n].banks[i].addr, nodes[n].banks[i].size,
                                      n, errp)) {
                return false;
            }
        }
    }
    return true;
}

void e2k_firmware_images_free(E2kFirmwareImages *img)
{
    if (img) {
        g_free(img->dtb);
        g_free(img);
    }
}

/* The bootblock goes just below the DTB; busy[] keeps both from the guest's allocator. */
static bool place_images(E2kFirmware *fw, E2kFirmwareImages *img, GError **errp)
{
    E2kBootInfoInput *bi = &fw->bootinfo;

    if (!e2k_firmware_dtb_addr(fw, img->dtb_size, &img->dtb_addr, errp)) {
        return false;
    }
    if (img->dtb_addr < E2K_BOOTBLOCK_SIZE) {
        error_setg(errp, "e2k: no room for the boot info block in low RAM");
        return false;
    }
    img->block_addr = img->dtb_addr - E2K_BOOTBLOCK_SIZE;
    bi->devtree = img->dtb_addr;
    bi->nb_busy = 2;
    bi->busy[0] = (E2kBank){ img->block_addr, E2K_BOOTBLOCK_SIZE };
    bi->busy[1] = (E2kBank){ img->dtb_addr,
                             ((uint64_t)img->dtb_size + E2K_PAGE_SIZE - 1) & ~(E2K_PAGE_SIZE - 1) };
    return true;
}

E2kFirmwareImages *e2k_firmware_build(const MachineState *ms, const char *cmdline,
                                      GError **errp)
{
    g_autofree E2kFirmware *fw = g_new0(E2kFirmware, 1);
    g_autoptr(E2kFirmwareImages) img = g_new0(E2kFirmwareImages, 1);

    if (!e2k_firmware_init(fw, ms, cmdline, errp) ||
        !(img->dtb = e2k_firmware_dtb(fw, &img->dtb_size, errp)) ||
        !place_images(fw, img, errp) ||
        !e2k_bootinfo_build(&fw->bootinfo, img->block, errp)) {
        return NULL;
    }
    return g_steal_pointer(&img);
}

bool e2k_firmware_images_write(const E2kFirmwareImages *img, const char *bootinfo_path,
                               const char *dtb_path, GError **errp)
{
    if (dtb_path && !g_file_set_contents(dtb_path, img->dtb, img->dtb_size, errp)) {
        return false;
    }
    return !bootinfo_path ||
           g_file_set_contents(bootinfo_path, (const char *)img->block, sizeof(img->block),
                               errp);
}

bool e2k_firmware_dump(const MachineState *ms, const char *cmdline, const char *bootinfo_path,
                       const char *dtb_path, GError **errp)
{
    g_autoptr(E2kFirmwareImages) img = e2k_firmware_build(ms, cmdline, errp);

    return img && e2k_firmware_images_write(img, bootinfo_path, dtb_path, errp);
}
