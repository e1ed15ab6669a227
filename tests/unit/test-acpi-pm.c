/* Unit tests for hw/acpi/pm.c: PM1 status/enable/control, SLP_EN poweroff, the PM timer on an injected virtual clock, SCI and the reset register. */
#include "hw/acpi/pc-tables.h"
#include "hw/acpi/pm.h"
#include "sysemu/ioport.h"

typedef struct Fixture {
    IoSpace io;
    AcpiPmState *pm;
    uint64_t now;
    int sci;
    int poweroffs, resets;
} Fixture;

static uint64_t fake_now(void *opaque)
{
    return ((Fixture *)opaque)->now;
}

static void fake_sci(void *opaque, int n, int level)
{
    Fixture *f = opaque;
    g_assert_cmpint(n, ==, PC_ACPI_SCI_IRQ);
    f->sci = level;
}

static void fake_request(void *opaque, AcpiPmRequest req)
{
    Fixture *f = opaque;
    if (req == ACPI_PM_POWEROFF) {
        f->poweroffs++;
    } else {
        f->resets++;
    }
}

static void fx_init(Fixture *f)
{
    GError *err = NULL;
    const VClock clock = { .now_ns = fake_now, .opaque = f };
    const IrqLine sci = { .set = fake_sci, .opaque = f, .n = PC_ACPI_SCI_IRQ };

    *f = (Fixture) { .now = 0 };
    io_space_init(&f->io);
    f->pm = acpi_pm_new(&clock, &sci, PC_ACPI_S5_SLP_TYP, fake_request, f);
    g_assert_true(io_space_add(&f->io, PC_ACPI_PM1_EVT, &f->pm->io_evt, &err));
    g_assert_true(io_space_add(&f->io, PC_ACPI_PM1_CNT, &f->pm->io_cnt, &err));
    g_assert_true(io_space_add(&f->io, PC_ACPI_PM_TMR, &f->pm->io_tmr, &err));
    g_assert_true(io_space_add(&f->io, PC_ACPI_RESET_PORT, &f->pm->io_reset, &err));
    g_assert_no_error(err);
}

static void fx_fini(Fixture *f)
{
    io_space_destroy(&f->io);
    acpi_pm_free(f->pm);
}

/* 3.579545 MHz of virtual time, 32 bits wide (TMR_VAL_EXT), read-only. */
static void test_pm_timer(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(io_space_in(&f.io, 0x608, 4), ==, 0);
    f.now = 1000000000;                                     /* one second */
    g_assert_cmpuint(io_space_in(&f.io, 0x608, 4), ==, 3579545);
    f.now = 1000;                                           /* 1 µs = 3.58 ticks */
    g_assert_cmpuint(io_space_in(&f.io, 0x608, 4), ==, 3);
    /* past 2^24 ticks: the upper byte counts too (a 24-bit timer would wrap) */
    f.now = 5000000000ull;
    uint32_t v = io_space_in(&f.io, 0x608, 4);
    g_assert_cmpuint(v, ==, 17897725);
    g_assert_cmphex(v >> 24, ==, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x60b, 1), ==, 1);
    /* wraps at 2^32 ticks (about 1200 s) */
    f.now = vclock_ticks_to_ns(0x100000005ull, ACPI_PM_TIMER_HZ);
    g_assert_cmphex(io_space_in(&f.io, 0x608, 4), ==, 5);
    io_space_out(&f.io, 0x608, 0, 4);
    g_assert_cmphex(io_space_in(&f.io, 0x608, 4), ==, 5);
    /* monotonic over a long stretch of small steps */
    uint32_t last = 0;
    f.now = 0;
    for (int i = 0; i < 1000; i++) {
        f.now += 977;
        uint32_t t = io_space_in(&f.io, 0x608, 4);
        g_assert_cmpuint(t, >=, last);
        last = t;
    }
    fx_fini(&f);
}

