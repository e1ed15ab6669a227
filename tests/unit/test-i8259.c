/* Unit tests for hw/intc/i8259.c: ICW/OCW programming, IRR/ISR/IMR, priorities, EOI, cascade, poll and ELCR through the ports, and the change notification. */
#include "hw/intc/i8259.h"
#include "sysemu/ioport.h"

typedef struct Fixture {
    IoSpace io;
    I8259State *pic;
} Fixture;

static void fx_init(Fixture *f)
{
    GError *err = NULL;

    io_space_init(&f->io);
    f->pic = i8259_new();
    g_assert_true(io_space_add(&f->io, I8259_MASTER_BASE, &f->pic->io_master, &err));
    g_assert_true(io_space_add(&f->io, I8259_SLAVE_BASE, &f->pic->io_slave, &err));
    g_assert_true(io_space_add(&f->io, I8259_ELCR_BASE, &f->pic->io_elcr, &err));
    g_assert_no_error(err);
}

static void fx_fini(Fixture *f)
{
    io_space_destroy(&f->io);
    i8259_free(f->pic);
}

/* Linux's init_8259A sequence: vectors 0x30/0x38, cascade on IRQ 2, 8086 mode. */
static void program_linux(Fixture *f, bool auto_eoi)
{
    io_space_out(&f->io, 0x21, 0xff, 1);
    io_space_out(&f->io, 0xa1, 0xff, 1);
    io_space_out(&f->io, 0x20, 0x11, 1);
    io_space_out(&f->io, 0x21, 0x30, 1);
    io_space_out(&f->io, 0x21, 0x04, 1);
    io_space_out(&f->io, 0x21, auto_eoi ? 0x03 : 0x01, 1);
    io_space_out(&f->io, 0xa0, 0x11, 1);
    io_space_out(&f->io, 0xa1, 0x38, 1);
    io_space_out(&f->io, 0xa1, 0x02, 1);
    io_space_out(&f->io, 0xa1, 0x01, 1);
    io_space_out(&f->io, 0x21, 0x00, 1);   /* all unmasked */
    io_space_out(&f->io, 0xa1, 0x00, 1);
}

static uint8_t read_isr(Fixture *f, uint16_t base)
{
    io_space_out(&f->io, base, 0x0b, 1);   /* OCW3: read ISR */
    uint8_t v = io_space_in(&f->io, base, 1);
    io_space_out(&f->io, base, 0x0a, 1);   /* back to IRR */
    return v;
}

/* The IMR reads back what was written (Linux's probe), ICW1 clears it. */
static void test_imr_probe(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x21, 0xfb, 1);
    io_space_out(&f.io, 0xa1, 0xff, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x21, 1), ==, 0xfb);
    g_assert_cmphex(io_space_in(&f.io, 0xa1, 1), ==, 0xff);
    io_space_out(&f.io, 0x20, 0x11, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x21, 1), ==, 0x00);
    /* the initialisation words do not land in the IMR */
    io_space_out(&f.io, 0x21, 0x30, 1);
    io_space_out(&f.io, 0x21, 0x04, 1);
    io_space_out(&f.io, 0x21, 0x01, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x21, 1), ==, 0x00);
    io_space_out(&f.io, 0x21, 0x5a, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x21, 1), ==, 0x5a);
    fx_fini(&f);
}

/* Edge request → INTR → INTA gives the vector, ISR set until EOI; masked requests wait. */
static void test_edge_ack_eoi(void)
{
    Fixture f;
    fx_init(&f);
    program_linux(&f, false);
    g_assert_false(i8259_intr_pending(f.pic));
    io_space_out(&f.io, 0x21, 0x01, 1);            /* mask IRQ 0 */
    i8259_set_irq(f.pic, 0, 1);
    i8259_set_irq(f.pic, 0, 0);
    g_assert_cmphex(io_space_in(&f.io, 0x20, 1), ==, 0x01);   /* IRR */
    g_assert_false(i8259_intr_pending(f.pic));
    io_space_out(&f.io, 0x21, 0x00, 1);
    g_assert_true(i8259_intr_pending(f.pic));
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x30);
    g_assert_cmphex(io_space_in(&f.io, 0x20, 1), ==, 0x00);
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x01);
    /* a new edge while in service waits (same priority) */
    i8259_set_irq(f.pic, 0, 1);
    i8259_set_irq(f.pic, 0, 0);
    g_assert_false(i8259_intr_pending(f.pic));
    io_space_out(&f.io, 0x20, 0x20, 1);            /* non-specific EOI */
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x00);
    g_assert_true(i8259_intr_pending(f.pic));
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x30);
    /* a held line is one edge, not a stream */
    io_space_out(&f.io, 0x20, 0x60, 1);            /* specific EOI IRQ 0 */
    i8259_set_irq(f.pic, 3, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x33);
    io_space_out(&f.io, 0x20, 0x63, 1);
    i8259_set_irq(f.pic, 3, 1);
    g_assert_false(i8259_intr_pending(f.pic));
    fx_fini(&f);
}

