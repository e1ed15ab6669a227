/* The Local APIC: ID/version, TPR/PPR, IRR/ISR/TMR with EOI, SVR, LVT timer one-shot/periodic/TSC-deadline on virtual time, LINT0/LINT1, ICR self-IPIs and NMIs. */
#include "hw/intc/apic.h"

#include <glib.h>
#include <string.h>

/* LVT index of each LVT register (timer .. error), in register order. */
static int lvt_index(uint32_t off)
{
    return off == APIC_LVT_TIMER ? 0 : off == APIC_LVT_THERMAL ? 1 : off == APIC_LVT_PERF ? 2
         : off == APIC_LVT_LINT0 ? 3 : off == APIC_LVT_LINT1 ? 4 : off == APIC_LVT_ERROR ? 5
         : -1;
}

static int highest_bit(const uint32_t *bits)
{
    for (int i = 7; i >= 0; i--) {
        if (bits[i]) {
            return i * 32 + 31 - __builtin_clz(bits[i]);
        }
    }
    return -1;
}

static uint8_t apic_ppr(const ApicState *s)
{
    int isrv = highest_bit(s->isr);
    uint8_t isr_class = isrv < 0 ? 0 : (uint8_t)(isrv & 0xf0);

    return (s->tpr & 0xf0) >= isr_class ? s->tpr : isr_class;
}

/* The board re-evaluates INTR and the timer deadline (ApicNotifyFn). */
static void apic_changed(ApicState *s)
{
    if (s->notify) {
        s->notify(s->notify_opaque);
    }
}

void apic_set_notify(ApicState *s, ApicNotifyFn *fn, void *opaque)
{
    s->notify = fn;
    s->notify_opaque = opaque;
}

/* IRR bit of vector (without telling the board: callers do, once). */
static bool irr_set(ApicState *s, int vector)
{
    if (vector < 16 || vector > 255) {
        s->esr |= 1u << 6;                  /* received illegal vector */
        return false;
    }
    s->irr[vector >> 5] |= 1u << (vector & 31);
    return true;
}

void apic_set_irq(ApicState *s, int vector)
{
    irr_set(s, vector);
    apic_changed(s);
}

void apic_deliver_irq(ApicState *s, int vector, bool level)
{
    if (irr_set(s, vector)) {
        if (level) {
            s->tmr[vector >> 5] |= 1u << (vector & 31);
        } else {
            s->tmr[vector >> 5] &= ~(1u << (vector & 31));
        }
    }
    apic_changed(s);
}

void apic_deliver_nmi(ApicState *s)
{
    if (s->hw_enabled && s->nmi) {
        s->nmi(s->nmi_opaque);
    }
}

bool apic_passthrough(const ApicState *s)
{
    return !s->hw_enabled || !(s->svr & APIC_SVR_ENABLE);
}

/* A rising edge on LINT0/LINT1 (lvt index 3 or 4), delivered as its LVT entry says. */
static void lint_deliver(ApicState *s, int lvt)
{
    uint32_t v = s->lvt[lvt];

    if (v & APIC_LVT_MASKED) {
        return;
    }
    switch ((v >> APIC_LVT_DM_SHIFT) & 7) {
    case APIC_DM_NMI:
        if (s->nmi) {
            s->nmi(s->nmi_opaque);
        }
        break;
    case APIC_DM_FIXED:
        irr_set(s, v & 0xff);
        apic_changed(s);
        break;
    default:
        break;      /* ExtINT: the board follows the 8259 itself; SMI, INIT: not modelled */
    }
}

void apic_set_lint(ApicState *s, int pin, bool level)
{
    if (pin < 0 || pin > 1) {
        return;
    }
    uint8_t bit = 1u << pin;
    bool rising = level && !(s->lint_level & bit);

    s->lint_level = level ? s->lint_level | bit : s->lint_level & ~bit;
    if (!rising) {
        return;
    }
    if (apic_passthrough(s)) {
        /* LINT0 is the board's 8259 path; LINT1 is the NMI pin. */
        if (pin == 1 && s->nmi) {
            s->nmi(s->nmi_opaque);
        }
        return;
    }
    lint_deliver(s, 3 + pin);
}

bool apic_match_dest(const ApicState *s, uint8_t dest, bool logical)
{
    uint8_t ldr = s->ldr >> 24;

    if (!s->hw_enabled) {
        return false;
    }
    if (!logical) {
        return dest == 0xff || dest == s->id;
    }
    if (((s->dfr >> 28) & 0xf) == 0xf) {
        return (dest & ldr) != 0;           /* flat */
    }
    return (dest >> 4 == 0xf || dest >> 4 == ldr >> 4) && (dest & ldr & 0xf);   /* cluster */
}

