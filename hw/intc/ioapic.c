/* The I/O APIC: 24 redirection entries turning edge/level pin inputs into fixed, lowest-priority or NMI messages to the Local APIC. */
#include "hw/intc/ioapic.h"

#include <glib.h>
#include <string.h>

/* Bits of a redirection entry software may write (the rest read-only or reserved). */
#define RTE_WRITABLE (0xffull | (7ull << IOAPIC_RTE_DELIVERY_SHIFT) | IOAPIC_RTE_DEST_LOGICAL | \
                      IOAPIC_RTE_POLARITY_LOW | IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED | \
                      (0xffull << IOAPIC_RTE_DEST_SHIFT))

/* Level-triggered: only fixed and lowest-priority messages can be; NMI (and SMI, INIT,
   ExtINT) are edge-triggered whatever the trigger bit says (82093AA datasheet). */
static bool rte_level(uint64_t rte)
{
    unsigned mode = (rte >> IOAPIC_RTE_DELIVERY_SHIFT) & 7;

    return (rte & IOAPIC_RTE_LEVEL) && mode <= 1;
}

/* Send pin's message if it has a request, is unmasked, and (level) the last one got its EOI.
   Edge requests are consumed by the send; a level request stays while the line is high. */
static void ioapic_service_pin(IoapicState *s, int pin)
{
    uint64_t rte = s->rte[pin];
    uint32_t bit = 1u << pin;

    if (!(s->irr & bit) || (rte & IOAPIC_RTE_MASKED) ||
        (rte_level(rte) && (rte & IOAPIC_RTE_REMOTE_IRR))) {
        return;
    }
    IoapicMsg m = {
        .vector = rte & 0xff, .delivery_mode = (rte >> IOAPIC_RTE_DELIVERY_SHIFT) & 7,
        .dest = rte >> IOAPIC_RTE_DEST_SHIFT, .logical = rte & IOAPIC_RTE_DEST_LOGICAL,
        .level = rte_level(rte),
    };
    if (m.delivery_mode != 0 && m.delivery_mode != 1 && m.delivery_mode != 4) {
        return;     /* SMI, INIT, ExtINT: not modelled (the 8259 reaches the CPU via LINT0) */
    }
    bool accepted = s->deliver && s->deliver(s->opaque, &m);
    if (m.level) {
        if (accepted) {
            s->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;   /* until the LAPIC's EOI */
        }
    } else {
        s->irr &= ~bit;
    }
}

void ioapic_set_irq(void *opaque, int n, int level)
{
    IoapicState *s = opaque;

    if (n < 0 || n >= IOAPIC_NUM_PINS) {
        return;
    }
    uint32_t bit = 1u << n;
    bool was = s->level & bit;

    s->level = level ? s->level | bit : s->level & ~bit;
    if (rte_level(s->rte[n])) {
        s->irr = level ? s->irr | bit : s->irr & ~bit;
    } else if (level && !was && !(s->rte[n] & IOAPIC_RTE_MASKED)) {
        s->irr |= bit;      /* rising edge; on a masked pin it is lost (82093AA datasheet) */
    }
    ioapic_service_pin(s, n);
}

void ioapic_eoi(IoapicState *s, int vector)
{
    for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
        uint64_t rte = s->rte[pin];
        if (rte_level(rte) && (rte & IOAPIC_RTE_REMOTE_IRR) && (rte & 0xff) == (uint64_t)vector) {
            s->rte[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
            ioapic_service_pin(s, pin);     /* still asserted: again */
        }
    }
}

