/* Unit tests for hw/rtc/mc146818.c: time registers in BCD/binary and 12/24 h, UIP, SET, registers A-D, century, periodic/alarm/update-ended flags and IRQ 8, the divider, deadlines and the notify hook, on an injected virtual clock. */
#include "hw/rtc/mc146818.h"
#include "sysemu/ioport.h"

/* 2024-02-29 23:59:58 UTC, a Thursday. */
#define T0 1709251198ll

typedef struct Fixture {
    IoSpace io;
    Mc146818State *rtc;
    uint64_t now;
    int irq_level, irq_edges;   /* IRQ 8 as the board sees it */
    int notes;                  /* notify calls */
} Fixture;

static uint64_t fake_now(void *opaque)
{
    return ((Fixture *)opaque)->now;
}

static void fake_irq(void *opaque, int n, int level)
{
    Fixture *f = opaque;
    g_assert_cmpint(n, ==, RTC_ISA_IRQ);
    g_assert_cmpint(level, !=, f->irq_level);           /* only changes are reported */
    f->irq_edges += level;
    f->irq_level = level;
}

static void count_note(void *opaque)
{
    ((Fixture *)opaque)->notes++;
}

static void fx_init(Fixture *f, int64_t t)
{
    GError *err = NULL;
    const VClock clock = { .now_ns = fake_now, .opaque = f };
    const IrqLine irq = { .set = fake_irq, .opaque = f, .n = RTC_ISA_IRQ };

    *f = (Fixture) { .now = 5000 };
    io_space_init(&f->io);
    f->rtc = mc146818_new(&clock, &irq, t);
    g_assert_true(io_space_add(&f->io, RTC_BASE, &f->rtc->io, &err));
    g_assert_no_error(err);
}

static void fx_fini(Fixture *f)
{
    io_space_destroy(&f->io);
    mc146818_free(f->rtc);
}

static uint8_t rd(Fixture *f, uint8_t reg)
{
    io_space_out(&f->io, 0x70, reg, 1);
    return io_space_in(&f->io, 0x71, 1);
}

static void wr(Fixture *f, uint8_t reg, uint8_t v)
{
    io_space_out(&f->io, 0x70, reg, 1);
    io_space_out(&f->io, 0x71, v, 1);
}

static void test_bcd_24h(void)
{
    Fixture f;
    fx_init(&f, T0);
    g_assert_cmphex(rd(&f, RTC_REG_B), ==, RTC_B_24H);
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x58);
    g_assert_cmphex(rd(&f, RTC_MINUTES), ==, 0x59);
    g_assert_cmphex(rd(&f, RTC_HOURS), ==, 0x23);
    g_assert_cmphex(rd(&f, RTC_DAY_OF_WEEK), ==, 5);          /* Thursday; Sunday = 1 */
    g_assert_cmphex(rd(&f, RTC_DAY_OF_MONTH), ==, 0x29);
    g_assert_cmphex(rd(&f, RTC_MONTH), ==, 0x02);
    g_assert_cmphex(rd(&f, RTC_YEAR), ==, 0x24);
    g_assert_cmphex(rd(&f, RTC_CENTURY), ==, 0x20);
    /* three virtual seconds later: past midnight into March 1st (leap year) */
    f.now += 3 * VCLOCK_NS_PER_SEC;
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x01);
    g_assert_cmphex(rd(&f, RTC_MINUTES), ==, 0x00);
    g_assert_cmphex(rd(&f, RTC_HOURS), ==, 0x00);
    g_assert_cmphex(rd(&f, RTC_DAY_OF_MONTH), ==, 0x01);
    g_assert_cmphex(rd(&f, RTC_MONTH), ==, 0x03);
    g_assert_cmphex(rd(&f, RTC_DAY_OF_WEEK), ==, 6);
    g_assert_cmpint(mc146818_get_time(f.rtc), ==, T0 + 3);
    fx_fini(&f);
}

