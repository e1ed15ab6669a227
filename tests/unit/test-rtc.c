/* Unit tests for hw/rtc/mc146818.c: time registers in BCD/binary and 12/24 h, UIP, SET, registers A-D, century, on an injected virtual clock. */
#include "hw/rtc/mc146818.h"
#include "sysemu/ioport.h"

/* 2024-02-29 23:59:58 UTC, a Thursday. */
#define T0 1709251198ll

typedef struct Fixture {
    IoSpace io;
    Mc146818State *rtc;
    uint64_t now;
} Fixture;

static uint64_t fake_now(void *opaque)
{
    return ((Fixture *)opaque)->now;
}

static void fx_init(Fixture *f, int64_t t)
{
    GError *err = NULL;
    const VClock clock = { .now_ns = fake_now, .opaque = f };

    *f = (Fixture) { .now = 5000 };
    io_space_init(&f->io);
    f->rtc = mc146818_new(&clock, t);
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
    wr(&f, RTC_REG_B, RTC_B_24H);
    f.now += VCLOCK_NS_PER_SEC - 1;
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
    return g_test_run();
}
