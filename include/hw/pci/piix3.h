/* The PIIX3 PCI-to-ISA bridge, function 0 (8086:7000): ids and the PIRQ route control registers. */
#ifndef NUMBAT_HW_PCI_PIIX3_H
#define NUMBAT_HW_PCI_PIIX3_H

#include "hw/pci/pci.h"

#define PCI_DEVICE_ID_PIIX3_ISA  0x7000
#define PCI_CLASS_BRIDGE_ISA     0x060100    /* class code: ISA bridge, prog-if 0 */

/* PIRQRC[A-D]: 4 registers at 0x60-0x63.  Bit 7 disables the route, bits 3:0 pick the
   ISA IRQ; bits 6:4 are reserved (read 0).  Reset value 0x80: not routed. */
#define PIIX3_PIRQRC             0x60
#define PIIX3_PIRQ_COUNT         4
#define PIIX3_PIRQ_DISABLED      0x80
#define PIIX3_PIRQ_WMASK         0x8f

/* Function 0 of the PIIX3 at devfn (multi-function header, as QEMU's). */
PciDevice *piix3_new(uint8_t devfn);

#endif