static void test_binary_12h(void)
{
    Fixture f;
    fx_init(&f, T0);
    wr(&f, RTC_REG_B, RTC_B_DM_BINARY);                       /* binary, 12-hour */
    g_assert_cmpuint(rd(&f, RTC_SECONDS), ==, 58);
    g_assert_cmphex(rd(&f, RTC_HOURS), ==, 11 | RTC_HOUR_PM);  /* 23:59 = 11 PM */
    g_assert_cmpuint(rd(&f, RTC_YEAR), ==, 24);
    g_assert_cmpuint(rd(&f, RTC_CENTURY), ==, 20);
    f.now += 2 * VCLOCK_NS_PER_SEC;
    g_assert_cmphex(rd(&f, RTC_HOURS), ==, 12);                /* midnight = 12 AM */
    wr(&f, RTC_HOURS, 12 | RTC_HOUR_PM);                       /* noon */
    g_assert_cmphex(rd(&f, RTC_HOURS), ==, 12 | RTC_HOUR_PM);
    wr(&f, RTC_REG_B, RTC_B_24H);                              /* back to BCD 24 h */
    g_assert_cmphex(rd(&f, RTC_HOURS), ==, 0x12);
    wr(&f, RTC_HOURS, 0x07);
    g_assert_cmphex(rd(&f, RTC_HOURS), ==, 0x07);
    fx_fini(&f);
}

/* Linux's read: wait for UIP clear, read, check UIP and seconds again. */
static void test_uip(void)
{
    Fixture f;
    fx_init(&f, T0);
    uint64_t start = f.now;
    g_assert_cmphex(rd(&f, RTC_REG_A), ==, 0x26);
    f.now = start + VCLOCK_NS_PER_SEC - RTC_UIP_NS - 1;
    g_assert_false(rd(&f, RTC_REG_A) & RTC_A_UIP);
    f.now++;
    g_assert_true(rd(&f, RTC_REG_A) & RTC_A_UIP);
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x58);
    f.now = start + VCLOCK_NS_PER_SEC;
    g_assert_false(rd(&f, RTC_REG_A) & RTC_A_UIP);
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x59);
    /* UIP is read-only; the rest of register A is kept */
    wr(&f, RTC_REG_A, 0xa0);
    g_assert_cmphex(rd(&f, RTC_REG_A), ==, 0x20);
    fx_fini(&f);
}

static void test_set_bit(void)
{
    Fixture f;
    fx_init(&f, T0);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_SET | RTC_B_UIE);
    g_assert_cmphex(rd(&f, RTC_REG_B), ==, RTC_B_24H | RTC_B_SET);   /* SET clears UIE */
    f.now += VCLOCK_NS_PER_SEC - 1000;          /* frozen: no UIP, no counting */
    g_assert_false(rd(&f, RTC_REG_A) & RTC_A_UIP);
    f.now += 5 * VCLOCK_NS_PER_SEC;
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x58);
    wr(&f, RTC_YEAR, 0x99);
    wr(&f, RTC_CENTURY, 0x19);
    wr(&f, RTC_MONTH, 0x12);
    wr(&f, RTC_DAY_OF_MONTH, 0x31);
    wr(&f, RTC_HOURS, 0x23);
    wr(&f, RTC_MINUTES, 0x59);
    wr(&f, RTC_SECONDS, 0x59);
    g_assert_cmpint(mc146818_get_time(f.rtc), ==, 946684799);   /* 1999-12-31 23:59:59 */
    /* SET does not stop the divider: the next update comes on its second boundary, which
       is 1000 ns away (the clock started at 5000, one second per 10^9 ns). */
    wr(&f, RTC_REG_B, RTC_B_24H);
    f.now += 999;
    g_assert_cmphex(rd(&f, RTC_YEAR), ==, 0x99);
    f.now += 1;
    g_assert_cmphex(rd(&f, RTC_YEAR), ==, 0x00);
    g_assert_cmphex(rd(&f, RTC_CENTURY), ==, 0x20);
    g_assert_cmphex(rd(&f, RTC_MONTH), ==, 0x01);
    g_assert_cmphex(rd(&f, RTC_DAY_OF_WEEK), ==, 7);            /* 2000-01-01: Saturday */
    fx_fini(&f);
}

static void test_regs_cd_nvram(void)
{
    Fixture f;
    fx_init(&f, T0);
    g_assert_cmphex(rd(&f, RTC_REG_D), ==, RTC_D_VRT);   /* valid; bit 6 clear (Linux checks) */
    wr(&f, RTC_REG_D, 0x00);
    g_assert_cmphex(rd(&f, RTC_REG_D), ==, RTC_D_VRT);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);
    wr(&f, RTC_REG_C, 0xf0);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);
    /* NVRAM bytes, and the NMI-mask bit of the index ignored */
    wr(&f, 0x40, 0xa5);
    io_space_out(&f.io, 0x70, 0x80 | 0x40, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x71, 1), ==, 0xa5);
    wr(&f, 0x8e, 0x3c);                                   /* = 0x0e */
    g_assert_cmphex(rd(&f, 0x0e), ==, 0x3c);
    g_assert_cmphex(io_space_in(&f.io, 0x70, 1), ==, 0xff);
    g_assert_cmphex(io_space_in(&f.io, 0x72, 1), ==, 0xff);   /* nothing past 0x71 */
    /* alarm registers are plain storage */
    wr(&f, 0x01, 0x30);
    g_assert_cmphex(rd(&f, 0x01), ==, 0x30);
    fx_fini(&f);
}

