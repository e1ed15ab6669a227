/* Unit tests for hw/timer/i8254.c: modes 0/2/3/4, latches, read-back, port 0x61 gate/OUT2 and IRQ 0 deadlines, on an injected virtual clock. */
#include "hw/timer/i8254.h"
#include "sysemu/ioport.h"

typedef struct Fixture {
    IoSpace io;
    I8254State *pit;
    uint64_t now;           /* the injected virtual clock, ns */
    int irq_edges;
    int irq_level;
} Fixture;

static uint64_t fake_now(void *opaque)
{
    return ((Fixture *)opaque)->now;
}

static void fake_irq(void *opaque, int n, int level)
{
    Fixture *f = opaque;
    g_assert_cmpint(n, ==, 0);
    if (level && !f->irq_level) {
        f->irq_edges++;
    }
    f->irq_level = level;
}

static void fx_init(Fixture *f)
{
    GError *err = NULL;
    const VClock clock = { .now_ns = fake_now, .opaque = f };
    const IrqLine irq = { .set = fake_irq, .opaque = f, .n = 0 };

    *f = (Fixture) { .now = 1000 };
    io_space_init(&f->io);
    f->pit = i8254_new(&clock, &irq);
    g_assert_true(io_space_add(&f->io, I8254_BASE, &f->pit->io, &err));
    g_assert_true(io_space_add(&f->io, I8254_PORT61, &f->pit->io_port61, &err));
    g_assert_no_error(err);
}

static void fx_fini(Fixture *f)
{
    io_space_destroy(&f->io);
    i8254_free(f->pit);
}

/* ns for t PIT ticks (exact when t is a multiple of 1193182). */
static uint64_t ticks_ns(uint64_t t)
{
    return vclock_ticks_to_ns(t, I8254_HZ);
}

static uint16_t read_latched(Fixture *f, int ch)
{
    io_space_out(&f->io, 0x43, ch << 6, 1);           /* counter latch */
    uint8_t lo = io_space_in(&f->io, 0x40 + ch, 1);
    uint8_t hi = io_space_in(&f->io, 0x40 + ch, 1);
    return lo | (hi << 8);
}

/* Mode 2 on channel 0 (Linux's periodic tick): count down, IRQ 0 every period, deadlines. */
static void test_mode2_periodic(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, UINT64_MAX);   /* nothing armed */
    io_space_out(&f.io, 0x43, 0x34, 1);
    io_space_out(&f.io, 0x40, 4773 & 0xff, 1);          /* 250 Hz: LATCH = 4773 */
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, UINT64_MAX);   /* MSB still missing */
    io_space_out(&f.io, 0x40, 4773 >> 8, 1);
    uint64_t start = f.now;
    g_assert_cmpuint(read_latched(&f, 0), ==, 4773);
    f.now = start + ticks_ns(100);
    g_assert_cmpuint(read_latched(&f, 0), ==, 4673);
    uint64_t d = i8254_next_deadline(f.pit);
    g_assert_cmpuint(d, ==, start + ticks_ns(4773));
    f.now = d - 1;
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 0);
    f.now = d;
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 1);
    g_assert_cmpint(f.irq_level, ==, 0);                /* a pulse */
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 1);                /* once per period */
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, start + ticks_ns(2 * 4773));
    g_assert_cmpuint(read_latched(&f, 0), ==, 4773);
    /* several periods late: one edge (the 8259 would not see more), then back in step */
    f.now = start + ticks_ns(5 * 4773 + 7);
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 2);
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, start + ticks_ns(6 * 4773));
    g_assert_cmpuint(read_latched(&f, 0), ==, 4773 - 7);
    fx_fini(&f);
}

