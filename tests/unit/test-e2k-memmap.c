/* Unit tests of the e2k address space: RAM offsets land in the low and high windows, nothing in between. */
#include <glib.h>
#include <string.h>

#include "hw/e2k/e2k-layout.h"
#include "hw/e2k/e2k-memmap.h"

#define MiB (UINT64_C(1) << 20)
#define GiB (UINT64_C(1) << 30)

/* A fake "RAM" of size bytes: two backends at running offsets, as the machine core builds. */
typedef struct FakeRam {
    MemoryRegion top, a, b;
} FakeRam;

static void fake_ram_init(FakeRam *r, uint64_t a_size, uint64_t b_size)
{
    GError *err = NULL;

    memory_region_init_container(&r->top, "e2k.ram", a_size + b_size);
    g_assert_true(memory_region_init_ram(&r->a, "m0", a_size, &err));
    g_assert_no_error(err);
    memory_region_add_subregion(&r->top, 0, &r->a);
    if (b_size) {
        g_assert_true(memory_region_init_ram(&r->b, "m1", b_size, &err));
        memory_region_add_subregion(&r->top, a_size, &r->b);
    }
}

static void fake_ram_destroy(FakeRam *r)
{
    if (r->b.name) {
        memory_region_destroy(&r->b);
    }
    memory_region_destroy(&r->a);
    memory_region_destroy(&r->top);
}

static void test_low_only(void)
{
    FakeRam r;
    E2kAddressSpace as;
    GError *err = NULL;
    const FlatRange *fr;

    fake_ram_init(&r, 64 * MiB, 64 * MiB);
    g_assert_true(e2k_address_space_init(&as, &r.top, &err));
    g_assert_no_error(err);
    g_assert_false(as.has_hi);
    fr = flatview_lookup(as.view, 64 * MiB);
    g_assert_nonnull(fr);
    g_assert_true(fr->mr == &r.b);
    g_assert_cmphex(fr->offset_in_mr, ==, 0);
    g_assert_null(flatview_lookup(as.view, 128 * MiB));
    g_assert_null(flatview_lookup(as.view, E2K_HIMEM_BASE));
    e2k_address_space_destroy(&as);
    fake_ram_destroy(&r);
}

/* 3 GiB: node 1 straddles the 2 GiB line, its upper part appears at 16 GiB. */
static void test_straddle(void)
{
    FakeRam r;
    E2kAddressSpace as;
    GError *err = NULL;
    const FlatRange *fr;
    uint32_t v = 0xfeedbeef, back = 0;

    fake_ram_init(&r, 1 * GiB, 2 * GiB);
    g_assert_true(e2k_address_space_init(&as, &r.top, &err));
    g_assert_true(as.has_hi);
    fr = flatview_lookup(as.view, E2K_HIMEM_BASE);
    g_assert_nonnull(fr);
    g_assert_true(fr->mr == &r.b);
    g_assert_cmphex(fr->offset_in_mr, ==, 1 * GiB);      /* RAM offset 2 GiB */
    g_assert_cmphex(fr->size, ==, 1 * GiB);
    fr = flatview_lookup(as.view, 2 * GiB - 1);
    g_assert_true(fr && fr->mr == &r.b);
    /* The I/O hole between the windows and the end of high RAM hold nothing. */
    g_assert_null(flatview_lookup(as.view, 2 * GiB));
    g_assert_null(flatview_lookup(as.view, E2K_BIOS_AREA_BASE));
    g_assert_null(flatview_lookup(as.view, E2K_HIMEM_BASE + 1 * GiB));
    /* A write through the high window reaches the backend's host memory. */
    g_assert_true(e2k_address_space_write(&as, E2K_HIMEM_BASE + 8, &v, sizeof(v), &err));
    memcpy(&back, r.b.host + 1 * GiB + 8, sizeof(back));
    g_assert_cmphex(back, ==, v);
    /* Crossing 2 GiB in guest addresses leaves RAM: refused, nothing written. */
    g_assert_false(e2k_address_space_write(&as, 2 * GiB - 2, &v, sizeof(v), &err));
    g_assert_nonnull(strstr(err->message, "0x80000000 is not RAM"));
    g_clear_error(&err);
    e2k_address_space_destroy(&as);
    fake_ram_destroy(&r);
}

static void test_bad_sizes(void)
{
    MemoryRegion odd;
    E2kAddressSpace as;
    GError *err = NULL;

    memory_region_init_container(&odd, "e2k.ram", 4097);
    g_assert_false(e2k_address_space_init(&as, &odd, &err));
    g_assert_nonnull(strstr(err->message, "multiple of 4 KiB"));
    g_clear_error(&err);
    e2k_address_space_destroy(&as);       /* safe after a failed init */
    memory_region_destroy(&odd);
    memory_region_init_container(&odd, "e2k.ram", 0);
    g_assert_false(e2k_address_space_init(&as, &odd, &err));
    g_clear_error(&err);
    memory_region_destroy(&odd);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/e2k/memmap/low-only", test_low_only);
    g_test_add_func("/e2k/memmap/straddle", test_straddle);
    g_test_add_func("/e2k/memmap/bad-sizes", test_bad_sizes);
    return g_test_run();
}