static void test_reset_keeps_time(void)
{
    Fixture f;
    fx_init(&f, T0);
    wr(&f, RTC_REG_A, 0x70);
    wr(&f, RTC_REG_B, RTC_B_DM_BINARY | RTC_B_SET);
    wr(&f, 0x20, 0x11);
    f.now += 10 * VCLOCK_NS_PER_SEC;
    mc146818_reset(f.rtc);
    g_assert_cmphex(rd(&f, RTC_REG_A), ==, 0x26);
    g_assert_cmphex(rd(&f, RTC_REG_B), ==, RTC_B_DM_BINARY);   /* SET gone, DM kept */
    g_assert_cmphex(rd(&f, 0x20), ==, 0x11);
    g_assert_cmpint(mc146818_get_time(f.rtc), ==, T0);          /* it was frozen */
    f.now += 2 * VCLOCK_NS_PER_SEC;
    g_assert_cmpint(mc146818_get_time(f.rtc), ==, T0 + 2);
    fx_fini(&f);
}

/* Dates far from today: negative Unix time and late centuries. */
static void test_calendar_edges(void)
{
    static const struct { int64_t t; uint8_t c, y, m, d, wday; } cases[] = {
        { 0, 0x19, 0x70, 0x01, 0x01, 5 },                  /* Thursday */
        { -86400, 0x19, 0x69, 0x12, 0x31, 4 },
        { 951782400, 0x20, 0x00, 0x02, 0x29, 3 },          /* 2000-02-29, Tuesday */
        { 4107542400ll, 0x21, 0x00, 0x03, 0x01, 2 },       /* 2100-03-01, Monday (2100 not leap) */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Fixture f;
        fx_init(&f, cases[i].t);
        g_assert_cmphex(rd(&f, RTC_CENTURY), ==, cases[i].c);
        g_assert_cmphex(rd(&f, RTC_YEAR), ==, cases[i].y);
        g_assert_cmphex(rd(&f, RTC_MONTH), ==, cases[i].m);
        g_assert_cmphex(rd(&f, RTC_DAY_OF_MONTH), ==, cases[i].d);
        g_assert_cmphex(rd(&f, RTC_DAY_OF_WEEK), ==, cases[i].wday);
        fx_fini(&f);
    }
}

/* ---- interrupts: the chain starts at the fixture's 5000 ns with count 0 ---- */

/* Virtual time at which the 32.768 kHz divider chain has counted k ticks. */
static uint64_t at_tick(uint64_t k)
{
    return 5000 + vclock_ticks_to_ns(k, RTC_TIMEBASE_HZ);
}

#define SEC_TICKS ((uint64_t)RTC_TIMEBASE_HZ)

static void poll_at(Fixture *f, uint64_t t)
{
    f->now = t;
    mc146818_poll(f->rtc);
}

/* PF is set with PIE off (no IRQ); with PIE on IRQ 8 rises exactly at the tick and stays up
   until C is read; reading C clears it all; clearing PIE with PF set drops IRQF and IRQ 8. */
