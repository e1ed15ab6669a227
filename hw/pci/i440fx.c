/* The i440FX host bridge function and the pc's PCI bus 0 behind configuration mechanism #1. */
#include "hw/pci/i440fx.h"

#include "hw/pci/piix3.h"

PciDevice *i440fx_new(void)
{
    /* QEMU's i440FX: revision 2, status 0.  Its PAM/SMRAM registers are not modelled:
       numbat's 0xC0000-0xFFFFF is plain RAM that no register remaps. */
    static const PciDeviceIds ids = {
        .vendor = PCI_VENDOR_ID_INTEL, .device = PCI_DEVICE_ID_I440FX,
        .class_code = PCI_CLASS_BRIDGE_HOST, .revision = I440FX_REVISION,
    };
    return pci_device_new("i440FX", I440FX_DEVFN, &ids);
}

PciHostState *i440fx_host_new(void)
{
    PciBus *bus = pci_bus_new(0);

    /* fixed, distinct devfns on an empty bus: this cannot fail */
    bool ok = pci_bus_add(bus, i440fx_new(), NULL) &&
              pci_bus_add(bus, piix3_new(I440FX_PIIX3_DEVFN), NULL);
    g_assert(ok);
    return pci_host_new(bus);
}
