/* Builds the e2k physical address space from system RAM: two aliases of it, in the low and high RAM windows of the e2k memory map. */
#include "hw/e2k/e2k-memmap.h"

#include <inttypes.h>
#include <string.h>

#include "hw/e2k/e2k-layout.h"

bool e2k_address_space_init(E2kAddressSpace *as, MemoryRegion *ram, GError **errp)
{
    uint64_t size = ram->size;
    uint64_t lo = MIN(size, E2K_MLO_SIZE);

    memset(as, 0, sizeof(*as));
    if (size == 0 || size % E2K_PAGE_SIZE) {
        error_setg(errp, "e2k: RAM size 0x%" PRIx64 " is not a positive multiple of 4 KiB",
                   size);
        return false;
    }
    /* Never true for a size_t-backed RAM, but the high window must not wrap. */
    if (size - lo > UINT64_MAX - E2K_HIMEM_BASE) {
        error_setg(errp, "e2k: RAM size 0x%" PRIx64 " does not fit the memory map", size);
        return false;
    }
    memory_region_init_container(&as->root, "e2k.system", UINT64_MAX);
    memory_region_init_alias(&as->ram_lo, "e2k.ram-lo", ram, 0, lo);
    memory_region_add_subregion(&as->root, E2K_MLO_BASE, &as->ram_lo);
    if (size > lo) {
        /* Between 2 GiB and 16 GiB lie PCI, the BIOS, I/O and SIC windows: no RAM. */
        memory_region_init_alias(&as->ram_hi, "e2k.ram-hi", ram, lo, size - lo);
        memory_region_add_subregion(&as->root, E2K_HIMEM_BASE, &as->ram_hi);
        as->has_hi = true;
    }
    as->view = flatview_new(&as->root);
    return true;
}

void e2k_address_space_destroy(E2kAddressSpace *as)
{
    flatview_free(as->view);
    as->view = NULL;
    if (as->has_hi) {
        memory_region_destroy(&as->ram_hi);
    }
    if (as->ram_lo.name) {
        memory_region_destroy(&as->ram_lo);
        memory_region_destroy(&as->root);
    }
}

bool e2k_address_space_write(E2kAddressSpace *as, uint64_t addr, const void *buf,
                             uint64_t len, GError **errp)
{
    /* flatview_ram_ptr is all-or-nothing per range, so check first: no partial write. */
    for (uint64_t done = 0; done < len;) {
        const FlatRange *fr = flatview_lookup(as->view, addr + done);

        if (!fr || fr->mr->kind != MR_RAM) {
            error_setg(errp, "e2k: guest address 0x%" PRIx64 " is not RAM", addr + done);
            return false;
        }
        done += MIN(len - done, fr->size - (addr + done - fr->start));
    }
    return flatview_write(as->view, addr, buf, len);
}
