/* Unit tests for sysemu/ioport.c: registering devices in the 64 KiB port space and dispatching in/out. */
#include <string.h>
#include "sysemu/ioport.h"

/* A fake device: reads return a pattern from the offset, writes are logged. */
typedef struct Dev {
    MemoryRegion mr;
    uint64_t last_addr, last_val;
    unsigned last_size, reads, writes;
} Dev;

static uint64_t dev_read(void *opaque, uint64_t addr, unsigned size)
{
    Dev *d = opaque;
    d->reads++;
    d->last_addr = addr;
    d->last_size = size;
    /* byte i of the answer is 0x10 + addr + i, so splits are visible */
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)(0x10 + addr + i) << (8 * i);
    }
    return v;
}

static void dev_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    Dev *d = opaque;
    d->writes++;
    d->last_addr = addr;
    d->last_val = val;
    d->last_size = size;
}

static const MemoryRegionOps dev_ops = { dev_read, dev_write };

static void dev_init(Dev *d, const char *name, uint64_t size)
{
    memset(d, 0, sizeof(*d));
    memory_region_init_io(&d->mr, name, &dev_ops, d, size);
}

static void test_unassigned(void)
{
    IoSpace io;
    io_space_init(&io);
    g_assert_cmphex(io_space_in(&io, 0x80, 1), ==, 0xff);
    g_assert_cmphex(io_space_in(&io, 0x80, 2), ==, 0xffff);
    g_assert_cmphex(io_space_in(&io, 0x80, 4), ==, 0xffffffff);
    g_assert_cmphex(io_space_in(&io, 0xffff, 1), ==, 0xff);
    /* an access running off the end of the space reads all-ones, not garbage */
    g_assert_cmphex(io_space_in(&io, 0xfffe, 4), ==, 0xffffffff);
    io_space_out(&io, 0x80, 0x12345678, 4);   /* ignored, must not crash */
    io_space_out(&io, 0xffff, 0x12345678, 4);
    io_space_destroy(&io);
}

static void test_register_and_dispatch(void)
{
    IoSpace io;
    Dev d;
    GError *err = NULL;

    io_space_init(&io);
    dev_init(&d, "dev", 8);
    g_assert_true(io_space_add(&io, 0x3f8, &d.mr, &err));
    g_assert_no_error(err);

    g_assert_cmphex(io_space_in(&io, 0x3f8, 1), ==, 0x10);
    g_assert_cmphex(d.last_addr, ==, 0);
    g_assert_cmphex(io_space_in(&io, 0x3fd, 1), ==, 0x15);
    g_assert_cmphex(d.last_addr, ==, 5);
    /* 2- and 4-byte accesses inside the device: one callback of that size */
    d.reads = 0;
    g_assert_cmphex(io_space_in(&io, 0x3fa, 2), ==, 0x1312);
    g_assert_cmpuint(d.reads, ==, 1);
    g_assert_cmpuint(d.last_size, ==, 2);
    g_assert_cmphex(io_space_in(&io, 0x3fc, 4), ==, 0x17161514);
    g_assert_cmpuint(d.reads, ==, 2);
    g_assert_cmpuint(d.last_size, ==, 4);
    io_space_out(&io, 0x3f9, 0xbeef, 2);
    g_assert_cmpuint(d.writes, ==, 1);
    g_assert_cmphex(d.last_addr, ==, 1);
    g_assert_cmphex(d.last_val, ==, 0xbeef);
    g_assert_cmpuint(d.last_size, ==, 2);
    /* neighbours of the device are still unassigned */
    g_assert_cmphex(io_space_in(&io, 0x3f7, 1), ==, 0xff);
    g_assert_cmphex(io_space_in(&io, 0x400, 1), ==, 0xff);

    /* an access straddling the device's end: device bytes, then all-ones */
    g_assert_cmphex(io_space_in(&io, 0x3fe, 4), ==, 0xffff1716);
    g_assert_cmphex(io_space_in(&io, 0x3f6, 4), ==, 0x1110ffff);

    /* after removal the ports float again */
    io_space_del(&io, &d.mr);
    g_assert_cmphex(io_space_in(&io, 0x3f8, 1), ==, 0xff);
    io_space_destroy(&io);
    memory_region_destroy(&d.mr);
}

