/* The pc machine's DSDT: the i440FX PCI host bridge with its windows, the ISA devices behind the PIIX3, \_S5. */
#include "hw/acpi/dsdt-pc.h"

#include "hw/acpi/aml.h"
#include "hw/acpi/table.h"

#define PC_PCI_ISA_ADR   0x00010000     /* _ADR of 00:01.0: device << 16 | function */

static Aml *isa_device(const char *name, const char *hid, uint8_t uid, Aml *resources)
{
    AmlContainer *dev = aml_device(name);
    aml_append(dev->body, aml_name_decl("_HID", aml_eisaid(hid)));
    aml_append(dev->body, aml_name_decl("_UID", aml_int(uid)));
    aml_append(dev->body, aml_name_decl("_CRS", aml_resource_template(resources)));
    return aml_close(dev);
}

static Aml *com1(void)
{
    Aml *res = g_byte_array_new();
    aml_append(res, aml_io(0x3f8, 0x3f8, 0, 8));
    aml_append(res, aml_irq_no_flags(4));
    return isa_device("COM1", "PNP0501", 1, res);
}

static Aml *rtc(void)
{
    Aml *res = g_byte_array_new();
    aml_append(res, aml_io(0x70, 0x70, 1, 8));
    aml_append(res, aml_irq_no_flags(8));
    return isa_device("RTC", "PNP0B00", 0, res);
}

static Aml *kbd(void)
{
    Aml *res = g_byte_array_new();
    aml_append(res, aml_io(0x60, 0x60, 1, 1));
    aml_append(res, aml_io(0x64, 0x64, 1, 1));
    aml_append(res, aml_irq_no_flags(1));
    return isa_device("KBD", "PNP0303", 0, res);
}

/* The PIIX3 function (00:01.0): the ISA devices sit behind it, as in QEMU's DSDT. */
static Aml *isa_bridge(void)
{
    AmlContainer *dev = aml_device("ISA");
    aml_append(dev->body, aml_name_decl("_ADR", aml_int(PC_PCI_ISA_ADR)));
    aml_append(dev->body, com1());
    aml_append(dev->body, rtc());
    aml_append(dev->body, kbd());
    return aml_close(dev);
}

void pc_pci_windows(const AcpiPcConfig *cfg, PcPciWindows *w)
{
    uint64_t start = PC_ABOVE_4G_START + cfg->ram.above_4g;

    *w = (PcPciWindows) { .mem32_base = (uint32_t)cfg->ram.below_4g,
                          .mem32_limit = PC_IOAPIC_BASE - 1 };
    if (cfg->hotplug_size) {
        start = MAX(start, cfg->hotplug_base + cfg->hotplug_size);
    }
    start = (start + (1ull << 30) - 1) & ~((1ull << 30) - 1);
    if (start + PC_PCI_HOLE64_SIZE <= 1ull << PC_PHYS_ADDR_BITS) {
        w->mem64_base = start;
        w->mem64_limit = start + PC_PCI_HOLE64_SIZE - 1;
    }
}

/*
 * What the host bridge decodes: every bus number, the config ports (consumed), all other
 * I/O ports, the VGA window and the MMIO holes.  RAM, the BIOS area, the IOAPIC and the
 * LAPIC are outside every window.
 */
static Aml *pci0_crs(const AcpiPcConfig *cfg)
{
    PcPciWindows w;
    Aml *res = g_byte_array_new();

    pc_pci_windows(cfg, &w);
    aml_append(res, aml_word_bus_number(0x00, 0xff));
    aml_append(res, aml_io(0xcf8, 0xcf8, 1, 8));
    aml_append(res, aml_word_io(0x0000, 0x0cf7));
    aml_append(res, aml_word_io(0x0d00, 0xffff));
    aml_append(res, aml_dword_memory(AML_CACHEABLE, true, PC_HOLE_640K_START, 0xbffff));
    aml_append(res, aml_dword_memory(AML_NON_CACHEABLE, true, w.mem32_base, w.mem32_limit));
    if (w.mem64_limit) {
        aml_append(res, aml_qword_memory(AML_CACHEABLE, true, w.mem64_base, w.mem64_limit));
    }
    return aml_resource_template(res);
}

static Aml *pci0(const AcpiPcConfig *cfg)
{
    AmlContainer *dev = aml_device("PCI0");
    /* No _ADR 0 next to the _HID, unlike QEMU: ACPI says a device has one or the other,
       and iasl warns (3073) when it recompiles a DSDT that has both. */
    aml_append(dev->body, aml_name_decl("_HID", aml_eisaid("PNP0A03")));
    aml_append(dev->body, aml_name_decl("_UID", aml_int(0)));
    aml_append(dev->body, aml_name_decl("_CRS", pci0_crs(cfg)));
    aml_append(dev->body, isa_bridge());
    return aml_close(dev);
}

static Aml *s5_package(void)
{
    AmlContainer *pkg = aml_package(4);
    aml_append(pkg->body, aml_int(PC_ACPI_S5_SLP_TYP));   /* PM1a SLP_TYP */
    aml_append(pkg->body, aml_int(PC_ACPI_S5_SLP_TYP));   /* PM1b SLP_TYP */
    aml_append(pkg->body, aml_int(0));
    aml_append(pkg->body, aml_int(0));
    return aml_name_decl("\\_S5", aml_close(pkg));
}

void acpi_build_pc_dsdt(GByteArray *blob, const AcpiPcConfig *cfg)
{
    AcpiTable t;
    acpi_table_begin(&t, blob, "DSDT", 2);
    AmlContainer *sb = aml_scope("\\_SB");
    aml_append(sb->body, pci0(cfg));
    aml_append(blob, aml_close(sb));
    aml_append(blob, s5_package());
    acpi_table_end(&t);
}
