/* The x86 port-I/O address space: a 64 KiB region tree whose flat view dispatches in/out to devices. */
#include "sysemu/ioport.h"

#include <string.h>

void io_space_init(IoSpace *io)
{
    memory_region_init_container(&io->root, "io", IO_SPACE_SIZE);
    io->view = flatview_new(&io->root);
}

void io_space_destroy(IoSpace *io)
{
    flatview_free(io->view);
    io->view = NULL;
    /* Devices own their regions; detach them so destroying the root frees only its own. */
    while (io->root.subregions && io->root.subregions->len) {
        memory_region_del_subregion(&io->root, g_ptr_array_index(io->root.subregions, 0));
    }
    memory_region_destroy(&io->root);
}

bool io_space_add(IoSpace *io, uint32_t base, MemoryRegion *mr, GError **errp)
{
    uint64_t end = (uint64_t)base + mr->size;

    if (mr->size == 0 || end > IO_SPACE_SIZE) {
        error_setg(errp, "I/O ports 0x%x-0x%llx of '%s' are outside the 64 KiB port space",
                   base, (unsigned long long)end - 1, mr->name);
        return false;
    }
    /* Overlaps are configuration errors here, not priorities: two devices on one port
       would silently shadow each other. */
    for (guint i = 0; i < io->root.subregions->len; i++) {
        const MemoryRegion *o = g_ptr_array_index(io->root.subregions, i);
        if (base < o->addr + o->size && o->addr < end) {
            error_setg(errp, "I/O ports 0x%x-0x%llx of '%s' overlap '%s'", base,
                       (unsigned long long)end - 1, mr->name, o->name);
            return false;
        }
    }
    memory_region_add_subregion(&io->root, base, mr);
    flatview_free(io->view);
    io->view = flatview_new(&io->root);
    return true;
}

void io_space_del(IoSpace *io, MemoryRegion *mr)
{
    memory_region_del_subregion(&io->root, mr);
    flatview_free(io->view);
    io->view = flatview_new(&io->root);
}

uint32_t io_space_in(const IoSpace *io, uint16_t port, unsigned size)
{
    uint32_t val = 0;
    const FlatRange *fr = flatview_lookup(io->view, port);

    /* The common case, one device range holding the whole access: one callback of
       the access's own size (flatview_read would split an unaligned one). */
    if (fr && fr->mr->kind == MR_IO && port - fr->start + size <= fr->size) {
        uint64_t off = fr->offset_in_mr + (port - fr->start);
        uint64_t v = fr->mr->ops->read ? fr->mr->ops->read(fr->mr->opaque, off, size) : ~0ull;
        return size == 4 ? (uint32_t)v : (uint32_t)(v & ((1u << (size * 8)) - 1));
    }
    /* Ports wrap at 64 KiB only in theory; a read past the end sees unassigned ports. */
    uint64_t n = MIN((uint64_t)size, IO_SPACE_SIZE - port);
    memset(&val, 0xff, sizeof(val));
    flatview_read(io->view, port, &val, n);
    return size == 4 ? val : val & ((1u << (size * 8)) - 1);
}

void io_space_out(const IoSpace *io, uint16_t port, uint32_t val, unsigned size)
{
    const FlatRange *fr = flatview_lookup(io->view, port);

    if (fr && fr->mr->kind == MR_IO && port - fr->start + size <= fr->size) {
        if (fr->mr->ops->write) {
            fr->mr->ops->write(fr->mr->opaque, fr->offset_in_mr + (port - fr->start), val, size);
        }
        return;
    }
    flatview_write(io->view, port, &val, MIN((uint64_t)size, IO_SPACE_SIZE - port));
}
