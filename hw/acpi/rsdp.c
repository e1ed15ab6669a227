/* RSDP (ACPI 2.0+, XSDT only) and the XSDT that lists every table but the DSDT and FACS. */
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/table.h"

void acpi_build_xsdt(GByteArray *blob, const uint64_t *addrs, size_t n)
{
    AcpiTable t;
    acpi_table_begin(&t, blob, "XSDT", 1);
    for (size_t i = 0; i < n; i++) {
        acpi_append_u64(blob, addrs[i]);
    }
    acpi_table_end(&t);
}

void acpi_build_rsdp(GByteArray *b, uint64_t xsdt_addr)
{
    guint start = b->len;
    acpi_append_str(b, "RSD PTR ", 8);
    acpi_append_u8(b, 0);                  /* checksum of the first 20 bytes */
    acpi_append_str(b, ACPI_OEM_ID, 6);
    acpi_append_u8(b, 2);                  /* revision: ACPI 2.0+ */
    acpi_append_u32(b, 0);                 /* no RSDT: guests use the XSDT */
    acpi_append_u32(b, 36);                /* length */
    acpi_append_u64(b, xsdt_addr);
    acpi_append_u8(b, 0);                  /* extended checksum */
    acpi_append_zeros(b, 3);
    uint8_t *p = b->data + start;
    p[8] = -acpi_checksum(p, 20);
    p[32] = -acpi_checksum(p, 36);
}
