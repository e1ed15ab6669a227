/* Unit tests for hw/char/serial.c: the 8250 register file driven through the port space, and its backends. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "hw/char/serial.h"
#include "sysemu/ioport.h"

#define COM1 0x3f8
enum { THR = 0, IER, IIR, LCR, MCR, LSR, MSR, SCR };

/* A UART at COM1 whose transmitted bytes land in a pipe the test reads (the memory sink). */
typedef struct Fixture {
    IoSpace io;
    SerialState *s;
    int sink;            /* read end of the pipe */
} Fixture;

static void fixture_init(Fixture *f)
{
    int fds[2];
    GError *err = NULL;

    g_assert_cmpint(pipe(fds), ==, 0);
    g_assert_cmpint(fcntl(fds[0], F_SETFL, O_NONBLOCK), ==, 0);
    SerialBackend be = { .fd = fds[1], .owns_fd = true };
    io_space_init(&f->io);
    f->s = serial_new("serial0", &be);
    f->sink = fds[0];
    g_assert_true(io_space_add(&f->io, COM1, &f->s->io, &err));
    g_assert_no_error(err);
}

static void fixture_fini(Fixture *f)
{
    io_space_destroy(&f->io);
    serial_free(f->s);
    close(f->sink);
}

static uint8_t in8(Fixture *f, unsigned reg) { return io_space_in(&f->io, COM1 + reg, 1); }
static void out8(Fixture *f, unsigned reg, uint8_t v) { io_space_out(&f->io, COM1 + reg, v, 1); }

/* Everything the UART has sent so far ("" when nothing). */
static char *drain(Fixture *f)
{
    GString *s = g_string_new(NULL);
    char buf[256];
    ssize_t n;

    while ((n = read(f->sink, buf, sizeof(buf))) > 0) {
        g_string_append_len(s, buf, n);
    }
    g_assert_true(n == 0 || errno == EAGAIN);
    return g_string_free(s, FALSE);
}

static void test_reset_values(void)
{
    Fixture f;
    fixture_init(&f);
    g_assert_cmphex(in8(&f, LSR), ==, UART_LSR_THRE | UART_LSR_TEMT);
    g_assert_cmphex(in8(&f, IIR), ==, 0x01);     /* no interrupt pending, no FIFO */
    g_assert_cmphex(in8(&f, IER), ==, 0);
    g_assert_cmphex(in8(&f, LCR), ==, 0);
    g_assert_cmphex(in8(&f, MCR), ==, UART_MCR_OUT2);
    g_assert_cmphex(in8(&f, MSR), ==, 0xb0);     /* DCD | DSR | CTS */
    g_assert_cmphex(in8(&f, SCR), ==, 0);
    g_assert_cmphex(in8(&f, THR), ==, 0);
    /* the divisor latch starts at 9600 baud */
    out8(&f, LCR, UART_LCR_DLAB);
    g_assert_cmphex(in8(&f, THR), ==, 0x0c);
    g_assert_cmphex(in8(&f, IER), ==, 0x00);
    fixture_fini(&f);
}

/* The polled transmit path: a driver waits for THRE and writes THR; bytes come out in order. */
static void test_transmit(void)
{
    Fixture f;
    fixture_init(&f);
    const char *msg = "hello, numbat\n";
    for (const char *p = msg; *p; p++) {
        g_assert_true(in8(&f, LSR) & UART_LSR_THRE);
        out8(&f, THR, *p);
        g_assert_cmphex(in8(&f, LSR) & (UART_LSR_THRE | UART_LSR_TEMT), ==,
                        UART_LSR_THRE | UART_LSR_TEMT);
    }
    g_autofree char *out = drain(&f);
    g_assert_cmpstr(out, ==, msg);
    /* a wider access to THR sends only its low byte */
    io_space_out(&f.io, COM1, 0x4241, 2);
    g_autofree char *out2 = drain(&f);
    g_assert_cmpstr(out2, ==, "A");
    /* a transmit does not set DR: nothing was received */
    g_assert_false(in8(&f, LSR) & UART_LSR_DR);
    fixture_fini(&f);
}

