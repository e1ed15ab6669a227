/* A PCI bus and its functions' configuration spaces: type-0 headers, masked writes, reset values. */
#include "hw/pci/pci.h"

#include <string.h>

static void set_bytes(uint8_t *a, unsigned addr, unsigned len, uint32_t val)
{
    for (unsigned i = 0; i < len && addr + i < PCI_CONFIG_SPACE_SIZE; i++) {
        a[addr + i] = (uint8_t)(val >> (8 * i));
    }
}

static uint32_t get_bytes(const uint8_t *a, unsigned addr, unsigned len)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < len; i++) {
        uint8_t b = addr + i < PCI_CONFIG_SPACE_SIZE ? a[addr + i] : 0xff;
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

void pci_device_set_reg(PciDevice *d, unsigned addr, unsigned len, uint32_t val,
                        uint32_t wmask)
{
    set_bytes(d->config, addr, len, val);
    set_bytes(d->wmask, addr, len, wmask);
}

PciDevice *pci_device_new(const char *name, uint8_t devfn, const PciDeviceIds *ids)
{
    PciDevice *d = g_new0(PciDevice, 1);

    d->name = g_strdup(name);
    d->devfn = devfn;
    pci_device_set_reg(d, PCI_VENDOR_ID, 2, ids->vendor, 0);
    pci_device_set_reg(d, PCI_DEVICE_ID, 2, ids->device, 0);
    pci_device_set_reg(d, PCI_COMMAND, 2, 0, PCI_COMMAND_WRITABLE);
    pci_device_set_reg(d, PCI_STATUS, 2, ids->status & ~PCI_STATUS_ERRORS, 0);
    set_bytes(d->w1cmask, PCI_STATUS, 2, PCI_STATUS_ERRORS);
    pci_device_set_reg(d, PCI_REVISION_ID, 1, ids->revision, 0);
    pci_device_set_reg(d, PCI_CLASS_PROG, 3, ids->class_code, 0);
    /* Cache line size and interrupt line are scratch registers for the OS. */
    pci_device_set_reg(d, PCI_CACHE_LINE_SIZE, 1, 0, 0xff);
    pci_device_set_reg(d, PCI_HEADER_TYPE, 1, ids->header_type, 0);
    pci_device_set_reg(d, PCI_SUBSYSTEM_VENDOR_ID, 2, PCI_SUBVENDOR_QEMU, 0);
    pci_device_set_reg(d, PCI_SUBSYSTEM_ID, 2, PCI_SUBDEVICE_QEMU, 0);
    pci_device_set_reg(d, PCI_INTERRUPT_LINE, 1, 0, 0xff);
    memcpy(d->reset_config, d->config, sizeof(d->config));
    return d;
}

void pci_device_free(PciDevice *d)
{
    if (d) {
        g_free(d->name);
        g_free(d);
    }
}

void pci_device_reset(PciDevice *d)
{
    memcpy(d->config, d->reset_config, sizeof(d->config));
}

uint32_t pci_device_config_read(const PciDevice *d, unsigned addr, unsigned len)
{
    return get_bytes(d->config, addr, len);
}

void pci_device_config_write(PciDevice *d, unsigned addr, uint32_t val, unsigned len)
{
    for (unsigned i = 0; i < len && addr + i < PCI_CONFIG_SPACE_SIZE; i++) {
        unsigned a = addr + i;
        uint8_t b = (uint8_t)(val >> (8 * i));

        d->config[a] = (d->config[a] & ~d->wmask[a]) | (b & d->wmask[a]);
        d->config[a] &= ~(b & d->w1cmask[a]);
    }
}

uint16_t pci_device_vendor(const PciDevice *d)
{
    return (uint16_t)get_bytes(d->config, PCI_VENDOR_ID, 2);
}

uint16_t pci_device_id(const PciDevice *d)
{
    return (uint16_t)get_bytes(d->config, PCI_DEVICE_ID, 2);
}

uint16_t pci_device_class(const PciDevice *d)
{
    return (uint16_t)get_bytes(d->config, PCI_CLASS_DEVICE, 2);
}

PciBus *pci_bus_new(uint8_t number)
{
    PciBus *bus = g_new0(PciBus, 1);

    bus->number = number;
    return bus;
}

void pci_bus_free(PciBus *bus)
{
    if (!bus) {
        return;
    }
    for (unsigned i = 0; i < PCI_DEVFN_MAX; i++) {
        pci_device_free(bus->devices[i]);
    }
    g_free(bus);
}

bool pci_bus_add(PciBus *bus, PciDevice *d, GError **errp)
{
    const PciDevice *other = bus->devices[d->devfn];

    if (other) {
        error_setg(errp, "PCI: slot %d function %d not available for '%s', in use by '%s'",
                   PCI_SLOT(d->devfn), PCI_FUNC(d->devfn), d->name, other->name);
        return false;
    }
    memcpy(d->reset_config, d->config, sizeof(d->config));
    bus->devices[d->devfn] = d;
    return true;
}

PciDevice *pci_bus_find(const PciBus *bus, uint8_t devfn)
{
    return bus->devices[devfn];
}

void pci_bus_reset(PciBus *bus)
{
    for (unsigned i = 0; i < PCI_DEVFN_MAX; i++) {
        if (bus->devices[i]) {
            pci_device_reset(bus->devices[i]);
        }
    }
}

uint32_t pci_bus_config_read(const PciBus *bus, uint8_t devfn, unsigned addr, unsigned len)
{
    const PciDevice *d = bus->devices[devfn];

    /* No function answers: the cycle ends in a master abort and the CPU reads all ones. */
    if (!d) {
        return len >= 4 ? 0xffffffffu : (1u << (8 * len)) - 1;
    }
    return pci_device_config_read(d, addr, len);
}

void pci_bus_config_write(PciBus *bus, uint8_t devfn, unsigned addr, uint32_t val,
                          unsigned len)
{
    if (bus->devices[devfn]) {
        pci_device_config_write(bus->devices[devfn], addr, val, len);
    }
}
