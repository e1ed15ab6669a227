/* The Local APIC of the boot CPU (MMIO page at 0xfee00000): TPR/PPR, IRR/ISR with EOI, LVT timer (one-shot, periodic, TSC-deadline) on virtual time, LINT0/LINT1, self-IPIs and NMIs. */
#ifndef NUMBAT_HW_INTC_APIC_H
#define NUMBAT_HW_INTC_APIC_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"
#include "sysemu/vclock.h"

#define APIC_DEFAULT_BASE 0xfee00000u
#define APIC_MMIO_SIZE    0x1000u
#define APIC_VERSION      0x00050014u   /* version 0x14 (integrated), 6 LVT entries */

/* Register offsets (each a 32-bit register on a 16-byte boundary). */
enum {
    APIC_ID = 0x20, APIC_VER = 0x30, APIC_TPR = 0x80, APIC_APR = 0x90, APIC_PPR = 0xa0,
    APIC_EOI = 0xb0, APIC_LDR = 0xd0, APIC_DFR = 0xe0, APIC_SVR = 0xf0, APIC_ISR = 0x100,
    APIC_TMR = 0x180, APIC_IRR = 0x200, APIC_ESR = 0x280, APIC_ICR_LO = 0x300,
    APIC_ICR_HI = 0x310, APIC_LVT_TIMER = 0x320, APIC_LVT_THERMAL = 0x330,
    APIC_LVT_PERF = 0x340, APIC_LVT_LINT0 = 0x350, APIC_LVT_LINT1 = 0x360,
    APIC_LVT_ERROR = 0x370, APIC_TMICT = 0x380, APIC_TMCCT = 0x390, APIC_TDCR = 0x3e0,
};

#define APIC_LVT_MASKED    (1u << 16)
#define APIC_TIMER_PERIODIC (1u << 17)
#define APIC_TIMER_TSC_DEADLINE (2u << 17)   /* LVT timer bits 18:17 = 10b (CPUID.1:ECX.24) */
#define APIC_LVT_DM_SHIFT  8                 /* delivery mode (LINT0/1, thermal, perf) */
enum { APIC_DM_FIXED = 0, APIC_DM_SMI = 2, APIC_DM_NMI = 4, APIC_DM_INIT = 5,
       APIC_DM_EXTINT = 7 };
#define APIC_SVR_ENABLE    (1u << 8)
#define APIC_NLVT 6         /* timer, thermal, perf, LINT0, LINT1, error */

typedef void ApicNmiFn(void *opaque);
/* Something that can change the INTR output (apic_intr_pending) or the timer deadline
   (apic_next_deadline) happened: a register or MSR write, a new IRR bit, a timer expiry,
   LINT input.  The board re-evaluates both (a kick of the vCPU). */
typedef void ApicNotifyFn(void *opaque);
/* A level-triggered interrupt (TMR bit set) got its EOI: the IOAPIC clears remote IRR. */
typedef void ApicEoiFn(void *opaque, int vector);

typedef struct ApicState {
    MemoryRegion mmio;
    uint8_t id;
    uint8_t tpr;
    uint32_t ldr, dfr, svr, esr, icr_lo, icr_hi;
    uint32_t lvt[APIC_NLVT];
    uint32_t irr[8], isr[8], tmr[8];
    uint32_t tmict, tdcr;
    uint64_t timer_start_ns;    /* when TMICT was written */
    uint64_t timer_fired;       /* expiries already turned into interrupts */
    uint64_t tsc_deadline;      /* IA32_TSC_DEADLINE as written; 0: disarmed (or fired) */
    uint64_t deadline_ns;       /* the virtual time at which the TSC reaches it */
    uint8_t lint_level;         /* LINT0 (bit 0) and LINT1 (bit 1) input levels */
    VClock clock;
    ApicNmiFn *nmi;             /* the CPU's NMI input: NMI IPIs/messages, LINT NMI mode */
    void *nmi_opaque;
    ApicEoiFn *eoi_broadcast;   /* apic_set_eoi_broadcast */
    void *eoi_opaque;
    ApicNotifyFn *notify;       /* apic_set_notify */
    void *notify_opaque;
    bool hw_enabled;            /* IA32_APIC_BASE.EN (reset: set) */
} ApicState;

