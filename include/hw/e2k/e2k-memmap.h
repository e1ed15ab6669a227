/* The e2k physical address space: system RAM mapped into the low (0..2 GiB) and high (from 16 GiB) windows of the e2k memory map. */
#ifndef NUMBAT_HW_E2K_E2K_MEMMAP_H
#define NUMBAT_HW_E2K_E2K_MEMMAP_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "sysemu/memory.h"

/*
 * The board's view of memory.  RAM itself (ms->ram: one block, or a container of the
 * nodes' backends at running offsets) stays where the machine core built it; the address
 * space shows it through two aliases, so RAM offset o is at guest address o below 2 GiB
 * and at E2K_HIMEM_BASE + (o - 2 GiB) above (e2k_ram_offset_to_addr).
 */
typedef struct E2kAddressSpace {
    MemoryRegion root;          /* "e2k.system": the whole 64-bit physical space */
    MemoryRegion ram_lo;        /* "e2k.ram-lo": RAM [0, min(size, 2 GiB)) at 0 */
    MemoryRegion ram_hi;        /* "e2k.ram-hi": RAM [2 GiB, size) at E2K_HIMEM_BASE */
    bool has_hi;                /* RAM is larger than the low window */
    FlatView *view;             /* rebuilt by e2k_address_space_init */
} E2kAddressSpace;

/* Map ram (size > 0) into as.  Fails only for a RAM size the windows cannot hold. */
bool e2k_address_space_init(E2kAddressSpace *as, MemoryRegion *ram, GError **errp);
void e2k_address_space_destroy(E2kAddressSpace *as);
/* Copy len bytes to guest-physical addr; all of it must be RAM. */
bool e2k_address_space_write(E2kAddressSpace *as, uint64_t addr, const void *buf,
                             uint64_t len, GError **errp);

#endif