/* Lower IRQ numbers win; a higher-priority request preempts an in-service one. */
static void test_priority_nesting(void)
{
    Fixture f;
    fx_init(&f);
    program_linux(&f, false);
    i8259_set_irq(f.pic, 4, 1);
    i8259_set_irq(f.pic, 1, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x31);
    g_assert_false(i8259_intr_pending(f.pic));     /* 4 is lower than in-service 1 */
    i8259_set_irq(f.pic, 0, 1);
    g_assert_true(i8259_intr_pending(f.pic));      /* 0 preempts 1 */
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x30);
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x03);
    io_space_out(&f.io, 0x20, 0x20, 1);            /* EOI ends the highest: IRQ 0 */
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x02);
    io_space_out(&f.io, 0x20, 0x20, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x34);
    /* rotation: set priority makes IRQ 4 lowest, so 5 beats 0 */
    io_space_out(&f.io, 0x20, 0x20, 1);
    io_space_out(&f.io, 0x20, 0xc4, 1);
    i8259_set_irq(f.pic, 0, 0);
    i8259_set_irq(f.pic, 0, 1);
    i8259_set_irq(f.pic, 5, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x35);
    fx_fini(&f);
}

/* Slave IRQs arrive through master IRQ 2 with the slave's vector; both need an EOI. */
static void test_cascade(void)
{
    Fixture f;
    fx_init(&f);
    program_linux(&f, false);
    i8259_set_irq(f.pic, 9, 1);
    g_assert_true(i8259_intr_pending(f.pic));
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x39);
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x04);
    g_assert_cmphex(read_isr(&f, 0xa0), ==, 0x02);
    io_space_out(&f.io, 0xa0, 0x20, 1);
    io_space_out(&f.io, 0x20, 0x20, 1);
    g_assert_cmphex(read_isr(&f, 0xa0), ==, 0x00);
    /* slave masked: nothing reaches the master */
    io_space_out(&f.io, 0xa1, 0x02, 1);
    i8259_set_irq(f.pic, 9, 0);
    i8259_set_irq(f.pic, 9, 1);
    g_assert_false(i8259_intr_pending(f.pic));
    /* master's IRQ 2 masked hides the whole slave */
    io_space_out(&f.io, 0xa1, 0x00, 1);
    io_space_out(&f.io, 0x21, 0x04, 1);
    g_assert_false(i8259_intr_pending(f.pic));
    io_space_out(&f.io, 0x21, 0x00, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x39);
    fx_fini(&f);
}

/* ELCR: level IRQ 9 stays requested while the line is high, and drops with it; its mask. */
static void test_elcr_level(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(io_space_in(&f.io, 0x4d0, 1), ==, 0x00);
    io_space_out(&f.io, 0x4d0, 0xff, 1);
    io_space_out(&f.io, 0x4d1, 0xff, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x4d0, 1), ==, 0xf8);   /* IRQ 0-2 edge only */
    g_assert_cmphex(io_space_in(&f.io, 0x4d1, 1), ==, 0xde);   /* IRQ 8, 13 edge only */
    io_space_out(&f.io, 0x4d0, 0x00, 2);
    io_space_out(&f.io, 0x4d0, 0x0200, 2);     /* Linux: "setting ELCR to 0200" */
    g_assert_cmphex(io_space_in(&f.io, 0x4d0, 2), ==, 0x0200);
    program_linux(&f, false);
    g_assert_cmphex(io_space_in(&f.io, 0x4d1, 1), ==, 0x02);  /* ICW1 keeps the ELCR */
    i8259_set_irq(f.pic, 9, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x39);
    io_space_out(&f.io, 0xa0, 0x20, 1);
    io_space_out(&f.io, 0x20, 0x20, 1);
    g_assert_true(i8259_intr_pending(f.pic));  /* still high: requested again */
    i8259_set_irq(f.pic, 9, 0);
    g_assert_false(i8259_intr_pending(f.pic));
    fx_fini(&f);
}

