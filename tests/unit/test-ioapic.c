/* Unit tests for hw/intc/ioapic.c: IOREGSEL/IOWIN, ID/version, redirection entries, edge and level pins, remote IRR and EOI, masking, NMI entries, bad input; and its path into hw/intc/apic.c. */
#include "hw/intc/apic.h"
#include "hw/intc/ioapic.h"

typedef struct Fixture {
    IoapicState *io;
    IoapicMsg msgs[16];
    int nmsgs;
    bool accept;
} Fixture;

static bool fake_deliver(void *opaque, const IoapicMsg *m)
{
    Fixture *f = opaque;

    if (f->nmsgs < (int)G_N_ELEMENTS(f->msgs)) {
        f->msgs[f->nmsgs] = *m;
    }
    f->nmsgs++;
    return f->accept;
}

static void fx_init(Fixture *f)
{
    *f = (Fixture) { .accept = true };
    f->io = ioapic_new(fake_deliver, f);
}

static uint32_t rd(Fixture *f, uint8_t reg)
{
    f->io->mmio.ops->write(f->io, IOAPIC_IOREGSEL, reg, 4);
    return f->io->mmio.ops->read(f->io, IOAPIC_IOWIN, 4);
}

static void wr(Fixture *f, uint8_t reg, uint32_t val)
{
    f->io->mmio.ops->write(f->io, IOAPIC_IOREGSEL, reg, 4);
    f->io->mmio.ops->write(f->io, IOAPIC_IOWIN, val, 4);
}

static void set_rte(Fixture *f, int pin, uint64_t rte)
{
    wr(f, IOAPIC_REG_REDTBL + 2 * pin + 1, rte >> 32);
    wr(f, IOAPIC_REG_REDTBL + 2 * pin, (uint32_t)rte);
}

/* ID, version (24 entries), arbitration, reset values, IOREGSEL read-back, read-only bits. */
static void test_registers(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(rd(&f, IOAPIC_REG_VER), ==, 0x00170011);
    g_assert_cmphex(rd(&f, IOAPIC_REG_ID), ==, 0);
    wr(&f, IOAPIC_REG_ID, 0xff000000u);
    g_assert_cmphex(rd(&f, IOAPIC_REG_ID), ==, 0x0f000000u);     /* 4-bit id */
    g_assert_cmphex(rd(&f, IOAPIC_REG_ARB), ==, 0x0f000000u);
    wr(&f, IOAPIC_REG_VER, 0);
    g_assert_cmphex(rd(&f, IOAPIC_REG_VER), ==, 0x00170011);     /* read-only */
    g_assert_cmphex(f.io->mmio.ops->read(f.io, IOAPIC_IOREGSEL, 4), ==, IOAPIC_REG_VER);
    for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
        g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 2 * pin), ==, IOAPIC_RTE_MASKED);
        g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 2 * pin + 1), ==, 0);
    }
    /* delivery status and remote IRR cannot be written; reserved bits read 0 */
    set_rte(&f, 5, 0xff00000000000000ull | IOAPIC_RTE_MASKED | IOAPIC_RTE_REMOTE_IRR |
                   IOAPIC_RTE_DELIV_STATUS | IOAPIC_RTE_LEVEL | 0x31);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 10), ==,
                    (uint32_t)(IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | 0x31));
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 11), ==, 0xff000000u);
    wr(&f, IOAPIC_REG_REDTBL + 11, 0x00ffffffu);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 11), ==, 0);
    ioapic_reset(f.io);
    g_assert_cmphex(rd(&f, IOAPIC_REG_ID), ==, 0);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 10), ==, IOAPIC_RTE_MASKED);
    ioapic_free(f.io);
}

