/* The pc DSDT's PCI host bridge: the address windows its _CRS hands the guest. */
#ifndef NUMBAT_HW_ACPI_DSDT_PC_H
#define NUMBAT_HW_ACPI_DSDT_PC_H

#include <stdint.h>
#include "hw/acpi/pc-tables.h"

#define PC_PCI_HOLE64_SIZE  (2ull << 30)   /* QEMU i440FX's default pci-hole64-size */
#define PC_PHYS_ADDR_BITS   40             /* CPUID 0x80000008 of numbat's x86 CPU */

/*
 * \_SB.PCI0._CRS, from the memory map (inclusive limits):
 *   32-bit: [end of RAM below 4 GiB, IOAPIC base - 1] = [below_4g, 0xFEBFFFFF];
 *   64-bit: 2 GiB from ROUND_UP(max(4 GiB + above_4g, end of the hotplug range), 1 GiB),
 *           left out (mem64_limit 0) when it would end past the CPU's physical address space.
 * Bus numbers 0-255, I/O 0-0xCF7 and 0xD00-0xFFFF, VGA 0xA0000-0xBFFFF are constant.
 */
typedef struct PcPciWindows {
    uint32_t mem32_base, mem32_limit;
    uint64_t mem64_base, mem64_limit;
} PcPciWindows;

void pc_pci_windows(const AcpiPcConfig *cfg, PcPciWindows *w);

#endif
