/* Unit tests for sysemu/memory.c: rendering region trees into flat views, and access through them. */
#include <string.h>
#include "sysemu/memory.h"

typedef struct IoLog {
    uint64_t last_addr, last_val;
    unsigned last_size, writes;
} IoLog;

static uint64_t io_read(void *opaque, uint64_t addr, unsigned size)
{
    return 0x1000 + addr;
}

static void io_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IoLog *log = opaque;
    log->last_addr = addr;
    log->last_val = val;
    log->last_size = size;
    log->writes++;
}

static const MemoryRegionOps io_ops = { io_read, io_write };

/* Two "node" RAM regions side by side inside a system container, as NUMA composes RAM. */
static void test_nodes_side_by_side(void)
{
    MemoryRegion sys, ram, n0, n1;
    GError *err = NULL;
    memory_region_init_container(&sys, "system", UINT64_MAX);
    memory_region_init_container(&ram, "ram", 3 << 20);
    g_assert_true(memory_region_init_ram(&n0, "n0", 1 << 20, &err));
    g_assert_true(memory_region_init_ram(&n1, "n1", 2 << 20, &err));
    memory_region_add_subregion(&ram, 0, &n0);
    memory_region_add_subregion(&ram, 1 << 20, &n1);
    memory_region_add_subregion(&sys, 0, &ram);
    FlatView *fv = flatview_new(&sys);
    g_assert_cmpuint(fv->nr, ==, 2);
    g_assert_true(flatview_lookup(fv, 0)->mr == &n0);
    g_assert_true(flatview_lookup(fv, (1 << 20) - 1)->mr == &n0);
    g_assert_true(flatview_lookup(fv, 1 << 20)->mr == &n1);
    g_assert_cmpuint(flatview_lookup(fv, 1 << 20)->offset_in_mr, ==, 0);
    g_assert_true(flatview_lookup(fv, (3 << 20) - 1)->mr == &n1);
    g_assert_null(flatview_lookup(fv, 3 << 20));

    /* an access straddling the node boundary lands in both backends */
    uint32_t v = 0xa1b2c3d4, r = 0;
    g_assert_true(flatview_write(fv, (1 << 20) - 2, &v, 4));
    g_assert_cmpuint(n0.host[(1 << 20) - 1], ==, 0xc3);
    g_assert_cmpuint(n1.host[0], ==, 0xb2);
    g_assert_true(flatview_read(fv, (1 << 20) - 2, &r, 4));
    g_assert_cmphex(r, ==, v);
    g_assert_null(flatview_ram_ptr(fv, (1 << 20) - 2, 4));
    g_assert_nonnull(flatview_ram_ptr(fv, (1 << 20), 4));
    flatview_free(fv);
    memory_region_destroy(&n0);
    memory_region_destroy(&n1);
    memory_region_destroy(&ram);
    memory_region_destroy(&sys);
}

/* A higher-priority MMIO window punches a hole into RAM; holes read as 0xff. */
static void test_priority_and_holes(void)
{
    MemoryRegion sys, ram, mmio;
    IoLog log = { 0 };
    memory_region_init_container(&sys, "system", 1 << 24);
    g_assert_true(memory_region_init_ram(&ram, "ram", 1 << 20, NULL));
    memory_region_init_io(&mmio, "dev", &io_ops, &log, 0x1000);
    memory_region_add_subregion(&sys, 0, &ram);
    memory_region_add_subregion_overlap(&sys, 0x8000, &mmio, 1);
    FlatView *fv = flatview_new(&sys);
    g_assert_cmpuint(fv->nr, ==, 3);
    const FlatRange *after = flatview_lookup(fv, 0x9000);
    g_assert_true(after->mr == &ram);
    g_assert_cmpuint(after->offset_in_mr, ==, 0x9000);
    g_assert_true(flatview_lookup(fv, 0x8fff)->mr == &mmio);

    uint32_t val = 0x55aa;
    g_assert_true(flatview_write(fv, 0x8004, &val, 4));
    g_assert_cmpuint(log.last_addr, ==, 4);
    g_assert_cmpuint(log.last_size, ==, 4);
    g_assert_cmpuint(log.last_val, ==, 0x55aa);
    uint16_t rd = 0;
    g_assert_true(flatview_read(fv, 0x8010, &rd, 2));
    g_assert_cmphex(rd, ==, 0x1010);

    uint8_t hole[4];
    g_assert_false(flatview_read(fv, 1 << 20, hole, 4));
    g_assert_cmpuint(hole[0], ==, 0xff);
    g_assert_cmpuint(hole[3], ==, 0xff);
    flatview_free(fv);
    memory_region_destroy(&mmio);
    memory_region_destroy(&ram);
    memory_region_destroy(&sys);
}

/* An alias maps a window of RAM at a second address (e.g. RAM above 4 GiB). */
static void test_alias(void)
{
    MemoryRegion sys, ram, low, high;
    memory_region_init_container(&sys, "system", UINT64_MAX);
    g_assert_true(memory_region_init_ram(&ram, "pc.ram", 0x3000, NULL));
    memory_region_init_alias(&low, "ram-below-4g", &ram, 0, 0x1000);
    memory_region_init_alias(&high, "ram-above-4g", &ram, 0x1000, 0x2000);
    memory_region_add_subregion(&sys, 0, &low);
    memory_region_add_subregion(&sys, 0x100000000ull, &high);
    FlatView *fv = flatview_new(&sys);
    g_assert_cmpuint(fv->nr, ==, 2);
    const FlatRange *fr = flatview_lookup(fv, 0x100000010ull);
    g_assert_true(fr->mr == &ram);
    g_assert_cmpuint(fr->offset_in_mr, ==, 0x1000);
    g_assert_cmpuint(fr->size, ==, 0x2000);
    g_assert_null(flatview_lookup(fv, 0x1000));
    flatview_free(fv);
    memory_region_destroy(&low);
    memory_region_destroy(&high);
    memory_region_destroy(&ram);
    memory_region_destroy(&sys);
}

static void test_ram_enomem(void)
{
    MemoryRegion mr;
    GError *err = NULL;
    /* 2^62 bytes is beyond any host's overcommit limit */
    g_assert_false(memory_region_init_ram(&mr, "pc.ram", 1ull << 62, &err));
    g_assert_cmpstr(err->message, ==, "cannot set up guest memory 'pc.ram': Cannot allocate memory");
    g_error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/memory/nodes-side-by-side", test_nodes_side_by_side);
    g_test_add_func("/memory/priority-and-holes", test_priority_and_holes);
    g_test_add_func("/memory/alias", test_alias);
    g_test_add_func("/memory/ram-enomem", test_ram_enomem);
    return g_test_run();
}
