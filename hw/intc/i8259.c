/* The pc's cascaded 8259A interrupt controllers: ICW/OCW programming, IRR/ISR/IMR, EOI, rotation, poll and the ELCR. */
#include "hw/intc/i8259.h"

#include <glib.h>

/* Highest-priority IRQ among bits (priority rotates with priority_add), or -1. */
static int chip_highest(const PicChip *c, uint8_t bits)
{
    for (int i = 0; i < 8; i++) {
        int irq = (i + c->priority_add) & 7;
        if (bits & (1u << irq)) {
            return irq;
        }
    }
    return -1;
}

static int chip_priority(const PicChip *c, int irq)
{
    return (irq - c->priority_add) & 7;
}

/* The IRQ this chip would present to its INTR output, or -1. */
static int chip_output(const PicChip *c, bool is_master)
{
    int irq = chip_highest(c, c->irr & ~c->imr);
    if (irq < 0) {
        return -1;
    }
    uint8_t in_service = c->isr;
    if (c->special_mask) {
        in_service &= ~c->imr;      /* masked in-service levels do not block lower ones */
    }
    if (is_master && c->sfnm) {
        in_service &= ~(1u << 2);   /* special fully nested: the slave may interrupt itself */
    }
    int cur = chip_highest(c, in_service);
    if (cur >= 0 && chip_priority(c, irq) >= chip_priority(c, cur)) {
        return -1;
    }
    return irq;
}

static void chip_input(PicChip *c, int irq, int level)
{
    uint8_t mask = 1u << irq;

    if (c->elcr & mask) {
        /* level-triggered: the request follows the line */
        c->irr = level ? (c->irr | mask) : (c->irr & ~mask);
    } else if (level && !(c->lines & mask)) {
        c->irr |= mask;             /* rising edge */
    }
    c->lines = level ? (c->lines | mask) : (c->lines & ~mask);
}

/* The slave's INTR output is the master's IRQ 2 input.  It is followed like a level line
   (whatever the ELCR says), so a slave request that went away before INTA leaves nothing
   behind on the master instead of a spurious IRQ 15. */
static void update_cascade(I8259State *s)
{
    PicChip *m = &s->chip[0];
    bool up = chip_output(&s->chip[1], false) >= 0;

    m->irr = up ? (m->irr | 4) : (m->irr & ~4);
    m->lines = up ? (m->lines | 4) : (m->lines & ~4);
}

void i8259_set_irq(void *opaque, int irq, int level)
{
    I8259State *s = opaque;

    if (irq < 0 || irq > 15) {
        return;
    }
    chip_input(&s->chip[irq >> 3], irq & 7, level);
    update_cascade(s);
}

bool i8259_intr_pending(const I8259State *s)
{
    return chip_output(&s->chip[0], true) >= 0;
}

/* Acknowledge irq on one chip: the request becomes in-service unless auto-EOI. */
static void chip_ack(PicChip *c, int irq)
{
    uint8_t mask = 1u << irq;

    if (!(c->elcr & mask)) {
        c->irr &= ~mask;            /* an edge request is consumed; a level one stays */
    }
    if (c->auto_eoi) {
        if (c->rotate_on_aeoi) {
            c->priority_add = (irq + 1) & 7;
        }
    } else {
        c->isr |= mask;
    }
}

int i8259_ack(I8259State *s)
{
    PicChip *m = &s->chip[0], *sl = &s->chip[1];
    int irq = chip_output(m, true);
    int vector;

    if (irq < 0) {
        return m->vector_base + 7;      /* the request went away: spurious IRQ 7 */
    }
    chip_ack(m, irq);
    if (irq == 2) {
        int irq2 = chip_output(sl, false);
        if (irq2 < 0) {
            vector = sl->vector_base + 7;   /* spurious IRQ 15 */
        } else {
            chip_ack(sl, irq2);
            vector = sl->vector_base + irq2;
        }
    } else {
        vector = m->vector_base + irq;
    }
    update_cascade(s);
    return vector;
}

static void chip_reset(PicChip *c)
{
    uint8_t elcr = c->elcr, elcr_mask = c->elcr_mask;

    *c = (PicChip) { .elcr = elcr, .elcr_mask = elcr_mask };
}

void i8259_reset(I8259State *s)
{
    for (int i = 0; i < 2; i++) {
        chip_reset(&s->chip[i]);
        s->chip[i].elcr = 0;
    }
}

/* OCW2: the EOI and rotation commands (bits 7-5), level in bits 2-0. */
static void chip_ocw2(PicChip *c, uint8_t val)
{
    int cmd = val >> 5, irq;

    switch (cmd) {
    case 0: case 4:                 /* clear / set rotate in auto-EOI mode */
        c->rotate_on_aeoi = cmd == 4;
        break;
    case 1: case 5:                 /* non-specific EOI (and rotate) */
        irq = chip_highest(c, c->isr);
        if (irq >= 0) {
            c->isr &= ~(1u << irq);
            if (cmd == 5) {
                c->priority_add = (irq + 1) & 7;
            }
        }
        break;
    case 3: case 7:                 /* specific EOI (and rotate) */
        irq = val & 7;
        c->isr &= ~(1u << irq);
        if (cmd == 7) {
            c->priority_add = (irq + 1) & 7;
        }
        break;
    case 6:                         /* set priority: level val&7 becomes the lowest */
        c->priority_add = (val + 1) & 7;
        break;
    default:                        /* 2: no operation */
        break;
    }
}

