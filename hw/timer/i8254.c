/* The 8254 PIT: three counters in modes 0-5 with latch, read-back and gate, clocked at 1.193182 MHz of virtual time. */
#include "hw/timer/i8254.h"

#include <glib.h>

static uint8_t chan_mode(const PitChannel *c)
{
    return c->mode > 5 ? c->mode - 4 : c->mode;      /* 6, 7 are 2, 3 */
}

/* Ticks counted since the count was loaded (0 while not running and never run). */
static uint64_t chan_ticks(const I8254State *s, const PitChannel *c)
{
    if (!c->running) {
        return c->base_ticks;
    }
    uint64_t now = vclock_now(&s->clock);
    uint64_t dt = now > c->start_ns ? now - c->start_ns : 0;
    return c->base_ticks + vclock_ns_to_ticks(dt, I8254_HZ);
}

static uint16_t chan_count_at(const PitChannel *c, uint64_t d)
{
    uint64_t n = c->reload;

    if (!c->loaded) {
        return 0;
    }
    switch (chan_mode(c)) {
    case 2:
        return (uint16_t)(n - d % n);
    case 3:
        /* counts down by two; the value software sees wraps every half period */
        return (uint16_t)((n - (2 * d) % n) & 0xfffe);
    default:                            /* 0, 1, 4, 5: down through 0 and on, modulo 2^16 */
        return (uint16_t)((n - d) & 0xffff);
    }
}

static bool chan_out_at(const PitChannel *c, uint64_t d)
{
    uint64_t n = c->reload;

    if (!c->loaded) {
        return false;                   /* power-on / after a control word: no count yet */
    }
    switch (chan_mode(c)) {
    case 0:                             /* low from the control word until terminal count */
        return c->running && d >= n;
    case 1:                             /* low from the trigger until terminal count */
        return !c->running || d >= n;
    case 2:                             /* low for the one tick at count 1 */
        return !c->running || d % n != n - 1;
    case 3:                             /* high for the first (larger) half of each period */
        return !c->running || d % n < (n + 1) / 2;
    default:                            /* 4, 5: a one-tick low pulse at terminal count */
        return !c->running || d != n;
    }
}

/* Rising edges of OUT since the count was loaded: what channel 0 reports as IRQ 0. */
static uint64_t chan_edges_at(const PitChannel *c, uint64_t d)
{
    uint64_t n = c->reload;

    if (!c->loaded || !c->running) {
        return 0;
    }
    switch (chan_mode(c)) {
    case 2: case 3:
        return d / n;
    case 4: case 5:
        return d >= n + 1;
    default:
        return d >= n;
    }
}

/* The tick count at which edge number k (1-based) happens, 0 when never. */
static uint64_t chan_edge_tick(const PitChannel *c, uint64_t k)
{
    uint64_t n = c->reload;

    switch (chan_mode(c)) {
    case 2: case 3:
        return k * n;
    case 4: case 5:
        return k == 1 ? n + 1 : 0;
    default:
        return k == 1 ? n : 0;
    }
}

uint16_t i8254_get_count(const I8254State *s, int ch)
{
    const PitChannel *c = &s->ch[ch];
    return chan_count_at(c, chan_ticks(s, c));
}

bool i8254_get_out(const I8254State *s, int ch)
{
    const PitChannel *c = &s->ch[ch];
    return chan_out_at(c, chan_ticks(s, c));
}

static void chan_start(I8254State *s, PitChannel *c)
{
    c->running = true;
    c->start_ns = vclock_now(&s->clock);
    c->base_ticks = 0;
    c->edges = 0;
}

/* A complete count was written. */
static void chan_load(I8254State *s, PitChannel *c, uint16_t val)
{
    c->reload = val ? val : 0x10000;
    c->loaded = true;
    /* Modes 1 and 5 wait for a gate trigger; the others start now when the gate is high.
       (Simplification: modes 2/3 restart at once instead of at the end of the period.) */
    if (chan_mode(c) == 1 || chan_mode(c) == 5) {
        c->running = false;
        c->base_ticks = 0;
        c->edges = 0;
    } else if (c->gate) {
        chan_start(s, c);
    } else {
        c->running = false;
        c->base_ticks = 0;
        c->edges = 0;
    }
}