ApicState *apic_new(uint8_t id, const VClock *clock, ApicNmiFn *nmi, void *opaque);
void apic_free(ApicState *s);
void apic_reset(ApicState *s);
/* A fixed interrupt arrives (from an IPI, the IOAPIC, a LVT): IRR bit of vector. */
void apic_set_irq(ApicState *s, int vector);
/* From an IOAPIC (or MSI): like apic_set_irq, and TMR records level (EOI is broadcast). */
void apic_deliver_irq(ApicState *s, int vector, bool level);
/* Whether an interrupt message's destination names this APIC: physical (id or 0xff
   broadcast) or logical (flat model: a bit of LDR[31:24]; cluster: same cluster, a bit). */
bool apic_match_dest(const ApicState *s, uint8_t dest, bool logical);
void apic_set_eoi_broadcast(ApicState *s, ApicEoiFn *fn, void *opaque);
/* IA32_APIC_BASE written (the CPU's hook): false when the board cannot do it (another
   base: the MMIO page stays at 0xfee00000).  Clearing EN turns the APIC off (its state goes
   back to reset, the 8259 reaches the CPU directly); setting it again leaves it
   software-disabled until SVR is written, as on hardware. */
bool apic_set_base(ApicState *s, uint64_t val);
/* Not called for the board's own apic_ack (it knows) nor by apic_reset. */
void apic_set_notify(ApicState *s, ApicNotifyFn *fn, void *opaque);
/*
 * IA32_TSC_DEADLINE (MSR 0x6e0), the TSC-deadline timer mode (LVT timer bits 18:17 = 10b).
 * tsc is the CPU's TSC at the access; the TSC and the virtual clock both count 1 GHz, so
 * the deadline becomes the virtual time now + (val - tsc).  A write arms the timer (0
 * disarms; a value not after tsc fires at once); it is ignored outside TSC-deadline mode.
 * A read returns the armed value: 0 after it fired, when disarmed, or outside the mode.
 * Simplification: a later IA32_TSC write does not move an armed deadline.
 */
uint64_t apic_read_tsc_deadline(ApicState *s);
void apic_write_tsc_deadline(ApicState *s, uint64_t val, uint64_t tsc);
/*
 * The LINT0/LINT1 input pins (pin 0 or 1).  On a PC the 8259's INTR drives LINT0 and the
 * board's NMI line LINT1.  A rising edge is delivered as the LVT entry says: NMI mode → the
 * nmi callback, fixed → its vector in IRR (edge; the level trigger bit is stored, not
 * modelled), masked → lost; ExtINT is the board's business (apic_accepts_pic), SMI/INIT are
 * not modelled.  While the APIC is off or software-disabled (apic_passthrough) LINT1 goes
 * straight to the CPU's NMI input, as the virtual-wire setup a PC's firmware leaves.
 */
void apic_set_lint(ApicState *s, int pin, bool level);
/* Off (IA32_APIC_BASE.EN clear) or software-disabled (SVR): the pins go straight through. */
bool apic_passthrough(const ApicState *s);
/* An NMI message (IOAPIC redirection entry or IPI in NMI mode): the vector is ignored; a
   software-disabled APIC still accepts it (SDM vol. 3 10.4.7.2). */
void apic_deliver_nmi(ApicState *s);
/* Whether the highest requested vector beats the processor priority (PPR). */
bool apic_intr_pending(const ApicState *s);
/* The CPU takes the interrupt: IRR -> ISR, returns the vector (the spurious vector if none). */
int apic_ack(ApicState *s);
/* Whether the 8259's INTR may reach the CPU (LINT0 unmasked in ExtINT mode). */
bool apic_accepts_pic(const ApicState *s);
/* The timer: expiries up to now become interrupts; the next expiry (UINT64_MAX: none). */
void apic_poll(ApicState *s);
uint64_t apic_next_deadline(const ApicState *s);
uint32_t apic_read(ApicState *s, uint32_t offset);
void apic_write(ApicState *s, uint32_t offset, uint32_t val);

#endif
