/* Unit tests for the pc DSDT: the AML address space descriptors, PCI0 and its _CRS windows, the ISA devices under it. */
#include <string.h>
#include "hw/acpi/aml.h"
#include "hw/acpi/dsdt-pc.h"
#include "hw/acpi/table.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void assert_bytes(Aml *a, const uint8_t *want, size_t n)
{
    g_assert_cmpmem(a->data, a->len, want, n);
    g_byte_array_unref(a);
}

/* Every descriptor field checked against hand-encoded bytes (ACPI 6.5, 6.4.3.5). */
static void test_descriptors(void)
{
    static const uint8_t bus[] = { 0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
                                   0xff, 0x00, 0x00, 0x00, 0x00, 0x01 };
    static const uint8_t io[] = { 0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0x00, 0x00, 0x00, 0x0d,
                                  0xff, 0xff, 0x00, 0x00, 0x00, 0xf3 };
    static const uint8_t mem[] = { 0x87, 0x17, 0x00, 0x00, 0x0c, 0x03, 0, 0, 0, 0,
                                   0x00, 0x00, 0x0a, 0x00, 0xff, 0xff, 0x0b, 0x00,
                                   0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00 };
    static const uint8_t ro_pf[] = { 0x87, 0x17, 0x00, 0x00, 0x0c, 0x06, 0, 0, 0, 0,
                                     0x00, 0x00, 0x00, 0xe0, 0xff, 0xff, 0xbf, 0xfe,
                                     0, 0, 0, 0, 0x00, 0x00, 0xc0, 0x1e };
    static const uint8_t q[] = { 0x8a, 0x2b, 0x00, 0x00, 0x0c, 0x01, 0, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0, 1, 0, 0, 0,
                                 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0x80, 0, 0, 0, 0 };
    assert_bytes(aml_word_bus_number(0, 0xff), bus, sizeof(bus));
    assert_bytes(aml_word_io(0xd00, 0xffff), io, sizeof(io));
    assert_bytes(aml_dword_memory(AML_CACHEABLE, true, 0xa0000, 0xbffff), mem, sizeof(mem));
    assert_bytes(aml_dword_memory(AML_PREFETCHABLE, false, 0xe0000000, 0xfebfffff), ro_pf,
                 sizeof(ro_pf));
    assert_bytes(aml_qword_memory(AML_NON_CACHEABLE, true, 4 * GiB, 6 * GiB - 1), q, sizeof(q));
    /* a one-unit range: length 1 */
    Aml *one = aml_word_io(0x80, 0x80);
    g_assert_cmphex(one->data[14] | one->data[15] << 8, ==, 1);
    g_byte_array_unref(one);
}

/* Ranges a descriptor cannot express are programming errors: the builder stops. */
static void test_descriptor_bad_input(void)
{
    if (g_test_subprocess()) {
        const char *which = g_getenv("NUMBAT_AML_CASE");
        if (!g_strcmp0(which, "io-full")) {
            g_byte_array_unref(aml_word_io(0, 0xffff));         /* length 0x10000 */
        } else if (!g_strcmp0(which, "bus-reversed")) {
            g_byte_array_unref(aml_word_bus_number(5, 4));
        } else if (!g_strcmp0(which, "dword-reversed")) {
            g_byte_array_unref(aml_dword_memory(AML_CACHEABLE, true, 0x2000, 0x1fff));
        } else {
            g_byte_array_unref(aml_qword_memory(AML_CACHEABLE, true, 0, UINT64_MAX));
        }
        return;
    }
    static const char *const cases[] = { "io-full", "bus-reversed", "dword-reversed",
                                         "qword-full" };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_setenv("NUMBAT_AML_CASE", cases[i], TRUE);
        g_test_trap_subprocess(NULL, 0, 0);
        g_test_trap_assert_failed();
    }
    g_unsetenv("NUMBAT_AML_CASE");
}

static AcpiPcConfig config(uint64_t below, uint64_t above, uint64_t hp_base, uint64_t hp_size)
{
    return (AcpiPcConfig) { .ram = { below, above }, .hotplug_base = hp_base,
                            .hotplug_size = hp_size };
}

