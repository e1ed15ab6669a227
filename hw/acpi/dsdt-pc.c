/* The pc machine's DSDT: the legacy devices the platform has and the \_S5 sleep package. */
#include "hw/acpi/aml.h"
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/table.h"

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

static Aml *s5_package(void)
{
    AmlContainer *pkg = aml_package(4);
    aml_append(pkg->body, aml_int(PC_ACPI_S5_SLP_TYP));   /* PM1a SLP_TYP */
    aml_append(pkg->body, aml_int(PC_ACPI_S5_SLP_TYP));   /* PM1b SLP_TYP */
    aml_append(pkg->body, aml_int(0));
    aml_append(pkg->body, aml_int(0));
    return aml_name_decl("\\_S5", aml_close(pkg));
}

void acpi_build_pc_dsdt(GByteArray *blob)
{
    AcpiTable t;
    acpi_table_begin(&t, blob, "DSDT", 2);
    AmlContainer *sb = aml_scope("\\_SB");
    aml_append(sb->body, com1());
    aml_append(sb->body, rtc());
    aml_append(sb->body, kbd());
    aml_append(blob, aml_close(sb));
    aml_append(blob, s5_package());
    acpi_table_end(&t);
}
