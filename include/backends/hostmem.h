/* Host memory backends: the user-creatable memory-backend objects that give guest NUMA nodes their RAM. */
#ifndef NUMBAT_BACKENDS_HOSTMEM_H
#define NUMBAT_BACKENDS_HOSTMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "backends/hostmem-os.h"
#include "qom/object.h"
#include "qom/object-interfaces.h"
#include "sysemu/memory.h"
#include "util/bitmap.h"

/*
 * Types (all user-creatable; -object TYPE,id=ID,size=...):
 *   memory-backend          abstract: size, merge, dump, prealloc, prealloc-threads, share,
 *                           reserve, host-nodes, policy
 *   memory-backend-ram      anonymous memory
 *   memory-backend-file     mem-path (file or directory), align, discard-data, readonly
 *   memory-backend-memfd    hugetlb, hugetlbsize, seal (share defaults to on)
 *
 * Defaults: merge=on, dump=on, prealloc=off, prealloc-threads=1 (QEMU >= 7.1 uses the
 * machine's CPU count; numbat has no machine at -object time, so 1 as QEMU's schema
 * documents), share=off (memfd: on), reserve=on, host-nodes empty, policy=default.
 *
 * complete() (the UserCreatable hook) follows QEMU's order: the subclass maps the memory,
 * the size must be a multiple of the mapping's page size (file and memfd only: anonymous
 * memory is page-rounded by the kernel, and QEMU 7.2 accepts any size there), madvise
 * (merge/dump), mbind (host-nodes/policy, so pages land on the bound nodes), then prealloc.
 * The id (name under /objects) is known during complete(): errors that name the backend
 * use it ("cannot set up guest memory 'm0': Cannot allocate memory").
 *
 * Messages (QEMU 7.2's texts):
 *   "property 'size' of memory-backend-ram doesn't take value '0'" (the concrete type)
 *   "property 'prealloc-threads' of memory-backend-ram doesn't take value '0'"
 *   "'prealloc=on' and 'reserve=off' are incompatible" (either order)
 *   "Invalid host-nodes value: 128"
 *   "host-nodes must be empty for policy default, or you should explicitly specify a
 *    policy other than default", "host-nodes must be set for policy bind",
 *   "host-nodes: host NUMA node 5 does not exist (this host has 1)" (numbat; QEMU's mbind
 *    fails with "cannot bind memory to host NUMA nodes: Invalid argument")
 *   after complete(): "cannot change property size of memory-backend-ram " (sic, QEMU's
 *    trailing space), "cannot change property value" (share, reserve; numbat also refuses
 *    host-nodes and policy, which QEMU accepts silently without re-binding).
 *   merge, dump and prealloc may change after complete() and take effect at once.
 */

#define TYPE_MEMORY_BACKEND "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"
#define TYPE_MEMORY_BACKEND_FILE "memory-backend-file"
#define TYPE_MEMORY_BACKEND_MEMFD "memory-backend-memfd"

typedef struct HostMemoryBackend {
    Object parent_obj;
    /* properties */
    uint64_t size;
    bool merge;
    bool dump;
    bool prealloc;
    bool share;
    bool reserve;
    uint32_t prealloc_threads;
    int policy;                                   /* HostMemPolicy / HOSTMEM_POLICY_* */
    DECLARE_BITMAP(host_nodes, HOSTMEM_MAX_HOST_NODES);
    /* state */
    bool mapped;              /* used by the machine as guest RAM: not deletable, not reusable */
    void *host;               /* set by the subclass's alloc(); NULL until complete() */
    int fd;                   /* backing fd (file, memfd) or -1; closed at finalize */
    size_t page_size;         /* page size of the mapping (alloc sets it; 0 = host page) */
    bool aligned;             /* alloc asks complete() to check size % page_size */
    MemoryRegion mr;          /* the RAM region, made on first host_memory_backend_get_memory */
    bool mr_inited;
} HostMemoryBackend;

typedef struct HostMemoryBackendClass {
    ObjectClass parent_class;
    /* Map backend->size bytes: set host (and fd, page_size, aligned as they apply).
     * The name for messages is host_memory_backend_name(). */
    bool (*alloc)(HostMemoryBackend *backend, GError **errp);
} HostMemoryBackendClass;