/* Mode 0 (one shot, Linux's calibration mode): OUT rises at terminal count, count wraps. */
static void test_mode0_oneshot(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x43, 0x30, 1);
    io_space_out(&f.io, 0x40, 0x00, 1);
    io_space_out(&f.io, 0x40, 0x10, 1);                 /* 0x1000 */
    uint64_t start = f.now;
    g_assert_false(i8254_get_out(f.pit, 0));
    f.now = start + ticks_ns(0x1000) - 1;
    g_assert_false(i8254_get_out(f.pit, 0));
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 0);
    f.now = start + ticks_ns(0x1000);
    g_assert_true(i8254_get_out(f.pit, 0));
    g_assert_cmpuint(read_latched(&f, 0), ==, 0);
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 1);
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, UINT64_MAX);   /* one shot */
    f.now = start + ticks_ns(0x1000 + 5);
    g_assert_cmpuint(read_latched(&f, 0), ==, 0xfffb);
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 1);
    /* a control word drops OUT again */
    io_space_out(&f.io, 0x43, 0x30, 1);
    g_assert_false(i8254_get_out(f.pit, 0));
    fx_fini(&f);
}

/* Mode 3 square wave: OUT high for the first half, the count steps by two. */
static void test_mode3_square(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x43, 0x36, 1);
    io_space_out(&f.io, 0x40, 100, 1);
    io_space_out(&f.io, 0x40, 0, 1);
    uint64_t start = f.now;
    g_assert_true(i8254_get_out(f.pit, 0));
    f.now = start + ticks_ns(10);
    g_assert_cmpuint(i8254_get_count(f.pit, 0), ==, 80);
    g_assert_true(i8254_get_out(f.pit, 0));
    f.now = start + ticks_ns(60);
    g_assert_false(i8254_get_out(f.pit, 0));
    f.now = start + ticks_ns(100);
    g_assert_true(i8254_get_out(f.pit, 0));
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 1);
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, start + ticks_ns(200));
    fx_fini(&f);
}

/* Mode 4 (Linux's one-shot clockevent): the pulse ends one tick after terminal count. */
static void test_mode4_strobe(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x43, 0x38, 1);
    io_space_out(&f.io, 0x40, 50, 1);
    io_space_out(&f.io, 0x40, 0, 1);
    uint64_t start = f.now;
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, start + ticks_ns(51));
    f.now = start + ticks_ns(50);
    g_assert_false(i8254_get_out(f.pit, 0));
    f.now = start + ticks_ns(51);
    g_assert_true(i8254_get_out(f.pit, 0));
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 1);
    fx_fini(&f);
}

/* LSB-only / MSB-only access, live LSB-then-MSB reads, and the latch freezing a value. */
static void test_access_modes_and_latch(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x43, 0x54, 1);                 /* ch1, LSB only, mode 2 */
    io_space_out(&f.io, 0x41, 0x12, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x41, 1), ==, 0x12);
    io_space_out(&f.io, 0x43, 0x64, 1);                 /* ch1, MSB only */
    io_space_out(&f.io, 0x41, 0x12, 1);
    g_assert_cmphex(i8254_get_count(f.pit, 1), ==, 0x1200);
    g_assert_cmphex(io_space_in(&f.io, 0x41, 1), ==, 0x12);
    io_space_out(&f.io, 0x43, 0x74, 1);                 /* ch1, LSB then MSB */
    io_space_out(&f.io, 0x41, 0x34, 1);
    io_space_out(&f.io, 0x41, 0x12, 1);
    uint64_t start = f.now;
    io_space_out(&f.io, 0x43, 0x40, 1);                 /* latch ch1 at 0x1234 */
    f.now = start + ticks_ns(0x34);
    io_space_out(&f.io, 0x43, 0x40, 1);                 /* a second latch is ignored */
    g_assert_cmphex(io_space_in(&f.io, 0x41, 1), ==, 0x34);
    g_assert_cmphex(io_space_in(&f.io, 0x41, 1), ==, 0x12);
    /* unlatched, live: LSB then MSB of the running count */
    g_assert_cmphex(io_space_in(&f.io, 0x41, 1), ==, 0x00);
    g_assert_cmphex(io_space_in(&f.io, 0x41, 1), ==, 0x12);
    /* 0x43 is write-only */
    g_assert_cmphex(io_space_in(&f.io, 0x43, 1), ==, 0xff);
    fx_fini(&f);
}

