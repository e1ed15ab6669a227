/* The i8042 keyboard controller, minimal: controller self-tests, the command byte, loopback writes, a stub keyboard, and the 0xfe reset pulse. */
#include "hw/input/i8042.h"

#include <glib.h>

/*
 * Enough for Linux's i8042 and atkbd probes to finish without timeouts, and for its
 * "reboot=k" path.  No mouse: aux device writes are answered with 0xfe (resend), which
 * ends psmouse's probe at once.  Not modelled: scan-code translation (CTR bit 6 is stored
 * only), key input, A20 (output port bit 1 is stored; numbat's memory has no A20 gate),
 * the input port and the controller RAM beyond the command byte.
 */

#define KBD_ACK   0xfa
#define KBD_RESEND 0xfe

static void i8042_update_irq(I8042State *s)
{
    bool aux = s->qlen && (s->qaux >> s->qhead) & 1;

    irq_line_set(&s->irq_kbd, s->qlen && !aux && (s->ctr & I8042_CTR_KBDINT));
    irq_line_set(&s->irq_aux, s->qlen && aux && (s->ctr & I8042_CTR_AUXINT));
}

static void i8042_queue(I8042State *s, uint8_t byte, bool aux)
{
    if (s->qlen == I8042_QUEUE_LEN) {
        return;                             /* overrun: the byte is lost, as on hardware */
    }
    unsigned slot = (s->qhead + s->qlen++) % I8042_QUEUE_LEN;
    s->queue[slot] = byte;
    s->qaux = (uint16_t)((s->qaux & ~(1u << slot)) | ((unsigned)aux << slot));
    i8042_update_irq(s);
}

/* Bit 0 of the output port drives the CPU's reset line, active low. */
static void i8042_write_outport(I8042State *s, uint8_t val)
{
    s->out_port = val;
    if (!(val & 1) && s->reset_request) {
        s->reset_request(s->opaque);
    }
}

/* The stub keyboard: acknowledges every byte, answers reset, identify and echo. */
static void kbd_write(I8042State *s, uint8_t val)
{
    switch (val) {
    case 0xee:                              /* echo */
        i8042_queue(s, 0xee, false);
        break;
    case 0xf2:                              /* identify: an MF2 keyboard */
        i8042_queue(s, KBD_ACK, false);
        i8042_queue(s, 0xab, false);
        i8042_queue(s, 0x83, false);
        break;
    case 0xff:                              /* reset and self-test (BAT) */
        i8042_queue(s, KBD_ACK, false);
        i8042_queue(s, 0xaa, false);
        break;
    default:
        i8042_queue(s, KBD_ACK, false);
        break;
    }
}

static void i8042_data_for_command(I8042State *s, uint8_t cmd, uint8_t val)
{
    switch (cmd) {
    case 0x60:
        s->ctr = val;
        i8042_update_irq(s);
        break;
    case 0xd1:
        i8042_write_outport(s, val);
        break;
    case 0xd2:
        i8042_queue(s, val, false);         /* loopback through the keyboard port */
        break;
    case 0xd3:
        i8042_queue(s, val, true);          /* loopback through the aux port */
        break;
    case 0xd4:
        i8042_queue(s, KBD_RESEND, true);   /* no mouse behind the aux port */
        break;
    }
}

static void i8042_command(I8042State *s, uint8_t cmd)
{
    switch (cmd) {
    case 0x20: i8042_queue(s, s->ctr, false); break;
    case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4: s->pending = cmd; break;
    case 0xa7: s->ctr |= I8042_CTR_AUXDIS; break;
    case 0xa8: s->ctr &= ~I8042_CTR_AUXDIS; break;
    case 0xa9: i8042_queue(s, 0x00, false); break;      /* aux interface test: OK */
    case 0xaa:                                           /* controller self-test */
        s->status |= I8042_STR_SYS;
        i8042_queue(s, 0x55, false);
        break;
    case 0xab: i8042_queue(s, 0x00, false); break;      /* keyboard interface test: OK */
    case 0xad: s->ctr |= I8042_CTR_KBDDIS; break;
    case 0xae: s->ctr &= ~I8042_CTR_KBDDIS; break;
    case 0xd0: i8042_queue(s, s->out_port, false); break;
    default:
        /* 0xf0-0xff pulse the output port bits whose command bit is 0: 0xfe is reset. */
        if (cmd >= 0xf0 && !(cmd & 1) && s->reset_request) {
            s->reset_request(s->opaque);
        }
        break;      /* other commands are not modelled and do nothing */
    }
}

static uint64_t data_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042State *s = opaque;

    if (!s->qlen) {
        return s->queue[(s->qhead + I8042_QUEUE_LEN - 1) % I8042_QUEUE_LEN];   /* last byte */
    }
    uint8_t v = s->queue[s->qhead];
    s->qhead = (s->qhead + 1) % I8042_QUEUE_LEN;
    s->qlen--;
    i8042_update_irq(s);
    return v;
}

static void data_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042State *s = opaque;
    uint8_t cmd = s->pending;

    s->status &= ~I8042_STR_CMD;
    s->pending = 0;
    if (cmd) {
        i8042_data_for_command(s, cmd, (uint8_t)val);
    } else {
        kbd_write(s, (uint8_t)val);
    }
}

static uint64_t status_read(void *opaque, uint64_t addr, unsigned size)
{
    I8042State *s = opaque;
    uint8_t v = s->status;

    if (s->qlen) {
        v |= I8042_STR_OBF | (((s->qaux >> s->qhead) & 1) ? I8042_STR_AUXOBF : 0);
    }
    return v;
}

static void cmd_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    I8042State *s = opaque;

    s->status |= I8042_STR_CMD;
    s->pending = 0;
    i8042_command(s, (uint8_t)val);
    i8042_update_irq(s);
}

static const MemoryRegionOps data_ops = { .read = data_read, .write = data_write };
static const MemoryRegionOps cmd_ops = { .read = status_read, .write = cmd_write };

void i8042_reset(I8042State *s)
{
    s->status = I8042_STR_CMD | I8042_STR_UNLOCK;
    s->ctr = I8042_CTR_KBDINT | I8042_CTR_AUXINT;
    s->pending = 0;
    s->out_port = 0xcf;             /* reset line high, A20 on, the always-one bits */
    s->qhead = s->qlen = 0;
    s->qaux = 0;
    i8042_update_irq(s);
}

I8042State *i8042_new(const IrqLine *irq_kbd, const IrqLine *irq_aux,
                      void (*reset_request)(void *opaque), void *opaque)
{
    I8042State *s = g_new0(I8042State, 1);

    if (irq_kbd) {
        s->irq_kbd = *irq_kbd;
    }
    if (irq_aux) {
        s->irq_aux = *irq_aux;
    }
    s->reset_request = reset_request;
    s->opaque = opaque;
    i8042_reset(s);
    memory_region_init_io(&s->io_data, "i8042-data", &data_ops, s, 1);
    memory_region_init_io(&s->io_cmd, "i8042-cmd", &cmd_ops, s, 1);
    return s;
}

void i8042_free(I8042State *s)
{
    if (s) {
        memory_region_destroy(&s->io_data);
        memory_region_destroy(&s->io_cmd);
        g_free(s);
    }
}