static void chan_set_gate(I8254State *s, PitChannel *c, bool gate)
{
    bool rising = gate && !c->gate;

    if (gate == c->gate) {
        return;
    }
    if (!c->loaded) {
        c->gate = gate;
        return;
    }
    switch (chan_mode(c)) {
    case 0: case 4:                     /* the gate pauses and resumes counting */
        if (!gate) {
            c->base_ticks = chan_ticks(s, c);
            c->running = false;
        } else {
            c->running = true;
            c->start_ns = vclock_now(&s->clock);
        }
        break;
    default:                            /* 1, 2, 3, 5: a rising gate (re)starts the count */
        if (rising) {
            chan_start(s, c);
        } else if (chan_mode(c) == 2 || chan_mode(c) == 3) {
            c->base_ticks = 0;
            c->running = false;         /* counting stops, OUT goes high */
        }
        break;
    }
    c->gate = gate;
}

static void chan_latch(const I8254State *s, PitChannel *c)
{
    if (!c->count_latched) {
        c->latch = i8254_get_count(s, c - s->ch);
        c->count_latched = true;
        c->latch_msb_next = c->rw_mode == 2;
    }
}

static void chan_latch_status(const I8254State *s, PitChannel *c)
{
    if (!c->status_latched) {
        c->status = (i8254_get_out(s, c - s->ch) << 7) | (!c->loaded << 6) |
                    (c->rw_mode << 4) | (c->mode << 1) | c->bcd;
        c->status_latched = true;
    }
}

/* Port 0x43: control word, counter latch or read-back. */
static void pit_write_control(I8254State *s, uint8_t val)
{
    int sel = val >> 6;

    if (sel == 3) {                     /* read-back: bits 3-1 select channels */
        for (int i = 0; i < 3; i++) {
            if (val & (2u << i)) {
                if (!(val & 0x20)) {
                    chan_latch(s, &s->ch[i]);
                }
                if (!(val & 0x10)) {
                    chan_latch_status(s, &s->ch[i]);
                }
            }
        }
        return;
    }
    PitChannel *c = &s->ch[sel];
    if (((val >> 4) & 3) == 0) {
        chan_latch(s, c);
        return;
    }
    c->rw_mode = (val >> 4) & 3;
    c->mode = (val >> 1) & 7;
    c->bcd = val & 1;
    c->loaded = false;
    c->running = false;
    c->base_ticks = 0;
    c->edges = 0;
    c->write_msb_next = c->read_msb_next = false;
    c->count_latched = false;
}

static void pit_write_count(I8254State *s, PitChannel *c, uint8_t val)
{
    switch (c->rw_mode) {
    case 1:
        chan_load(s, c, val);
        break;
    case 2:
        chan_load(s, c, (uint16_t)(val << 8));
        break;
    default:
        if (!c->write_msb_next) {
            c->write_lsb = val;
            c->write_msb_next = true;
        } else {
            c->write_msb_next = false;
            chan_load(s, c, (uint16_t)(c->write_lsb | (val << 8)));
        }
        break;
    }
}

static uint8_t pit_read_count(I8254State *s, PitChannel *c)
{
    uint8_t byte;

    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->count_latched) {
        byte = c->latch_msb_next ? c->latch >> 8 : c->latch & 0xff;
        if (c->rw_mode == 3 && !c->latch_msb_next) {
            c->latch_msb_next = true;
        } else {
            c->count_latched = false;
        }
        return byte;
    }
    uint16_t count = i8254_get_count(s, c - s->ch);
    switch (c->rw_mode) {
    case 1:
        return count & 0xff;
    case 2:
        return count >> 8;
    default:
        byte = c->read_msb_next ? count >> 8 : count & 0xff;
        c->read_msb_next = !c->read_msb_next;
        return byte;
    }
}

