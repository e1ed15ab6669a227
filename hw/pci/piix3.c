/* The PIIX3 PCI-to-ISA bridge's function 0: its header and the PIRQ route control registers. */
#include "hw/pci/piix3.h"

PciDevice *piix3_new(uint8_t devfn)
{
    /* QEMU's PIIX3: revision 0, DEVSEL medium, function 0 of a multi-function device
       (IDE, USB and PM would be functions 1-3; numbat has none of them, see docs/acpi.md). */
    static const PciDeviceIds ids = {
        .vendor = PCI_VENDOR_ID_INTEL, .device = PCI_DEVICE_ID_PIIX3_ISA,
        .class_code = PCI_CLASS_BRIDGE_ISA, .revision = 0,
        .header_type = PCI_HEADER_TYPE_MULTI_FUNCTION, .status = PCI_STATUS_DEVSEL_MEDIUM,
    };
    PciDevice *d = pci_device_new("PIIX3", devfn, &ids);

    /* The routes are stored for the OS (and an AML _PRT) to read back; no PCI function
       on numbat's bus raises INTx yet, so nothing is steered by them. */
    for (unsigned i = 0; i < PIIX3_PIRQ_COUNT; i++) {
        pci_device_set_reg(d, PIIX3_PIRQRC + i, 1, PIIX3_PIRQ_DISABLED, PIIX3_PIRQ_WMASK);
    }
    return d;
}