OBJECT_DECLARE_TYPE(HostMemoryBackend, HostMemoryBackendClass, MEMORY_BACKEND,
                    TYPE_MEMORY_BACKEND)

/* Register memory-backend and its ram, file and memfd subtypes (main calls this once). */
void hostmem_register_types(TypeRegistry *reg);

/* obj as a memory backend, or NULL if it is something else (safe on user input). */
HostMemoryBackend *host_memory_backend_cast(Object *obj);
/*
 * The backend called id: like QEMU's memdev= lookup, a path or unique partial path below
 * root ("m0", "/objects/m0") that is a memory-backend.  NULL if none (QEMU then says
 * "memdev=ID is ambiguous"; the caller words it).
 */
HostMemoryBackend *host_memory_backend_resolve(Object *root, const char *id);

/* Accessors for the machine (valid once the backend is complete). */
const char *host_memory_backend_name(HostMemoryBackend *backend);  /* id, or the type name */
uint64_t host_memory_backend_get_size(HostMemoryBackend *backend);
void *host_memory_backend_get_host(HostMemoryBackend *backend);
/* The backend's RAM region (named after the id), made on first call; owned by the backend. */
MemoryRegion *host_memory_backend_get_memory(HostMemoryBackend *backend);
bool host_memory_backend_is_mapped(HostMemoryBackend *backend);
void host_memory_backend_set_mapped(HostMemoryBackend *backend, bool mapped);
/*
 * Mark the backend mapped for the machine's RAM; a backend already mapped is the issue's
 * (and the x86 seed's) "memory backend ID is used multiple times. Each -numa option must
 * use a different memdev value." (QEMU 7.2 words it "memory backend ID can't be used
 * multiple times.").
 */
bool host_memory_backend_claim(HostMemoryBackend *backend, GError **errp);

/*
 * NumaMemdevResolveFn / NumaMemdevReleaseFn adapters (include/numa/numa.h): opaque is the
 * QOM root (Object *).  resolve takes a reference on the backend; release drops it.
 *   numa_set_memdev_resolver(ns, hostmem_numa_resolve, hostmem_numa_release, root);
 */
bool hostmem_numa_resolve(void *opaque, const char *id, void **backend, uint64_t *size);
void hostmem_numa_release(void *opaque, void *backend);

/*
 * The machine's default RAM backend (legacy memory, e.g. "pc.ram"): a memory-backend-ram,
 * or memory-backend-file when mem_path is non-NULL, of size bytes, completed and added to
 * /objects under id so query-memdev lists it as QEMU does.  Allocation failure is
 * "cannot set up guest memory 'ID': Cannot allocate memory".
 */
HostMemoryBackend *host_memory_backend_create_default(Object *root, const char *id,
                                                      uint64_t size, const char *mem_path,
                                                      GError **errp);

/* ---- for subclasses (backends/hostmem-*.c) ---- */

/* Page size of the file behind fd (a hugetlbfs block size, else the host page size). */
size_t hostmem_fd_page_size(int fd);
/* Base class's check for property changes after complete(); subclasses chain to it. */
bool host_memory_backend_check_set(Object *obj, const char *name, GError **errp);
/* Restate a mapping failure as QEMU does: "PREFIX: <the cause after the first ': '>". */
void hostmem_restate_error(GError **errp, GError *cause, const char *prefix);

/* ---- QMP / HMP (backends/hostmem-qmp.c) ---- */

typedef struct MemdevList MemdevList;
/* query-memdev over root's /objects, in QEMU 7.2's order (see hostmem-qmp.c). */
MemdevList *hostmem_query_memdev(Object *root, GError **errp);
/* "info memdev" text; lines end in '\n' (the monitor turns them into "\r\n" as QEMU's does). */
char *hostmem_info_memdev(Object *root);
/* The same for the emulator instance: qmp_query_memdev (generated prototype in
 * qapi-commands.h) and the HMP command human-monitor-command runs for "info memdev". */
typedef struct SysEmu SysEmu;
char *hmp_info_memdev(SysEmu *se);

#endif