static uint64_t pit_read(void *opaque, uint64_t addr, unsigned size)
{
    I8254State *s = opaque;

    return addr < 3 ? pit_read_count(s, &s->ch[addr]) : 0xff;  /* 0x43 is write-only */
}

/* After a port write: tell the board when channel 0's next IRQ 0 edge moved. */
static void pit_notify_if_moved(I8254State *s, uint64_t before)
{
    if (s->notify && i8254_next_deadline(s) != before) {
        s->notify(s->notify_opaque);
    }
}

static void pit_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8254State *s = opaque;
    uint64_t before = i8254_next_deadline(s);

    if (addr == 3) {
        pit_write_control(s, val);
    } else {
        pit_write_count(s, &s->ch[addr], val);
    }
    pit_notify_if_moved(s, before);
}

/* Port 0x61: bit 0 gate 2, bit 1 speaker data, bits 2-3 NMI check enables (stored),
   bit 4 the refresh toggle (every 15.085 us), bit 5 channel 2's OUT. */
static uint64_t port61_read(void *opaque, uint64_t addr, unsigned size)
{
    I8254State *s = opaque;
    uint64_t refresh = (vclock_now(&s->clock) / 15085) & 1;

    return s->port61 | (refresh << 4) | ((uint64_t)i8254_get_out(s, 2) << 5);
}

/* (Only channel 2's gate is here, so channel 0's deadline never moves: no notify.) */
static void port61_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8254State *s = opaque;

    s->port61 = val & 0x0f;
    chan_set_gate(s, &s->ch[2], val & 1);
}

static const MemoryRegionOps pit_ops = { .read = pit_read, .write = pit_write };
static const MemoryRegionOps port61_ops = { .read = port61_read, .write = port61_write };

void i8254_poll(I8254State *s)
{
    PitChannel *c = &s->ch[0];
    uint64_t e = chan_edges_at(c, chan_ticks(s, c));

    if (e > c->edges) {
        /* Several periods in one poll still make one edge: the 8259 would not see more. */
        c->edges = e;
        irq_line_set(&s->irq0, 1);
        irq_line_set(&s->irq0, 0);
    }
}

uint64_t i8254_next_deadline(const I8254State *s)
{
    const PitChannel *c = &s->ch[0];

    if (!c->loaded || !c->running) {
        return UINT64_MAX;
    }
    uint64_t tick = chan_edge_tick(c, c->edges + 1);
    if (!tick) {
        return UINT64_MAX;
    }
    return c->start_ns + vclock_ticks_to_ns(tick - c->base_ticks, I8254_HZ);
}

void i8254_set_notify(I8254State *s, I8254NotifyFn *fn, void *opaque)
{
    s->notify = fn;
    s->notify_opaque = opaque;
}

void i8254_reset(I8254State *s)
{
    for (int i = 0; i < 3; i++) {
        /* Channels 0 and 1 have their gates tied high; channel 2's is port 0x61 bit 0. */
        s->ch[i] = (PitChannel) { .mode = 3, .rw_mode = 3, .reload = 0x10000, .gate = i < 2 };
    }
    s->port61 = 0;
}

I8254State *i8254_new(const VClock *clock, const IrqLine *irq0)
{
    I8254State *s = g_new0(I8254State, 1);

    s->clock = *clock;
    if (irq0) {
        s->irq0 = *irq0;
    }
    i8254_reset(s);
    memory_region_init_io(&s->io, "pit", &pit_ops, s, 4);
    memory_region_init_io(&s->io_port61, "port61", &port61_ops, s, 1);
    return s;
}

void i8254_free(I8254State *s)
{
    if (s) {
        memory_region_destroy(&s->io);
        memory_region_destroy(&s->io_port61);
        g_free(s);
    }
}
