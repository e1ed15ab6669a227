/* Unit tests for hw/intc/apic.c: registers through the MMIO callbacks, priorities, EOI, the LVT timer (one-shot, periodic, TSC-deadline) on an injected clock, LINT0/LINT1, self-IPIs, NMIs and the board notification. */
#include "hw/intc/apic.h"

typedef struct Fixture {
    ApicState *apic;
    uint64_t now;
    int nmis;
    int notes;          /* ApicNotifyFn calls */
} Fixture;

static uint64_t fake_now(void *opaque)
{
    return ((Fixture *)opaque)->now;
}

static void fake_nmi(void *opaque)
{
    ((Fixture *)opaque)->nmis++;
}

static void fake_notify(void *opaque)
{
    ((Fixture *)opaque)->notes++;
}

static void fx_init(Fixture *f)
{
    const VClock clock = { .now_ns = fake_now, .opaque = f };

    *f = (Fixture) { .now = 5000 };
    f->apic = apic_new(0, &clock, fake_nmi, f);
    apic_set_notify(f->apic, fake_notify, f);
}

static uint32_t rd(Fixture *f, uint32_t off)
{
    return f->apic->mmio.ops->read(f->apic, off, 4);
}

static void wr(Fixture *f, uint32_t off, uint32_t val)
{
    f->apic->mmio.ops->write(f->apic, off, val, 4);
}

static void enable(Fixture *f)
{
    wr(f, APIC_SVR, APIC_SVR_ENABLE | 0xff);
}

/* Power-on values, read-only registers, software-disable masking the LVTs. */
static void test_reset_values(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(rd(&f, APIC_ID), ==, 0);
    g_assert_cmphex(rd(&f, APIC_VER), ==, APIC_VERSION);
    g_assert_cmphex(rd(&f, APIC_SVR), ==, 0xff);
    g_assert_cmphex(rd(&f, APIC_DFR), ==, 0xffffffff);
    for (uint32_t off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 0x10) {
        g_assert_cmphex(rd(&f, off), ==, APIC_LVT_MASKED);
    }
    wr(&f, APIC_VER, 0);
    g_assert_cmphex(rd(&f, APIC_VER), ==, APIC_VERSION);
    wr(&f, APIC_LVT_LINT0, 0x700);                   /* disabled: the mask stays */
    g_assert_cmphex(rd(&f, APIC_LVT_LINT0), ==, 0x10700);
    g_assert_false(apic_accepts_pic(f.apic));
    enable(&f);
    wr(&f, APIC_LVT_LINT0, 0x700);                   /* virtual wire: ExtINT */
    g_assert_cmphex(rd(&f, APIC_LVT_LINT0), ==, 0x700);
    g_assert_true(apic_accepts_pic(f.apic));
    wr(&f, APIC_LVT_TIMER, 0xffffffff);              /* reserved bits do not stick */
    g_assert_cmphex(rd(&f, APIC_LVT_TIMER), ==, 0x700ff);
    wr(&f, APIC_ID, 0x03000000);
    g_assert_cmphex(rd(&f, APIC_ID), ==, 0x03000000);
    /* narrow reads see part of the register; unaligned writes are ignored */
    g_assert_cmphex(f.apic->mmio.ops->read(f.apic, APIC_ID + 3, 1), ==, 0x03);
    f.apic->mmio.ops->write(f.apic, APIC_TPR + 1, 0x20, 1);
    g_assert_cmphex(rd(&f, APIC_TPR), ==, 0);
    wr(&f, APIC_SVR, 0xff);                          /* disabling masks every LVT */
    g_assert_cmphex(rd(&f, APIC_LVT_LINT0) & APIC_LVT_MASKED, ==, APIC_LVT_MASKED);
    apic_free(f.apic);
}

