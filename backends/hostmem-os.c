/* Host memory for backends: mmap of anonymous/file/memfd memory, madvise, mbind, preallocation. */
#include "backends/hostmem-os.h"
#include "util/bitmap.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT 26
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define MPOL_MF_STRICT (1 << 0)
#define MPOL_MF_MOVE (1 << 1)

static const char *const policy_names[] = { "default", "preferred", "bind", "interleave" };

void *hostmem_map_fd(int fd, uint64_t size, bool share, bool reserve, GError **errp)
{
    int flags = (share ? MAP_SHARED : MAP_PRIVATE) | (fd < 0 ? MAP_ANONYMOUS : 0) |
                (reserve ? 0 : MAP_NORESERVE);
    void *ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (ptr == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot map %" G_GUINT64_FORMAT " bytes of memory",
                         size);
        return NULL;
    }
    return ptr;
}

void *hostmem_map_anon(uint64_t size, bool share, bool reserve, GError **errp)
{
    return hostmem_map_fd(-1, size, share, reserve, errp);
}

void hostmem_unmap(void *ptr, uint64_t size)
{
    if (ptr) {
        munmap(ptr, size);
    }
}

static int open_in_directory(const char *dir, GError **errp)
{
    g_autofree char *templ = g_build_filename(dir, "numbat_back_mem.XXXXXX", NULL);
    int fd = mkstemp(templ);
    if (fd < 0) {
        error_setg_errno(errp, errno, "unable to create backing store for path %s", dir);
        return -1;
    }
    unlink(templ);   /* the mapping keeps it alive; nothing is left behind */
    return fd;
}

int hostmem_open_file(const char *path, uint64_t size, bool readonly, uint64_t *fd_size,
                      GError **errp)
{
    struct stat st;
    int fd;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fd = open_in_directory(path, errp);
    } else {
        fd = open(path, readonly ? O_RDONLY : O_RDWR | O_CREAT, 0600);
        if (fd < 0) {
            error_setg_errno(errp, errno, "can't open backing store %s for guest RAM", path);
        }
    }
    if (fd < 0 || fstat(fd, &st) < 0) {
        return -1;
    }
    if ((uint64_t)st.st_size < size && !readonly && ftruncate(fd, size) < 0) {
        error_setg_errno(errp, errno, "ftruncate %s", path);
        close(fd);
        return -1;
    }
    *fd_size = MAX((uint64_t)st.st_size, size);
    return fd;
}

int hostmem_memfd(const char *name, uint64_t size, bool hugetlb, uint64_t hugetlbsize,
                  bool seal, GError **errp)
{
    unsigned flags = MFD_CLOEXEC | (seal ? MFD_ALLOW_SEALING : 0);
    if (hugetlb) {
        flags |= MFD_HUGETLB;
        if (hugetlbsize) {
            flags |= (unsigned)g_bit_nth_lsf(hugetlbsize, -1) << MFD_HUGE_SHIFT;
        }
    }
    int fd = memfd_create(name, flags);
    if (fd < 0) {
        error_setg_errno(errp, errno, "failed to create memfd");
        return -1;
    }
    if (ftruncate(fd, size) < 0) {
        error_setg_errno(errp, errno, "failed to resize memfd to %" G_GUINT64_FORMAT, size);
        close(fd);
        return -1;
    }
    if (seal && fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
        error_setg_errno(errp, errno, "failed to add seals");
        close(fd);
        return -1;
    }
    return fd;
}

bool hostmem_advise(void *ptr, uint64_t size, bool merge, bool dump, GError **errp)
{
    if (merge && madvise(ptr, size, MADV_MERGEABLE) < 0 && errno != EINVAL) {
        error_setg_errno(errp, errno, "Memory merging is not supported on this host");
        return false;
    }
    if (!dump && madvise(ptr, size, MADV_DONTDUMP) < 0) {
        error_setg_errno(errp, errno, "Dumping guest memory cannot be disabled on this host");
        return false;
    }
    return true;
}

unsigned hostmem_host_node_count(void)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents("/sys/devices/system/node/possible", &text, NULL, NULL)) {
        return 1;   /* a host without NUMA support behaves as one node */
    }
    /* "0" or "0-3": the count is the last number + 1 */
    const char *last = strrchr(text, '-');
    return (unsigned)g_ascii_strtoull(last ? last + 1 : text, NULL, 10) + 1;
}

