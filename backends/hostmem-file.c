/* memory-backend-file: a memory backend mapping a file (or a fresh file in a directory such as a hugetlbfs mount). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "backends/hostmem.h"

typedef struct HostMemoryBackendFile {
    HostMemoryBackend parent_obj;
    char *mem_path;
    uint64_t align;          /* mapping alignment; 0: the file's page size */
    bool discard_data;
    bool readonly;
} HostMemoryBackendFile;

#define MEMORY_BACKEND_FILE(obj) \
    OBJECT_CHECK(HostMemoryBackendFile, obj, TYPE_MEMORY_BACKEND_FILE)

/*
 * Map fd with its start aligned to align (a power of two): reserve align more address space
 * than needed, put the mapping at the first aligned address inside, give back the rest.
 */
static void *map_aligned(int fd, uint64_t size, bool share, bool reserve, uint64_t align,
                         GError **errp)
{
    uint64_t span = size + align;
    uint8_t *area = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                         -1, 0);
    uint8_t *start;

    if (area == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot reserve %" G_GUINT64_FORMAT " bytes", span);
        return NULL;
    }
    start = (uint8_t *)(((uintptr_t)area + align - 1) & ~(uintptr_t)(align - 1));
    if (mmap(start, size, PROT_READ | PROT_WRITE,
             MAP_FIXED | (share ? MAP_SHARED : MAP_PRIVATE) | (reserve ? 0 : MAP_NORESERVE),
             fd, 0) == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot map %" G_GUINT64_FORMAT " bytes of memory", size);
        munmap(area, span);
        return NULL;
    }
    if (start > area) {
        munmap(area, start - area);
    }
    if (area + span > start + size) {
        munmap(start + size, area + span - (start + size));
    }
    return start;
}

/* QEMU refuses an existing non-empty file shorter than the (page-rounded) size. */
static bool check_existing_file(const char *path, uint64_t size, GError **errp)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t want = (size + page - 1) & ~(page - 1);
    struct stat st;

    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uint64_t)st.st_size < want) {
        error_setg(errp, "backing store size 0x%" G_GINT64_MODIFIER "x does not match 'size'"
                   " option 0x%" G_GINT64_MODIFIER "x", (uint64_t)st.st_size, want);
        return false;
    }
    return true;
}

static bool check_align(uint64_t align, size_t page, GError **errp)
{
    if (align % page) {
        error_setg(errp, "alignment 0x%" G_GINT64_MODIFIER "x must be multiples of page size"
                   " 0x%zx", align, page);
        return false;
    }
    if (align & (align - 1)) {
        error_setg(errp, "alignment 0x%" G_GINT64_MODIFIER "x must be a power of two", align);
        return false;
    }
    return true;
}

static bool file_alloc(HostMemoryBackend *backend, GError **errp)
{
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(backend);
    uint64_t fd_size;
    GError *err = NULL;

    if (!fb->mem_path) {
        error_setg(errp, "mem-path property not set");
        return false;
    }
    if (!check_existing_file(fb->mem_path, backend->size, errp)) {
        return false;
    }
    backend->fd = hostmem_open_file(fb->mem_path, backend->size, fb->readonly, &fd_size, errp);
    if (backend->fd < 0) {
        return false;
    }
    backend->page_size = hostmem_fd_page_size(backend->fd);
    backend->aligned = true;
    if (!check_align(fb->align, backend->page_size, errp)) {
        return false;
    }
    /* readonly: the file is opened read-only and mapped privately, so it is never written
     * (numbat's RAM regions have no ROM mode; guest writes stay in private copies). */
    bool shared = backend->share && !fb->readonly;
    backend->host = fb->align > backend->page_size
        ? map_aligned(backend->fd, backend->size, shared, backend->reserve, fb->align, &err)
        : hostmem_map_fd(backend->fd, backend->size, shared, backend->reserve, &err);
    if (!backend->host) {
        hostmem_restate_error(errp, err, "unable to map backing store for guest RAM");
        return false;
    }
    return true;
}

/* discard-data: the guest's data need not reach the file, so punch it out on the way out
 * (only a shared mapping ever wrote to the file). */
static void file_finalize(Object *obj)
{
    HostMemoryBackendFile *fb = MEMORY_BACKEND_FILE(obj);
    HostMemoryBackend *backend = MEMORY_BACKEND(obj);

    if (fb->discard_data && backend->host && backend->share && !fb->readonly) {
        /* best effort, as QEMU's: a file system without hole punching keeps the data */
        (void)fallocate(backend->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
                        (off_t)backend->size);
    }
}

static bool file_check_set(Object *obj, const char *name, GError **errp)
{
    if (MEMORY_BACKEND(obj)->host &&
        (!strcmp(name, "mem-path") || !strcmp(name, "align") || !strcmp(name, "readonly"))) {
        error_setg(errp, "cannot change property '%s' of %s", name, object_get_typename(obj));
        return false;
    }
    return host_memory_backend_check_set(obj, name, errp);
}

static bool get_align(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    return visit_type_size(v, name, &MEMORY_BACKEND_FILE(obj)->align, errp);
}

static bool set_align(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    uint64_t value;

    if (!visit_type_size(v, name, &value, errp)) {
        return false;
    }
    MEMORY_BACKEND_FILE(obj)->align = value;
    return true;
}

/* In QEMU's schema order; type names as its -object memory-backend-file,help shows them. */
static void file_class_init(ObjectClass *oc, const void *data)
{
    ObjectProperty *prop;

    MEMORY_BACKEND_CLASS(oc)->alloc = file_alloc;
    oc->check_set = file_check_set;
    object_class_property_add(oc, "align", "int", get_align, set_align, NULL, NULL, NULL);
    object_class_property_add_bool(oc, "discard-data",
                                   offsetof(HostMemoryBackendFile, discard_data), NULL);
    prop = object_class_property_add_str(oc, "mem-path",
                                         offsetof(HostMemoryBackendFile, mem_path), NULL);
    g_free(prop->type);
    prop->type = g_strdup("string");
    prop->required = true;
    object_class_property_add_bool(oc, "readonly", offsetof(HostMemoryBackendFile, readonly),
                                   NULL);
}

const TypeInfo hostmem_file_type_info = {
    .name = TYPE_MEMORY_BACKEND_FILE,
    .parent = TYPE_MEMORY_BACKEND,
    .instance_size = sizeof(HostMemoryBackendFile),
    .instance_finalize = file_finalize,
    .class_init = file_class_init,
};