/* IRR -> ISR on ack, priority classes against TPR and the in-service vector, EOI. */
static void test_priority_eoi(void)
{
    Fixture f;
    fx_init(&f);
    apic_set_irq(f.apic, 0x41);
    g_assert_false(apic_intr_pending(f.apic));       /* software-disabled */
    g_assert_cmpint(apic_ack(f.apic), ==, 0xff);     /* spurious vector */
    enable(&f);
    g_assert_true(apic_intr_pending(f.apic));
    g_assert_cmphex(rd(&f, APIC_IRR + 0x20), ==, 1u << 1);
    wr(&f, APIC_TPR, 0x40);                          /* class 4 blocks 0x41 */
    g_assert_false(apic_intr_pending(f.apic));
    g_assert_cmphex(rd(&f, APIC_PPR), ==, 0x40);
    wr(&f, APIC_TPR, 0x30);
    g_assert_cmpint(apic_ack(f.apic), ==, 0x41);
    g_assert_cmphex(rd(&f, APIC_ISR + 0x20), ==, 1u << 1);
    g_assert_cmphex(rd(&f, APIC_PPR), ==, 0x40);
    apic_set_irq(f.apic, 0x45);                      /* same class: waits */
    g_assert_false(apic_intr_pending(f.apic));
    apic_set_irq(f.apic, 0x61);                      /* higher class: nests */
    g_assert_cmpint(apic_ack(f.apic), ==, 0x61);
    wr(&f, APIC_EOI, 0);                             /* ends 0x61, the highest */
    g_assert_cmphex(rd(&f, APIC_ISR + 0x30), ==, 0);
    g_assert_cmphex(rd(&f, APIC_ISR + 0x20), ==, 1u << 1);
    wr(&f, APIC_EOI, 0);
    g_assert_cmpint(apic_ack(f.apic), ==, 0x45);
    /* illegal vectors are refused with an error */
    apic_set_irq(f.apic, 3);
    g_assert_cmphex(rd(&f, APIC_ESR), ==, 1u << 6);
    wr(&f, APIC_ESR, 0);
    g_assert_cmphex(rd(&f, APIC_ESR), ==, 0);
    apic_free(f.apic);
}

/* One-shot timer with divide-by-16: current count, expiry, interrupt once. */
static void test_timer_oneshot(void)
{
    Fixture f;
    fx_init(&f);
    enable(&f);
    wr(&f, APIC_TDCR, 0x3);                          /* divide by 16 */
    wr(&f, APIC_LVT_TIMER, 0xec);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    wr(&f, APIC_TMICT, 1000);
    uint64_t start = f.now;
    g_assert_cmpuint(rd(&f, APIC_TMCCT), ==, 1000);
    f.now = start + 16 * 250;
    g_assert_cmpuint(rd(&f, APIC_TMCCT), ==, 750);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, start + 16000);
    f.now = start + 16000 - 1;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    f.now = start + 16000;
    apic_poll(f.apic);
    g_assert_cmpuint(rd(&f, APIC_TMCCT), ==, 0);
    g_assert_true(apic_intr_pending(f.apic));
    g_assert_cmpint(apic_ack(f.apic), ==, 0xec);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    f.now += 100000;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));       /* one shot */
    /* divide by 1 (0xb) counts every ns */
    wr(&f, APIC_TDCR, 0xb);
    wr(&f, APIC_TMICT, 10);
    f.now += 4;
    g_assert_cmpuint(rd(&f, APIC_TMCCT), ==, 6);
    apic_free(f.apic);
}

/* Periodic mode: reloads, one interrupt per period, masked LVT counts without interrupts. */
static void test_timer_periodic(void)
{
    Fixture f;
    fx_init(&f);
    enable(&f);
    wr(&f, APIC_TDCR, 0xb);
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_PERIODIC | 0x30);
    wr(&f, APIC_TMICT, 100);
    uint64_t start = f.now;
    f.now = start + 250;
    g_assert_cmpuint(rd(&f, APIC_TMCCT), ==, 50);
    apic_poll(f.apic);
    g_assert_cmpint(apic_ack(f.apic), ==, 0x30);
    wr(&f, APIC_EOI, 0);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, start + 300);
    f.now = start + 300;
    apic_poll(f.apic);
    g_assert_cmpint(apic_ack(f.apic), ==, 0x30);
    wr(&f, APIC_EOI, 0);
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_PERIODIC | APIC_LVT_MASKED | 0x30);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    f.now += 1000;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    /* TMICT 0 stops the timer */
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_PERIODIC | 0x30);
    wr(&f, APIC_TMICT, 0);
    g_assert_cmpuint(rd(&f, APIC_TMCCT), ==, 0);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    apic_free(f.apic);
}

