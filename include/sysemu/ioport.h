/* The x86 port-I/O address space: 64 KiB of ports where devices register ranges with MemoryRegionOps. */
#ifndef NUMBAT_SYSEMU_IOPORT_H
#define NUMBAT_SYSEMU_IOPORT_H

#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "sysemu/memory.h"

#define IO_SPACE_SIZE 0x10000u

/*
 * A region tree (container "io" of 64 KiB) and its flat view, rebuilt on every add.
 * Unassigned ports read as all-ones and ignore writes, as on a PC's ISA bus.
 */
typedef struct IoSpace {
    MemoryRegion root;
    FlatView *view;
} IoSpace;

void io_space_init(IoSpace *io);
void io_space_destroy(IoSpace *io);
/*
 * Register mr (an MR_IO region; its size is the port count) at base.  Fails without
 * changing anything when the range leaves the 64 KiB space or overlaps another device:
 * "I/O ports 0xB-0xE of 'NAME' overlap 'OTHER'".
 */
bool io_space_add(IoSpace *io, uint32_t base, MemoryRegion *mr, GError **errp);
void io_space_del(IoSpace *io, MemoryRegion *mr);
/* Port accesses of 1, 2 or 4 bytes (little-endian pieces when a range boundary splits one). */
uint32_t io_space_in(const IoSpace *io, uint16_t port, unsigned size);
void io_space_out(const IoSpace *io, uint16_t port, uint32_t val, unsigned size);

#endif