/* LCR.DLAB turns ports 0 and 1 into the divisor latch: no transmit, IER untouched. */
static void test_dlab(void)
{
    Fixture f;
    fixture_init(&f);
    out8(&f, IER, 0x05);
    out8(&f, LCR, 0x83);                         /* DLAB, 8N1 */
    g_assert_cmphex(in8(&f, LCR), ==, 0x83);
    out8(&f, THR, 0x01);                         /* divisor low: 115200 baud */
    out8(&f, IER, 0x00);                         /* divisor high */
    g_assert_cmphex(in8(&f, THR), ==, 0x01);
    g_assert_cmphex(in8(&f, IER), ==, 0x00);
    out8(&f, IER, 0xab);
    g_assert_cmphex(in8(&f, IER), ==, 0xab);
    g_autofree char *none = drain(&f);
    g_assert_cmpstr(none, ==, "");
    out8(&f, LCR, 0x03);                         /* DLAB off: the registers come back */
    g_assert_cmphex(in8(&f, IER), ==, 0x05);
    out8(&f, THR, 'x');
    g_autofree char *x = drain(&f);
    g_assert_cmpstr(x, ==, "x");
    /* the latch kept its value across the DLAB toggle */
    out8(&f, LCR, 0x83);
    g_assert_cmphex(in8(&f, THR), ==, 0x01);
    g_assert_cmphex(in8(&f, IER), ==, 0xab);
    fixture_fini(&f);
}

/* IER keeps its four defined bits; SCR is plain storage; LSR and MSR ignore writes. */
static void test_ier_scratch_readonly(void)
{
    Fixture f;
    fixture_init(&f);
    out8(&f, IER, 0xff);
    g_assert_cmphex(in8(&f, IER), ==, 0x0f);
    for (unsigned v = 0; v < 256; v += 0x55) {
        out8(&f, SCR, v);
        g_assert_cmphex(in8(&f, SCR), ==, v);
    }
    out8(&f, LSR, 0x00);
    g_assert_cmphex(in8(&f, LSR), ==, UART_LSR_THRE | UART_LSR_TEMT);
    out8(&f, MSR, 0x00);
    g_assert_cmphex(in8(&f, MSR), ==, 0xb0);
    /* MCR keeps bits 4:0 */
    out8(&f, MCR, 0xff);
    g_assert_cmphex(in8(&f, MCR), ==, 0x1f);
    /* FCR enable shows as the FIFO bits in IIR; disable clears them (the first read also
       reports and acknowledges the THR-empty interrupt that IER bit 1 raised) */
    out8(&f, IIR, 0x07);
    g_assert_cmphex(in8(&f, IIR), ==, 0xc2);
    g_assert_cmphex(in8(&f, IIR), ==, 0xc1);
    out8(&f, IIR, 0x00);
    g_assert_cmphex(in8(&f, IIR), ==, 0x01);
    /* reset restores the power-on values */
    out8(&f, SCR, 0x5a);
    out8(&f, LCR, 0x83);
    serial_reset(f.s);
    g_assert_cmphex(in8(&f, SCR), ==, 0);
    g_assert_cmphex(in8(&f, LCR), ==, 0);
    g_assert_cmphex(in8(&f, IER), ==, 0);
    g_assert_cmphex(in8(&f, MCR), ==, UART_MCR_OUT2);
    fixture_fini(&f);
}