/* ICR: self-IPIs by shorthand or own id, NMI mode, other destinations dropped, bad vector. */
static void test_self_ipi(void)
{
    Fixture f;
    fx_init(&f);
    enable(&f);
    wr(&f, APIC_ICR_LO, (1u << 18) | 0x50);         /* shorthand self */
    g_assert_cmpint(apic_ack(f.apic), ==, 0x50);
    wr(&f, APIC_EOI, 0);
    wr(&f, APIC_ICR_HI, 0);                          /* destination id 0 = us */
    wr(&f, APIC_ICR_LO, 0x51);
    g_assert_cmpint(apic_ack(f.apic), ==, 0x51);
    wr(&f, APIC_EOI, 0);
    g_assert_cmphex(rd(&f, APIC_ICR_HI), ==, 0);
    g_assert_cmphex(rd(&f, APIC_ICR_LO) & (1u << 12), ==, 0);   /* idle */
    wr(&f, APIC_ICR_HI, 0x05000000);                 /* another CPU: nobody there */
    wr(&f, APIC_ICR_LO, 0x52);
    g_assert_false(apic_intr_pending(f.apic));
    wr(&f, APIC_ICR_LO, (3u << 18) | 0x53);          /* all excluding self */
    g_assert_false(apic_intr_pending(f.apic));
    wr(&f, APIC_ICR_LO, (1u << 18) | (4u << 8));     /* NMI to self */
    g_assert_cmpint(f.nmis, ==, 1);
    wr(&f, APIC_ICR_LO, (1u << 18) | 0x05);          /* illegal vector */
    g_assert_cmphex(rd(&f, APIC_ESR), ==, 1u << 5);
    g_assert_false(apic_intr_pending(f.apic));
    apic_free(f.apic);
}

/* TSC-deadline mode: the MSR arms/disarms, fires when the TSC reaches it (TSC ≠ clock:
   only the distance counts), reads 0 once fired; TMICT/TMCCT are out of play. */
static void test_tsc_deadline(void)
{
    Fixture f;
    fx_init(&f);
    enable(&f);
    const uint64_t tsc0 = 7000000;                   /* the CPU's TSC when f.now = 5000 */
#define TSC() (tsc0 + f.now - 5000)
    /* not in TSC-deadline mode: reads 0, writes ignored */
    wr(&f, APIC_LVT_TIMER, 0xef);
    apic_write_tsc_deadline(f.apic, TSC() + 100, TSC());
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | 0xef);
    g_assert_cmphex(rd(&f, APIC_LVT_TIMER), ==, 0x400ef);
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);     /* the ignored write */
    /* arm: fires when the TSC reaches the value, not before */
    int notes = f.notes;
    apic_write_tsc_deadline(f.apic, TSC() + 500, TSC());
    g_assert_cmpint(f.notes, >, notes);                          /* the board re-plans */
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, tsc0 + 500);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, 5500);
    wr(&f, APIC_TMICT, 10);                                      /* ignored */
    g_assert_cmpuint(rd(&f, APIC_TMICT), ==, 0);
    g_assert_cmpuint(rd(&f, APIC_TMCCT), ==, 0);
    f.now = 5499;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, tsc0 + 500);
    f.now = 5500;
    notes = f.notes;
    apic_poll(f.apic);
    g_assert_cmpint(f.notes, >, notes);
    g_assert_cmpint(apic_ack(f.apic), ==, 0xef);
    wr(&f, APIC_EOI, 0);
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);     /* disarmed by firing */
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    f.now += 100000;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));                   /* once */
    /* a value in the past (or now) fires at once */
    apic_write_tsc_deadline(f.apic, TSC() - 5, TSC());
    g_assert_true(apic_intr_pending(f.apic));
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);
    g_assert_cmpint(apic_ack(f.apic), ==, 0xef);
    wr(&f, APIC_EOI, 0);
    apic_write_tsc_deadline(f.apic, TSC(), TSC());
    g_assert_cmpint(apic_ack(f.apic), ==, 0xef);
    wr(&f, APIC_EOI, 0);
    /* 0 disarms */
    apic_write_tsc_deadline(f.apic, TSC() + 50, TSC());
    apic_write_tsc_deadline(f.apic, 0, TSC());
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    f.now += 100;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    /* a read after the deadline sees 0 and the interrupt is there, without a poll */
    apic_write_tsc_deadline(f.apic, TSC() + 50, TSC());
    f.now += 50;
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);
    g_assert_cmpint(apic_ack(f.apic), ==, 0xef);
    wr(&f, APIC_EOI, 0);
    /* re-arming moves the deadline */
    apic_write_tsc_deadline(f.apic, TSC() + 50, TSC());
    apic_write_tsc_deadline(f.apic, TSC() + 80, TSC());
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, f.now + 80);
#undef TSC
    apic_free(f.apic);
}