/* PM1_CNT: SCI_EN always reads set; SLP_EN with \_S5's SLP_TYP asks for poweroff. */
static void test_pm1_cnt_poweroff(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(io_space_in(&f.io, 0x604, 2), ==, ACPI_PM1_SCI_EN);
    io_space_out(&f.io, 0x604, 0, 2);
    g_assert_cmphex(io_space_in(&f.io, 0x604, 2), ==, ACPI_PM1_SCI_EN);
    /* SLP_TYP alone stores, no action */
    io_space_out(&f.io, 0x604, 5 << 10, 2);
    g_assert_cmphex(io_space_in(&f.io, 0x604, 2), ==, (5 << 10) | 1);
    g_assert_cmpint(f.poweroffs, ==, 0);
    /* a sleep type the DSDT does not offer (S3-like 5) is ignored */
    io_space_out(&f.io, 0x604, (5 << 10) | ACPI_PM1_SLP_EN, 2);
    g_assert_cmpint(f.poweroffs, ==, 0);
    g_assert_cmphex(io_space_in(&f.io, 0x604, 2) & ACPI_PM1_SLP_EN, ==, 0);
    /* Linux's acpi_enter_sleep_state(S5): SLP_TYP first, then SLP_EN */
    io_space_out(&f.io, 0x604, PC_ACPI_S5_SLP_TYP << 10, 2);
    io_space_out(&f.io, 0x604, (PC_ACPI_S5_SLP_TYP << 10) | ACPI_PM1_SLP_EN | 1, 2);
    g_assert_cmpint(f.poweroffs, ==, 1);
    /* byte access to the high half (SLP_EN is bit 5 of byte 1) */
    io_space_out(&f.io, 0x605, ACPI_PM1_SLP_EN >> 8, 1);
    g_assert_cmpint(f.poweroffs, ==, 2);
    g_assert_cmpint(f.resets, ==, 0);
    fx_fini(&f);
}

/* PM1 status: write-1-to-clear; enable r/w; SCI = status & enable; power button. */
static void test_pm1_evt_sci(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(io_space_in(&f.io, 0x600, 4), ==, 0);
    io_space_out(&f.io, 0x602, 0x0121, 2);
    g_assert_cmphex(io_space_in(&f.io, 0x602, 2), ==, 0x0121);
    g_assert_cmphex(io_space_in(&f.io, 0x600, 2), ==, 0);
    g_assert_cmpint(f.sci, ==, 0);
    acpi_pm_power_button(f.pm);
    g_assert_cmphex(io_space_in(&f.io, 0x600, 2), ==, ACPI_PM1_PWRBTN);
    g_assert_cmpint(f.sci, ==, 1);
    io_space_out(&f.io, 0x600, 0x0001, 2);                 /* other bits: nothing cleared */
    g_assert_cmpint(f.sci, ==, 1);
    io_space_out(&f.io, 0x600, ACPI_PM1_PWRBTN, 2);        /* the handler acknowledges */
    g_assert_cmphex(io_space_in(&f.io, 0x600, 2), ==, 0);
    g_assert_cmpint(f.sci, ==, 0);
    /* a disabled event sets status but no SCI */
    io_space_out(&f.io, 0x602, 0, 2);
    acpi_pm_power_button(f.pm);
    g_assert_cmpint(f.sci, ==, 0);
    g_assert_cmphex(io_space_in(&f.io, 0x601, 1), ==, ACPI_PM1_PWRBTN >> 8);
    /* a 32-bit write clears status and sets enable at once */
    io_space_out(&f.io, 0x600, 0xffff | (ACPI_PM1_PWRBTN << 16), 4);
    g_assert_cmphex(io_space_in(&f.io, 0x600, 4), ==, ACPI_PM1_PWRBTN << 16);
    fx_fini(&f);
}

