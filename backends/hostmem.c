/* The abstract memory-backend type: its properties, complete() and the accessors the machine uses. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "backends/hostmem.h"
#include "qapi-types.h"
#include "util/cutils.h"

#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC 0x958458f6
#endif

/* Types registered by the subclass files. */
extern const TypeInfo hostmem_ram_type_info;
extern const TypeInfo hostmem_file_type_info;
extern const TypeInfo hostmem_memfd_type_info;

HostMemoryBackend *host_memory_backend_cast(Object *obj)
{
    return (HostMemoryBackend *)object_dynamic_cast(obj, TYPE_MEMORY_BACKEND);
}

const char *host_memory_backend_name(HostMemoryBackend *backend)
{
    const char *id = object_get_name(OBJECT(backend));

    return id ? id : object_get_typename(OBJECT(backend));
}

size_t hostmem_fd_page_size(int fd)
{
    struct statfs fs;

    if (fd >= 0 && fstatfs(fd, &fs) == 0 && (unsigned long)fs.f_type == HUGETLBFS_MAGIC) {
        return (size_t)fs.f_bsize;
    }
    return (size_t)sysconf(_SC_PAGESIZE);
}

void hostmem_restate_error(GError **errp, GError *cause, const char *prefix)
{
    const char *why = cause ? strstr(cause->message, ": ") : NULL;

    error_setg(errp, "%s%s", prefix, why ? why : "");
    if (cause) {
        g_error_free(cause);
    }
}

/* ---- property accessors ---- */

static bool get_size_prop(Object *obj, Visitor *v, const char *name, void *opaque,
                          GError **errp)
{
    return visit_type_size(v, name, &MEMORY_BACKEND(obj)->size, errp);
}

static bool set_size_prop(Object *obj, Visitor *v, const char *name, void *opaque,
                          GError **errp)
{
    uint64_t value;

    if (!visit_type_size(v, name, &value, errp)) {
        return false;
    }
    if (!value) {
        error_setg(errp, "property '%s' of %s doesn't take value '0'", name,
                   object_get_typename(obj));
        return false;
    }
    MEMORY_BACKEND(obj)->size = value;
    return true;
}

static bool get_threads(Object *obj, Visitor *v, const char *name, void *opaque,
                        GError **errp)
{
    return visit_type_uint32(v, name, &MEMORY_BACKEND(obj)->prealloc_threads, errp);
}

static bool set_threads(Object *obj, Visitor *v, const char *name, void *opaque,
                        GError **errp)
{
    uint32_t value;

    if (!visit_type_uint32(v, name, &value, errp)) {
        return false;
    }
    if (!value) {
        error_setg(errp, "property '%s' of %s doesn't take value '0'", name,
                   object_get_typename(obj));
        return false;
    }
    MEMORY_BACKEND(obj)->prealloc_threads = value;
    return true;
}

static bool get_host_nodes(Object *obj, Visitor *v, const char *name, void *opaque,
                           GError **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    g_autoptr(GArray) nodes = g_array_new(FALSE, FALSE, sizeof(guint16));
    size_t n;

    for_each_set_bit(n, backend->host_nodes, HOSTMEM_MAX_HOST_NODES) {
        guint16 value = (guint16)n;
        g_array_append_val(nodes, value);
    }
    return object_visit_uint16_array(v, name, &nodes, errp);
}

/* Setting host-nodes replaces the set (QEMU adds to it; -object can give it only once). */
static bool set_host_nodes(Object *obj, Visitor *v, const char *name, void *opaque,
                           GError **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    g_autoptr(GArray) nodes = NULL;

    if (!object_visit_uint16_array(v, name, &nodes, errp)) {
        return false;
    }
    for (guint i = 0; i < nodes->len; i++) {
        guint16 value = g_array_index(nodes, guint16, i);
        if (value >= HOSTMEM_MAX_HOST_NODES) {
            error_setg(errp, "Invalid host-nodes value: %u", value);
            return false;
        }
    }
    bitmap_zero(backend->host_nodes, HOSTMEM_MAX_HOST_NODES);
    for (guint i = 0; i < nodes->len; i++) {
        set_bit(g_array_index(nodes, guint16, i), backend->host_nodes);
    }
    return true;
}

#define BOOL_FIELD(obj, opaque) ((bool *)((char *)(obj) + GPOINTER_TO_SIZE(opaque)))

static bool get_bool_field(Object *obj, Visitor *v, const char *name, void *opaque,
                           GError **errp)
{
    return visit_type_bool(v, name, BOOL_FIELD(obj, opaque), errp);
}