/* TSC-deadline mode, continued: masking, mode changes, far deadlines, reset. */
static void test_tsc_deadline_modes(void)
{
    Fixture f;
    fx_init(&f);
    enable(&f);
    const uint64_t tsc0 = 7000000;
#define TSC() (tsc0 + f.now - 5000)
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | 0xef);
    apic_write_tsc_deadline(f.apic, TSC() + 80, TSC());
    /* masked: no deadline for the board, expires without an interrupt, disarms */
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | APIC_LVT_MASKED | 0xef);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, TSC() + 80);   /* still armed */
    f.now += 80;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);
    /* a mode change disarms; back in the mode it stays disarmed */
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | 0xef);
    apic_write_tsc_deadline(f.apic, TSC() + 1000, TSC());
    wr(&f, APIC_LVT_TIMER, 0xef);
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | 0xef);
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);
    f.now += 2000;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    /* entering the mode stops a running one-shot count */
    wr(&f, APIC_LVT_TIMER, 0xef);
    wr(&f, APIC_TDCR, 0xb);
    wr(&f, APIC_TMICT, 100);
    wr(&f, APIC_LVT_TIMER, APIC_TIMER_TSC_DEADLINE | 0xef);
    g_assert_cmpuint(rd(&f, APIC_TMICT), ==, 0);
    f.now += 1000;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    /* far future: no overflow, never fires */
    apic_write_tsc_deadline(f.apic, UINT64_MAX, TSC());
    g_assert_cmpuint(apic_next_deadline(f.apic), >, f.now + (1ull << 62));
    f.now += 1000000;
    apic_poll(f.apic);
    g_assert_false(apic_intr_pending(f.apic));
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, UINT64_MAX);
    /* reset disarms and leaves the mode */
    apic_reset(f.apic);
    g_assert_cmpuint(apic_read_tsc_deadline(f.apic), ==, 0);
    g_assert_cmpuint(apic_next_deadline(f.apic), ==, UINT64_MAX);
#undef TSC
    apic_free(f.apic);
}

/* LINT0/LINT1: NMI and fixed modes on a rising edge, masked, ExtINT; pass-through to the
   CPU's NMI while the APIC is software- or hardware-disabled. */