/* Bad input: registers past the table, unknown offsets, bad pin numbers, narrow writes. */
static void test_bad_input(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 2 * IOAPIC_NUM_PINS), ==, 0xffffffffu);
    g_assert_cmphex(rd(&f, 0x03), ==, 0xffffffffu);
    wr(&f, 0x60, 0);                                              /* ignored */
    g_assert_cmphex(f.io->mmio.ops->read(f.io, 0x20, 4), ==, 0);
    f.io->mmio.ops->write(f.io, 0x20, 0x1234, 4);
    ioapic_set_irq(f.io, -1, 1);
    ioapic_set_irq(f.io, IOAPIC_NUM_PINS, 1);
    ioapic_set_irq(f.io, 99, 1);
    g_assert_cmpint(f.nmsgs, ==, 0);
    f.io->mmio.ops->write(f.io, IOAPIC_IOREGSEL, IOAPIC_REG_REDTBL + 4, 4);
    f.io->mmio.ops->write(f.io, IOAPIC_IOWIN, 0x40, 2);          /* narrow: ignored */
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 4), ==, IOAPIC_RTE_MASKED);
    ioapic_free(f.io);
}

/* Edge: one message per rising edge, none while masked (and the edge is lost), message fields. */
static void test_edge(void)
{
    Fixture f;
    fx_init(&f);
    ioapic_set_irq(f.io, 2, 1);                                  /* masked: lost */
    ioapic_set_irq(f.io, 2, 0);
    set_rte(&f, 2, (3ull << IOAPIC_RTE_DEST_SHIFT) | IOAPIC_RTE_DEST_LOGICAL |
                   (1ull << IOAPIC_RTE_DELIVERY_SHIFT) | 0x30);
    g_assert_cmpint(f.nmsgs, ==, 0);
    ioapic_set_irq(f.io, 2, 1);
    g_assert_cmpint(f.nmsgs, ==, 1);
    g_assert_cmpint(f.msgs[0].vector, ==, 0x30);
    g_assert_cmpint(f.msgs[0].dest, ==, 3);
    g_assert_true(f.msgs[0].logical);
    g_assert_cmpint(f.msgs[0].delivery_mode, ==, 1);
    g_assert_false(f.msgs[0].level);
    ioapic_set_irq(f.io, 2, 1);                                  /* no edge */
    g_assert_cmpint(f.nmsgs, ==, 1);
    ioapic_set_irq(f.io, 2, 0);
    ioapic_set_irq(f.io, 2, 1);
    g_assert_cmpint(f.nmsgs, ==, 2);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 4) & IOAPIC_RTE_REMOTE_IRR, ==, 0);
    ioapic_eoi(f.io, 0x30);                                      /* edge: nothing */
    g_assert_cmpint(f.nmsgs, ==, 2);
    /* ExtINT / SMI / INIT are not sent */
    set_rte(&f, 3, (7ull << IOAPIC_RTE_DELIVERY_SHIFT) | 0x40);
    ioapic_set_irq(f.io, 3, 1);
    g_assert_cmpint(f.nmsgs, ==, 2);
    ioapic_free(f.io);
}

/* Level: remote IRR holds further messages until the EOI; an asserted line is sent again. */
static void test_level_remote_irr(void)
{
    Fixture f;
    fx_init(&f);
    set_rte(&f, 9, IOAPIC_RTE_LEVEL | 0x39);
    ioapic_set_irq(f.io, 9, 1);
    g_assert_cmpint(f.nmsgs, ==, 1);
    g_assert_true(f.msgs[0].level);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 18) & IOAPIC_RTE_REMOTE_IRR, !=, 0);
    ioapic_eoi(f.io, 0x38);                                      /* another vector */
    g_assert_cmpint(f.nmsgs, ==, 1);
    ioapic_eoi(f.io, 0x39);                                      /* still high: again */
    g_assert_cmpint(f.nmsgs, ==, 2);
    ioapic_set_irq(f.io, 9, 0);
    ioapic_eoi(f.io, 0x39);
    g_assert_cmpint(f.nmsgs, ==, 2);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 18) & IOAPIC_RTE_REMOTE_IRR, ==, 0);
    /* masked while asserted: delivered at unmask (a level request is not lost) */
    set_rte(&f, 9, IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED | 0x39);
    ioapic_set_irq(f.io, 9, 1);
    g_assert_cmpint(f.nmsgs, ==, 2);
    set_rte(&f, 9, IOAPIC_RTE_LEVEL | 0x39);
    g_assert_cmpint(f.nmsgs, ==, 3);
    /* Linux's version-0x11 EOI: switching to edge clears remote IRR */
    set_rte(&f, 9, IOAPIC_RTE_MASKED | 0x39);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 18) & IOAPIC_RTE_REMOTE_IRR, ==, 0);
    set_rte(&f, 9, IOAPIC_RTE_LEVEL | 0x39);                     /* still high: again */
    g_assert_cmpint(f.nmsgs, ==, 4);
    /* a message nobody accepts sets no remote IRR */
    ioapic_set_irq(f.io, 9, 0);
    ioapic_eoi(f.io, 0x39);
    f.accept = false;
    ioapic_set_irq(f.io, 9, 1);
    g_assert_cmpint(f.nmsgs, ==, 5);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 18) & IOAPIC_RTE_REMOTE_IRR, ==, 0);
    ioapic_free(f.io);
}