/* merge/dump: after complete() the advice changes at once, in both directions. */
static bool set_advice(Object *obj, Visitor *v, const char *name, void *opaque,
                       GError **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    bool is_merge = !strcmp(name, "merge");
    bool value;

    if (!visit_type_bool(v, name, &value, errp)) {
        return false;
    }
    if (backend->host && value != *BOOL_FIELD(obj, opaque)) {
        int advice = is_merge ? (value ? MADV_MERGEABLE : MADV_UNMERGEABLE)
                              : (value ? MADV_DODUMP : MADV_DONTDUMP);
        /* A host without KSM rejects MERGEABLE with EINVAL; QEMU ignores that too. */
        if (madvise(backend->host, backend->size, advice) < 0 && !is_merge) {
            error_setg_errno(errp, errno, "Dumping guest memory cannot be disabled on this"
                             " host");
            return false;
        }
    }
    *BOOL_FIELD(obj, opaque) = value;
    return true;
}

static bool set_prealloc(Object *obj, Visitor *v, const char *name, void *opaque,
                         GError **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    bool value;

    if (!visit_type_bool(v, name, &value, errp)) {
        return false;
    }
    if (value && !backend->reserve) {
        error_setg(errp, "'prealloc=on' and 'reserve=off' are incompatible");
        return false;
    }
    if (value && !backend->prealloc && backend->host &&
        !hostmem_prealloc(backend->host, backend->size, backend->prealloc_threads, errp)) {
        return false;
    }
    backend->prealloc = value;
    return true;
}

static bool set_reserve(Object *obj, Visitor *v, const char *name, void *opaque,
                        GError **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    bool value;

    if (!visit_type_bool(v, name, &value, errp)) {
        return false;
    }
    if (!value && backend->prealloc) {
        error_setg(errp, "'prealloc=on' and 'reserve=off' are incompatible");
        return false;
    }
    backend->reserve = value;
    return true;
}

bool host_memory_backend_check_set(Object *obj, const char *name, GError **errp)
{
    static const char *const fixed[] = { "share", "reserve", "host-nodes", "policy" };
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (!backend->host) {
        return true;
    }
    if (!strcmp(name, "size")) {
        /* QEMU's text, trailing space included */
        error_setg(errp, "cannot change property %s of %s ", name, object_get_typename(obj));
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(fixed); i++) {
        if (!strcmp(name, fixed[i])) {
            error_setg(errp, "cannot change property value");
            return false;
        }
    }
    return true;
}

/* ---- type ---- */

static void backend_init(Object *obj)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    backend->merge = true;
    backend->dump = true;
    backend->reserve = true;
    backend->prealloc_threads = 1;
    backend->policy = HOSTMEM_POLICY_DEFAULT;
    backend->fd = -1;
}

static void backend_finalize(Object *obj)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (backend->mr_inited) {
        memory_region_destroy(&backend->mr);   /* detaches it from the machine's RAM */
    }
    hostmem_unmap(backend->host, backend->size);
    if (backend->fd >= 0) {
        close(backend->fd);
    }
}

/* QEMU's order: map, size check, advice, binding, then prealloc onto the bound nodes. */
static bool backend_complete(Object *obj, GError **errp)
{
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);
    HostMemoryBackendClass *bc = MEMORY_BACKEND_GET_CLASS(obj);
    size_t page;

    if (!backend->size) {
        /* only reachable without -object (which requires size): object_new + complete */
        error_setg(errp, "can't create backend with size 0");
        return false;
    }
    if (!bc->alloc(backend, errp)) {
        return false;
    }
    page = backend->page_size ? backend->page_size : (size_t)sysconf(_SC_PAGESIZE);
    if (backend->aligned && backend->size % page) {
        g_autofree char *text = size_to_str(page);
        error_setg(errp, "backend '%s' memory size must be multiple of %s",
                   host_memory_backend_name(backend), text);
        return false;
    }
    return hostmem_advise(backend->host, backend->size, backend->merge, backend->dump, errp) &&
           hostmem_bind(backend->host, backend->size, backend->policy, backend->host_nodes,
                        errp) &&
           (!backend->prealloc ||
            hostmem_prealloc(backend->host, backend->size, backend->prealloc_threads, errp));
}

static bool backend_can_be_deleted(Object *obj)
{
    return !MEMORY_BACKEND(obj)->mapped;
}

static void add_bool(ObjectClass *oc, const char *name, size_t offset,
                     ObjectPropertyAccessor *set, const char *description)
{
    object_class_property_add(oc, name, "bool", get_bool_field, set, NULL,
                              GSIZE_TO_POINTER(offset), description);
}

/* Registered in QEMU's schema order (the order -object visits and checks them); the
 * type names and descriptions are what QEMU's -object TYPE,help prints. */