static void test_lint(void)
{
    Fixture f;
    fx_init(&f);
    /* software-disabled (power-on): LINT1 is the CPU's NMI pin, LINT0 is not this path */
    g_assert_true(apic_passthrough(f.apic));
    apic_set_lint(f.apic, 1, true);
    g_assert_cmpint(f.nmis, ==, 1);
    apic_set_lint(f.apic, 1, true);                  /* no new edge */
    g_assert_cmpint(f.nmis, ==, 1);
    apic_set_lint(f.apic, 1, false);
    apic_set_lint(f.apic, 1, true);
    apic_set_lint(f.apic, 1, false);
    g_assert_cmpint(f.nmis, ==, 2);
    apic_set_lint(f.apic, 0, true);
    apic_set_lint(f.apic, 0, false);
    g_assert_cmpint(f.nmis, ==, 2);
    apic_set_lint(f.apic, 2, true);                  /* no such pin */
    apic_set_lint(f.apic, -1, true);
    g_assert_cmpint(f.nmis, ==, 2);
    /* enabled: the LVT entries decide; masked (their reset value) loses the edge */
    enable(&f);
    g_assert_false(apic_passthrough(f.apic));
    apic_set_lint(f.apic, 1, true);
    apic_set_lint(f.apic, 1, false);
    g_assert_cmpint(f.nmis, ==, 2);
    wr(&f, APIC_LVT_LINT1, APIC_DM_NMI << APIC_LVT_DM_SHIFT);    /* Linux's BSP setting */
    apic_set_lint(f.apic, 1, true);
    apic_set_lint(f.apic, 1, false);
    g_assert_cmpint(f.nmis, ==, 3);
    g_assert_false(apic_intr_pending(f.apic));
    wr(&f, APIC_LVT_LINT1, 0x33);                    /* fixed: the vector */
    int notes = f.notes;
    apic_set_lint(f.apic, 1, true);
    g_assert_cmpint(f.notes, >, notes);
    g_assert_cmpint(apic_ack(f.apic), ==, 0x33);
    wr(&f, APIC_EOI, 0);
    apic_set_lint(f.apic, 1, true);                  /* still high: nothing new */
    g_assert_false(apic_intr_pending(f.apic));
    apic_set_lint(f.apic, 1, false);
    g_assert_cmpint(f.nmis, ==, 3);
    apic_free(f.apic);
}

/* LINT0 in NMI mode (the 8259's output as an NMI source), ExtINT, SMI; EN clear passes
   LINT1 through again. */
static void test_lint0_and_modes(void)
{
    Fixture f;
    fx_init(&f);
    enable(&f);
    /* LINT0 in NMI mode (the 8259's output as an NMI source), then ExtINT (no NMI) */
    wr(&f, APIC_LVT_LINT0, APIC_DM_NMI << APIC_LVT_DM_SHIFT);
    g_assert_false(apic_accepts_pic(f.apic));
    apic_set_lint(f.apic, 0, true);
    g_assert_cmpint(f.nmis, ==, 1);
    apic_set_lint(f.apic, 0, false);
    wr(&f, APIC_LVT_LINT0, APIC_DM_EXTINT << APIC_LVT_DM_SHIFT);
    apic_set_lint(f.apic, 0, true);
    apic_set_lint(f.apic, 0, false);
    g_assert_cmpint(f.nmis, ==, 1);
    g_assert_false(apic_intr_pending(f.apic));
    g_assert_true(apic_accepts_pic(f.apic));
    /* SMI and INIT modes are not modelled: nothing */
    wr(&f, APIC_LVT_LINT1, APIC_DM_SMI << APIC_LVT_DM_SHIFT);
    apic_set_lint(f.apic, 1, true);
    apic_set_lint(f.apic, 1, false);
    g_assert_cmpint(f.nmis, ==, 1);
    /* IA32_APIC_BASE.EN clear: through again */
    g_assert_true(apic_set_base(f.apic, APIC_DEFAULT_BASE));
    g_assert_true(apic_passthrough(f.apic));
    apic_set_lint(f.apic, 1, true);
    apic_set_lint(f.apic, 1, false);
    g_assert_cmpint(f.nmis, ==, 2);
    apic_free(f.apic);
}

/* NMI messages and IPIs: shorthands, physical/broadcast/logical destinations; a
   software-disabled APIC takes NMI messages, a hardware-disabled one does not. */
