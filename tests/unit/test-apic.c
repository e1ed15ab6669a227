/* Unit tests for hw/intc/apic.c: registers through the MMIO callbacks, priorities, EOI, the LVT timer on an injected clock, self-IPIs. */
#include "hw/intc/apic.h"

typedef struct Fixture {
    ApicState *apic;
    uint64_t now;
    int nmis;
} Fixture;

static uint64_t fake_now(void *opaque)
{
    return ((Fixture *)opaque)->now;
}

static void fake_nmi(void *opaque)
{
    ((Fixture *)opaque)->nmis++;
}

static void fx_init(Fixture *f)
{
    const VClock clock = { .now_ns = fake_now, .opaque = f };

    *f = (Fixture) { .now = 5000 };
    f->apic = apic_new(0, &clock, fake_nmi, f);
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/apic/reset-values", test_reset_values);
    g_test_add_func("/apic/priority-eoi", test_priority_eoi);
    g_test_add_func("/apic/timer-oneshot", test_timer_oneshot);
    g_test_add_func("/apic/timer-periodic", test_timer_periodic);
    g_test_add_func("/apic/self-ipi", test_self_ipi);
    return g_test_run();
}
