/* Guest physical memory: a tree of regions (containers, RAM, MMIO, aliases) and its flat view. */
#ifndef NUMBAT_SYSEMU_MEMORY_H
#define NUMBAT_SYSEMU_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"

/* Device callbacks for an MMIO or port-I/O region; addr is relative to the region. */
typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, uint64_t addr, unsigned size);
    void (*write)(void *opaque, uint64_t addr, uint64_t val, unsigned size);
} MemoryRegionOps;

typedef enum MemoryRegionKind {
    MR_CONTAINER, /* only subregions; unbacked gaps read as all-ones */
    MR_RAM,       /* host memory */
    MR_IO,        /* callbacks */
    MR_ALIAS,     /* a window onto part of another region */
} MemoryRegionKind;

typedef struct MemoryRegion MemoryRegion;
struct MemoryRegion {
    char *name;
    MemoryRegionKind kind;
    uint64_t size;
    /* MR_RAM */
    uint8_t *host;
    bool owns_host;          /* mapped by memory_region_init_ram, unmapped on destroy */
    /* MR_IO */
    const MemoryRegionOps *ops;
    void *opaque;
    /* MR_ALIAS */
    MemoryRegion *alias;
    uint64_t alias_offset;
    /* placement */
    MemoryRegion *parent;
    uint64_t addr;           /* offset inside parent */
    int priority;            /* higher wins where siblings overlap */
    GPtrArray *subregions;   /* MemoryRegion *, not owned */
};

void memory_region_init_container(MemoryRegion *mr, const char *name, uint64_t size);
/* Anonymous host RAM. Fails with "cannot set up guest memory 'NAME': <strerror>". */
bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size, GError **errp);
/* RAM whose host memory belongs to someone else (a memory backend). */
void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *host);
void memory_region_init_io(MemoryRegion *mr, const char *name, const MemoryRegionOps *ops,
                           void *opaque, uint64_t size);
void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              uint64_t offset, uint64_t size);
/* Frees what init allocated (name, owned RAM, subregion array); detaches from the parent. */
void memory_region_destroy(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset, MemoryRegion *child);
void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *child, int priority);
void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child);

/* A resolved, non-overlapping view of a region tree, sorted by address. */
typedef struct FlatRange {
    uint64_t start;          /* guest address */
    uint64_t size;
    MemoryRegion *mr;        /* a RAM or IO leaf */
    uint64_t offset_in_mr;   /* where start falls inside mr */
} FlatRange;

typedef struct FlatView {
    FlatRange *ranges;
    size_t nr;
} FlatView;

FlatView *flatview_new(MemoryRegion *root);
void flatview_free(FlatView *fv);
/* The range containing addr, or NULL (binary search). */
const FlatRange *flatview_lookup(const FlatView *fv, uint64_t addr);
/* Host pointer for [addr, addr+len) when it lies inside one RAM range, else NULL. */
void *flatview_ram_ptr(const FlatView *fv, uint64_t addr, uint64_t len);
/* Byte-wise access across ranges: RAM is copied, IO goes through callbacks in naturally
 * sized pieces, holes read as 0xff and ignore writes. Returns false if any byte hit a hole. */
bool flatview_read(const FlatView *fv, uint64_t addr, void *buf, uint64_t len);
bool flatview_write(const FlatView *fv, uint64_t addr, const void *buf, uint64_t len);

#endif
