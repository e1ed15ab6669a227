/* Guest physical memory regions and the flat view that the CPU and the NUMA layer look up. */
#include "sysemu/memory.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

static void mr_init(MemoryRegion *mr, const char *name, MemoryRegionKind kind, uint64_t size)
{
    memset(mr, 0, sizeof(*mr));
    mr->name = g_strdup(name);
    mr->kind = kind;
    mr->size = size;
}

void memory_region_init_container(MemoryRegion *mr, const char *name, uint64_t size)
{
    mr_init(mr, name, MR_CONTAINER, size);
    mr->subregions = g_ptr_array_new();
}

bool memory_region_init_ram(MemoryRegion *mr, const char *name, uint64_t size, GError **errp)
{
    /* No MAP_NORESERVE: the kernel's overcommit check is what turns an impossible -m
     * into a clean ENOMEM here instead of a SIGBUS later. */
    void *host = size ? mmap(NULL, size, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : NULL;
    if (size && host == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot set up guest memory '%s'", name);
        return false;
    }
    mr_init(mr, name, MR_RAM, size);
    mr->host = host;
    mr->owns_host = true;
    return true;
}

void memory_region_init_ram_ptr(MemoryRegion *mr, const char *name, uint64_t size, void *host)
{
    mr_init(mr, name, MR_RAM, size);
    mr->host = host;
}

void memory_region_init_io(MemoryRegion *mr, const char *name, const MemoryRegionOps *ops,
                           void *opaque, uint64_t size)
{
    mr_init(mr, name, MR_IO, size);
    mr->ops = ops;
    mr->opaque = opaque;
}

void memory_region_init_alias(MemoryRegion *mr, const char *name, MemoryRegion *orig,
                              uint64_t offset, uint64_t size)
{
    mr_init(mr, name, MR_ALIAS, size);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_destroy(MemoryRegion *mr)
{
    if (mr->parent) {
        memory_region_del_subregion(mr->parent, mr);
    }
    if (mr->subregions) {
        for (guint i = 0; i < mr->subregions->len; i++) {
            MemoryRegion *child = g_ptr_array_index(mr->subregions, i);
            child->parent = NULL;
        }
        g_ptr_array_free(mr->subregions, TRUE);
    }
    if (mr->owns_host && mr->host) {
        munmap(mr->host, mr->size);
    }
    g_free(mr->name);
    memset(mr, 0, sizeof(*mr));
}

void memory_region_add_subregion_overlap(MemoryRegion *parent, uint64_t offset,
                                         MemoryRegion *child, int priority)
{
    g_assert(parent->kind == MR_CONTAINER && !child->parent);
    child->parent = parent;
    child->addr = offset;
    child->priority = priority;
    /* Keep siblings ordered by priority, highest first; among equals the newest comes
     * first and so wins, as QEMU orders them. */
    guint i = 0;
    while (i < parent->subregions->len &&
           ((MemoryRegion *)g_ptr_array_index(parent->subregions, i))->priority > priority) {
        i++;
    }
    g_ptr_array_insert(parent->subregions, i, child);
}

void memory_region_add_subregion(MemoryRegion *parent, uint64_t offset, MemoryRegion *child)
{
    memory_region_add_subregion_overlap(parent, offset, child, 0);
}

void memory_region_del_subregion(MemoryRegion *parent, MemoryRegion *child)
{
    if (g_ptr_array_remove(parent->subregions, child)) {
        child->parent = NULL;
    }
}

/* Add [start, end) of a leaf to the sorted range list, only where nothing is yet. */
static void insert_gaps(GArray *ranges, uint64_t start, uint64_t end, MemoryRegion *mr,
                        uint64_t offset)
{
    guint i = 0;
    while (i < ranges->len && g_array_index(ranges, FlatRange, i).start +
                              g_array_index(ranges, FlatRange, i).size <= start) {
        i++;
    }
    while (start < end) {
        FlatRange *next = i < ranges->len ? &g_array_index(ranges, FlatRange, i) : NULL;
        uint64_t gap_end = next && next->start < end ? next->start : end;
        if (start < gap_end) {
            FlatRange fr = { start, gap_end - start, mr, offset };
            g_array_insert_val(ranges, i, fr);
            i++;
            offset += gap_end - start;
            start = gap_end;
            continue;
        }
        /* start lies inside next: skip what it covers */
        uint64_t covered_end = next->start + next->size;
        offset += covered_end - start;
        start = covered_end;
        i++;
    }
}

/* Render offsets [lo, hi) of mr, where offset lo appears at guest address guest_lo. */
static void render(GArray *ranges, MemoryRegion *mr, uint64_t lo, uint64_t hi, uint64_t guest_lo)
{
    switch (mr->kind) {
    case MR_RAM:
    case MR_IO:
        insert_gaps(ranges, guest_lo, guest_lo + (hi - lo), mr, lo);
        return;
    case MR_ALIAS: {
        uint64_t a_lo = lo + mr->alias_offset;
        uint64_t a_hi = MIN(hi + mr->alias_offset, mr->alias->size);
        if (a_lo < a_hi) {
            render(ranges, mr->alias, a_lo, a_hi, guest_lo);
        }
        return;
    }
    case MR_CONTAINER:
        for (guint i = 0; i < mr->subregions->len; i++) {
            MemoryRegion *sub = g_ptr_array_index(mr->subregions, i);
            uint64_t s = MAX(lo, sub->addr);
            uint64_t e = MIN(hi, sub->addr + sub->size);
            if (s < e) {
                render(ranges, sub, s - sub->addr, e - sub->addr, guest_lo + (s - lo));
            }
        }
        return;
    }
}

FlatView *flatview_new(MemoryRegion *root)
{
    GArray *ranges = g_array_new(FALSE, FALSE, sizeof(FlatRange));
    render(ranges, root, 0, root->size, 0);
    FlatView *fv = g_new0(FlatView, 1);
    fv->nr = ranges->len;
    fv->ranges = (FlatRange *)g_array_free(ranges, FALSE);
    return fv;
}

void flatview_free(FlatView *fv)
{
    if (fv) {
        g_free(fv->ranges);
        g_free(fv);
    }
}

const FlatRange *flatview_lookup(const FlatView *fv, uint64_t addr)
{
    size_t lo = 0, hi = fv->nr;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const FlatRange *fr = &fv->ranges[mid];
        if (addr < fr->start) {
            hi = mid;
        } else if (addr - fr->start >= fr->size) {
            lo = mid + 1;
        } else {
            return fr;
        }
    }
    return NULL;
}

void *flatview_ram_ptr(const FlatView *fv, uint64_t addr, uint64_t len)
{
    const FlatRange *fr = flatview_lookup(fv, addr);
    if (!fr || fr->mr->kind != MR_RAM || len > fr->size - (addr - fr->start)) {
        return NULL;
    }
    return fr->mr->host + fr->offset_in_mr + (addr - fr->start);
}

/* Largest naturally aligned access size (8/4/2/1) at addr that fits in len. */
static unsigned io_piece(uint64_t addr, uint64_t len)
{
    unsigned size = 8;
    while (size > 1 && ((addr & (size - 1)) || size > len)) {
        size >>= 1;
    }
    return size;
}

/* Bytes from addr to the end of fr, or to the next range when addr is in a hole. */
static uint64_t span_at(const FlatView *fv, const FlatRange *fr, uint64_t addr, uint64_t len)
{
    if (fr) {
        return MIN(len, fr->size - (addr - fr->start));
    }
    for (size_t i = 0; i < fv->nr; i++) {
        if (fv->ranges[i].start > addr) {
            return MIN(len, fv->ranges[i].start - addr);
        }
    }
    return len;
}

static bool flatview_access(const FlatView *fv, uint64_t addr, uint8_t *buf, uint64_t len,
                            bool is_write)
{
    bool ok = true;
    while (len) {
        const FlatRange *fr = flatview_lookup(fv, addr);
        uint64_t n = span_at(fv, fr, addr, len);
        if (!fr) {
            if (!is_write) {
                memset(buf, 0xff, n);
            }
            ok = false;
        } else if (fr->mr->kind == MR_RAM) {
            uint8_t *host = fr->mr->host + fr->offset_in_mr + (addr - fr->start);
            memcpy(is_write ? host : buf, is_write ? buf : host, n);
        } else {
            uint64_t off = fr->offset_in_mr + (addr - fr->start);
            unsigned size = io_piece(off, n);
            n = size;
            uint64_t val = 0;
            if (is_write) {
                memcpy(&val, buf, size);
                if (fr->mr->ops->write) {
                    fr->mr->ops->write(fr->mr->opaque, off, val, size);
                }
            } else {
                val = fr->mr->ops->read ? fr->mr->ops->read(fr->mr->opaque, off, size) : ~0ull;
                memcpy(buf, &val, size);
            }
        }
        addr += n;
        buf += n;
        len -= n;
    }
    return ok;
}

bool flatview_read(const FlatView *fv, uint64_t addr, void *buf, uint64_t len)
{
    return flatview_access(fv, addr, buf, len, false);
}

bool flatview_write(const FlatView *fv, uint64_t addr, const void *buf, uint64_t len)
{
    return flatview_access(fv, addr, (uint8_t *)buf, len, true);
}
