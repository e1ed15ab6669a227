/* Host side of memory backends: mapping anonymous, file and memfd memory, advice, binding, preallocation. */
#ifndef NUMBAT_BACKENDS_HOSTMEM_OS_H
#define NUMBAT_BACKENDS_HOSTMEM_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"

/* Host NUMA policies, numbered as Linux's MPOL_* modes (and QEMU's HostMemPolicy). */
enum {
    HOSTMEM_POLICY_DEFAULT = 0,
    HOSTMEM_POLICY_PREFERRED = 1,
    HOSTMEM_POLICY_BIND = 2,
    HOSTMEM_POLICY_INTERLEAVE = 3,
};

/* Largest host node number + 1 that host-nodes may name (QEMU's MAX_NODES). */
#define HOSTMEM_MAX_HOST_NODES 128

/* Anonymous memory. reserve=false maps with MAP_NORESERVE (no swap/overcommit accounting). */
void *hostmem_map_anon(uint64_t size, bool share, bool reserve, GError **errp);
/* Map size bytes of fd at offset 0. */
void *hostmem_map_fd(int fd, uint64_t size, bool share, bool reserve, GError **errp);
void hostmem_unmap(void *ptr, uint64_t size);

/*
 * Open mem-path for a file backend: a directory gets a fresh unlinked temporary file in it
 * (as QEMU does for hugetlbfs mounts); a file is opened (created if missing) and grown to
 * size if shorter.  *fd_size receives the file's size afterwards.
 */
int hostmem_open_file(const char *path, uint64_t size, bool readonly, uint64_t *fd_size,
                      GError **errp);
/* A memfd of size bytes; seal adds F_SEAL_GROW|F_SEAL_SHRINK|F_SEAL_SEAL. */
int hostmem_memfd(const char *name, uint64_t size, bool hugetlb, uint64_t hugetlbsize,
                  bool seal, GError **errp);

/* madvise: MADV_MERGEABLE when merge, MADV_DONTDUMP when !dump. */
bool hostmem_advise(void *ptr, uint64_t size, bool merge, bool dump, GError **errp);

/* Host node count as the host reports it (/sys/devices/system/node/possible). */
unsigned hostmem_host_node_count(void);
/*
 * Apply a host NUMA policy with mbind(2) (host_nodes: a bitmap of HOSTMEM_MAX_HOST_NODES
 * bits).  Checks QEMU's rules first ("host-nodes must be set for policy bind", ...), and
 * that every named node exists on this host ("host-nodes: host NUMA node N does not exist").
 */
bool hostmem_bind(void *ptr, uint64_t size, int policy, const unsigned long *host_nodes,
                  GError **errp);

/* Touch every page so it is allocated now, using up to `threads` threads. */
bool hostmem_prealloc(void *ptr, uint64_t size, unsigned threads, GError **errp);

#endif
