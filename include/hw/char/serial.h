/* The 8250/16550A UART: register file, transmit to a host character backend, the THR-empty interrupt. */
#ifndef NUMBAT_HW_CHAR_SERIAL_H
#define NUMBAT_HW_CHAR_SERIAL_H

#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "sysemu/memory.h"
#include "sysemu/vclock.h"

/* The ISA COM port bases, in -serial order. */
#define SERIAL_MAX_PORTS 4
extern const uint16_t serial_isa_iobase[SERIAL_MAX_PORTS];
extern const uint8_t serial_isa_irq[SERIAL_MAX_PORTS];     /* 4, 3, 4, 3 */

/*
 * Where transmitted bytes go: a host file descriptor (stdout for "stdio", a file for
 * "file:PATH") or nowhere ("null", and QEMU's graphical "vc" which numbat has no window for).
 */
typedef struct SerialBackend {
    int fd;          /* -1: discard (or, when listening, no client connected yet) */
    bool owns_fd;
    bool listening;  /* "unix:PATH,server=on": fd is the accepted client, if any */
    int listen_fd;   /* valid only when listening */
    char *path;      /* the socket file, removed on close */
} SerialBackend;

/*
 * Open the backend for a -serial argument.  "none" is not a backend (the caller creates no
 * port).  Unknown drivers fail with QEMU's "'foo' is not a valid char driver"; a file that
 * cannot be created with "Could not open 'PATH': <strerror>".  "unix:PATH,server=on[,wait=off]"
 * listens on a unix socket (mode 0600); output goes to the connected client, and is
 * discarded while none is (wait=off) -- or startup waits for the first client (wait=on).
 */
bool serial_backend_open(SerialBackend *be, const char *spec, GError **errp);
void serial_backend_close(SerialBackend *be);

typedef struct SerialState {
    MemoryRegion io;      /* 8 ports */
    SerialBackend be;
    uint16_t divider;
    uint8_t rbr;          /* last received byte (loopback only for now) */
    uint8_t ier, iir, lcr, mcr, lsr, msr, scr, fcr;
    bool thr_ipending;    /* the THR-empty interrupt is waiting (cleared by an IIR read) */
    IrqLine irq;          /* the ISA IRQ (none in unit tests unless set) */
} SerialState;

#define UART_IER_RDI  0x01
#define UART_IER_THRI 0x02
#define UART_IIR_THRI 0x02

#define UART_LSR_DR   0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_LCR_DLAB 0x80

/* A UART writing to be (taken over: closed with the device). */
SerialState *serial_new(const char *name, const SerialBackend *be);
void serial_free(SerialState *s);
/* Power-on register values (QEMU's: LSR THRE|TEMT, MSR DCD|DSR|CTS, MCR OUT2, IIR none). */
void serial_reset(SerialState *s);
/* Connect the interrupt output (level: asserted while IIR reports an interrupt). */
void serial_set_irq(SerialState *s, const IrqLine *irq);

#endif
