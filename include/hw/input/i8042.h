/* The i8042 keyboard controller (ports 0x60/0x64), minimal: self-tests, command byte, a stub keyboard, the reset line. */
#ifndef NUMBAT_HW_INPUT_I8042_H
#define NUMBAT_HW_INPUT_I8042_H

#include <stdbool.h>
#include <stdint.h>
#include "sysemu/memory.h"
#include "sysemu/vclock.h"

#define I8042_DATA_PORT   0x60u
#define I8042_CMD_PORT    0x64u

/* Status register bits. */
#define I8042_STR_OBF     0x01    /* output buffer full */
#define I8042_STR_IBF     0x02    /* never set: commands complete at once */
#define I8042_STR_SYS     0x04    /* system flag (self-test passed) */
#define I8042_STR_CMD     0x08    /* last write went to 0x64 */
#define I8042_STR_UNLOCK  0x10    /* keyboard not inhibited */
#define I8042_STR_AUXOBF  0x20    /* the output byte comes from the aux (mouse) port */

/* Command byte bits. */
#define I8042_CTR_KBDINT  0x01
#define I8042_CTR_AUXINT  0x02
#define I8042_CTR_SYS     0x04
#define I8042_CTR_KBDDIS  0x10
#define I8042_CTR_AUXDIS  0x20
#define I8042_CTR_XLATE   0x40

#define I8042_QUEUE_LEN   16

typedef struct I8042State {
    MemoryRegion io_data;   /* 0x60 */
    MemoryRegion io_cmd;    /* 0x64 */
    uint8_t status, ctr;
    uint8_t pending;        /* a controller command waiting for its data byte, or 0 */
    uint8_t out_port;       /* bit 0: reset line (active low), bit 1: A20 */
    uint8_t queue[I8042_QUEUE_LEN];   /* output bytes; bit 8 of qaux says "from aux" */
    uint16_t qaux;
    unsigned qhead, qlen;
    IrqLine irq_kbd, irq_aux;         /* ISA IRQ 1 and 12 */
    void (*reset_request)(void *opaque);
    void *opaque;
} I8042State;

/* reset_request: the 0xfe (or output-port bit 0 low) pulse on the CPU reset line. */
I8042State *i8042_new(const IrqLine *irq_kbd, const IrqLine *irq_aux,
                      void (*reset_request)(void *opaque), void *opaque);
void i8042_free(I8042State *s);
void i8042_reset(I8042State *s);

#endif