static void test_overlap_rejected(void)
{
    IoSpace io;
    Dev a, b, c;
    GError *err = NULL;

    io_space_init(&io);
    dev_init(&a, "a", 4);
    dev_init(&b, "b", 4);
    dev_init(&c, "c", 2);
    g_assert_true(io_space_add(&io, 0xb, &a.mr, &err));
    /* overlaps from either side, and inside, are refused */
    g_assert_false(io_space_add(&io, 0xd, &b.mr, &err));
    g_assert_cmpstr(err->message, ==, "I/O ports 0xd-0x10 of 'b' overlap 'a'");
    g_clear_error(&err);
    g_assert_false(io_space_add(&io, 0x8, &b.mr, &err));
    g_assert_cmpstr(err->message, ==, "I/O ports 0x8-0xb of 'b' overlap 'a'");
    g_clear_error(&err);
    g_assert_false(io_space_add(&io, 0xc, &c.mr, &err));
    g_assert_cmpstr(err->message, ==, "I/O ports 0xc-0xd of 'c' overlap 'a'");
    g_clear_error(&err);
    /* nothing changed: a still answers, b was not mapped */
    g_assert_cmphex(io_space_in(&io, 0xe, 1), ==, 0x13);
    g_assert_cmphex(io_space_in(&io, 0x10, 1), ==, 0xff);
    /* adjacent ranges are fine */
    g_assert_true(io_space_add(&io, 0xf, &b.mr, &err));
    g_assert_true(io_space_add(&io, 0x9, &c.mr, &err));
    g_assert_no_error(err);
    g_assert_cmphex(io_space_in(&io, 0xf, 1), ==, 0x10);
    g_assert_cmphex(io_space_in(&io, 0xa, 1), ==, 0x11);
    /* an access spanning two devices is split between them */
    g_assert_cmphex(io_space_in(&io, 0xe, 2), ==, 0x1013);

    /* outside the 64 KiB space */
    Dev d;
    dev_init(&d, "d", 4);
    g_assert_false(io_space_add(&io, 0xfffe, &d.mr, &err));
    g_assert_cmpstr(err->message, ==,
                    "I/O ports 0xfffe-0x10001 of 'd' are outside the 64 KiB port space");
    g_clear_error(&err);
    g_assert_true(io_space_add(&io, 0xfffc, &d.mr, &err));   /* the last four ports */
    g_assert_cmphex(io_space_in(&io, 0xffff, 1), ==, 0x13);

    io_space_destroy(&io);
    memory_region_destroy(&a.mr);
    memory_region_destroy(&b.mr);
    memory_region_destroy(&c.mr);
    memory_region_destroy(&d.mr);
}

/* A region without a read callback reads all-ones; without a write callback ignores writes. */
static void test_write_only_and_read_only(void)
{
    static const MemoryRegionOps wo = { NULL, dev_write };
    static const MemoryRegionOps ro = { dev_read, NULL };
    IoSpace io;
    Dev w, r;
    GError *err = NULL;

    io_space_init(&io);
    memset(&w, 0, sizeof(w));
    memset(&r, 0, sizeof(r));
    memory_region_init_io(&w.mr, "wo", &wo, &w, 2);
    memory_region_init_io(&r.mr, "ro", &ro, &r, 2);
    g_assert_true(io_space_add(&io, 0x501, &w.mr, &err));
    g_assert_true(io_space_add(&io, 0x600, &r.mr, &err));
    g_assert_cmphex(io_space_in(&io, 0x501, 2), ==, 0xffff);
    io_space_out(&io, 0x502, 7, 1);
    g_assert_cmpuint(w.writes, ==, 1);
    g_assert_cmphex(w.last_addr, ==, 1);
    io_space_out(&io, 0x600, 7, 1);
    g_assert_cmphex(io_space_in(&io, 0x601, 1), ==, 0x11);
    io_space_destroy(&io);
    memory_region_destroy(&w.mr);
    memory_region_destroy(&r.mr);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ioport/unassigned", test_unassigned);
    g_test_add_func("/ioport/register-dispatch", test_register_and_dispatch);
    g_test_add_func("/ioport/overlap", test_overlap_rejected);
    g_test_add_func("/ioport/read-write-only", test_write_only_and_read_only);
    return g_test_run();
}