static void chip_write_cmd(PicChip *c, uint8_t val)
{
    if (val & 0x10) {               /* ICW1 starts initialisation */
        /* The edge detector must see the line go low first: keep the input levels. */
        uint8_t elcr = c->elcr, mask = c->elcr_mask, lines = c->lines;
        *c = (PicChip) { .elcr = elcr, .elcr_mask = mask, .lines = lines };
        c->icw4_needed = val & 1;
        c->single = val & 2;
        c->init_step = 2;
    } else if (val & 0x08) {        /* OCW3 */
        if (val & 0x04) {
            c->poll = true;
        }
        if (val & 0x02) {
            c->read_isr = val & 1;
        }
        if (val & 0x40) {
            c->special_mask = (val >> 5) & 1;
        }
    } else {
        chip_ocw2(c, val);
    }
}

static void chip_write_data(PicChip *c, uint8_t val)
{
    switch (c->init_step) {
    case 2:                         /* ICW2: vector base */
        c->vector_base = val & 0xf8;
        c->init_step = c->single ? (c->icw4_needed ? 4 : 0) : 3;
        break;
    case 3:                         /* ICW3: cascade wiring (fixed on the pc) */
        c->init_step = c->icw4_needed ? 4 : 0;
        break;
    case 4:                         /* ICW4 */
        c->auto_eoi = (val >> 1) & 1;
        c->sfnm = (val >> 4) & 1;
        c->init_step = 0;
        break;
    default:                        /* OCW1: the mask */
        c->imr = val;
        break;
    }
}

/* Poll command read: acknowledge like INTA, answer 0x80 | level (or 0). */
static uint8_t chip_poll(I8259State *s, int idx)
{
    PicChip *c = &s->chip[idx];
    int irq = chip_output(c, idx == 0);

    c->poll = false;
    if (irq < 0) {
        return 0;
    }
    chip_ack(c, irq);
    update_cascade(s);
    return 0x80 | irq;
}

static void chip_changed(I8259State *s)
{
    if (s->notify) {
        s->notify(s->notify_opaque);
    }
}

void i8259_set_notify(I8259State *s, I8259NotifyFn *fn, void *opaque)
{
    s->notify = fn;
    s->notify_opaque = opaque;
}

static uint64_t chip_read(I8259State *s, int idx, uint64_t addr)
{
    PicChip *c = &s->chip[idx];

    if (c->poll) {
        uint8_t v = chip_poll(s, idx);
        chip_changed(s);
        return v;
    }
    if (addr == 1) {
        return c->imr;
    }
    return c->read_isr ? c->isr : c->irr;
}

static void chip_write(I8259State *s, int idx, uint64_t addr, uint8_t val)
{
    if (addr == 0) {
        chip_write_cmd(&s->chip[idx], val);
    } else {
        chip_write_data(&s->chip[idx], val);
    }
    update_cascade(s);
    chip_changed(s);
}

static uint64_t master_read(void *opaque, uint64_t addr, unsigned size)
{
    return chip_read(opaque, 0, addr);
}

static void master_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    chip_write(opaque, 0, addr, val);
}

static uint64_t slave_read(void *opaque, uint64_t addr, unsigned size)
{
    return chip_read(opaque, 1, addr);
}

static void slave_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    chip_write(opaque, 1, addr, val);
}

static uint64_t elcr_read(void *opaque, uint64_t addr, unsigned size)
{
    I8259State *s = opaque;
    uint64_t v = 0;

    for (unsigned i = 0; i < size && addr + i < 2; i++) {
        v |= (uint64_t)s->chip[addr + i].elcr << (8 * i);
    }
    return v;
}

static void elcr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8259State *s = opaque;

    for (unsigned i = 0; i < size && addr + i < 2; i++) {
        PicChip *c = &s->chip[addr + i];
        c->elcr = (val >> (8 * i)) & c->elcr_mask;
    }
    update_cascade(s);
    chip_changed(s);
}

static const MemoryRegionOps master_ops = { .read = master_read, .write = master_write };
static const MemoryRegionOps slave_ops = { .read = slave_read, .write = slave_write };
static const MemoryRegionOps elcr_ops = { .read = elcr_read, .write = elcr_write };

I8259State *i8259_new(void)
{
    I8259State *s = g_new0(I8259State, 1);

    /* IRQ 0, 1, 2 (timer, keyboard, cascade) and 8, 13 (RTC, FPU) are always edge. */
    s->chip[0].elcr_mask = 0xf8;
    s->chip[1].elcr_mask = 0xde;
    i8259_reset(s);
    memory_region_init_io(&s->io_master, "pic-master", &master_ops, s, 2);
    memory_region_init_io(&s->io_slave, "pic-slave", &slave_ops, s, 2);
    memory_region_init_io(&s->io_elcr, "elcr", &elcr_ops, s, 2);
    return s;
}

void i8259_free(I8259State *s)
{
    if (s) {
        memory_region_destroy(&s->io_master);
        memory_region_destroy(&s->io_slave);
        memory_region_destroy(&s->io_elcr);
        g_free(s);
    }
}