static void test_periodic_flag_irq(void)
{
    Fixture f;
    fx_init(&f, T0);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);   /* nothing enabled */
    f.now = at_tick(32) - 1;                         /* 0x26: 1024 Hz = 32 ticks */
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);
    poll_at(&f, at_tick(32));
    g_assert_cmpint(f.irq_edges, ==, 0);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_PF);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);       /* read clears */
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    g_assert_cmpint(f.irq_level, ==, 0);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, at_tick(64));
    poll_at(&f, at_tick(64) - 1);
    g_assert_cmpint(f.irq_level, ==, 0);
    poll_at(&f, at_tick(64));
    g_assert_cmpint(f.irq_level, ==, 1);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);   /* up until C is read */
    poll_at(&f, at_tick(100));
    g_assert_cmpint(f.irq_edges, ==, 1);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_IRQF | RTC_C_PF);
    g_assert_cmpint(f.irq_level, ==, 0);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, at_tick(128));
    poll_at(&f, at_tick(128));
    g_assert_cmpint(f.irq_edges, ==, 2);
    wr(&f, RTC_REG_B, RTC_B_24H);                    /* PIE off: IRQF follows */
    g_assert_cmpint(f.irq_level, ==, 0);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_PF);
    /* a flag already set when its enable is written raises IRQ 8 at once */
    f.now = at_tick(160);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    g_assert_cmpint(f.irq_level, ==, 1);
    g_assert_cmpint(f.irq_edges, ==, 3);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_IRQF | RTC_C_PF);
    g_assert_cmpint(f.irq_level, ==, 0);
    fx_fini(&f);
}

/* Every RS value with the 32.768 kHz base: the datasheet's rates (RS 1/2 = RS 8/9), three
   consecutive interrupts each exactly one period apart; RS 0 gives none. */
static void test_periodic_rates(void)
{
    static const unsigned hz[16] = { 0, 256, 128, 8192, 4096, 2048, 1024, 512, 256, 128, 64,
                                     32, 16, 8, 4, 2 };
    Fixture f;
    fx_init(&f, T0);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    for (unsigned rs = 0; rs < 16; rs++) {
        wr(&f, RTC_REG_A, RTC_A_DV_32KHZ | rs);
        rd(&f, RTC_REG_C);
        if (!hz[rs]) {
            g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);
            f.now += VCLOCK_NS_PER_SEC;
            g_assert_false(rd(&f, RTC_REG_C) & RTC_C_PF);
            g_assert_cmpint(f.irq_level, ==, 0);
            continue;
        }
        uint64_t period = RTC_TIMEBASE_HZ / hz[rs];
        uint64_t k = vclock_ns_to_ticks(f.now - 5000, RTC_TIMEBASE_HZ) / period + 1;
        for (int i = 0; i < 3; i++, k++) {
            uint64_t d = mc146818_next_deadline(f.rtc);
            g_assert_cmpuint(d, ==, at_tick(k * period));
            if (i) {                                 /* 10^9 / hz ns, rounded to the ns */
                uint64_t gap = at_tick(k * period) - at_tick((k - 1) * period);
                g_assert_cmpuint(gap + 1, >=, VCLOCK_NS_PER_SEC / hz[rs]);
                g_assert_cmpuint(gap, <=, VCLOCK_NS_PER_SEC / hz[rs] + 1);
            }
            poll_at(&f, d - 1);
            g_assert_cmpint(f.irq_level, ==, 0);
            poll_at(&f, d);
            g_assert_cmpint(f.irq_level, ==, 1);
            g_assert_cmphex(rd(&f, RTC_REG_C) & (RTC_C_IRQF | RTC_C_PF), ==, RTC_C_IRQF | RTC_C_PF);
        }
    }
    fx_fini(&f);
}

/* UF at the end of every update (after UIP), flag only without UIE; with UIE IRQ 8 exactly
   at the second; several missed seconds make one flag; SET inhibits updates and UF. */
static void test_update_ended(void)
{
    Fixture f;
    fx_init(&f, T0);
    wr(&f, RTC_REG_A, RTC_A_DV_32KHZ);                /* RS 0: no PF to mask */
    wr(&f, RTC_HOURS_ALARM, 0x12);                    /* alarm bytes 0 would match midnight */
    f.now = at_tick(SEC_TICKS) - 1;
    g_assert_true(rd(&f, RTC_REG_A) & RTC_A_UIP);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);
    f.now++;
    g_assert_false(rd(&f, RTC_REG_A) & RTC_A_UIP);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_UF);
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x59);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_UIE);
    g_assert_cmpint(f.irq_level, ==, 0);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, at_tick(2 * SEC_TICKS));
    poll_at(&f, at_tick(2 * SEC_TICKS) - 1);
    g_assert_cmpint(f.irq_level, ==, 0);
    poll_at(&f, at_tick(2 * SEC_TICKS));
    g_assert_cmpint(f.irq_level, ==, 1);
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x00);            /* midnight, March 1st */
    g_assert_cmphex(rd(&f, RTC_DAY_OF_MONTH), ==, 0x01);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_IRQF | RTC_C_UF);
    g_assert_cmpint(f.irq_level, ==, 0);
    /* ten seconds without a look: one flag, the time caught up */
    f.now = at_tick(12 * SEC_TICKS) + 77;
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_IRQF | RTC_C_UF);
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x10);
    g_assert_cmpint(f.irq_edges, ==, 2);
    /* SET: UIE cleared, no update, no UF, no deadline */
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_SET | RTC_B_UIE);
    g_assert_cmphex(rd(&f, RTC_REG_B), ==, RTC_B_24H | RTC_B_SET);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_SET | RTC_B_UIE);      /* UIE stays when SET was set */
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);
    f.now = at_tick(15 * SEC_TICKS);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x10);
    g_assert_cmpint(f.irq_level, ==, 0);
    fx_fini(&f);
}