/* NMI entries: messages with delivery mode 4 on a rising edge only, whatever the trigger
   bit says (no remote IRR, a held line does not repeat), lost while masked. */
static void test_nmi(void)
{
    Fixture f;
    fx_init(&f);
    const uint64_t nmi = 4ull << IOAPIC_RTE_DELIVERY_SHIFT;
    set_rte(&f, 5, nmi | IOAPIC_RTE_LEVEL | (3ull << IOAPIC_RTE_DEST_SHIFT));
    ioapic_set_irq(f.io, 5, 1);
    g_assert_cmpint(f.nmsgs, ==, 1);
    g_assert_cmpint(f.msgs[0].delivery_mode, ==, 4);
    g_assert_cmpint(f.msgs[0].dest, ==, 3);
    g_assert_false(f.msgs[0].level);
    g_assert_cmphex(rd(&f, IOAPIC_REG_REDTBL + 10) & IOAPIC_RTE_REMOTE_IRR, ==, 0);
    ioapic_set_irq(f.io, 5, 1);                                  /* held: no new edge */
    ioapic_eoi(f.io, 0);
    g_assert_cmpint(f.nmsgs, ==, 1);
    ioapic_set_irq(f.io, 5, 0);
    ioapic_set_irq(f.io, 5, 1);
    g_assert_cmpint(f.nmsgs, ==, 2);
    ioapic_set_irq(f.io, 5, 0);
    set_rte(&f, 5, nmi | IOAPIC_RTE_MASKED);                     /* masked: the edge is lost */
    ioapic_set_irq(f.io, 5, 1);
    set_rte(&f, 5, nmi);
    g_assert_cmpint(f.nmsgs, ==, 2);
    ioapic_set_irq(f.io, 5, 0);
    /* a level request does not turn into an NMI when the entry changes mode */
    set_rte(&f, 6, IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED | 0x46);
    ioapic_set_irq(f.io, 6, 1);
    set_rte(&f, 6, nmi | IOAPIC_RTE_LEVEL);
    g_assert_cmpint(f.nmsgs, ==, 2);
    ioapic_free(f.io);
}

/* Through the LAPIC: destination matching, TMR, and the EOI broadcast back. */
typedef struct Pair {
    IoapicState *io;
    ApicState *apic;
    int nmis;
} Pair;

static bool pair_deliver(void *opaque, const IoapicMsg *m)
{
    Pair *p = opaque;
    if (!apic_match_dest(p->apic, m->dest, m->logical)) {
        return false;
    }
    if (m->delivery_mode == 4) {
        apic_deliver_nmi(p->apic);
        return true;
    }
    apic_deliver_irq(p->apic, m->vector, m->level);
    return true;
}

static void pair_nmi(void *opaque)
{
    ((Pair *)opaque)->nmis++;
}

static void pair_eoi(void *opaque, int vector)
{
    ioapic_eoi(((Pair *)opaque)->io, vector);
}

