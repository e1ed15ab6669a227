/* A PCI host bridge's configuration mechanism #1: CONFIG_ADDRESS at 0xcf8, CONFIG_DATA at 0xcfc. */
#ifndef NUMBAT_HW_PCI_PCI_HOST_H
#define NUMBAT_HW_PCI_PCI_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include "hw/pci/pci.h"
#include "qapi/error.h"
#include "sysemu/memory.h"

#define PCI_HOST_CONFIG_ADDRESS  0xcf8     /* 4 ports */
#define PCI_HOST_CONFIG_DATA     0xcfc     /* 4 ports */
#define PCI_HOST_CONFIG_ENABLE   0x80000000u
/* CONFIG_ADDRESS bits that hold a value: enable, bus, device, function, register. */
#define PCI_HOST_CONFIG_ADDRESS_MASK 0x80fffffcu

/*
 * The host bridge's two port ranges (register them in the I/O space at the addresses
 * above).  Only a 32-bit access at 0xcf8 is CONFIG_ADDRESS; narrower accesses to
 * 0xcf8-0xcfb are ordinary I/O cycles that other devices may claim a byte of
 * (pci_host_share_port; the PIIX3's reset control register at 0xcf9), else they read
 * 0xff and writes vanish.  CONFIG_DATA reaches register (address & 0xfc) + (port - 0xcfc)
 * of bus/device/function in CONFIG_ADDRESS when its bit 31 is set, with 1-, 2- or 4-byte
 * accesses that stay inside the dword; with bit 31 clear, or for a bus number other than
 * the root bus's, it reads all ones and ignores writes.  The host owns its bus.
 */
typedef struct PciHostState {
    PciBus *bus;
    uint32_t config_address;
    MemoryRegion io_addr;       /* 0xcf8-0xcfb */
    MemoryRegion io_data;       /* 0xcfc-0xcff */
    MemoryRegion *shared[4];    /* byte ports inside the CONFIG_ADDRESS dword */
} PciHostState;

PciHostState *pci_host_new(PciBus *bus);
void pci_host_free(PciHostState *h);
/* Power-on/reset: CONFIG_ADDRESS 0, every function back to its reset content. */
void pci_host_reset(PciHostState *h);
/*
 * Let a 1-port region answer byte accesses at port (0xcf8-0xcfb).  Fails for another
 * port, a region of another size or a port already given: "I/O port 0xcf9 of 'NAME'
 * cannot share the PCI configuration address register: ...".
 */
bool pci_host_share_port(PciHostState *h, uint16_t port, MemoryRegion *mr, GError **errp);

#endif