static void set_alarm(Fixture *f, uint8_t h, uint8_t m, uint8_t sec)
{
    wr(f, RTC_HOURS_ALARM, h);
    wr(f, RTC_MINUTES_ALARM, m);
    wr(f, RTC_SECONDS_ALARM, sec);
}

/* The update (counted from the fixture's start, T0 = 23:59:58) that shows time t. */
static uint64_t update_at(int64_t t)
{
    return at_tick((uint64_t)(t - T0) * SEC_TICKS);
}

/* AF when an update makes the time match the alarm bytes; IRQ 8 with AIE. */
static void test_alarm_exact(void)
{
    Fixture f;
    fx_init(&f, T0);
    wr(&f, RTC_REG_A, RTC_A_DV_32KHZ);
    set_alarm(&f, 0x00, 0x00, 0x03);                 /* 00:00:03, 5 updates away */
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_AIE);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, update_at(T0 + 5));
    poll_at(&f, update_at(T0 + 5) - 1);
    g_assert_cmpint(f.irq_level, ==, 0);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_UF);        /* no AF yet */
    poll_at(&f, update_at(T0 + 5));
    g_assert_cmpint(f.irq_level, ==, 1);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
    /* the next one is a day later */
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, update_at(T0 + 5 + 86400));
    /* lazily: nobody looks for a day and a minute; C has AF */
    f.now = update_at(T0 + 5 + 86460);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
    /* writing the time to the alarm time is no match: only updates compare */
    wr(&f, RTC_REG_B, RTC_B_24H);
    wr(&f, RTC_SECONDS, 0x03);
    wr(&f, RTC_MINUTES, 0x00);
    g_assert_false(rd(&f, RTC_REG_C) & RTC_C_AF);
    set_alarm(&f, 0x00, 0x00, 0x04);
    f.now += VCLOCK_NS_PER_SEC;
    g_assert_cmphex(rd(&f, RTC_SECONDS), ==, 0x04);
    g_assert_true(rd(&f, RTC_REG_C) & RTC_C_AF);
    fx_fini(&f);
}

/* Don't-care bytes (0xc0-0xff): every second, once a minute, once an hour; binary and
   12-hour formats compare the bytes as written. */
static void test_alarm_wildcards(void)
{
    static const struct {
        uint8_t b, h, m, s;
        int64_t next;           /* the first matching time after T0 (23:59:58) */
    } cases[] = {
        { RTC_B_24H, 0xff, 0xc0, 0xd7, T0 + 1 },                  /* every second */
        { RTC_B_24H, 0xc0, 0xc0, 0x30, T0 + 32 },                 /* every minute at :30 */
        { RTC_B_24H, 0xc0, 0x05, 0x00, T0 + 2 + 5 * 60 },         /* every hour at :05:00 */
        { RTC_B_24H, 0x00, 0x00, 0xc0, T0 + 2 },                  /* each second of 00:00 */
        { RTC_B_24H, 0x23, 0xff, 0xff, T0 + 1 },                  /* each second of 23:xx */
        { RTC_B_24H | RTC_B_DM_BINARY, 0xc0, 0xc0, 30, T0 + 32 },
        { RTC_B_24H | RTC_B_DM_BINARY, 1, 2, 3, T0 + 2 + 3723 },
        { 0, 0x12, 0x00, 0x00, T0 + 2 },                          /* 12 AM: midnight */
        { 0, 0x92, 0x00, 0x00, T0 + 2 + 12 * 3600 },              /* 12 PM: noon */
        { 0, 0x81, 0x30, 0x00, T0 + 2 + 13 * 3600 + 30 * 60 },    /* 1:30 PM */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Fixture f;
        fx_init(&f, T0);
        wr(&f, RTC_REG_A, RTC_A_DV_32KHZ);
        wr(&f, RTC_REG_B, cases[i].b | RTC_B_AIE);
        set_alarm(&f, cases[i].h, cases[i].m, cases[i].s);
        g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, update_at(cases[i].next));
        poll_at(&f, update_at(cases[i].next) - 1);
        g_assert_cmpint(f.irq_level, ==, 0);
        poll_at(&f, update_at(cases[i].next));
        g_assert_cmpint(f.irq_level, ==, 1);
        g_assert_true(rd(&f, RTC_REG_C) & RTC_C_AF);
        fx_fini(&f);
    }
}