/* Read-back: status byte (OUT, null count, access, mode, BCD) and count for several channels. */
static void test_readback(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x43, 0xb0, 1);                 /* ch2, LSB/MSB, mode 0 */
    io_space_out(&f.io, 0xc8, 0, 1);                    /* (port 0xc8 is nobody's) */
    io_space_out(&f.io, 0x43, 0xe8, 1);                 /* read-back status of ch2 */
    g_assert_cmphex(io_space_in(&f.io, 0x42, 1), ==, 0x70);   /* OUT 0, null count, 3, mode 0 */
    io_space_out(&f.io, 0x61, 0x01, 1);                 /* gate 2 high */
    io_space_out(&f.io, 0x42, 0x00, 1);
    io_space_out(&f.io, 0x42, 0x02, 1);
    f.now += ticks_ns(3);
    io_space_out(&f.io, 0x43, 0xc8, 1);                 /* count and status of ch2 */
    g_assert_cmphex(io_space_in(&f.io, 0x42, 1), ==, 0x30);
    g_assert_cmphex(io_space_in(&f.io, 0x42, 1), ==, 0xfd);
    g_assert_cmphex(io_space_in(&f.io, 0x42, 1), ==, 0x01);
    fx_fini(&f);
}

/* Port 0x61: gate 2 starts/pauses a mode 0 count, OUT2 in bit 5, the refresh toggle in bit 4. */
static void test_port61_gate_out2(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(io_space_in(&f.io, 0x61, 1) & 0x2f, ==, 0x00);
    /* Linux's pit_calibrate_tsc: gate on, speaker off, ch2 mode 0 */
    io_space_out(&f.io, 0x61, (io_space_in(&f.io, 0x61, 1) & ~0x02) | 0x01, 1);
    io_space_out(&f.io, 0x43, 0xb0, 1);
    io_space_out(&f.io, 0x42, 11932 & 0xff, 1);         /* 10 ms */
    io_space_out(&f.io, 0x42, 11932 >> 8, 1);
    uint64_t start = f.now;
    g_assert_cmphex(io_space_in(&f.io, 0x61, 1) & 0x20, ==, 0);
    f.now = start + ticks_ns(11931);
    g_assert_cmphex(io_space_in(&f.io, 0x61, 1) & 0x20, ==, 0);
    f.now = start + ticks_ns(11932);
    g_assert_cmphex(io_space_in(&f.io, 0x61, 1) & 0x21, ==, 0x21);
    g_assert_cmpuint(f.now - start, >=, 9999000);
    g_assert_cmpuint(f.now - start, <=, 10001000);
    /* gate low pauses mode 0 */
    io_space_out(&f.io, 0x43, 0xb0, 1);
    io_space_out(&f.io, 0x42, 100, 1);
    io_space_out(&f.io, 0x42, 0, 1);
    start = f.now;
    f.now += ticks_ns(10);
    io_space_out(&f.io, 0x61, 0x00, 1);
    f.now += ticks_ns(1000);
    g_assert_cmpuint(i8254_get_count(f.pit, 2), ==, 90);
    io_space_out(&f.io, 0x61, 0x01, 1);
    f.now += ticks_ns(90) + 1;
    g_assert_cmphex(io_space_in(&f.io, 0x61, 1) & 0x20, ==, 0x20);
    /* the refresh bit toggles with virtual time; bits 6-7 read zero */
    uint8_t a = io_space_in(&f.io, 0x61, 1);
    f.now += 15085;
    uint8_t b = io_space_in(&f.io, 0x61, 1);
    g_assert_cmphex((a ^ b) & 0x10, ==, 0x10);
    g_assert_cmphex(b & 0xc0, ==, 0);
    /* channel 2 never raises IRQ 0 */
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 0);
    fx_fini(&f);
}

