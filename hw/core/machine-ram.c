/* System RAM before board init: the nodes' memory backends in one container, or one default backend. */
#include "hw/core/boards.h"

#include "backends/hostmem.h"
#include "numa/numa.h"
#include "sysemu/memory.h"
#include "sysemu/sysemu.h"
#include "util/opts.h"

/*
 * Node i's memdev sits right after node i-1's, in node-id order, which is also the order
 * numa_complete_configuration gave the nodes' address ranges; memory-less nodes add nothing.
 */
static bool machine_ram_from_memdevs(MachineState *ms, GError **errp)
{
    NumaState *ns = ms->numa;
    MemoryRegion *container = g_new0(MemoryRegion, 1);
    uint64_t offset = 0;

    memory_region_init_container(container, ms->mc->default_ram_id, ms->ram_size);
    ms->ram_container = container;
    for (int i = 0; i < ns->num_nodes; i++) {
        HostMemoryBackend *backend = ns->nodes[i].node_memdev;

        if (!backend || !ns->nodes[i].node_mem) {
            continue;
        }
        if (!host_memory_backend_claim(backend, errp)) {
            return false;
        }
        memory_region_add_subregion(container, offset,
                                    host_memory_backend_get_memory(backend));
        offset += ns->nodes[i].node_mem;
    }
    ms->ram = container;
    return true;
}

/* Legacy memory (no -numa, or mem=): one backend under /objects, as QEMU's query-memdev shows. */
static bool machine_ram_default(SysEmu *se, MachineState *ms, GError **errp)
{
    HostMemoryBackend *backend =
        host_memory_backend_create_default(se->qom_root, ms->mc->default_ram_id,
                                           ms->ram_size, NULL, errp);

    if (!backend || !host_memory_backend_claim(backend, errp)) {
        return false;
    }
    ms->ram = host_memory_backend_get_memory(backend);
    return true;
}

bool machine_resolve_ram_memdev(SysEmu *se, MachineState *ms, bool size_given,
                                GError **errp)
{
    const char *id = ms->opts ? opt_get(ms->opts, "memory-backend") : NULL;
    HostMemoryBackend *backend;

    if (!id) {
        return true;
    }
    backend = host_memory_backend_resolve(se->qom_root, id);
    if (!backend) {
        error_setg(errp, "Memory backend '%s' not found", id);
        return false;
    }
    if (!size_given) {
        ms->ram_size = ms->maxram_size = host_memory_backend_get_size(backend);
    } else if (ms->ram_size != host_memory_backend_get_size(backend)) {
        error_setg(errp, "Machine memory size does not match the size of the memory backend");
        return false;
    }
    ms->ram_memdev = backend;
    return true;
}

bool machine_create_ram(SysEmu *se, MachineState *ms, GError **errp)
{
    g_assert(!ms->ram && ms->mc->default_ram_id);
    if (ms->ram_memdev && ms->numa && ms->numa->have_memdevs) {
        error_setg(errp, "'-machine memory-backend' and '-numa memdev' properties are "
                   "mutually exclusive");
        return false;
    }
    if (ms->ram_memdev) {
        if (!host_memory_backend_claim(ms->ram_memdev, errp)) {
            return false;
        }
        ms->ram = host_memory_backend_get_memory(ms->ram_memdev);
        return true;
    }
    if (ms->numa && ms->numa->have_memdevs) {
        return machine_ram_from_memdevs(ms, errp);
    }
    return machine_ram_default(se, ms, errp);
}