/* Alarm bytes no time can show never match: no deadline with AIE, no AF in two days. */
static void test_alarm_bad_values(void)
{
    static const struct { uint8_t b, h, m, s; } cases[] = {
        { RTC_B_24H, 0xc0, 0xc0, 0x60 },                    /* BCD 60 seconds */
        { RTC_B_24H, 0xc0, 0xc0, 0x5a },                    /* not BCD */
        { RTC_B_24H, 0xc0, 0xc0, 0x80 },                    /* bit 7 alone is not don't-care */
        { RTC_B_24H, 0x24, 0xc0, 0xc0 },                    /* hour 24 */
        { RTC_B_24H | RTC_B_DM_BINARY, 0xc0, 60, 0xc0 },    /* binary minute 60 */
        { 0, 0x00, 0xc0, 0xc0 },                            /* hour 0 in 12-hour mode */
        { 0, 0x13, 0xc0, 0xc0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Fixture f;
        fx_init(&f, T0);
        wr(&f, RTC_REG_B, cases[i].b | RTC_B_AIE);
        set_alarm(&f, cases[i].h, cases[i].m, cases[i].s);
        g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);
        poll_at(&f, update_at(T0 + 2 * 86400));
        g_assert_false(rd(&f, RTC_REG_C) & RTC_C_AF);
        g_assert_cmpint(f.irq_edges, ==, 0);
        fx_fini(&f);
    }
}

/* Divider reset (11x) and the invalid time bases stop updates, PF and UIP; back to 010 the
   first update comes 500 ms later and the first periodic flag one period later. */
static void test_divider(void)
{
    static const uint8_t stopped[] = { 0x60, 0x70, 0x00, 0x10, 0x30, 0x40, 0x50 };
    Fixture f;
    fx_init(&f, T0);
    set_alarm(&f, 0xc0, 0xc0, 0xc0);
    for (size_t i = 0; i < G_N_ELEMENTS(stopped); i++) {
        wr(&f, RTC_REG_B, RTC_B_24H);
        wr(&f, RTC_REG_A, stopped[i] | 0x06);
        rd(&f, RTC_REG_C);
        int64_t t = mc146818_get_time(f.rtc);
        wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE | RTC_B_AIE | RTC_B_UIE);
        g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);
        for (int j = 0; j < 40; j++) {                   /* never UIP, never a flag */
            f.now += VCLOCK_NS_PER_SEC / 8 + 12345;
            g_assert_false(rd(&f, RTC_REG_A) & RTC_A_UIP);
            g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);
        }
        g_assert_cmpint(mc146818_get_time(f.rtc), ==, t);
        g_assert_cmphex(rd(&f, RTC_REG_A), ==, stopped[i] | 0x06);
        g_assert_cmpint(f.irq_edges, ==, 0);
    }
    /* released: PF after 976.5625 us, UF (and AF) after 500 ms, then every second */
    uint64_t t0 = f.now;
    int64_t shown = mc146818_get_time(f.rtc);
    wr(&f, RTC_REG_A, 0x26);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==,
                     t0 + vclock_ticks_to_ns(32, RTC_TIMEBASE_HZ));
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_UIE);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, t0 + VCLOCK_NS_PER_SEC / 2);
    poll_at(&f, t0 + VCLOCK_NS_PER_SEC / 2 - 1);
    g_assert_true(rd(&f, RTC_REG_A) & RTC_A_UIP);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, RTC_C_PF);
    g_assert_cmpint(f.irq_level, ==, 0);
    poll_at(&f, t0 + VCLOCK_NS_PER_SEC / 2);
    g_assert_cmpint(f.irq_level, ==, 1);
    g_assert_cmpint(mc146818_get_time(f.rtc), ==, shown + 1);
    rd(&f, RTC_REG_C);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, t0 + 3 * VCLOCK_NS_PER_SEC / 2);
    /* changing the rate does not restart the chain */
    wr(&f, RTC_REG_A, 0x2f);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, t0 + 3 * VCLOCK_NS_PER_SEC / 2);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, t0 + VCLOCK_NS_PER_SEC);  /* 2 Hz */
    fx_fini(&f);
}

