/* The 8250/16550A UART at an ISA port base: registers, transmit to a host backend, the THR-empty and receive interrupts. */
#include "hw/char/serial.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

const uint16_t serial_isa_iobase[SERIAL_MAX_PORTS] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
const uint8_t serial_isa_irq[SERIAL_MAX_PORTS] = { 4, 3, 4, 3 };

/* Register offsets (DLAB selects the divisor latch at 0 and 1). */
enum { UART_RBR_THR, UART_IER, UART_IIR_FCR, UART_LCR, UART_MCR, UART_LSR, UART_MSR, UART_SCR };

#define UART_IIR_NO_INT 0x01
#define UART_IIR_FIFO   0xc0
#define UART_MSR_CTS    0x10
#define UART_MSR_DSR    0x20
#define UART_MSR_RI     0x40
#define UART_MSR_DCD    0x80

/* "unix:PATH,server=on[,wait=off]": a listening socket; the guest's output goes to the client. */
static bool open_unix_server(SerialBackend *be, const char *spec, GError **errp)
{
    g_auto(GStrv) parts = g_strsplit(spec + 5, ",", -1);
    bool server = false, wait = true;
    for (int i = 1; parts[i]; i++) {
        if (!strcmp(parts[i], "server=on") || !strcmp(parts[i], "server")) {
            server = true;
        } else if (!strcmp(parts[i], "wait=off") || !strcmp(parts[i], "nowait")) {
            wait = false;
        } else if (strcmp(parts[i], "wait=on") && strcmp(parts[i], "server=off")) {
            error_setg(errp, "Invalid parameter '%s'", parts[i]);
            return false;
        }
    }
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (!server || !parts[0][0] || strlen(parts[0]) >= sizeof(addr.sun_path)) {
        error_setg(errp, server ? "invalid unix socket path '%s'"
                                : "unix socket '%s': only server=on is supported", parts[0]);
        return false;
    }
    strcpy(addr.sun_path, parts[0]);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(parts[0]);
    /* The socket carries the guest's console: only its owner may connect (mode 0600). */
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        chmod(parts[0], 0600) < 0 || listen(fd, 1) < 0) {
        error_setg(errp, "Failed to bind socket to %s: %s", parts[0], g_strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    be->listening = true;
    be->listen_fd = fd;
    be->path = g_strdup(parts[0]);
    be->owns_fd = true;
    if (wait) {
        be->fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);   /* like QEMU: block until a client */
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return true;
}

bool serial_backend_open(SerialBackend *be, const char *spec, GError **errp)
{
    *be = (SerialBackend) { .fd = -1 };
    if (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio")) {
        be->fd = STDOUT_FILENO;
        return true;
    }
    if (!strcmp(spec, "null") || !strcmp(spec, "vc") || g_str_has_prefix(spec, "vc:")) {
        return true;
    }
    if (g_str_has_prefix(spec, "file:")) {
        const char *path = spec + 5;
        be->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (be->fd < 0) {
            error_setg(errp, "Could not open '%s': %s", path, g_strerror(errno));
            return false;
        }
        be->owns_fd = true;
        return true;
    }
    if (g_str_has_prefix(spec, "unix:")) {
        return open_unix_server(be, spec, errp);
    }
    g_autofree char *driver = g_strndup(spec, strcspn(spec, ":,"));
    error_setg(errp, "'%s' is not a valid char driver", driver);
    return false;
}

void serial_backend_close(SerialBackend *be)
{
    if (be->owns_fd && be->fd >= 0) {
        close(be->fd);
    }
    if (be->listening) {
        close(be->listen_fd);
        unlink(be->path);
        g_free(be->path);
    }
    *be = (SerialBackend) { .fd = -1 };
}

/* Blocking write of one byte: the polled transmitter is "done" when the host took it. */
static void backend_write(SerialBackend *be, uint8_t byte)
{
    if (be->listening && be->fd < 0) {
        be->fd = accept4(be->listen_fd, NULL, NULL, SOCK_CLOEXEC);   /* -1: nobody yet */
    }
    while (be->fd >= 0) {
        ssize_t n = be->listening ? send(be->fd, &byte, 1, MSG_NOSIGNAL) : write(be->fd, &byte, 1);
        if (n == 1) {
            return;
        }
        if (n < 0 && errno != EINTR && errno != EAGAIN) {
            if (be->listening) {
                close(be->fd);       /* the client went away: wait for the next one */
                be->fd = -1;
            }
            return;   /* a closed stdout loses output, as a disconnected terminal would */
        }
    }
}

static void serial_transmit(SerialState *s, uint8_t byte)
{
    if (s->mcr & UART_MCR_LOOP) {
        /* Loopback: what is sent comes straight back in (drivers probe the UART so). */
        s->rbr = byte;
        s->lsr |= UART_LSR_DR;
        return;
    }
    backend_write(&s->be, byte);
    /* Transmission is instantaneous: THR and the shift register are empty again. */
    s->lsr |= UART_LSR_THRE | UART_LSR_TEMT;
}

/* IIR from the pending sources (received data beats THR empty), and the IRQ line.
   Linux's 8250 driver transmits from its THRI handler: without it a tty write stalls
   after the first FIFO-full. */
static void serial_update_irq(SerialState *s)
{
    if ((s->ier & UART_IER_RDI) && (s->lsr & UART_LSR_DR)) {
        s->iir = 0x04;
    } else if ((s->ier & UART_IER_THRI) && s->thr_ipending) {
        s->iir = UART_IIR_THRI;
    } else {
        s->iir = UART_IIR_NO_INT;
    }
    irq_line_set(&s->irq, !(s->iir & UART_IIR_NO_INT));
}

void serial_set_irq(SerialState *s, const IrqLine *irq)
{
    s->irq = *irq;
    serial_update_irq(s);
}

/* MSR as seen by the driver: in loopback the modem outputs drive the inputs. */
static uint8_t serial_msr(const SerialState *s)
{
    if (!(s->mcr & UART_MCR_LOOP)) {
        return s->msr;
    }
    uint8_t m = s->msr & 0x0f;
    m |= (s->mcr & 0x01) ? UART_MSR_DSR : 0;   /* DTR -> DSR */
    m |= (s->mcr & 0x02) ? UART_MSR_CTS : 0;   /* RTS -> CTS */
    m |= (s->mcr & 0x04) ? UART_MSR_RI : 0;    /* OUT1 -> RI */
    m |= (s->mcr & 0x08) ? UART_MSR_DCD : 0;   /* OUT2 -> DCD */
    return m;
}

static uint64_t serial_read(void *opaque, uint64_t addr, unsigned size)
{
    SerialState *s = opaque;

    switch (addr & 7) {
    case UART_RBR_THR:
        if (s->lcr & UART_LCR_DLAB) {
            return s->divider & 0xff;
        }
        s->lsr &= ~UART_LSR_DR;
        serial_update_irq(s);
        return s->rbr;
    case UART_IER:
        return (s->lcr & UART_LCR_DLAB) ? s->divider >> 8 : s->ier;
    case UART_IIR_FCR: {
        uint8_t iir = s->iir | ((s->fcr & 1) ? UART_IIR_FIFO : 0);
        if ((s->iir & 0x0f) == UART_IIR_THRI) {
            s->thr_ipending = false;    /* reading the THRE source acknowledges it */
            serial_update_irq(s);
        }
        return iir;
    }
    case UART_LCR:
        return s->lcr;
    case UART_MCR:
        return s->mcr;
    case UART_LSR:
        return s->lsr;
    case UART_MSR:
        return serial_msr(s);
    default:
        return s->scr;
    }
}

static void serial_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    SerialState *s = opaque;
    uint8_t v = val;

    switch (addr & 7) {
    case UART_RBR_THR:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0xff00) | v;
        } else {
            s->thr_ipending = false;
            serial_transmit(s, v);
            /* sent at once: THR is empty again, which is the next interrupt */
            s->thr_ipending = (s->lsr & UART_LSR_THRE) != 0;
            serial_update_irq(s);
        }
        break;
    case UART_IER:
        if (s->lcr & UART_LCR_DLAB) {
            s->divider = (s->divider & 0x00ff) | (v << 8);
        } else {
            /* Enabling THRI with THR empty raises the interrupt at once, as on a 16550. */
            if ((v & UART_IER_THRI) && !(s->ier & UART_IER_THRI) &&
                (s->lsr & UART_LSR_THRE)) {
                s->thr_ipending = true;
            }
            s->ier = v & 0x0f;
            serial_update_irq(s);
        }
        break;
    case UART_IIR_FCR:
        s->fcr = v & 0xc9;   /* enable, DMA mode, trigger level; the reset bits self-clear */
        break;
    case UART_LCR:
        s->lcr = v;
        break;
    case UART_MCR:
        s->mcr = v & 0x1f;
        break;
    case UART_LSR:
    case UART_MSR:
        break;               /* read-only on a real 8250 */
    default:
        s->scr = v;
        break;
    }
}

static const MemoryRegionOps serial_ops = {
    .read = serial_read,
    .write = serial_write,
};

void serial_reset(SerialState *s)
{
    s->divider = 0x0c;       /* 9600 baud */
    s->rbr = 0;
    s->ier = 0;
    s->iir = UART_IIR_NO_INT;
    s->lcr = 0;
    s->mcr = UART_MCR_OUT2;
    s->lsr = UART_LSR_THRE | UART_LSR_TEMT;
    s->msr = UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
    s->scr = 0;
    s->fcr = 0;
    s->thr_ipending = false;
    serial_update_irq(s);
}

SerialState *serial_new(const char *name, const SerialBackend *be)
{
    SerialState *s = g_new0(SerialState, 1);

    s->be = *be;
    memory_region_init_io(&s->io, name, &serial_ops, s, 8);
    serial_reset(s);
    return s;
}

void serial_free(SerialState *s)
{
    if (!s) {
        return;
    }
    memory_region_destroy(&s->io);
    serial_backend_close(&s->be);
    g_free(s);
}
