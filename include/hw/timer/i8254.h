/* The 8254 programmable interval timer (ports 0x40-0x43, gate/output at 0x61) counting on virtual time. */
#ifndef NUMBAT_HW_TIMER_I8254_H
#define NUMBAT_HW_TIMER_I8254_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"
#include "sysemu/vclock.h"

#define I8254_BASE     0x40u
#define I8254_PORT61   0x61u
#define I8254_HZ       1193182u       /* the PC's 14.31818 MHz / 12 */

typedef struct PitChannel {
    uint8_t mode;           /* 0-5 (6, 7 alias 2, 3) */
    uint8_t rw_mode;        /* 1 LSB, 2 MSB, 3 LSB then MSB */
    bool bcd;               /* stored for the status byte; counting stays binary */
    uint32_t reload;        /* 1..65536 (a written 0 means 65536) */
    bool loaded;            /* a count was written since the control word */
    bool running;           /* counting (loaded, gate allows, triggered for modes 1/5) */
    uint64_t start_ns;      /* virtual time when the current run began */
    uint64_t base_ticks;    /* ticks already elapsed before start_ns (gate pauses) */
    uint8_t write_lsb;
    bool write_msb_next, read_msb_next;
    bool count_latched, latch_msb_next;
    uint16_t latch;
    bool status_latched;
    uint8_t status;
    bool gate;
    uint64_t edges;         /* output rising edges already reported (channel 0 IRQ) */
} PitChannel;

typedef void I8254NotifyFn(void *opaque);

typedef struct I8254State {
    MemoryRegion io;        /* 0x40-0x43 */
    MemoryRegion io_port61; /* 0x61: gate 2, speaker enable, refresh toggle, OUT2 */
    PitChannel ch[3];
    uint8_t port61;         /* the writable bits 0-3 */
    VClock clock;
    IrqLine irq0;           /* channel 0's output, edge-triggered at the 8259 */
    I8254NotifyFn *notify;  /* i8254_set_notify */
    void *notify_opaque;
} I8254State;

I8254State *i8254_new(const VClock *clock, const IrqLine *irq0);
void i8254_free(I8254State *s);
void i8254_reset(I8254State *s);
/* Report channel 0's output rising edges up to now as IRQ 0 pulses. */
void i8254_poll(I8254State *s);
/* Virtual time of channel 0's next rising edge, UINT64_MAX when none is coming. */
uint64_t i8254_next_deadline(const I8254State *s);
/* Called after a port write that moved i8254_next_deadline (channel 0 reprogrammed), so the
   board can end a time slice planned with the old deadline. */
void i8254_set_notify(I8254State *s, I8254NotifyFn *fn, void *opaque);
/* For tests and the debugger: a channel's current count and output. */
uint16_t i8254_get_count(const I8254State *s, int ch);
bool i8254_get_out(const I8254State *s, int ch);

#endif