/* Count 0 means 65536; reset returns to power-on state. */
static void test_zero_count_and_reset(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x43, 0x34, 1);
    io_space_out(&f.io, 0x40, 0, 1);
    io_space_out(&f.io, 0x40, 0, 1);
    uint64_t start = f.now;
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, start + ticks_ns(65536));
    f.now += ticks_ns(1);
    g_assert_cmphex(i8254_get_count(f.pit, 0), ==, 0xffff);
    i8254_reset(f.pit);
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, UINT64_MAX);
    fx_fini(&f);
}

static void count_note(void *opaque)
{
    (*(int *)opaque)++;
}

/* The board hears about port writes that move channel 0's next IRQ 0 edge (so a slice planned
   with the old deadline can end early), and only about those. */
static void test_notify(void)
{
    Fixture f;
    int notes = 0;
    fx_init(&f);
    i8254_set_notify(f.pit, count_note, &notes);
    io_space_out(&f.io, 0x43, 0x30, 1);                 /* control word: still nothing armed */
    io_space_out(&f.io, 0x40, 0x00, 1);                 /* LSB: the count is not complete */
    g_assert_cmpint(notes, ==, 0);
    io_space_out(&f.io, 0x40, 0x80, 1);                 /* MSB: one shot armed */
    g_assert_cmpint(notes, ==, 1);
    uint64_t d = i8254_next_deadline(f.pit);
    f.now += 1000;
    io_space_out(&f.io, 0x40, 0x10, 1);                 /* reprogrammed mid-count: earlier */
    io_space_out(&f.io, 0x40, 0x00, 1);
    g_assert_cmpint(notes, ==, 2);
    g_assert_cmpuint(i8254_next_deadline(f.pit), <, d);
    /* latches, read-back, reads, channel 2 and port 0x61 leave channel 0's deadline alone */
    io_space_out(&f.io, 0x43, 0x00, 1);
    io_space_in(&f.io, 0x40, 1);
    io_space_in(&f.io, 0x40, 1);
    io_space_out(&f.io, 0x43, 0xc2, 1);
    io_space_in(&f.io, 0x40, 1);
    io_space_out(&f.io, 0x43, 0xb0, 1);
    io_space_out(&f.io, 0x42, 0x34, 1);
    io_space_out(&f.io, 0x42, 0x12, 1);
    io_space_out(&f.io, 0x61, 0x01, 1);
    io_space_out(&f.io, 0x61, 0x00, 1);
    g_assert_cmpint(notes, ==, 2);
    /* the edge itself comes by polling (the board's own doing), then nothing is armed */
    f.now = i8254_next_deadline(f.pit);
    i8254_poll(f.pit);
    g_assert_cmpint(f.irq_edges, ==, 1);
    g_assert_cmpint(notes, ==, 2);
    io_space_out(&f.io, 0x43, 0x34, 1);                 /* periodic, then stopped again */
    io_space_out(&f.io, 0x40, 0x00, 1);
    io_space_out(&f.io, 0x40, 0x01, 1);
    g_assert_cmpint(notes, ==, 3);
    io_space_out(&f.io, 0x43, 0x34, 1);                 /* a control word stops channel 0 */
    g_assert_cmpint(notes, ==, 4);
    g_assert_cmpuint(i8254_next_deadline(f.pit), ==, UINT64_MAX);
    fx_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8254/mode2-periodic", test_mode2_periodic);
    g_test_add_func("/i8254/mode0-oneshot", test_mode0_oneshot);
    g_test_add_func("/i8254/mode3-square", test_mode3_square);
    g_test_add_func("/i8254/mode4-strobe", test_mode4_strobe);
    g_test_add_func("/i8254/access-modes-latch", test_access_modes_and_latch);
    g_test_add_func("/i8254/readback", test_readback);
    g_test_add_func("/i8254/port61-gate-out2", test_port61_gate_out2);
    g_test_add_func("/i8254/zero-count-reset", test_zero_count_and_reset);
    g_test_add_func("/i8254/notify", test_notify);
    return g_test_run();
}
