/* memory-backend-memfd: a memory backend of memfd memory, optionally huge pages and sealed. */
#include <string.h>
#include "backends/hostmem.h"

typedef struct HostMemoryBackendMemfd {
    HostMemoryBackend parent_obj;
    bool hugetlb;
    uint64_t hugetlbsize;    /* 0: the host's default huge page size */
    bool seal;
} HostMemoryBackendMemfd;

#define MEMFD(obj) OBJECT_CHECK(HostMemoryBackendMemfd, obj, TYPE_MEMORY_BACKEND_MEMFD)

static bool memfd_alloc(HostMemoryBackend *backend, GError **errp)
{
    HostMemoryBackendMemfd *m = MEMFD(backend);
    GError *err = NULL;

    if (m->hugetlb && m->hugetlbsize && (m->hugetlbsize & (m->hugetlbsize - 1))) {
        error_setg(errp, "Hugepage size must be a power of 2");
        return false;
    }
    backend->fd = hostmem_memfd(TYPE_MEMORY_BACKEND_MEMFD, backend->size, m->hugetlb,
                                m->hugetlbsize, m->seal, errp);
    if (backend->fd < 0) {
        return false;
    }
    backend->host = hostmem_map_fd(backend->fd, backend->size, backend->share,
                                   backend->reserve, &err);
    if (!backend->host) {
        hostmem_restate_error(errp, err, "unable to map backing store for guest RAM");
        return false;
    }
    /* Huge pages need a whole number of them (fstatfs of a hugetlb memfd says the size). */
    backend->page_size = hostmem_fd_page_size(backend->fd);
    backend->aligned = true;
    return true;
}

static bool memfd_check_set(Object *obj, const char *name, GError **errp)
{
    if (MEMORY_BACKEND(obj)->host &&
        (!strcmp(name, "hugetlb") || !strcmp(name, "hugetlbsize") || !strcmp(name, "seal"))) {
        error_setg(errp, "cannot change property value");
        return false;
    }
    return host_memory_backend_check_set(obj, name, errp);
}

static bool get_hugetlbsize(Object *obj, Visitor *v, const char *name, void *opaque,
                            GError **errp)
{
    return visit_type_size(v, name, &MEMFD(obj)->hugetlbsize, errp);
}

static bool set_hugetlbsize(Object *obj, Visitor *v, const char *name, void *opaque,
                            GError **errp)
{
    uint64_t value;

    if (!visit_type_size(v, name, &value, errp)) {
        return false;
    }
    if (!value) {
        error_setg(errp, "Property '%s.%s' doesn't take value '0'", object_get_typename(obj),
                   name);
        return false;
    }
    MEMFD(obj)->hugetlbsize = value;
    return true;
}

static void memfd_init(Object *obj)
{
    MEMORY_BACKEND(obj)->share = true;
    MEMFD(obj)->seal = true;
}

static void memfd_class_init(ObjectClass *oc, const void *data)
{
    MEMORY_BACKEND_CLASS(oc)->alloc = memfd_alloc;
    oc->check_set = memfd_check_set;
    object_class_property_add_bool(oc, "hugetlb", offsetof(HostMemoryBackendMemfd, hugetlb),
                                   "Use huge pages");
    object_class_property_add(oc, "hugetlbsize", "int", get_hugetlbsize, set_hugetlbsize,
                              NULL, NULL, "Huge pages size (ex: 2M, 1G)");
    object_class_property_add_bool(oc, "seal", offsetof(HostMemoryBackendMemfd, seal),
                                   "Seal growing & shrinking");
}

const TypeInfo hostmem_memfd_type_info = {
    .name = TYPE_MEMORY_BACKEND_MEMFD,
    .parent = TYPE_MEMORY_BACKEND,
    .instance_size = sizeof(HostMemoryBackendMemfd),
    .instance_init = memfd_init,
    .class_init = memfd_class_init,
};