/* Loopback (MCR bit 4): sent bytes come back as received and never reach the backend. */
static void test_loopback(void)
{
    Fixture f;
    fixture_init(&f);
    out8(&f, MCR, UART_MCR_LOOP);
    g_assert_cmphex(in8(&f, MSR) & 0xf0, ==, 0x00);   /* outputs low -> inputs low */
    out8(&f, THR, 0xae);
    g_assert_true(in8(&f, LSR) & UART_LSR_DR);
    g_assert_cmphex(in8(&f, THR), ==, 0xae);
    g_assert_false(in8(&f, LSR) & UART_LSR_DR);       /* reading RBR consumed it */
    g_autofree char *none = drain(&f);
    g_assert_cmpstr(none, ==, "");
    /* modem outputs drive the inputs: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD */
    out8(&f, MCR, UART_MCR_LOOP | 0x01);
    g_assert_cmphex(in8(&f, MSR) & 0xf0, ==, 0x20);
    out8(&f, MCR, UART_MCR_LOOP | 0x02);
    g_assert_cmphex(in8(&f, MSR) & 0xf0, ==, 0x10);
    out8(&f, MCR, UART_MCR_LOOP | 0x04);
    g_assert_cmphex(in8(&f, MSR) & 0xf0, ==, 0x40);
    out8(&f, MCR, UART_MCR_LOOP | 0x08);
    g_assert_cmphex(in8(&f, MSR) & 0xf0, ==, 0x80);
    out8(&f, MCR, UART_MCR_LOOP | 0x0f);
    g_assert_cmphex(in8(&f, MSR) & 0xf0, ==, 0xf0);
    /* leaving loopback: transmit goes out again and MSR shows the real lines */
    out8(&f, MCR, UART_MCR_OUT2);
    g_assert_cmphex(in8(&f, MSR), ==, 0xb0);
    out8(&f, THR, 'z');
    g_autofree char *z = drain(&f);
    g_assert_cmpstr(z, ==, "z");
    fixture_fini(&f);
}

static void test_backend_specs(void)
{
    SerialBackend be;
    GError *err = NULL;

    g_assert_true(serial_backend_open(&be, "stdio", &err));
    g_assert_cmpint(be.fd, ==, STDOUT_FILENO);
    g_assert_false(be.owns_fd);
    serial_backend_close(&be);
    g_assert_cmpint(be.fd, ==, -1);
    for (const char *const *s = (const char *const[]) { "null", "vc", "vc:80Cx24C", NULL };
         *s; s++) {
        g_assert_true(serial_backend_open(&be, *s, &err));
        g_assert_cmpint(be.fd, ==, -1);
    }

    g_assert_false(serial_backend_open(&be, "pty", &err));
    g_assert_cmpstr(err->message, ==, "'pty' is not a valid char driver");
    g_clear_error(&err);
    g_assert_false(serial_backend_open(&be, "tcp:localhost:4444,server", &err));
    g_assert_cmpstr(err->message, ==, "'tcp' is not a valid char driver");
    g_clear_error(&err);
    g_assert_false(serial_backend_open(&be, "file:/nonexistent-dir/x", &err));
    g_assert_cmpstr(err->message, ==,
                    "Could not open '/nonexistent-dir/x': No such file or directory");
    g_clear_error(&err);
}

/* unix:PATH,server=on,wait=off: mode 0600, output dropped until a client connects, then sent. */
static void test_unix_backend(void)
{
    g_autofree char *dir = g_dir_make_tmp("numbat-serial-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "console.sock", NULL);
    g_autofree char *spec = g_strconcat("unix:", path, ",server=on,wait=off", NULL);
    SerialBackend be;
    GError *err = NULL;
    IoSpace io;
    struct stat st;

    g_assert_true(serial_backend_open(&be, spec, &err));
    g_assert_no_error(err);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    io_space_init(&io);
    SerialState *s = serial_new("serial0", &be);
    g_assert_true(io_space_add(&io, COM1, &s->io, &err));
    io_space_out(&io, COM1 + THR, 'x', 1);            /* nobody connected: dropped */

    int c = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    g_assert_cmpint(connect(c, (struct sockaddr *)&addr, sizeof(addr)), ==, 0);
    for (const char *p = "ok\n"; *p; p++) {
        io_space_out(&io, COM1 + THR, *p, 1);
    }
    char buf[8] = { 0 };
    g_assert_cmpint(recv(c, buf, 3, MSG_WAITALL), ==, 3);
    g_assert_cmpstr(buf, ==, "ok\n");
    close(c);
    io_space_destroy(&io);
    serial_free(s);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));   /* removed with the device */
    g_assert_cmpint(g_rmdir(dir), ==, 0);

    g_assert_false(serial_backend_open(&be, "unix:/tmp/x.sock", &err));
    g_assert_cmpstr(err->message, ==, "unix socket '/tmp/x.sock': only server=on is supported");
    g_clear_error(&err);
}