static bool check_policy_nodes(int policy, const unsigned long *nodes, GError **errp)
{
    bool empty = bitmap_empty(nodes, HOSTMEM_MAX_HOST_NODES);
    if (!empty && policy == HOSTMEM_POLICY_DEFAULT) {
        error_setg(errp, "host-nodes must be empty for policy default,"
                   " or you should explicitly specify a policy other than default");
        return false;
    }
    if (empty && policy != HOSTMEM_POLICY_DEFAULT) {
        error_setg(errp, "host-nodes must be set for policy %s", policy_names[policy]);
        return false;
    }
    unsigned host_nodes = hostmem_host_node_count();
    size_t n;
    for_each_set_bit(n, nodes, HOSTMEM_MAX_HOST_NODES) {
        g_autofree char *p = g_strdup_printf("/sys/devices/system/node/node%zu", n);
        if (n >= host_nodes || (host_nodes > 1 && !g_file_test(p, G_FILE_TEST_IS_DIR))) {
            error_setg(errp, "host-nodes: host NUMA node %zu does not exist (this host has %u)",
                       n, host_nodes);
            return false;
        }
    }
    return true;
}

bool hostmem_bind(void *ptr, uint64_t size, int policy, const unsigned long *host_nodes,
                  GError **errp)
{
    if (policy < 0 || policy > HOSTMEM_POLICY_INTERLEAVE ||
        !check_policy_nodes(policy, host_nodes, errp)) {
        if (errp && !*errp) {
            error_setg(errp, "invalid host memory policy %d", policy);
        }
        return false;
    }
    /* One bit more than the highest node: old kernels drop the last bit of maxnode. */
    unsigned long maxnode = HOSTMEM_MAX_HOST_NODES + 1;
    DECLARE_BITMAP(mask, HOSTMEM_MAX_HOST_NODES + 1) = { 0 };
    memcpy(mask, host_nodes, BITS_TO_LONGS(HOSTMEM_MAX_HOST_NODES) * sizeof(long));
    long ret = syscall(SYS_mbind, ptr, size, policy,
                       policy == HOSTMEM_POLICY_DEFAULT ? NULL : mask,
                       policy == HOSTMEM_POLICY_DEFAULT ? 0 : maxnode,
                       MPOL_MF_STRICT | MPOL_MF_MOVE);
    if (ret < 0 && !(policy == HOSTMEM_POLICY_DEFAULT && errno == ENOSYS)) {
        error_setg_errno(errp, errno, "cannot bind memory to host NUMA nodes");
        return false;
    }
    return true;
}

typedef struct PreallocJob {
    uint8_t *start;
    uint64_t len;
    size_t page;
    int err;          /* errno of a failed MADV_POPULATE_WRITE, else 0 */
} PreallocJob;

static gpointer prealloc_worker(gpointer opaque)
{
    PreallocJob *job = opaque;
    /* MADV_POPULATE_WRITE reports a failure (e.g. no huge pages left) as an error where
     * touching the pages would die of SIGBUS; touch by hand only on kernels without it. */
    if (!job->len || madvise(job->start, job->len, MADV_POPULATE_WRITE) == 0) {
        return NULL;
    }
    if (errno != EINVAL) {
        job->err = errno;
        return NULL;
    }
    for (uint64_t off = 0; off < job->len; off += job->page) {
        volatile uint8_t *p = job->start + off;
        *p = *p;   /* read-then-write keeps file contents and allocates the page */
    }
    return NULL;
}

bool hostmem_prealloc(void *ptr, uint64_t size, unsigned threads, GError **errp)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uint64_t pages = size / page;
    threads = MAX(1u, MIN(threads, (unsigned)MAX(pages, 1)));
    g_autofree PreallocJob *jobs = g_new0(PreallocJob, threads);
    g_autofree GThread **tids = g_new0(GThread *, threads);
    uint64_t per = pages / threads, rest = pages % threads, off = 0;
    for (unsigned i = 0; i < threads; i++) {
        uint64_t n = per + (i < rest);
        jobs[i] = (PreallocJob){ (uint8_t *)ptr + off * page, n * page, page, 0 };
        off += n;
        tids[i] = threads > 1 ? g_thread_try_new("prealloc", prealloc_worker, &jobs[i], NULL)
                              : NULL;
        if (!tids[i]) {
            prealloc_worker(&jobs[i]);
        }
    }
    int err = 0;
    for (unsigned i = 0; i < threads; i++) {
        if (tids[i]) {
            g_thread_join(tids[i]);
        }
        err = err ? err : jobs[i].err;
    }
    if (err) {
        error_setg_errno(errp, err, "preallocating memory failed");
        return false;
    }
    return true;
}
