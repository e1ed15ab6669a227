/* Unit tests for hw/input/i8042.c: self-tests, command byte, loopback, the stub keyboard, IRQ 1/12 and the reset pulse. */
#include "hw/input/i8042.h"
#include "sysemu/ioport.h"

typedef struct Fixture {
    IoSpace io;
    I8042State *kbc;
    int resets;
    int level[2];           /* IRQ 1, IRQ 12 */
} Fixture;

static void fake_irq(void *opaque, int n, int level)
{
    Fixture *f = opaque;
    g_assert_true(n == 1 || n == 12);
    f->level[n == 12] = level;
}

static void fake_reset(void *opaque)
{
    ((Fixture *)opaque)->resets++;
}

static void fx_init(Fixture *f)
{
    GError *err = NULL;
    const IrqLine kbd = { .set = fake_irq, .opaque = f, .n = 1 };
    const IrqLine aux = { .set = fake_irq, .opaque = f, .n = 12 };

    *f = (Fixture) { 0 };
    io_space_init(&f->io);
    f->kbc = i8042_new(&kbd, &aux, fake_reset, f);
    g_assert_true(io_space_add(&f->io, I8042_DATA_PORT, &f->kbc->io_data, &err));
    g_assert_true(io_space_add(&f->io, I8042_CMD_PORT, &f->kbc->io_cmd, &err));
    g_assert_no_error(err);
}

static void fx_fini(Fixture *f)
{
    io_space_destroy(&f->io);
    i8042_free(f->kbc);
}

static uint8_t status(Fixture *f)
{
    return io_space_in(&f->io, 0x64, 1);
}

static uint8_t data(Fixture *f)
{
    g_assert_true(status(f) & I8042_STR_OBF);
    return io_space_in(&f->io, 0x60, 1);
}

static void test_self_test(void)
{
    Fixture f;
    fx_init(&f);
    g_assert_cmphex(status(&f) & (I8042_STR_OBF | I8042_STR_SYS), ==, 0);
    io_space_out(&f.io, 0x64, 0xaa, 1);
    g_assert_cmphex(status(&f) & (I8042_STR_OBF | I8042_STR_SYS | I8042_STR_AUXOBF), ==,
                    I8042_STR_OBF | I8042_STR_SYS);
    g_assert_cmphex(data(&f), ==, 0x55);
    g_assert_false(status(&f) & I8042_STR_OBF);
    g_assert_cmphex(io_space_in(&f.io, 0x60, 1), ==, 0x55);    /* empty: the last byte again */
    io_space_out(&f.io, 0x64, 0xab, 1);
    g_assert_cmphex(data(&f), ==, 0x00);
    io_space_out(&f.io, 0x64, 0xa9, 1);
    g_assert_cmphex(data(&f), ==, 0x00);
    g_assert_cmpint(f.resets, ==, 0);
    fx_fini(&f);
}

static void test_command_byte(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x64, 0x20, 1);
    g_assert_cmphex(data(&f), ==, I8042_CTR_KBDINT | I8042_CTR_AUXINT);
    g_assert_cmpint(f.level[0], ==, 0);
    io_space_out(&f.io, 0x64, 0x60, 1);
    g_assert_true(status(&f) & I8042_STR_CMD);
    io_space_out(&f.io, 0x60, 0x65, 1);
    g_assert_false(status(&f) & I8042_STR_CMD);
    g_assert_false(status(&f) & I8042_STR_OBF);     /* the byte was the command's, not the keyboard's */
    io_space_out(&f.io, 0x64, 0x20, 1);
    g_assert_cmpint(f.level[0], ==, 1);             /* CTR bit 0: IRQ 1 with OBF */
    g_assert_cmphex(data(&f), ==, 0x65);
    g_assert_cmpint(f.level[0], ==, 0);
    /* enable/disable commands edit the command byte */
    io_space_out(&f.io, 0x64, 0xa8, 1);
    io_space_out(&f.io, 0x64, 0xae, 1);
    io_space_out(&f.io, 0x64, 0x20, 1);
    g_assert_cmphex(data(&f), ==, 0x45);
    io_space_out(&f.io, 0x64, 0xa7, 1);
    io_space_out(&f.io, 0x64, 0xad, 1);
    io_space_out(&f.io, 0x64, 0x20, 1);
    g_assert_cmphex(data(&f), ==, 0x75);
    /* masked interrupts: no IRQ 1 */
    io_space_out(&f.io, 0x64, 0x60, 1);
    io_space_out(&f.io, 0x60, 0x00, 1);
    io_space_out(&f.io, 0x64, 0xaa, 1);
    g_assert_cmpint(f.level[0], ==, 0);
    g_assert_cmphex(data(&f), ==, 0x55);
    fx_fini(&f);
}