/* TMR_STS when bit 31 of the timer toggles; a deadline only when TMR_EN asks for the SCI. */
static void test_timer_overflow_status(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmpuint(acpi_pm_next_deadline(f.pm), ==, UINT64_MAX);
    io_space_out(&f.io, 0x602, ACPI_PM1_TMR, 2);
    uint64_t d = acpi_pm_next_deadline(f.pm);
    g_assert_cmpuint(d, ==, vclock_ticks_to_ns(0x80000000ull, ACPI_PM_TIMER_HZ));
    f.now = d - 1;
    acpi_pm_poll(f.pm);
    g_assert_cmpint(f.sci, ==, 0);
    f.now = d;
    acpi_pm_poll(f.pm);
    g_assert_cmpint(f.sci, ==, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x600, 2) & ACPI_PM1_TMR, ==, ACPI_PM1_TMR);
    io_space_out(&f.io, 0x600, ACPI_PM1_TMR, 2);
    g_assert_cmpint(f.sci, ==, 0);
    g_assert_cmpuint(acpi_pm_next_deadline(f.pm), ==,
                     vclock_ticks_to_ns(0x100000000ull, ACPI_PM_TIMER_HZ));
    fx_fini(&f);
}

/* The reset register: value 6 (FADT RESET_VALUE) resets; bit 2 clear does nothing. */
static void test_reset_register(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0xcf9, 0x02, 1);
    g_assert_cmpint(f.resets, ==, 0);
    g_assert_cmphex(io_space_in(&f.io, 0xcf9, 1), ==, 0x02);
    io_space_out(&f.io, 0xcf9, PC_ACPI_RESET_VALUE, 1);
    g_assert_cmpint(f.resets, ==, 1);
    io_space_out(&f.io, 0xcf9, 0x04, 1);
    g_assert_cmpint(f.resets, ==, 2);
    g_assert_cmpint(f.poweroffs, ==, 0);
    /* 0xcf8 and 0xcfa are not the device's */
    g_assert_cmphex(io_space_in(&f.io, 0xcf8, 1), ==, 0xff);
    io_space_out(&f.io, 0xcfa, 0x06, 1);
    g_assert_cmpint(f.resets, ==, 2);
    acpi_pm_reset(f.pm);
    g_assert_cmphex(io_space_in(&f.io, 0xcf9, 1), ==, 0);
    fx_fini(&f);
}

static void count_note(void *opaque)
{
    (*(int *)opaque)++;
}

/* The board hears when a PM1 write moves the TMR_STS deadline (TMR_EN set or cleared). */
static void test_notify(void)
{
    Fixture f;
    int notes = 0;
    fx_init(&f);
    acpi_pm_set_notify(f.pm, count_note, &notes);
    io_space_out(&f.io, 0x602, ACPI_PM1_PWRBTN, 2);         /* no timer SCI: no deadline */
    io_space_out(&f.io, 0x600, 0xffff, 2);
    io_space_in(&f.io, 0x600, 4);
    io_space_in(&f.io, 0x608, 4);
    g_assert_cmpint(notes, ==, 0);
    io_space_out(&f.io, 0x602, ACPI_PM1_PWRBTN | ACPI_PM1_TMR, 2);
    g_assert_cmpint(notes, ==, 1);
    g_assert_cmpuint(acpi_pm_next_deadline(f.pm), !=, UINT64_MAX);
    io_space_out(&f.io, 0x603, ACPI_PM1_RTC >> 8, 1);       /* high byte only: TMR_EN stays */
    io_space_out(&f.io, 0x600, ACPI_PM1_TMR, 2);
    io_space_out(&f.io, 0x604, 0x0400, 2);                  /* PM1_CNT: not a timer */
    g_assert_cmpint(notes, ==, 1);
    io_space_out(&f.io, 0x602, 0, 1);                       /* TMR_EN cleared */
    g_assert_cmpint(notes, ==, 2);
    g_assert_cmpuint(acpi_pm_next_deadline(f.pm), ==, UINT64_MAX);
    fx_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/acpi-pm/timer", test_pm_timer);
    g_test_add_func("/acpi-pm/pm1-cnt-poweroff", test_pm1_cnt_poweroff);
    g_test_add_func("/acpi-pm/pm1-evt-sci", test_pm1_evt_sci);
    g_test_add_func("/acpi-pm/timer-overflow-status", test_timer_overflow_status);
    g_test_add_func("/acpi-pm/reset-register", test_reset_register);
    g_test_add_func("/acpi-pm/notify", test_notify);
    return g_test_run();
}