uint32_t ioapic_read(IoapicState *s, uint8_t reg)
{
    if (reg >= IOAPIC_REG_REDTBL && reg < IOAPIC_REG_REDTBL + 2 * IOAPIC_NUM_PINS) {
        int pin = (reg - IOAPIC_REG_REDTBL) / 2;
        return (reg & 1) ? (uint32_t)(s->rte[pin] >> 32) : (uint32_t)s->rte[pin];
    }
    switch (reg) {
    case IOAPIC_REG_ID:
    case IOAPIC_REG_ARB:                    /* arbitration id = APIC id after reset */
        return (uint32_t)s->id << 24;
    case IOAPIC_REG_VER:
        return ((IOAPIC_NUM_PINS - 1u) << 16) | IOAPIC_VERSION;
    default:
        return 0xffffffffu;                 /* unimplemented registers float high */
    }
}

static void ioapic_write_rte(IoapicState *s, int pin, bool high, uint32_t val)
{
    uint64_t old = s->rte[pin], rte = old;

    if (high) {
        rte = (rte & 0xffffffffull) | ((uint64_t)val << 32);
    } else {
        rte = (rte & ~0xffffffffull) | val;
    }
    rte = (rte & RTE_WRITABLE) | (old & IOAPIC_RTE_REMOTE_IRR);
    if (!rte_level(rte)) {
        /* Edge mode has no remote IRR; Linux's EOI workaround for version 0x11 (switch to
           edge and back) relies on this clearing it. */
        rte &= ~IOAPIC_RTE_REMOTE_IRR;
        if (rte_level(old)) {
            s->irr &= ~(1u << pin);         /* a level request does not become an edge */
        }
    } else if (s->level & (1u << pin)) {
        s->irr |= 1u << pin;                /* now level: an asserted line requests */
    }
    s->rte[pin] = rte;
    ioapic_service_pin(s, pin);
}

void ioapic_write(IoapicState *s, uint8_t reg, uint32_t val)
{
    if (reg >= IOAPIC_REG_REDTBL && reg < IOAPIC_REG_REDTBL + 2 * IOAPIC_NUM_PINS) {
        ioapic_write_rte(s, (reg - IOAPIC_REG_REDTBL) / 2, reg & 1, val);
    } else if (reg == IOAPIC_REG_ID) {
        s->id = (val >> 24) & 0xf;
    }
    /* version and arbitration are read-only; other registers do not exist */
}

static uint64_t ioapic_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    IoapicState *s = opaque;
    uint32_t v;

    switch (addr & 0xff) {
    case IOAPIC_IOREGSEL: v = s->ioregsel; break;
    case IOAPIC_IOWIN: v = ioapic_read(s, s->ioregsel); break;
    default: return 0;
    }
    return size >= 4 ? v : v & ((1u << (size * 8)) - 1);
}

static void ioapic_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    IoapicState *s = opaque;

    switch (addr & 0xff) {
    case IOAPIC_IOREGSEL: s->ioregsel = (uint8_t)val; break;
    case IOAPIC_IOWIN:
        if (size >= 4) {
            ioapic_write(s, s->ioregsel, (uint32_t)val);
        }
        break;                              /* narrow IOWIN writes are undefined: ignored */
    default: break;
    }
}

static const MemoryRegionOps ioapic_ops = { .read = ioapic_mmio_read, .write = ioapic_mmio_write };

void ioapic_reset(IoapicState *s)
{
    s->id = 0;
    s->ioregsel = 0;
    s->irr = 0;
    for (int i = 0; i < IOAPIC_NUM_PINS; i++) {
        s->rte[i] = IOAPIC_RTE_MASKED;
    }
    /* s->level stays: it is what the devices drive, and they reset themselves. */
}

IoapicState *ioapic_new(IoapicDeliverFn *deliver, void *opaque)
{
    IoapicState *s = g_new0(IoapicState, 1);

    s->deliver = deliver;
    s->opaque = opaque;
    ioapic_reset(s);
    memory_region_init_io(&s->mmio, "ioapic", &ioapic_ops, s, IOAPIC_MMIO_SIZE);
    return s;
}

void ioapic_free(IoapicState *s)
{
    if (s) {
        memory_region_destroy(&s->mmio);
        g_free(s);
    }
}