static void test_loopback_and_keyboard(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x64, 0xd3, 1);
    io_space_out(&f.io, 0x60, 0x5a, 1);
    g_assert_true(status(&f) & I8042_STR_AUXOBF);
    g_assert_cmpint(f.level[1], ==, 1);
    g_assert_cmpint(f.level[0], ==, 0);
    g_assert_cmphex(data(&f), ==, 0x5a);
    g_assert_cmpint(f.level[1], ==, 0);
    io_space_out(&f.io, 0x64, 0xd2, 1);
    io_space_out(&f.io, 0x60, 0xa5, 1);
    g_assert_false(status(&f) & I8042_STR_AUXOBF);
    g_assert_cmphex(data(&f), ==, 0xa5);
    /* the stub keyboard */
    io_space_out(&f.io, 0x60, 0xff, 1);
    g_assert_cmphex(data(&f), ==, 0xfa);
    g_assert_cmphex(data(&f), ==, 0xaa);
    io_space_out(&f.io, 0x60, 0xf2, 1);
    g_assert_cmphex(data(&f), ==, 0xfa);
    g_assert_cmphex(data(&f), ==, 0xab);
    g_assert_cmphex(data(&f), ==, 0x83);
    g_assert_false(status(&f) & I8042_STR_OBF);
    /* no mouse: the aux device answers resend */
    io_space_out(&f.io, 0x64, 0xd4, 1);
    io_space_out(&f.io, 0x60, 0xff, 1);
    g_assert_true(status(&f) & I8042_STR_AUXOBF);
    g_assert_cmphex(data(&f), ==, 0xfe);
    /* overrun drops bytes beyond the queue, keeping the first ones */
    for (int i = 0; i < I8042_QUEUE_LEN + 4; i++) {
        io_space_out(&f.io, 0x60, 0xee, 1);
    }
    for (int i = 0; i < I8042_QUEUE_LEN; i++) {
        g_assert_cmphex(data(&f), ==, 0xee);
    }
    g_assert_false(status(&f) & I8042_STR_OBF);
    fx_fini(&f);
}

static void test_reset_line(void)
{
    Fixture f;
    fx_init(&f);
    io_space_out(&f.io, 0x64, 0xff, 1);            /* pulse nothing */
    io_space_out(&f.io, 0x64, 0xd0, 1);
    g_assert_cmphex(data(&f), ==, 0xcf);
    g_assert_cmpint(f.resets, ==, 0);
    io_space_out(&f.io, 0x64, 0xfe, 1);            /* pulse bit 0: reset */
    g_assert_cmpint(f.resets, ==, 1);
    io_space_out(&f.io, 0x64, 0xd1, 1);            /* output port write with bit 0 low */
    io_space_out(&f.io, 0x60, 0xce, 1);
    g_assert_cmpint(f.resets, ==, 2);
    io_space_out(&f.io, 0x64, 0xd1, 1);
    io_space_out(&f.io, 0x60, 0xcf, 1);
    g_assert_cmpint(f.resets, ==, 2);
    /* unknown commands do nothing; a machine reset restores the power-on state */
    io_space_out(&f.io, 0x64, 0x60, 1);
    io_space_out(&f.io, 0x60, 0x00, 1);
    io_space_out(&f.io, 0x64, 0xc5, 1);
    io_space_out(&f.io, 0x64, 0xaa, 1);
    i8042_reset(f.kbc);
    g_assert_false(status(&f) & (I8042_STR_OBF | I8042_STR_SYS));
    io_space_out(&f.io, 0x64, 0x20, 1);
    g_assert_cmphex(data(&f), ==, 0x03);
    g_assert_cmpint(f.resets, ==, 2);
    fx_fini(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i8042/self-test", test_self_test);
    g_test_add_func("/i8042/command-byte", test_command_byte);
    g_test_add_func("/i8042/loopback-keyboard", test_loopback_and_keyboard);
    g_test_add_func("/i8042/reset-line", test_reset_line);
    return g_test_run();
}