static void backend_class_init(ObjectClass *oc, const void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);
    ObjectProperty *size;

    ucc->complete = backend_complete;
    ucc->can_be_deleted = backend_can_be_deleted;
    oc->check_set = host_memory_backend_check_set;
    add_bool(oc, "dump", offsetof(HostMemoryBackend, dump), set_advice,
             "Set to 'off' to exclude from core dump");
    object_class_property_add(oc, "host-nodes", "int", get_host_nodes, set_host_nodes, NULL,
                              NULL, "Binds memory to the list of NUMA host nodes");
    add_bool(oc, "merge", offsetof(HostMemoryBackend, merge), set_advice,
             "Mark memory as mergeable");
    object_class_property_add_enum(oc, "policy", "HostMemPolicy", &HostMemPolicy_lookup,
                                   offsetof(HostMemoryBackend, policy), "Set the NUMA policy");
    add_bool(oc, "prealloc", offsetof(HostMemoryBackend, prealloc), set_prealloc,
             "Preallocate memory");
    object_class_property_add(oc, "prealloc-threads", "int", get_threads, set_threads, NULL,
                              NULL, "Number of CPU threads to use for prealloc");
    object_class_property_add_bool(oc, "share", offsetof(HostMemoryBackend, share),
                                   "Mark the memory as private to QEMU or shared");
    add_bool(oc, "reserve", offsetof(HostMemoryBackend, reserve), set_reserve,
             "Reserve swap space (or huge pages) if applicable");
    size = object_class_property_add(oc, "size", "int", get_size_prop, set_size_prop, NULL,
                                     NULL, "Size of the memory region (ex: 500M)");
    size->required = true;
}

static const char *const backend_interfaces[] = { TYPE_USER_CREATABLE, NULL };

static const TypeInfo hostmem_type_info = {
    .name = TYPE_MEMORY_BACKEND,
    .parent = TYPE_OBJECT,
    .instance_size = sizeof(HostMemoryBackend),
    .instance_init = backend_init,
    .instance_finalize = backend_finalize,
    .class_size = sizeof(HostMemoryBackendClass),
    .class_init = backend_class_init,
    .abstract = true,
    .interfaces = backend_interfaces,
};

void hostmem_register_types(TypeRegistry *reg)
{
    type_register_static(reg, &hostmem_type_info);
    type_register_static(reg, &hostmem_ram_type_info);
    type_register_static(reg, &hostmem_file_type_info);
    type_register_static(reg, &hostmem_memfd_type_info);
}

/* ---- accessors for the machine ---- */

HostMemoryBackend *host_memory_backend_resolve(Object *root, const char *id)
{
    Object *obj = object_resolve_path_type(root, id, TYPE_MEMORY_BACKEND, NULL);

    return obj ? host_memory_backend_cast(obj) : NULL;
}

uint64_t host_memory_backend_get_size(HostMemoryBackend *backend)
{
    return backend->size;
}

void *host_memory_backend_get_host(HostMemoryBackend *backend)
{
    return backend->host;
}

MemoryRegion *host_memory_backend_get_memory(HostMemoryBackend *backend)
{
    g_assert(backend->host);   /* only complete backends have memory */
    if (!backend->mr_inited) {
        memory_region_init_ram_ptr(&backend->mr, host_memory_backend_name(backend),
                                   backend->size, backend->host);
        backend->mr_inited = true;
    }
    return &backend->mr;
}

bool host_memory_backend_is_mapped(HostMemoryBackend *backend)
{
    return backend->mapped;
}

void host_memory_backend_set_mapped(HostMemoryBackend *backend, bool mapped)
{
    backend->mapped = mapped;
}

bool host_memory_backend_claim(HostMemoryBackend *backend, GError **errp)
{
    if (backend->mapped) {
        error_setg(errp, "memory backend %s is used multiple times. Each -numa option must"
                   " use a different memdev value.", host_memory_backend_name(backend));
        return false;
    }
    backend->mapped = true;
    return true;
}

bool hostmem_numa_resolve(void *opaque, const char *id, void **backend, uint64_t *size)
{
    HostMemoryBackend *b = host_memory_backend_resolve(opaque, id);

    if (!b) {
        return false;
    }
    *backend = object_ref(OBJECT(b));
    *size = b->size;
    return true;
}

void hostmem_numa_release(void *opaque, void *backend)
{
    object_unref(backend);
}

HostMemoryBackend *host_memory_backend_create_default(Object *root, const char *id,
                                                      uint64_t size, const char *mem_path,
                                                      GError **errp)
{
    const char *type = mem_path ? TYPE_MEMORY_BACKEND_FILE : TYPE_MEMORY_BACKEND_RAM;
    Object *objects = object_get_objects_root(root);
    g_autoptr(Object) obj = object_new(object_get_registry(root), type);

    if (!object_property_set_uint(obj, "size", size, errp) ||
        (mem_path && !object_property_set_str(obj, "mem-path", mem_path, errp)) ||
        !object_property_add_child(objects, id, obj, errp)) {
        return NULL;
    }
    if (!user_creatable_complete(obj, errp)) {
        object_unparent(obj);
        return NULL;
    }
    return MEMORY_BACKEND(obj);   /* /objects holds the reference */
}