static void test_nmi_ipi(void)
{
    Fixture f;
    fx_init(&f);
    apic_deliver_nmi(f.apic);                        /* software-disabled: accepted */
    g_assert_cmpint(f.nmis, ==, 1);
    enable(&f);
    const uint32_t nmi = APIC_DM_NMI << APIC_LVT_DM_SHIFT;
    wr(&f, APIC_ICR_LO, (1u << 18) | nmi);           /* self */
    g_assert_cmpint(f.nmis, ==, 2);
    wr(&f, APIC_ICR_LO, (2u << 18) | nmi);           /* all including self */
    g_assert_cmpint(f.nmis, ==, 3);
    wr(&f, APIC_ICR_LO, (3u << 18) | nmi);           /* all excluding self */
    g_assert_cmpint(f.nmis, ==, 3);
    wr(&f, APIC_ICR_HI, 0xff000000u);                /* physical broadcast */
    wr(&f, APIC_ICR_LO, nmi);
    g_assert_cmpint(f.nmis, ==, 4);
    wr(&f, APIC_ICR_HI, 0x01000000u);                /* physical id 1: not us */
    wr(&f, APIC_ICR_LO, nmi);
    g_assert_cmpint(f.nmis, ==, 4);
    wr(&f, APIC_LDR, 0x02000000u);                   /* flat logical id bit 1 */
    wr(&f, APIC_ICR_HI, 0x02000000u);
    wr(&f, APIC_ICR_LO, nmi | (1u << 11));           /* logical: us */
    g_assert_cmpint(f.nmis, ==, 5);
    wr(&f, APIC_ICR_HI, 0x04000000u);
    wr(&f, APIC_ICR_LO, nmi | (1u << 11));           /* logical: not us */
    g_assert_cmpint(f.nmis, ==, 5);
    wr(&f, APIC_ICR_HI, 0x02000000u);                /* a fixed logical IPI to us too */
    wr(&f, APIC_ICR_LO, 0x66 | (1u << 11));
    g_assert_cmpint(apic_ack(f.apic), ==, 0x66);
    g_assert_false(apic_intr_pending(f.apic));       /* NMIs never touch IRR */
    g_assert_true(apic_set_base(f.apic, APIC_DEFAULT_BASE));
    apic_deliver_nmi(f.apic);                        /* hardware-disabled: not */
    g_assert_cmpint(f.nmis, ==, 5);
    apic_free(f.apic);
}

/* The board hears about every change that can move INTR or the timer deadline. */
static void test_notify(void)
{
    Fixture f;
    fx_init(&f);
    enable(&f);
    int n = f.notes;
    wr(&f, APIC_TPR, 0x20);
    g_assert_cmpint(f.notes, ==, n + 1);
    apic_set_irq(f.apic, 0x40);
    g_assert_cmpint(f.notes, ==, n + 2);
    apic_deliver_irq(f.apic, 0x41, true);
    g_assert_cmpint(f.notes, ==, n + 3);
    wr(&f, APIC_EOI, 0);
    g_assert_cmpint(f.notes, ==, n + 4);
    wr(&f, APIC_LVT_TIMER, 0x30);
    wr(&f, APIC_TDCR, 0xb);
    wr(&f, APIC_TMICT, 10);
    g_assert_cmpint(f.notes, ==, n + 7);
    apic_poll(f.apic);                               /* not expired: no news */
    g_assert_cmpint(f.notes, ==, n + 7);
    f.now += 10;
    apic_poll(f.apic);
    g_assert_cmpint(f.notes, ==, n + 8);
    apic_ack(f.apic);                                /* the board's own INTA: it knows */
    g_assert_cmpint(f.notes, ==, n + 8);
    g_assert_true(apic_set_base(f.apic, APIC_DEFAULT_BASE));
    g_assert_cmpint(f.notes, ==, n + 9);
    apic_free(f.apic);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/apic/reset-values", test_reset_values);
    g_test_add_func("/apic/priority-eoi", test_priority_eoi);
    g_test_add_func("/apic/timer-oneshot", test_timer_oneshot);
    g_test_add_func("/apic/timer-periodic", test_timer_periodic);
    g_test_add_func("/apic/self-ipi", test_self_ipi);
    g_test_add_func("/apic/tsc-deadline", test_tsc_deadline);
    g_test_add_func("/apic/tsc-deadline-modes", test_tsc_deadline_modes);
    g_test_add_func("/apic/lint", test_lint);
    g_test_add_func("/apic/lint0-modes", test_lint0_and_modes);
    g_test_add_func("/apic/nmi-ipi", test_nmi_ipi);
    g_test_add_func("/apic/notify", test_notify);
    return g_test_run();
}