void apic_set_eoi_broadcast(ApicState *s, ApicEoiFn *fn, void *opaque)
{
    s->eoi_broadcast = fn;
    s->eoi_opaque = opaque;
}

bool apic_set_base(ApicState *s, uint64_t val)
{
    bool en = val & (1u << 11);

    if ((val & 0xfffffff000ull) != APIC_DEFAULT_BASE) {
        return false;       /* the interp's flat view is fixed between resets: no relocation */
    }
    if (s->hw_enabled && !en) {
        apic_reset(s);
    }
    s->hw_enabled = en;
    apic_changed(s);
    return true;
}

bool apic_intr_pending(const ApicState *s)
{
    int v = highest_bit(s->irr);

    return s->hw_enabled && (s->svr & APIC_SVR_ENABLE) && v >= 0 && (v & 0xf0) > (apic_ppr(s) & 0xf0);
}

int apic_ack(ApicState *s)
{
    if (!apic_intr_pending(s)) {
        return s->svr & 0xff;               /* spurious: nothing goes in service */
    }
    int v = highest_bit(s->irr);
    s->irr[v >> 5] &= ~(1u << (v & 31));
    s->isr[v >> 5] |= 1u << (v & 31);
    return v;
}

bool apic_accepts_pic(const ApicState *s)
{
    uint32_t lint0 = s->lvt[3];

    return !(lint0 & APIC_LVT_MASKED) && ((lint0 >> 8) & 7) == 7;   /* ExtINT */
}

/* ---- timer: the bus clock is the virtual ns (1 GHz), divided by TDCR ---- */

static uint64_t timer_divisor(const ApicState *s)
{
    uint32_t v = (s->tdcr & 3) | ((s->tdcr >> 1) & 4);
    return v == 7 ? 1 : 2ull << v;
}

static uint64_t timer_elapsed(const ApicState *s)
{
    uint64_t now = vclock_now(&s->clock);
    return now > s->timer_start_ns ? (now - s->timer_start_ns) / timer_divisor(s) : 0;
}

/* LVT timer bits 18:17: 0 one-shot, 1 periodic, 2 TSC-deadline (3 reserved: one-shot). */
static unsigned timer_mode(const ApicState *s)
{
    return (s->lvt[0] >> 17) & 3;
}

static bool timer_periodic(const ApicState *s)
{
    return timer_mode(s) == 1;
}

static bool timer_tsc_deadline(const ApicState *s)
{
    return timer_mode(s) == 2;
}

/* Expiries since TMICT was written (a one-shot expires once).  TMICT is 0 in TSC-deadline
   mode (cleared when entering it, writes ignored in it). */
static uint64_t timer_expiries(const ApicState *s)
{
    if (!s->tmict) {
        return 0;
    }
    uint64_t n = timer_elapsed(s) / s->tmict;
    return timer_periodic(s) ? n : MIN(n, 1);
}

static uint32_t timer_current(const ApicState *s)
{
    uint64_t e = timer_elapsed(s);

    if (!s->tmict) {
        return 0;
    }
    if (timer_periodic(s)) {
        return s->tmict - (uint32_t)(e % s->tmict);
    }
    return e >= s->tmict ? 0 : s->tmict - (uint32_t)e;
}

/* The timer expired: its vector unless the LVT entry is masked (the expiry is lost). */
static void timer_fire(ApicState *s)
{
    if (!(s->lvt[0] & APIC_LVT_MASKED)) {
        apic_set_irq(s, s->lvt[0] & 0xff);
    }
}

/* TSC-deadline mode: once the TSC has reached the armed value, fire and disarm. */
static void tsc_deadline_check(ApicState *s)
{
    if (s->tsc_deadline && vclock_now(&s->clock) >= s->deadline_ns) {
        s->tsc_deadline = 0;
        timer_fire(s);
    }
}

void apic_poll(ApicState *s)
{
    if (timer_tsc_deadline(s)) {
        tsc_deadline_check(s);
        return;
    }
    uint64_t n = timer_expiries(s);

    if (n > s->timer_fired) {
        s->timer_fired = n;
        timer_fire(s);
    }
}

uint64_t apic_read_tsc_deadline(ApicState *s)
{
    if (!timer_tsc_deadline(s)) {
        return 0;
    }
    tsc_deadline_check(s);                  /* reads 0 once the TSC has passed it */
    return s->tsc_deadline;
}

