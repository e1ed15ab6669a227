/* The virtual clock devices read: nanoseconds derived from the vCPU's retired instructions, plus tick conversions. */
#ifndef NUMBAT_SYSEMU_VCLOCK_H
#define NUMBAT_SYSEMU_VCLOCK_H

#include <stdint.h>

/*
 * Nominal speed of the virtual CPU: one retired instruction is one nanosecond (1 GHz), and
 * the TSC (= instruction count) therefore runs at 1 GHz too.  Devices (PIT, PM timer) derive
 * their counters from this clock, never from the host's, so a boot is reproducible: the
 * same guest reads the same counter values at the same instruction.  Idle hlt moves the
 * clock forward to the next timer deadline instead of spinning.
 */
#define VCLOCK_NS_PER_SEC 1000000000ull

typedef struct VClock {
    uint64_t (*now_ns)(void *opaque);
    void *opaque;
} VClock;

static inline uint64_t vclock_now(const VClock *c)
{
    return c->now_ns ? c->now_ns(c->opaque) : 0;
}

/* Whole ticks of a hz-clock elapsed at ns (floor; 128-bit so it never overflows). */
static inline uint64_t vclock_ns_to_ticks(uint64_t ns, uint64_t hz)
{
    return (uint64_t)(((unsigned __int128)ns * hz) / VCLOCK_NS_PER_SEC);
}

/* The first ns at which ticks whole ticks have elapsed (ceil: the inverse of the above). */
static inline uint64_t vclock_ticks_to_ns(uint64_t ticks, uint64_t hz)
{
    unsigned __int128 n = (unsigned __int128)ticks * VCLOCK_NS_PER_SEC;
    return (uint64_t)((n + hz - 1) / hz);
}

/* One interrupt request line into an interrupt controller (level true = asserted). */
typedef struct IrqLine {
    void (*set)(void *opaque, int n, int level);
    void *opaque;
    int n;
} IrqLine;

static inline void irq_line_set(const IrqLine *l, int level)
{
    if (l->set) {
        l->set(l->opaque, l->n, level);
    }
}

#endif