/* Spurious: the request vanished before INTA → IRQ 7's vector, nothing in service. */
static void test_spurious_and_aeoi(void)
{
    Fixture f;
    fx_init(&f);
    program_linux(&f, true);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x37);
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x00);
    i8259_set_irq(f.pic, 0, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x30);
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x00);   /* auto-EOI: never in service */
    fx_fini(&f);
}

/* OCW3 poll: the next read answers 0x80 | level and acknowledges it. */
static void test_poll(void)
{
    Fixture f;
    fx_init(&f);
    program_linux(&f, false);
    io_space_out(&f.io, 0x20, 0x0c, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x20, 1), ==, 0x00);
    i8259_set_irq(f.pic, 6, 1);
    io_space_out(&f.io, 0x20, 0x0c, 1);
    g_assert_cmphex(io_space_in(&f.io, 0x20, 1), ==, 0x86);
    g_assert_cmphex(read_isr(&f, 0x20), ==, 0x40);
    g_assert_cmphex(io_space_in(&f.io, 0x20, 1), ==, 0x00);  /* poll is one read only: IRR */
    fx_fini(&f);
}

/* Bad input: IRQ numbers outside 0-15 are ignored. */
static void test_bad_irq(void)
{
    Fixture f;
    fx_init(&f);
    program_linux(&f, false);
    i8259_set_irq(f.pic, 16, 1);
    i8259_set_irq(f.pic, -1, 1);
    g_assert_false(i8259_intr_pending(f.pic));
    i8259_reset(f.pic);
    g_assert_cmphex(io_space_in(&f.io, 0x21, 1), ==, 0x00);
    fx_fini(&f);
}

static void count_note(void *opaque)
{
    (*(int *)opaque)++;
}

/* The board is told after port writes and poll reads (INTR may have moved: an unmask, an
   EOI), not after plain reads or its own set_irq/ack calls. */
static void test_notify(void)
{
    Fixture f;
    int notes = 0;
    fx_init(&f);
    program_linux(&f, false);
    io_space_out(&f.io, 0x21, 0xff, 1);
    i8259_set_notify(f.pic, count_note, &notes);
    i8259_set_irq(f.pic, 3, 1);
    g_assert_cmpint(notes, ==, 0);
    g_assert_false(i8259_intr_pending(f.pic));          /* masked */
    io_space_out(&f.io, 0x21, 0xf7, 1);                  /* unmask IRQ 3 */
    g_assert_cmpint(notes, ==, 1);
    g_assert_true(i8259_intr_pending(f.pic));
    io_space_in(&f.io, 0x21, 1);
    io_space_in(&f.io, 0x20, 1);
    g_assert_cmpint(notes, ==, 1);
    g_assert_cmpint(i8259_ack(f.pic), ==, 0x33);
    g_assert_cmpint(notes, ==, 1);
    io_space_out(&f.io, 0x20, 0x20, 1);                  /* EOI */
    g_assert_cmpint(notes, ==, 2);
    io_space_out(&f.io, 0x4d0, 0x08, 1);                 /* ELCR */
    g_assert_cmpint(notes, ==, 3);
    io_space_out(&f.io, 0x20, 0x0c, 1);                  /* OCW3 poll, then the poll read */
    g_assert_cmpint(notes, ==, 4);
    io_space_in(&f.io, 0x20, 1);
    g_assert_cmpint(notes, ==, 5);
    fx_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8259/imr-probe", test_imr_probe);
    g_test_add_func("/i8259/edge-ack-eoi", test_edge_ack_eoi);
    g_test_add_func("/i8259/priority-nesting", test_priority_nesting);
    g_test_add_func("/i8259/cascade", test_cascade);
    g_test_add_func("/i8259/elcr-level", test_elcr_level);
    g_test_add_func("/i8259/spurious-aeoi", test_spurious_and_aeoi);
    g_test_add_func("/i8259/poll", test_poll);
    g_test_add_func("/i8259/bad-irq", test_bad_irq);
    g_test_add_func("/i8259/notify", test_notify);
    return g_test_run();
}