void apic_write_tsc_deadline(ApicState *s, uint64_t val, uint64_t tsc)
{
    if (!timer_tsc_deadline(s)) {
        return;                             /* other modes: writes are ignored */
    }
    s->tsc_deadline = val;
    if (val) {
        uint64_t now = vclock_now(&s->clock), ahead = val > tsc ? val - tsc : 0;
        s->deadline_ns = ahead > UINT64_MAX - now ? UINT64_MAX : now + ahead;
        tsc_deadline_check(s);              /* not in the future: fires at once */
    }
    apic_changed(s);
}

uint64_t apic_next_deadline(const ApicState *s)
{
    if (s->lvt[0] & APIC_LVT_MASKED) {
        return UINT64_MAX;
    }
    if (timer_tsc_deadline(s)) {
        return s->tsc_deadline ? s->deadline_ns : UINT64_MAX;
    }
    if (!s->tmict || (!timer_periodic(s) && s->timer_fired)) {
        return UINT64_MAX;
    }
    uint64_t ticks = (s->timer_fired + 1) * (uint64_t)s->tmict;
    return s->timer_start_ns + ticks * timer_divisor(s);
}

/* Restart the count from TMICT (a TMICT write, or a divide change keeping the phase simple). */
static void timer_start(ApicState *s)
{
    s->timer_start_ns = vclock_now(&s->clock);
    s->timer_fired = 0;
}

/* ---- registers ---- */

/* ICR: fixed and NMI IPIs to this CPU (shorthand self or all-including-self, or a
   destination naming us: physical id or broadcast 0xff, logical per LDR/DFR). */
static void apic_send_ipi(ApicState *s)
{
    uint32_t shorthand = (s->icr_lo >> 18) & 3, mode = (s->icr_lo >> 8) & 7;
    uint8_t dest = s->icr_hi >> 24;
    bool logical = s->icr_lo & (1u << 11);
    bool to_self = shorthand == 1 || shorthand == 2 ||
                   (shorthand == 0 && apic_match_dest(s, dest, logical));

    if (!to_self) {
        return;                             /* no other CPUs (one vCPU) */
    }
    if (mode == APIC_DM_FIXED) {
        if ((s->icr_lo & 0xff) < 16) {
            s->esr |= 1u << 5;              /* send illegal vector */
        } else {
            irr_set(s, s->icr_lo & 0xff);   /* apic_write tells the board */
        }
    } else if (mode == APIC_DM_NMI) {
        apic_deliver_nmi(s);
    }
    /* INIT/SIPI/SMI to self: ignored. */
}

static void apic_eoi(ApicState *s)
{
    int v = highest_bit(s->isr);

    if (v >= 0) {
        s->isr[v >> 5] &= ~(1u << (v & 31));
        if ((s->tmr[v >> 5] & (1u << (v & 31))) && s->eoi_broadcast) {
            s->eoi_broadcast(s->eoi_opaque, v);
        }
    }
}

uint32_t apic_read(ApicState *s, uint32_t off)
{
    int lvt = lvt_index(off);

    if (lvt >= 0) {
        return s->lvt[lvt];
    }
    if (off >= APIC_ISR && off < APIC_ISR + 0x80) {
        return s->isr[(off - APIC_ISR) >> 4];
    }
    if (off >= APIC_TMR && off < APIC_TMR + 0x80) {
        return s->tmr[(off - APIC_TMR) >> 4];
    }
    if (off >= APIC_IRR && off < APIC_IRR + 0x80) {
        return s->irr[(off - APIC_IRR) >> 4];
    }
    switch (off) {
    case APIC_ID: return (uint32_t)s->id << 24;
    case APIC_VER: return APIC_VERSION;
    case APIC_TPR: return s->tpr;
    case APIC_PPR: return apic_ppr(s);
    case APIC_LDR: return s->ldr;
    case APIC_DFR: return s->dfr;
    case APIC_SVR: return s->svr;
    case APIC_ESR: return s->esr;
    case APIC_ICR_LO: return s->icr_lo & ~(1u << 12);   /* delivery is immediate: idle */
    case APIC_ICR_HI: return s->icr_hi;
    case APIC_TMICT: return s->tmict;
    case APIC_TMCCT: return timer_current(s);
    case APIC_TDCR: return s->tdcr;
    default: return 0;                      /* APR, EOI and reserved offsets */
    }
}

