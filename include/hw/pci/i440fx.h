/* The pc's PCI: the i440FX host bridge (00:00.0) and its bus with the PIIX3 ISA bridge (00:01.0). */
#ifndef NUMBAT_HW_PCI_I440FX_H
#define NUMBAT_HW_PCI_I440FX_H

#include "hw/pci/pci-host.h"

#define PCI_DEVICE_ID_I440FX     0x1237
#define PCI_CLASS_BRIDGE_HOST    0x060000    /* class code: host bridge, prog-if 0 */
#define I440FX_REVISION          0x02
#define I440FX_DEVFN             PCI_DEVFN(0, 0)
#define I440FX_PIIX3_DEVFN       PCI_DEVFN(1, 0)

/* The host bridge function (8086:1237, revision 2, class 0600). */
PciDevice *i440fx_new(void);
/* Bus 0 behind configuration mechanism #1 with 00:00.0 i440FX and 00:01.0 PIIX3. */
PciHostState *i440fx_host_new(void);

#endif