/* The windows for the layouts QEMU 7.2 was compared with (its DSDT for -M pc). */
static void test_windows(void)
{
    static const struct {
        uint64_t below, above, hp_base, hp_size;
        uint32_t mem32_base;
        uint64_t mem64_base;             /* 0: none */
    } cases[] = {
        { 256 * MiB, 0, 0, 0, 0x10000000, 0x100000000ull },             /* -m 256M */
        { 3 * GiB, 512 * MiB, 0, 0, 0xc0000000, 0x140000000ull },       /* -m 3584M */
        { 3 * GiB, 1 * GiB, 0, 0, 0xc0000000, 0x140000000ull },         /* -m 4G */
        { 1 * GiB, 0, 4 * GiB, 5 * GiB, 0x40000000, 0x240000000ull },   /* 1G,slots=2,maxmem=4G */
        { 3 * GiB, 2 * GiB, 6 * GiB, 3 * GiB, 0xc0000000, 0x240000000ull }, /* 5G,1,7G */
        { 0xe0000000ull, 0, 0, 0, 0xe0000000, 0x100000000ull },         /* most low RAM */
        { 128 * MiB + 4096, 0, 0, 0, 0x08001000, 0x100000000ull },      /* unaligned end */
        /* right at numbat's 40 physical address bits, and one GiB past them */
        { 3 * GiB, (1ull << 40) - 6 * GiB, 0, 0, 0xc0000000, (1ull << 40) - 2 * GiB },
        { 3 * GiB, (1ull << 40) - 5 * GiB, 0, 0, 0xc0000000, 0 },
        { 3 * GiB, 1 * GiB, 8 * GiB, (1ull << 40), 0xc0000000, 0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        AcpiPcConfig cfg = config(cases[i].below, cases[i].above, cases[i].hp_base,
                                  cases[i].hp_size);
        PcPciWindows w;
        pc_pci_windows(&cfg, &w);
        g_assert_cmphex(w.mem32_base, ==, cases[i].mem32_base);
        g_assert_cmphex(w.mem32_limit, ==, 0xfebfffff);
        g_assert_cmphex(w.mem64_base, ==, cases[i].mem64_base);
        g_assert_cmphex(w.mem64_limit, ==, cases[i].mem64_base ?
                        cases[i].mem64_base + 2 * GiB - 1 : 0);
        /* never over RAM, the hotplug range, the BIOS area, the IOAPIC or the LAPIC */
        uint64_t ram_hi_end = 4 * GiB + cases[i].above;
        g_assert_cmpuint(w.mem32_base, >=, cases[i].below);
        g_assert_cmpuint(w.mem32_base, >=, 0x100000);
        g_assert_cmpuint(w.mem32_limit, <, PC_IOAPIC_BASE);
        g_assert_cmpuint(w.mem32_limit, <, PC_LAPIC_BASE);
        if (w.mem64_limit) {
            g_assert_cmpuint(w.mem64_base, >=, ram_hi_end);
            g_assert_cmpuint(w.mem64_base, >=, cases[i].hp_base + cases[i].hp_size);
            g_assert_cmpuint(w.mem64_base % GiB, ==, 0);
        }
    }
}

/* ---- a small AML reader: where a Device(NAME) starts and ends ---- */

static size_t pkg_length(const uint8_t *p, size_t *len_bytes)
{
    unsigned extra = p[0] >> 6;
    size_t v = extra ? p[0] & 0x0f : p[0] & 0x3f;
    for (unsigned i = 0; i < extra; i++) {
        v |= (size_t)p[1 + i] << (4 + 8 * i);
    }
    *len_bytes = 1 + extra;
    return v;
}

/* The [start, end) byte range of the first Device(name), or false. */
static bool find_device(const GByteArray *t, const char *name, size_t *start, size_t *end)
{
    char seg[5];
    g_snprintf(seg, sizeof(seg), "%-4s", name);
    for (size_t i = 0; i + 2 < t->len; i++) {
        if (t->data[i] != 0x5b || t->data[i + 1] != 0x82) {
            continue;
        }
        size_t nb, len = pkg_length(t->data + i + 2, &nb);
        const uint8_t *n = t->data + i + 2 + nb;
        if (n + 4 <= t->data + t->len && !memcmp(n, g_strdelimit(seg, " ", '_'), 4)) {
            *start = i;
            *end = i + 2 + len;
            g_assert_cmpuint(*end, <=, t->len);
            return true;
        }
    }
    return false;
}

static bool contains(const GByteArray *t, size_t from, size_t to, const uint8_t *b, size_t n)
{
    for (size_t i = from; i + n <= to; i++) {
        if (!memcmp(t->data + i, b, n)) {
            return true;
        }
    }
    return false;
}

static GByteArray *dsdt(const AcpiPcConfig *cfg)
{
    GByteArray *t = g_byte_array_new();
    acpi_build_pc_dsdt(t, cfg);
    g_assert_cmpmem(t->data, 4, "DSDT", 4);
    g_assert_cmpuint(t->data[4] | t->data[5] << 8 | t->data[6] << 16, ==, t->len);
    g_assert_cmpuint(acpi_checksum(t->data, t->len), ==, 0);
    return t;
}

static void test_pci0(void)
{
    AcpiPcConfig cfg = config(256 * MiB, 0, 0, 0);
    GByteArray *t = dsdt(&cfg);
    size_t p0, p1, i0, i1, s, e;
    static const uint8_t hid[] = { 0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03 };
    static const uint8_t adr0[] = { 0x08, '_', 'A', 'D', 'R', 0x00 };
    static const uint8_t uid0[] = { 0x08, '_', 'U', 'I', 'D', 0x00 };
    static const uint8_t isa_adr[] = { 0x08, '_', 'A', 'D', 'R', 0x0c, 0x00, 0x00, 0x01, 0x00 };
    static const uint8_t crs[] = {
        0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0, 0, 0x00, 0x00, 0xff, 0x00, 0, 0, 0x00, 0x01,
        0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08,
        0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0, 0, 0x00, 0x00, 0xf7, 0x0c, 0, 0, 0xf8, 0x0c,
        0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0, 0, 0x00, 0x0d, 0xff, 0xff, 0, 0, 0x00, 0xf3,
        0x87, 0x17, 0x00, 0x00, 0x0c, 0x03, 0, 0, 0, 0, 0x00, 0x00, 0x0a, 0x00,
        0xff, 0xff, 0x0b, 0x00, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00,
        0x87, 0x17, 0x00, 0x00, 0x0c, 0x01, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x10,
        0xff, 0xff, 0xbf, 0xfe, 0, 0, 0, 0, 0x00, 0x00, 0xc0, 0xee,
        0x8a, 0x2b, 0x00, 0x00, 0x0c, 0x03, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0,
        0x79, 0x00,
    };
    g_assert_true(find_device(t, "PCI0", &p0, &p1));
    g_assert_true(contains(t, p0, p1, hid, sizeof(hid)));
    g_assert_false(contains(t, p0, p1, adr0, sizeof(adr0)));    /* _HID only, see dsdt-pc.c */
    g_assert_true(contains(t, p0, p1, uid0, sizeof(uid0)));
    g_assert_true(contains(t, p0, p1, crs, sizeof(crs)));
    /* the ISA bridge (00:01.0) inside PCI0, the legacy devices inside it */
    g_assert_true(find_device(t, "ISA", &i0, &i1));
    g_assert_true(i0 > p0 && i1 <= p1);
    g_assert_true(contains(t, i0, i1, isa_adr, sizeof(isa_adr)));
    static const char *const legacy[] = { "COM1", "RTC", "KBD" };
    for (size_t k = 0; k < G_N_ELEMENTS(legacy); k++) {
        g_assert_true(find_device(t, legacy[k], &s, &e));
        g_assert_true(s > i0 && e <= i1);
    }
    /* \_S5 stays at the root, after the \_SB scope */
    static const uint8_t s5[] = { 0x08, 0x5c, '_', 'S', '5', '_' };
    g_assert_true(contains(t, p1, t->len, s5, sizeof(s5)));
    g_assert_false(contains(t, 0, p1, s5, sizeof(s5)));
    g_byte_array_unref(t);
}

/* The window bytes follow the map; no QWordMemory past the physical address space. */
static void test_pci0_windows_in_dsdt(void)
{
    AcpiPcConfig cfg = config(3 * GiB, 2 * GiB, 6 * GiB, 3 * GiB);
    GByteArray *t = dsdt(&cfg);
    static const uint8_t mem32[] = { 0x87, 0x17, 0x00, 0x00, 0x0c, 0x01, 0, 0, 0, 0,
                                     0x00, 0x00, 0x00, 0xc0, 0xff, 0xff, 0xbf, 0xfe,
                                     0, 0, 0, 0, 0x00, 0x00, 0xc0, 0x3e };
    static const uint8_t mem64_min[] = { 0x00, 0x00, 0x00, 0x40, 0x02, 0, 0, 0 };
    static const uint8_t qword[] = { 0x8a, 0x2b };
    g_assert_true(contains(t, 0, t->len, mem32, sizeof(mem32)));
    g_assert_true(contains(t, 0, t->len, mem64_min, sizeof(mem64_min)));
    g_byte_array_unref(t);

    cfg = config(3 * GiB, (1ull << 40) - 5 * GiB, 0, 0);
    t = dsdt(&cfg);
    g_assert_false(contains(t, 0, t->len, qword, sizeof(qword)));
    g_byte_array_unref(t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/acpi-dsdt/descriptors", test_descriptors);
    g_test_add_func("/acpi-dsdt/descriptor-bad-input", test_descriptor_bad_input);
    g_test_add_func("/acpi-dsdt/windows", test_windows);
    g_test_add_func("/acpi-dsdt/pci0", test_pci0);
    g_test_add_func("/acpi-dsdt/pci0-windows", test_pci0_windows_in_dsdt);
    return g_test_run();
}