static void apic_write_lvt(ApicState *s, int lvt, uint32_t val)
{
    static const uint32_t mask[APIC_NLVT] = {
        /* timer: vector, mask, mode; thermal/perf: + delivery mode; LINT: + polarity,
           trigger; error: vector, mask.  Delivery status and remote IRR are read-only. */
        0x000700ff, 0x000107ff, 0x000107ff, 0x0001a7ff, 0x0001a7ff, 0x000100ff,
    };
    bool was_deadline = timer_tsc_deadline(s);
    unsigned old_mode = timer_mode(s);

    val &= mask[lvt];
    if (!(s->svr & APIC_SVR_ENABLE)) {
        val |= APIC_LVT_MASKED;             /* software-disabled: LVTs stay masked */
    }
    s->lvt[lvt] = val;
    if (lvt == 0 && old_mode != timer_mode(s)) {
        /* A mode change disarms the timer (SDM vol. 3 10.5.4.1).  Between one-shot and
           periodic the count restarts from TMICT, as before TSC-deadline existed. */
        s->tsc_deadline = 0;
        if (was_deadline || timer_tsc_deadline(s)) {   /* TMICT does not count there */
            s->tmict = 0;
        }
        timer_start(s);
    }
}

static void apic_write_reg(ApicState *s, uint32_t off, uint32_t val)
{
    int lvt = lvt_index(off);

    if (lvt >= 0) {
        apic_write_lvt(s, lvt, val);
        return;
    }
    switch (off) {
    case APIC_ID: s->id = val >> 24; break;
    case APIC_TPR: s->tpr = val & 0xff; break;
    case APIC_EOI: apic_eoi(s); break;
    case APIC_LDR: s->ldr = val & 0xff000000u; break;
    case APIC_DFR: s->dfr = val | 0x0fffffffu; break;
    case APIC_SVR:
        s->svr = val & 0x3ff;
        if (!(s->svr & APIC_SVR_ENABLE)) {
            for (int i = 0; i < APIC_NLVT; i++) {
                s->lvt[i] |= APIC_LVT_MASKED;
            }
        }
        break;
    case APIC_ESR: s->esr = 0; break;       /* a write re-arms; reads then see zero */
    case APIC_ICR_HI: s->icr_hi = val & 0xff000000u; break;
    case APIC_ICR_LO: s->icr_lo = val & 0x000cdfffu; apic_send_ipi(s); break;
    case APIC_TMICT:
        if (!timer_tsc_deadline(s)) {       /* ignored in TSC-deadline mode */
            s->tmict = val;
            timer_start(s);
        }
        break;
    case APIC_TDCR: s->tdcr = val & 0xb; timer_start(s); break;
    default: break;                         /* read-only and reserved */
    }
}

void apic_write(ApicState *s, uint32_t off, uint32_t val)
{
    apic_write_reg(s, off, val);
    apic_changed(s);            /* TPR, EOI, SVR, LVT, ICR, timer: INTR or deadline may move */
}

static uint64_t apic_mmio_read(void *opaque, uint64_t addr, unsigned size)
{
    /* Registers are 32 bits at 16-byte strides; narrower reads see part of one. */
    uint32_t v = apic_read(opaque, addr & 0xff0);
    return (v >> ((addr & 3) * 8)) & (size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
}

static void apic_mmio_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    if ((addr & 0xf) == 0 && size >= 4) {
        apic_write(opaque, addr & 0xff0, (uint32_t)val);
    }
    /* Unaligned or narrow writes are undefined on hardware: ignored. */
}

static const MemoryRegionOps apic_ops = { .read = apic_mmio_read, .write = apic_mmio_write };

void apic_reset(ApicState *s)
{
    uint8_t id = s->id;

    memset(s->irr, 0, sizeof(s->irr));
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->tmr, 0, sizeof(s->tmr));
    s->tpr = 0;
    s->ldr = s->esr = s->icr_lo = s->icr_hi = s->tmict = s->tdcr = 0;
    s->tsc_deadline = 0;
    s->lint_level = 0;
    s->dfr = 0xffffffffu;
    s->svr = 0xff;                          /* software-disabled, spurious vector 0xff */
    for (int i = 0; i < APIC_NLVT; i++) {
        s->lvt[i] = APIC_LVT_MASKED;
    }
    s->id = id;
    s->hw_enabled = true;
    timer_start(s);
}

ApicState *apic_new(uint8_t id, const VClock *clock, ApicNmiFn *nmi, void *opaque)
{
    ApicState *s = g_new0(ApicState, 1);

    s->id = id;
    s->clock = *clock;
    s->nmi = nmi;
    s->nmi_opaque = opaque;
    apic_reset(s);
    memory_region_init_io(&s->mmio, "lapic", &apic_ops, s, APIC_MMIO_SIZE);
    return s;
}

void apic_free(ApicState *s)
{
    if (s) {
        memory_region_destroy(&s->mmio);
        g_free(s);
    }
}
