/* PCI over the monitor: query-pci with QEMU's schema and the "info pci" text built from it. */
#include "hw/pci/pci-qmp.h"

#include "qapi-commands.h"

/* Class names for the classes numbat's functions use and their neighbours (QEMU's words). */
static const struct {
    uint16_t class_id;
    const char *desc;
} pci_classes[] = {
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0680, "Bridge" },
};

const char *pci_class_desc(uint16_t class_id)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pci_classes); i++) {
        if (pci_classes[i].class_id == class_id) {
            return pci_classes[i].desc;
        }
    }
    return NULL;
}

static PciDeviceInfo *pci_device_info(const PciBus *bus, const PciDevice *d)
{
    PciDeviceInfo *info = g_new0(PciDeviceInfo, 1);
    const char *desc = pci_class_desc(pci_device_class(d));

    info->bus = bus->number;
    info->slot = PCI_SLOT(d->devfn);
    info->function = PCI_FUNC(d->devfn);
    info->class_info = g_new0(PciDeviceClass, 1);
    info->class_info->q_class = pci_device_class(d);
    info->class_info->has_desc = desc != NULL;
    info->class_info->desc = g_strdup(desc);
    info->id = g_new0(PciDeviceId, 1);
    info->id->vendor = pci_device_vendor(d);
    info->id->device = pci_device_id(d);
    info->id->has_subsystem = info->id->has_subsystem_vendor = true;
    info->id->subsystem_vendor = pci_device_config_read(d, PCI_SUBSYSTEM_VENDOR_ID, 2);
    info->id->subsystem = pci_device_config_read(d, PCI_SUBSYSTEM_ID, 2);
    info->irq_pin = pci_device_config_read(d, PCI_INTERRUPT_PIN, 1);
    /* QEMU reports the interrupt line register only for functions with a pin. */
    info->has_irq = info->irq_pin != 0;
    info->irq = pci_device_config_read(d, PCI_INTERRUPT_LINE, 1);
    info->qdev_id = g_strdup("");      /* the board's own functions have no -device id */
    info->regions = NULL;              /* neither function has a BAR */
    return info;
}

PciInfoList *qmp_query_pci(SysEmu *se, GError **errp)
{
    const PciBus *bus = se->pci_bus;
    PciInfoList *head;
    PciDeviceInfoList **tail;

    if (!bus) {
        return NULL;
    }
    head = g_new0(PciInfoList, 1);
    head->value = g_new0(PciInfo, 1);
    head->value->bus = bus->number;
    tail = &head->value->devices;
    for (unsigned devfn = 0; devfn < PCI_DEVFN_MAX; devfn++) {
        const PciDevice *d = pci_bus_find(bus, devfn);
        if (d) {
            PciDeviceInfoList *e = g_new0(PciDeviceInfoList, 1);
            e->value = pci_device_info(bus, d);
            *tail = e;
            tail = &e->next;
        }
    }
    return head;
}

static void hmp_pci_device(GString *out, const PciDeviceInfo *d)
{
    g_string_append_printf(out, "  Bus %2" G_GINT64_FORMAT ", device %3" G_GINT64_FORMAT
                           ", function %" G_GINT64_FORMAT ":\n", d->bus, d->slot, d->function);
    g_string_append(out, "    ");
    if (d->class_info->has_desc) {
        g_string_append(out, d->class_info->desc);
    } else {
        g_string_append_printf(out, "Class %04" G_GINT64_MODIFIER "x", d->class_info->q_class);
    }
    g_string_append_printf(out, ": PCI device %04" G_GINT64_MODIFIER "x:%04" G_GINT64_MODIFIER
                           "x\n", d->id->vendor, d->id->device);
    if (d->id->has_subsystem_vendor && d->id->has_subsystem) {
        g_string_append_printf(out, "      PCI subsystem %04" G_GINT64_MODIFIER "x:%04"
                               G_GINT64_MODIFIER "x\n", d->id->subsystem_vendor,
                               d->id->subsystem);
    }
    if (d->has_irq) {
        g_string_append_printf(out, "      IRQ %" G_GINT64_FORMAT ", pin %c\n", d->irq,
                               (char)('A' + d->irq_pin - 1));
    }
    g_string_append_printf(out, "      id \"%s\"\n", d->qdev_id);
}

char *hmp_info_pci(SysEmu *se)
{
    g_autoptr(PciInfoList) list = qmp_query_pci(se, NULL);
    GString *out = g_string_new(NULL);

    for (const PciInfoList *b = list; b; b = b->next) {
        for (const PciDeviceInfoList *d = b->value->devices; d; d = d->next) {
            hmp_pci_device(out, d->value);
        }
    }
    return g_string_free(out, FALSE);
}