static void test_with_lapic(void)
{
    Pair p = { 0 };
    const VClock clock = { 0 };
    p.io = ioapic_new(pair_deliver, &p);
    p.apic = apic_new(0, &clock, pair_nmi, &p);
    apic_set_eoi_broadcast(p.apic, pair_eoi, &p);
    apic_write(p.apic, APIC_SVR, APIC_SVR_ENABLE | 0xff);
    apic_write(p.apic, APIC_LDR, 1u << 24);                      /* flat logical id 1 */
    ioapic_write(p.io, IOAPIC_REG_REDTBL + 2 * 4 + 1, 2u << 24);  /* logical 2: not us */
    ioapic_write(p.io, IOAPIC_REG_REDTBL + 2 * 4, (uint32_t)IOAPIC_RTE_DEST_LOGICAL | 0x34);
    ioapic_set_irq(p.io, 4, 1);
    g_assert_false(apic_intr_pending(p.apic));
    ioapic_set_irq(p.io, 4, 0);
    ioapic_write(p.io, IOAPIC_REG_REDTBL + 2 * 4 + 1, 1u << 24);
    ioapic_set_irq(p.io, 4, 1);
    g_assert_true(apic_intr_pending(p.apic));
    g_assert_cmpint(apic_ack(p.apic), ==, 0x34);
    apic_write(p.apic, APIC_EOI, 0);
    /* level, physical id 0 */
    ioapic_write(p.io, IOAPIC_REG_REDTBL + 2 * 9, (uint32_t)IOAPIC_RTE_LEVEL | 0x59);
    ioapic_set_irq(p.io, 9, 1);
    g_assert_cmphex(apic_read(p.apic, APIC_TMR + 0x20), ==, 1u << (0x59 - 0x40));
    g_assert_cmpint(apic_ack(p.apic), ==, 0x59);
    g_assert_false(apic_intr_pending(p.apic));
    ioapic_set_irq(p.io, 9, 0);                                  /* device acknowledged */
    apic_write(p.apic, APIC_EOI, 0);                             /* broadcast clears remote IRR */
    g_assert_cmphex(ioapic_read(p.io, IOAPIC_REG_REDTBL + 18) & IOAPIC_RTE_REMOTE_IRR, ==, 0);
    ioapic_set_irq(p.io, 9, 1);
    g_assert_cmpint(apic_ack(p.apic), ==, 0x59);
    /* an NMI entry reaches the CPU's NMI, not IRR */
    ioapic_write(p.io, IOAPIC_REG_REDTBL + 2 * 7, 4u << IOAPIC_RTE_DELIVERY_SHIFT);
    ioapic_set_irq(p.io, 7, 1);
    g_assert_cmpint(p.nmis, ==, 1);
    g_assert_false(apic_intr_pending(p.apic));
    /* APIC hardware-disabled (IA32_APIC_BASE.EN = 0): accepts nothing; relocation refused */
    g_assert_false(apic_set_base(p.apic, 0xfed00000u | (1u << 11)));
    g_assert_true(apic_set_base(p.apic, APIC_DEFAULT_BASE));
    g_assert_false(apic_match_dest(p.apic, 0, false));
    g_assert_false(apic_intr_pending(p.apic));
    g_assert_true(apic_set_base(p.apic, APIC_DEFAULT_BASE | (1u << 11)));
    g_assert_true(apic_match_dest(p.apic, 0xff, false));
    g_assert_cmphex(apic_read(p.apic, APIC_SVR), ==, 0xff);      /* back from reset */
    apic_free(p.apic);
    ioapic_free(p.io);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ioapic/registers", test_registers);
    g_test_add_func("/ioapic/bad-input", test_bad_input);
    g_test_add_func("/ioapic/edge", test_edge);
    g_test_add_func("/ioapic/level-remote-irr", test_level_remote_irr);
    g_test_add_func("/ioapic/nmi", test_nmi);
    g_test_add_func("/ioapic/with-lapic", test_with_lapic);
    return g_test_run();
}
