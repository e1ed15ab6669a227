/* memory-backend-ram: a memory backend of anonymous host memory. */
#include "backends/hostmem.h"

static bool ram_alloc(HostMemoryBackend *backend, GError **errp)
{
    GError *err = NULL;
    g_autofree char *prefix = g_strdup_printf("cannot set up guest memory '%s'",
                                              host_memory_backend_name(backend));

    backend->host = hostmem_map_anon(backend->size, backend->share, backend->reserve, &err);
    if (!backend->host) {
        /* QEMU names the RAM block: "cannot set up guest memory 'm0': Cannot allocate memory" */
        hostmem_restate_error(errp, err, prefix);
        return false;
    }
    return true;
}

static void ram_class_init(ObjectClass *oc, const void *data)
{
    MEMORY_BACKEND_CLASS(oc)->alloc = ram_alloc;
}

const TypeInfo hostmem_ram_type_info = {
    .name = TYPE_MEMORY_BACKEND_RAM,
    .parent = TYPE_MEMORY_BACKEND,
    .class_init = ram_class_init,
};