/* The board hears about accesses that move the next deadline, and only those. */
static void test_notify(void)
{
    Fixture f;
    fx_init(&f, T0);
    mc146818_set_notify(f.rtc, count_note, &f);
    wr(&f, 0x20, 0x12);                               /* NVRAM */
    wr(&f, RTC_SECONDS_ALARM, 0x05);                  /* alarm off: no deadline either way */
    wr(&f, RTC_REG_A, 0x26);                          /* unchanged */
    g_assert_cmpint(f.notes, ==, 0);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE);         /* MAX -> the next 1024 Hz tick */
    g_assert_cmpint(f.notes, ==, 1);
    wr(&f, RTC_REG_A, 0x2f);                          /* 2 Hz */
    g_assert_cmpint(f.notes, ==, 2);
    wr(&f, RTC_REG_A, 0x2f);
    rd(&f, RTC_SECONDS);
    rd(&f, RTC_REG_A);
    g_assert_cmpint(f.notes, ==, 2);
    poll_at(&f, mc146818_next_deadline(f.rtc));       /* polls are the board's own doing */
    g_assert_cmpint(f.irq_level, ==, 1);
    g_assert_cmpint(f.notes, ==, 2);
    rd(&f, RTC_REG_C);                                /* IRQ 8 down: a deadline again */
    g_assert_cmpint(f.notes, ==, 3);
    rd(&f, RTC_REG_C);
    g_assert_cmpint(f.notes, ==, 3);
    wr(&f, RTC_REG_A, 0x66);                          /* divider reset: none */
    g_assert_cmpint(f.notes, ==, 4);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);
    wr(&f, RTC_REG_A, 0x26);
    g_assert_cmpint(f.notes, ==, 5);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE | RTC_B_AIE);   /* alarm at :05 is further */
    g_assert_cmpint(f.notes, ==, 5);
    fx_fini(&f);
}

/* A guest reset releases IRQ 8, clears the flags and the enables, restarts a stopped chain. */
static void test_reset_irq(void)
{
    Fixture f;
    fx_init(&f, T0);
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_PIE | RTC_B_SQWE);
    poll_at(&f, at_tick(32));
    g_assert_cmpint(f.irq_level, ==, 1);
    mc146818_reset(f.rtc);
    g_assert_cmpint(f.irq_level, ==, 0);
    g_assert_cmphex(rd(&f, RTC_REG_B), ==, RTC_B_24H);
    g_assert_cmphex(rd(&f, RTC_REG_C), ==, 0);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, UINT64_MAX);
    /* the running chain keeps its phase through the reset */
    wr(&f, RTC_REG_B, RTC_B_24H | RTC_B_UIE);
    g_assert_cmpuint(mc146818_next_deadline(f.rtc), ==, at_tick(SEC_TICKS));
    fx_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rtc/bcd-24h", test_bcd_24h);
    g_test_add_func("/rtc/binary-12h", test_binary_12h);
    g_test_add_func("/rtc/uip", test_uip);
    g_test_add_func("/rtc/set-bit", test_set_bit);
    g_test_add_func("/rtc/regs-cd-nvram", test_regs_cd_nvram);
    g_test_add_func("/rtc/reset", test_reset_keeps_time);
    g_test_add_func("/rtc/calendar-edges", test_calendar_edges);
    g_test_add_func("/rtc/periodic-flag-irq", test_periodic_flag_irq);
    g_test_add_func("/rtc/periodic-rates", test_periodic_rates);
    g_test_add_func("/rtc/update-ended", test_update_ended);
    g_test_add_func("/rtc/alarm-exact", test_alarm_exact);
    g_test_add_func("/rtc/alarm-wildcards", test_alarm_wildcards);
    g_test_add_func("/rtc/alarm-bad-values", test_alarm_bad_values);
    g_test_add_func("/rtc/divider", test_divider);
    g_test_add_func("/rtc/notify", test_notify);
    g_test_add_func("/rtc/reset-irq", test_reset_irq);
    return g_test_run();
}
