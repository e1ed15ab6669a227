/* Unit tests for the SRAT/SLIT builders and the pc memory-range split. */
#include <string.h>
#include "hw/acpi/numa-tables.h"
#include "hw/acpi/table.h"

#define GiB (1ull << 30)
#define MiB (1ull << 20)
#define KiB (1ull << 10)

static uint32_t rd32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void check_range(GArray *r, guint i, uint64_t base, uint64_t len, uint32_t node)
{
    g_assert_cmpuint(i, <, r->len);
    SratMem *m = &g_array_index(r, SratMem, i);
    g_assert_cmphex(m->base, ==, base);
    g_assert_cmphex(m->len, ==, len);
    g_assert_cmpuint(m->node, ==, node);
    g_assert_cmpuint(m->flags, ==, SRAT_MEM_ENABLED);
}

/* -m 4G with 1G + 3G nodes: 3 GiB below the PCI hole, 1 GiB relocated above 4 GiB. */
static void test_ranges_pci_hole(void)
{
    uint64_t mem[2] = { 1 * GiB, 3 * GiB };
    PcRamLayout l = { 3 * GiB, 1 * GiB };
    g_autoptr(GArray) r = pc_numa_memory_ranges(mem, 2, &l);
    g_assert_cmpuint(r->len, ==, 4);
    check_range(r, 0, 0, 640 * KiB, 0);
    check_range(r, 1, 1 * MiB, 1 * GiB - 1 * MiB, 0);
    check_range(r, 2, 1 * GiB, 2 * GiB, 1);
    check_range(r, 3, 4 * GiB, 1 * GiB, 1);
}

/* A node that ends inside the 640K-1M hole does not push the next node's base:
 * no spurious range appears above 4 GiB (QEMU's flaw, not copied). */
static void test_ranges_node_ends_in_hole(void)
{
    uint64_t mem[2] = { 768 * KiB, 128 * MiB - 768 * KiB };
    PcRamLayout l = { 128 * MiB, 0 };
    g_autoptr(GArray) r = pc_numa_memory_ranges(mem, 2, &l);
    g_assert_cmpuint(r->len, ==, 2);
    check_range(r, 0, 0, 640 * KiB, 0);
    check_range(r, 1, 1 * MiB, 127 * MiB, 1);
}

/* Memory-less nodes produce no range; a tiny node inside the hole produces none either. */
static void test_ranges_memless(void)
{
    uint64_t mem[4] = { 0, 512 * KiB, 0, 64 * MiB - 512 * KiB };
    PcRamLayout l = { 64 * MiB, 0 };
    g_autoptr(GArray) r = pc_numa_memory_ranges(mem, 4, &l);
    g_assert_cmpuint(r->len, ==, 3);
    check_range(r, 0, 0, 512 * KiB, 1);
    check_range(r, 1, 512 * KiB, 128 * KiB, 3);
    check_range(r, 2, 1 * MiB, 63 * MiB, 3);
}

static void test_srat_layout(void)
{
    AcpiCpu cpus[2] = { { 0, 0, true }, { 300, 1, false } };
    SratMem mem[1] = { { 0x100000, 0x7f00000, 1, SRAT_MEM_ENABLED } };
    g_autoptr(GByteArray) b = g_byte_array_new();
    acpi_build_srat(b, cpus, 2, mem, 1);
    g_assert_cmpuint(b->len, ==, 48 + 16 + 24 + 40);
    g_assert_cmpmem(b->data, 4, "SRAT", 4);
    g_assert_cmpuint(rd32(b->data + 4), ==, b->len);
    g_assert_cmpuint(acpi_checksum(b->data, b->len), ==, 0);
    const uint8_t *e = b->data + 48;
    g_assert_cmpuint(e[0], ==, 0);            /* local APIC affinity */
    g_assert_cmpuint(e[1], ==, 16);
    g_assert_cmpuint(e[3], ==, 0);            /* apic id */
    g_assert_cmpuint(rd32(e + 4), ==, 1);     /* enabled */
    e += 16;
    g_assert_cmpuint(e[0], ==, 2);            /* x2APIC affinity: id >= 255 */
    g_assert_cmpuint(rd32(e + 4), ==, 1);     /* domain */
    g_assert_cmpuint(rd32(e + 8), ==, 300);
    e += 24;
    g_assert_cmpuint(e[0], ==, 1);
    g_assert_cmpuint(rd32(e + 2), ==, 1);
    g_assert_cmphex(rd64(e + 8), ==, 0x100000);
    g_assert_cmphex(rd64(e + 16), ==, 0x7f00000);
    g_assert_cmpuint(rd32(e + 28), ==, SRAT_MEM_ENABLED);
}

static void test_slit(void)
{
    const uint8_t m[9] = { 10, 21, 31, 21, 10, 21, 31, 21, 10 };
    g_autoptr(GByteArray) b = g_byte_array_new();
    acpi_build_slit(b, 3, m);
    g_assert_cmpuint(b->len, ==, 36 + 8 + 9);
    g_assert_cmpuint(acpi_checksum(b->data, b->len), ==, 0);
    g_assert_cmpuint(rd64(b->data + 36), ==, 3);
    g_assert_cmpmem(b->data + 44, 9, m, 9);
    g_assert_cmpmem(b->data + 10, 6, ACPI_OEM_ID, 6);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/acpi/ranges/pci-hole", test_ranges_pci_hole);
    g_test_add_func("/acpi/ranges/node-ends-in-640k-hole", test_ranges_node_ends_in_hole);
    g_test_add_func("/acpi/ranges/memory-less", test_ranges_memless);
    g_test_add_func("/acpi/srat/layout", test_srat_layout);
    g_test_add_func("/acpi/slit", test_slit);
    return g_test_run();
}
