/* Bare-metal test guests: Local APIC and IOAPIC register access, the 8259 pair masked, and the UART's THR-empty interrupt as a device line. */
#ifndef GUEST_LAPIC_H
#define GUEST_LAPIC_H

#include "guest.h"

#define LAPIC_BASE  0xfee00000u
#define IOAPIC_BASE 0xfec00000u
enum {
    LAPIC_ID = 0x20, LAPIC_TPR = 0x80, LAPIC_EOI = 0xb0, LAPIC_LDR = 0xd0, LAPIC_DFR = 0xe0,
    LAPIC_SVR = 0xf0, LAPIC_ISR = 0x100, LAPIC_IRR = 0x200, LAPIC_ICR_LO = 0x300,
    LAPIC_ICR_HI = 0x310, LAPIC_LVT_TIMER = 0x320, LAPIC_LINT0 = 0x350, LAPIC_LINT1 = 0x360,
    LAPIC_LVT_ERROR = 0x370,
};
#define LVT_MASKED (1u << 16)
#define DM_NMI     (4u << 8)
#define DM_EXTINT  (7u << 8)
#define ICR_SELF   (1u << 18)
#define ICR_ALL    (2u << 18)
#define ICR_OTHERS (3u << 18)
#define ICR_LOGICAL (1u << 11)
#define RTE_LEVEL  (1u << 15)
#define RTE_MASKED (1u << 16)

static inline volatile uint32_t *lapic_reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(LAPIC_BASE + off);
}
static inline uint32_t lapic_read(uint32_t off) { return *lapic_reg(off); }
static inline void lapic_write(uint32_t off, uint32_t v) { *lapic_reg(off) = v; }
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return lo | (uint64_t)hi << 32;
}

/* Identity-map the IOAPIC and LAPIC pages (2 MiB pages, uncached) above the first GiB. */
void apic_map(void);
/* Software-enable the LAPIC (spurious vector 0xff), TPR 0, LVT timer/error masked, LINT0
   and LINT1 as given. */
void lapic_setup(uint32_t lint0, uint32_t lint1);
uint32_t ioapic_read(uint8_t reg);
void ioapic_write(uint8_t reg, uint32_t v);
/* Redirection entry of pin: low dword (vector, mode, bits) and the destination APIC id. */
void ioapic_set_rte(int pin, uint32_t low, uint8_t dest);
/* Every IOAPIC pin masked. */
void ioapic_mask_all(void);
/* Initialise the 8259 pair (vectors 0x20/0x28, cascade, 8086 mode) with every IRQ masked;
   ICW1 also clears requests latched earlier. */
void pic_init_masked(void);
/* The UART (COM1, ISA IRQ 4) as a test interrupt source: enabling IER.THRI with the
   transmitter empty raises the line; reading IIR acknowledges it and the line drops. */
void uart_irq_raise(void);
void uart_irq_ack(void);
/* Whether the CPU's brand string says numbat (exact instruction counts via rdtsc there). */
bool on_numbat(void);

#endif
