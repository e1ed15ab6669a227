/* Unit tests for the pc ACPI table set: layout, pointers between tables, checksums, AML bytes. */
#include <string.h>
#include "hw/acpi/aml.h"
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/table.h"

#define BASE 0xe0000ull

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static const uint8_t *table_at(const AcpiTables *t, uint64_t addr)
{
    g_assert_cmpuint(addr, >=, t->base);
    g_assert_cmpuint(addr - t->base, <, t->blob->len);
    return t->blob->data + (addr - t->base);
}

static AcpiTables *build(bool numa, bool slit)
{
    static const AcpiCpu cpus[3] = { { 0, 0, true }, { 1, 1, true }, { 300, 1, false } };
    static const uint64_t mem[2] = { 64 << 20, 64 << 20 };
    static const uint8_t dist[4] = { 10, 21, 21, 10 };
    AcpiPcConfig cfg = { cpus, 3, numa ? 2 : 0, mem, slit ? dist : NULL,
                         { 128 << 20, 0 }, 0, 0, NULL };
    return acpi_build_pc_tables(&cfg, BASE);
}

static void test_checksums_and_pointers(void)
{
    AcpiTables *t = build(true, true);
    const uint8_t *r = t->rsdp->data;
    g_assert_cmpmem(r, 8, "RSD PTR ", 8);
    g_assert_cmpuint(acpi_checksum(r, 20), ==, 0);
    g_assert_cmpuint(acpi_checksum(r, 36), ==, 0);
    const uint8_t *xsdt = table_at(t, rd64(r + 24));
    g_assert_cmpmem(xsdt, 4, "XSDT", 4);
    unsigned n = (rd32(xsdt + 4) - 36) / 8;
    const char *want[] = { "FACP", "APIC", "SRAT", "SLIT" };
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(want));
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *tab = table_at(t, rd64(xsdt + 36 + 8 * i));
        g_assert_cmpmem(tab, 4, want[i], 4);
        g_assert_cmpuint(acpi_checksum(tab, rd32(tab + 4)), ==, 0);
    }
    const uint8_t *fadt = table_at(t, rd64(xsdt + 36));
    g_assert_cmpuint(rd32(fadt + 4), ==, 276);
    const uint8_t *dsdt = table_at(t, rd64(fadt + 140));
    g_assert_cmpmem(dsdt, 4, "DSDT", 4);
    g_assert_cmpuint(rd32(fadt + 40), ==, rd64(fadt + 140));
    g_assert_cmpuint(acpi_checksum(dsdt, rd32(dsdt + 4)), ==, 0);
    const uint8_t *facs = table_at(t, rd64(fadt + 132));
    g_assert_cmpmem(facs, 4, "FACS", 4);
    g_assert_cmpuint((rd64(fadt + 132)) % 64, ==, 0);
    g_assert_cmpuint(rd32(fadt + 64), ==, PC_ACPI_PM1_CNT);
    acpi_tables_free(t);
}

static void test_optional_tables(void)
{
    AcpiTables *t = build(true, false);
    for (guint i = 0; i < t->entries->len; i++) {
        g_assert_cmpstr(g_array_index(t->entries, AcpiTableEntry, i).sig, !=, "SLIT");
    }
    acpi_tables_free(t);
    t = build(false, false);
    for (guint i = 0; i < t->entries->len; i++) {
        g_assert_cmpstr(g_array_index(t->entries, AcpiTableEntry, i).sig, !=, "SRAT");
    }
    acpi_tables_free(t);
}

static void test_madt_presence(void)
{
    AcpiTables *t = build(false, false);
    const uint8_t *m = NULL;
    for (guint i = 0; i < t->entries->len; i++) {
        AcpiTableEntry *e = &g_array_index(t->entries, AcpiTableEntry, i);
        if (!strcmp(e->sig, "APIC")) {
            m = t->blob->data + e->offset;
        }
    }
    g_assert_nonnull(m);
    const uint8_t *e = m + 44;
    g_assert_cmpuint(e[0], ==, 0);       /* LAPIC cpu 0 enabled */
    g_assert_cmpuint(rd32(e + 4), ==, 1);
    e += 16;                             /* skip cpu 1 */
    g_assert_cmpuint(e[0], ==, 9);       /* x2APIC for apic id 300, not present */
    g_assert_cmpuint(rd32(e + 4), ==, 300);
    g_assert_cmpuint(rd32(e + 8), ==, 0);
    acpi_tables_free(t);
}

/* PkgLength switches from one to two bytes at 64 (it counts its own bytes). */
static void test_aml_pkg_length(void)
{
    AmlContainer *small = aml_package(0);
    Aml *a = aml_close(small);
    g_assert_cmpuint(a->len, ==, 3);                 /* 12 02 00 */
    g_assert_cmpuint(a->data[1], ==, 2);
    g_byte_array_unref(a);
    AmlContainer *big = aml_package(0);
    acpi_append_zeros(big->body, 62);                /* 1 + 1 + 62 = 64: needs 2 bytes */
    a = aml_close(big);
    g_assert_cmpuint(a->data[1], ==, 0x40 | (65 & 0xf));
    g_assert_cmpuint(a->data[2], ==, 65 >> 4);
    g_byte_array_unref(a);
    Aml *n = aml_name_string("\\_SB.PCI0.ISA");
    const uint8_t want[] = { '\\', 0x2f, 3, '_', 'S', 'B', '_', 'P', 'C', 'I', '0',
                             'I', 'S', 'A', '_' };
    g_assert_cmpmem(n->data, n->len, want, sizeof(want));
    g_byte_array_unref(n);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/acpi-pc/checksums-and-pointers", test_checksums_and_pointers);
    g_test_add_func("/acpi-pc/optional-tables", test_optional_tables);
    g_test_add_func("/acpi-pc/madt-presence", test_madt_presence);
    g_test_add_func("/acpi-pc/aml-pkg-length", test_aml_pkg_length);
    return g_test_run();
}
