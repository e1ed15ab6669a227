/* Configuration mechanism #1: the host bridge's CONFIG_ADDRESS/CONFIG_DATA ports and their decoding. */
#include "hw/pci/pci-host.h"

/* ---- CONFIG_ADDRESS (0xcf8-0xcfb) ---- */

/* A byte of a narrow access: a device that shares the port, or nothing (0xff). */
static uint8_t shared_read(const PciHostState *h, unsigned off)
{
    const MemoryRegion *mr = off < 4 ? h->shared[off] : NULL;

    return mr && mr->ops->read ? (uint8_t)mr->ops->read(mr->opaque, 0, 1) : 0xff;
}

static void shared_write(PciHostState *h, unsigned off, uint8_t val)
{
    MemoryRegion *mr = off < 4 ? h->shared[off] : NULL;

    if (mr && mr->ops->write) {
        mr->ops->write(mr->opaque, 0, val, 1);
    }
}

static uint64_t addr_read(void *opaque, uint64_t addr, unsigned size)
{
    PciHostState *h = opaque;
    uint32_t v = 0;

    if (addr == 0 && size == 4) {
        return h->config_address;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint32_t)shared_read(h, addr + i) << (8 * i);
    }
    return v;
}

static void addr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PciHostState *h = opaque;

    if (addr == 0 && size == 4) {
        /* bits 30:24 are reserved and bits 1:0 select mechanism #1: both read as zero */
        h->config_address = (uint32_t)val & PCI_HOST_CONFIG_ADDRESS_MASK;
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        shared_write(h, addr + i, (uint8_t)(val >> (8 * i)));
    }
}

/* ---- CONFIG_DATA (0xcfc-0xcff) ---- */

/* The devfn and register a data access at offset off reaches, or false: no cycle. */
static bool data_target(const PciHostState *h, uint64_t off, uint8_t *devfn, unsigned *reg)
{
    uint32_t a = h->config_address;

    if (!(a & PCI_HOST_CONFIG_ENABLE) || ((a >> 16) & 0xff) != h->bus->number) {
        return false;
    }
    *devfn = (a >> 8) & 0xff;
    *reg = (a & 0xfc) + (unsigned)off;
    return true;
}

static uint64_t data_read(void *opaque, uint64_t addr, unsigned size)
{
    PciHostState *h = opaque;
    uint8_t devfn;
    unsigned reg;

    if (!data_target(h, addr, &devfn, &reg)) {
        return 0xffffffffu;
    }
    return pci_bus_config_read(h->bus, devfn, reg, size);
}

static void data_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    PciHostState *h = opaque;
    uint8_t devfn;
    unsigned reg;

    if (data_target(h, addr, &devfn, &reg)) {
        pci_bus_config_write(h->bus, devfn, reg, (uint32_t)val, size);
    }
}

static const MemoryRegionOps addr_ops = { .read = addr_read, .write = addr_write };
static const MemoryRegionOps data_ops = { .read = data_read, .write = data_write };

PciHostState *pci_host_new(PciBus *bus)
{
    PciHostState *h = g_new0(PciHostState, 1);

    h->bus = bus;
    memory_region_init_io(&h->io_addr, "pci-conf-addr", &addr_ops, h, 4);
    memory_region_init_io(&h->io_data, "pci-conf-data", &data_ops, h, 4);
    return h;
}

void pci_host_free(PciHostState *h)
{
    if (h) {
        memory_region_destroy(&h->io_addr);
        memory_region_destroy(&h->io_data);
        pci_bus_free(h->bus);
        g_free(h);
    }
}

void pci_host_reset(PciHostState *h)
{
    h->config_address = 0;
    pci_bus_reset(h->bus);
}

bool pci_host_share_port(PciHostState *h, uint16_t port, MemoryRegion *mr, GError **errp)
{
    unsigned off = port - PCI_HOST_CONFIG_ADDRESS;
    const char *why = NULL;

    if (port < PCI_HOST_CONFIG_ADDRESS || off >= 4) {
        why = "the port is outside 0xcf8-0xcfb";
    } else if (mr->size != 1) {
        why = "the region must be one port wide";
    } else if (h->shared[off]) {
        why = "the port is already taken";
    }
    if (why) {
        error_setg(errp, "I/O port 0x%x of '%s' cannot share the PCI configuration address "
                   "register: %s", port, mr->name, why);
        return false;
    }
    h->shared[off] = mr;
    return true;
}
