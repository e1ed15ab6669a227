/* The I/O APIC at 0xfec00000 (82093AA-style, version 0x11, 24 pins): ISA/PCI interrupt lines to Local APIC messages. */
#ifndef NUMBAT_HW_INTC_IOAPIC_H
#define NUMBAT_HW_INTC_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"

#define IOAPIC_DEFAULT_BASE 0xfec00000u
#define IOAPIC_MMIO_SIZE    0x1000u
#define IOAPIC_NUM_PINS     24
#define IOAPIC_VERSION      0x11u

/* Indirect register access: IOREGSEL selects, IOWIN reads/writes the selected register. */
enum { IOAPIC_IOREGSEL = 0x00, IOAPIC_IOWIN = 0x10 };
enum { IOAPIC_REG_ID = 0x00, IOAPIC_REG_VER = 0x01, IOAPIC_REG_ARB = 0x02,
       IOAPIC_REG_REDTBL = 0x10 };   /* pin n: low dword 0x10 + 2n, high dword 0x11 + 2n */

/* Redirection entry bits. */
#define IOAPIC_RTE_DELIVERY_SHIFT 8             /* 0 fixed, 1 lowest priority, 4 NMI, 7 ExtINT */
#define IOAPIC_RTE_DEST_LOGICAL   (1ull << 11)
#define IOAPIC_RTE_DELIV_STATUS   (1ull << 12)  /* read-only: always idle here */
#define IOAPIC_RTE_POLARITY_LOW   (1ull << 13)
#define IOAPIC_RTE_REMOTE_IRR     (1ull << 14)  /* read-only */
#define IOAPIC_RTE_LEVEL          (1ull << 15)
#define IOAPIC_RTE_MASKED         (1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT     56

/* One interrupt message to the Local APIC(s). */
typedef struct IoapicMsg {
    uint8_t vector;
    uint8_t delivery_mode;      /* 0 fixed, 1 lowest priority, 4 NMI (others are not sent) */
    uint8_t dest;
    bool logical;
    bool level;                 /* level-triggered: the LAPIC must broadcast its EOI */
} IoapicMsg;

/* Send a message; returns whether some LAPIC accepted it. */
typedef bool IoapicDeliverFn(void *opaque, const IoapicMsg *msg);

typedef struct IoapicState {
    MemoryRegion mmio;
    uint8_t id;                 /* bits 27:24 of the ID register */
    uint8_t ioregsel;
    uint64_t rte[IOAPIC_NUM_PINS];
    uint32_t irr;               /* pins with a request not yet delivered (edge latch/level) */
    uint32_t level;             /* current input levels, as the devices drive them */
    IoapicDeliverFn *deliver;
    void *opaque;
} IoapicState;

IoapicState *ioapic_new(IoapicDeliverFn *deliver, void *opaque);
void ioapic_free(IoapicState *s);
/* Power-on: every pin masked, edge, vector 0; id 0. */
void ioapic_reset(IoapicState *s);
/* A device drives pin n (IrqLine-compatible; level true = asserted).  Polarity is not
   applied: devices drive logical levels (as in QEMU), the MADT says active-high for all. */
void ioapic_set_irq(void *opaque, int n, int level);
/* The LAPIC's EOI of a level-triggered vector: remote IRR clears on the pins with that
   vector, and a line still asserted is delivered again. */
void ioapic_eoi(IoapicState *s, int vector);
uint32_t ioapic_read(IoapicState *s, uint8_t reg);
void ioapic_write(IoapicState *s, uint8_t reg, uint32_t val);

#endif
