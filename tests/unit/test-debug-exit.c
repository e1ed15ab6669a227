/* Unit tests for hw/misc/debug-exit.c: guest writes become exit requests with status (V << 1) | 1. */
#include "hw/misc/debug-exit.h"
#include "sysemu/ioport.h"

typedef struct ExitLog {
    int calls;
    int status;
} ExitLog;

static void record_exit(void *opaque, int status)
{
    ExitLog *log = opaque;
    log->calls++;
    log->status = status;
}

/* The test guests' form: -device isa-debug-exit,iobase=0xf4,iosize=0x04. */
static void test_status_encoding(void)
{
    static const struct { uint32_t val; unsigned size; int status; } cases[] = {
        { 0, 1, 1 }, { 1, 1, 3 }, { 0x10, 1, 0x21 }, { 0x7f, 1, 0xff },
        { 0xff, 1, 0x1ff },          /* the host keeps the low 8 bits: exit code 255 */
        { 0x1234, 2, 0x2469 }, { 0x31, 4, 0x63 },
    };
    ExitLog log = { 0 };
    GError *err = NULL;
    IoSpace io;

    io_space_init(&io);
    DebugExitState *d = debug_exit_new(0xf4, 4, record_exit, &log);
    g_assert_cmpuint(d->iobase, ==, 0xf4);
    g_assert_cmpuint(d->iosize, ==, 4);
    g_assert_true(io_space_add(&io, d->iobase, &d->io, &err));
    g_assert_no_error(err);
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        int before = log.calls;
        io_space_out(&io, 0xf4, cases[i].val, cases[i].size);
        g_assert_cmpint(log.calls, ==, before + 1);
        g_assert_cmphex(log.status, ==, cases[i].status);
    }
    /* every port of the range exits, not only the base */
    io_space_out(&io, 0xf7, 2, 1);
    g_assert_cmphex(log.status, ==, 5);
    /* the ports past iosize are not the device's */
    int before = log.calls;
    io_space_out(&io, 0xf8, 2, 1);
    io_space_out(&io, 0xf3, 2, 1);
    g_assert_cmpint(log.calls, ==, before);
    /* reads do not exit and float like an unassigned port */
    g_assert_cmphex(io_space_in(&io, 0xf4, 1), ==, 0xff);
    g_assert_cmphex(io_space_in(&io, 0xf4, 4), ==, 0xffffffff);
    g_assert_cmpint(log.calls, ==, before);
    io_space_destroy(&io);
    debug_exit_free(d);
}

/* QEMU's defaults (0x501, 2 ports) and an iosize of 1. */
static void test_defaults_and_sizes(void)
{
    ExitLog log = { 0 };
    GError *err = NULL;
    IoSpace io;

    io_space_init(&io);
    DebugExitState *d = debug_exit_new(DEBUG_EXIT_DEFAULT_IOBASE, DEBUG_EXIT_DEFAULT_IOSIZE,
                                       record_exit, &log);
    DebugExitState *one = debug_exit_new(0x80, 1, record_exit, &log);
    g_assert_cmpuint(d->io.size, ==, 2);
    g_assert_cmpuint(one->io.size, ==, 1);
    g_assert_true(io_space_add(&io, d->iobase, &d->io, &err));
    g_assert_true(io_space_add(&io, one->iobase, &one->io, &err));
    io_space_out(&io, 0x502, 3, 1);
    g_assert_cmpint(log.calls, ==, 1);
    g_assert_cmphex(log.status, ==, 7);
    io_space_out(&io, 0x503, 3, 1);
    g_assert_cmpint(log.calls, ==, 1);
    io_space_out(&io, 0x80, 0, 1);
    g_assert_cmpint(log.calls, ==, 2);
    g_assert_cmphex(log.status, ==, 1);
    io_space_out(&io, 0x81, 0, 1);
    g_assert_cmpint(log.calls, ==, 2);

    /* a second device on the same ports is a configuration error */
    DebugExitState *dup = debug_exit_new(0x500, 2, record_exit, &log);
    g_assert_false(io_space_add(&io, dup->iobase, &dup->io, &err));
    g_assert_cmpstr(err->message, ==, "I/O ports 0x500-0x501 of 'isa-debug-exit' overlap "
                    "'isa-debug-exit'");
    g_clear_error(&err);
    io_space_destroy(&io);
    debug_exit_free(d);
    debug_exit_free(one);
    debug_exit_free(dup);
    debug_exit_free(NULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/debug-exit/status", test_status_encoding);
    g_test_add_func("/debug-exit/defaults-sizes", test_defaults_and_sizes);
    return g_test_run();
}