/* file:PATH: the whole transmit path into a file, closed with the device. */
static void test_file_backend(void)
{
    g_autofree char *dir = g_dir_make_tmp("numbat-serial-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "out.txt", NULL);
    g_autofree char *spec = g_strconcat("file:", path, NULL);
    SerialBackend be;
    GError *err = NULL;
    IoSpace io;

    g_assert_true(serial_backend_open(&be, spec, &err));
    g_assert_true(be.owns_fd);
    io_space_init(&io);
    SerialState *s = serial_new("serial0", &be);
    g_assert_true(io_space_add(&io, 0x2f8, &s->io, &err));
    for (const char *p = "ok 1\n"; *p; p++) {
        io_space_out(&io, 0x2f8, *p, 1);
    }
    io_space_destroy(&io);
    serial_free(s);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "ok 1\n");
    g_unlink(path);
    g_rmdir(dir);
}

static void record_irq(void *opaque, int n, int level)
{
    int *line = opaque;
    g_assert_cmpint(n, ==, 4);
    *line = level;
}

/* THR-empty interrupt: raised by enabling IER.THRI with THR empty and by each transmit,
   acknowledged by reading IIR, dropped when THRI is disabled; the line follows IIR. */
static void test_thre_interrupt(void)
{
    Fixture f;
    int line = -1;
    fixture_init(&f);
    const IrqLine irq = { .set = record_irq, .opaque = &line, .n = 4 };
    serial_set_irq(f.s, &irq);
    g_assert_cmpint(line, ==, 0);
    out8(&f, IER, 0x01);                        /* receive only: nothing to report */
    g_assert_cmpint(line, ==, 0);
    g_assert_cmphex(in8(&f, IIR), ==, 0x01);
    out8(&f, IER, 0x03);
    g_assert_cmpint(line, ==, 1);
    g_assert_cmphex(in8(&f, IIR), ==, 0x02);
    g_assert_cmpint(line, ==, 0);               /* acknowledged by the read */
    g_assert_cmphex(in8(&f, IIR), ==, 0x01);
    out8(&f, THR, 'x');
    g_assert_cmpint(line, ==, 1);
    out8(&f, IER, 0x01);
    g_assert_cmpint(line, ==, 0);
    g_assert_cmphex(in8(&f, IIR), ==, 0x01);
    /* received data (loopback) beats THR empty */
    out8(&f, IER, 0x03);
    out8(&f, MCR, UART_MCR_LOOP);
    out8(&f, THR, 'y');
    g_assert_cmphex(in8(&f, IIR), ==, 0x04);
    g_assert_cmphex(in8(&f, THR), ==, 'y');
    g_assert_cmphex(in8(&f, IIR), ==, 0x02);
    serial_reset(f.s);
    g_assert_cmpint(line, ==, 0);
    fixture_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/serial/reset-values", test_reset_values);
    g_test_add_func("/serial/transmit", test_transmit);
    g_test_add_func("/serial/dlab", test_dlab);
    g_test_add_func("/serial/ier-scratch-readonly", test_ier_scratch_readonly);
    g_test_add_func("/serial/loopback", test_loopback);
    g_test_add_func("/serial/backend-specs", test_backend_specs);
    g_test_add_func("/serial/file-backend", test_file_backend);
    g_test_add_func("/serial/unix-backend", test_unix_backend);
    g_test_add_func("/serial/thre-interrupt", test_thre_interrupt);
    return g_test_run();
}
