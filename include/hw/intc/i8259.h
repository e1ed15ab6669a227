/* The pc's cascaded 8259A interrupt controllers (master 0x20, slave 0xa0, ELCR 0x4d0) feeding the CPU's INTR input. */
#ifndef NUMBAT_HW_INTC_I8259_H
#define NUMBAT_HW_INTC_I8259_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"

#define I8259_MASTER_BASE 0x20u
#define I8259_SLAVE_BASE  0xa0u
#define I8259_ELCR_BASE   0x4d0u

/* One 8259A.  Bit n of each mask is IRQ n of this chip. */
typedef struct PicChip {
    uint8_t irr, isr, imr;
    uint8_t lines;          /* current input levels (edge detection) */
    uint8_t elcr, elcr_mask;
    uint8_t vector_base;    /* ICW2 & 0xf8 */
    uint8_t priority_add;   /* IRQ with the highest priority (rotation) */
    uint8_t init_step;      /* 0 = ready; 2, 3, 4 = expecting ICW2, ICW3, ICW4 */
    bool icw4_needed, single, auto_eoi, rotate_on_aeoi, special_mask, sfnm;
    bool read_isr, poll;
} PicChip;

/* A port access changed the chips (mask, EOI, poll, ELCR...): INTR may have moved. */
typedef void I8259NotifyFn(void *opaque);

typedef struct I8259State {
    MemoryRegion io_master, io_slave, io_elcr;
    PicChip chip[2];        /* [0] master (IRQ 0-7), [1] slave (IRQ 8-15 on master IRQ 2) */
    I8259NotifyFn *notify;  /* i8259_set_notify */
    void *notify_opaque;
} I8259State;

I8259State *i8259_new(void);
void i8259_free(I8259State *s);
void i8259_reset(I8259State *s);
/* Called after every port write and poll-mode read (not after i8259_set_irq or i8259_ack,
   whose callers know). */
void i8259_set_notify(I8259State *s, I8259NotifyFn *fn, void *opaque);
/* An interrupt input: irq 0-15, level 1 asserted (an IrqLine's set callback, opaque = s). */
void i8259_set_irq(void *opaque, int irq, int level);
/* Whether the master's INTR output is asserted (an unmasked request beats the in-service one). */
bool i8259_intr_pending(const I8259State *s);
/* The CPU's interrupt acknowledge: IRR -> ISR, returns the vector (IRQ 7/15 spurious when
   nothing is pending any more). */
int i8259_ack(I8259State *s);

#endif
