/* The pc's ACPI PM device: PM1 status/enable/control with SCI, guest poweroff through SLP_EN, the PM timer and the reset register. */
#include "hw/acpi/pm.h"

#include <glib.h>

/* Status bits that raise the SCI when also enabled. */
#define PM1_SCI_BITS (ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_RTC)

uint32_t acpi_pm_timer(const AcpiPmState *s)
{
    return (uint32_t)vclock_ns_to_ticks(vclock_now(&s->clock), ACPI_PM_TIMER_HZ);
}

static void pm_update_sci(AcpiPmState *s)
{
    /* SCI_EN is always set (no SMI_CMD: the platform boots in ACPI mode). */
    irq_line_set(&s->sci, (s->sts & s->en & PM1_SCI_BITS) != 0);
}

void acpi_pm_poll(AcpiPmState *s)
{
    uint32_t now = acpi_pm_timer(s);

    if ((now ^ s->tmr_seen) & 0x80000000u) {
        s->sts |= ACPI_PM1_TMR;
    }
    s->tmr_seen = now;
    pm_update_sci(s);
}

uint64_t acpi_pm_next_deadline(const AcpiPmState *s)
{
    if (!(s->en & ACPI_PM1_TMR)) {
        return UINT64_MAX;
    }
    uint64_t ticks = vclock_ns_to_ticks(vclock_now(&s->clock), ACPI_PM_TIMER_HZ);
    uint64_t next = (ticks | 0x7fffffffull) + 1;     /* the next multiple of 2^31 */
    return vclock_ticks_to_ns(next, ACPI_PM_TIMER_HZ);
}

void acpi_pm_power_button(AcpiPmState *s)
{
    s->sts |= ACPI_PM1_PWRBTN;
    pm_update_sci(s);
}

/* PM1 event block: status (write 1 to clear) at 0-1, enable at 2-3; byte accesses too. */
static uint64_t evt_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPmState *s = opaque;
    acpi_pm_poll(s);
    uint32_t both = s->sts | ((uint32_t)s->en << 16);
    return (both >> (addr * 8)) & (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
}

static void evt_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AcpiPmState *s = opaque;
    uint64_t before = acpi_pm_next_deadline(s);

    for (unsigned i = 0; i < size && addr + i < 4; i++) {
        unsigned byte = addr + i;
        uint8_t b = (val >> (i * 8)) & 0xff;
        if (byte < 2) {
            s->sts &= ~(uint16_t)(b << (byte * 8));
        } else {
            unsigned sh = (byte - 2) * 8;
            s->en = (s->en & ~(0xffu << sh)) | ((uint16_t)b << sh);
        }
    }
    pm_update_sci(s);
    /* Only the enable half moves the deadline (the status half cannot). */
    if (s->notify && acpi_pm_next_deadline(s) != before) {
        s->notify(s->notify_opaque);
    }
}

static uint64_t cnt_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPmState *s = opaque;
    uint16_t v = s->cnt | ACPI_PM1_SCI_EN;   /* SLP_EN and GBL_RLS are write-only */

    return addr ? v >> 8 : (size == 1 ? v & 0xff : v);
}

static void cnt_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AcpiPmState *s = opaque;
    uint16_t v = addr ? (uint16_t)((val & 0xff) << 8) | (s->cnt & 0xff)
                      : (size == 1 ? (uint16_t)((s->cnt & 0xff00) | (val & 0xff))
                                   : (uint16_t)val);

    /* Keep SLP_TYP and BM_RLD; SLP_EN (13) and GBL_RLS (2) act and read as zero. */
    s->cnt = v & (0x1c00 | 0x2);
    if ((v & ACPI_PM1_SLP_EN) &&
        ((v >> ACPI_PM1_SLP_TYP_SHIFT) & 7) == s->s5_slp_typ && s->request) {
        s->request(s->request_opaque, ACPI_PM_POWEROFF);
    }
    /* Other sleep types are not in the DSDT: the write is ignored, the guest keeps running. */
}

static uint64_t tmr_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPmState *s = opaque;
    uint32_t v = acpi_pm_timer(s);

    return (v >> (addr * 8)) & (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1);
}

static void tmr_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    /* the PM timer is read-only */
}

static uint64_t reset_read(void *opaque, uint64_t addr, unsigned size)
{
    AcpiPmState *s = opaque;
    return s->reset_reg;
}

/* Bit 2 starts the reset (bit 1 would choose a hard one; both reset the machine here). */
static void reset_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    AcpiPmState *s = opaque;

    s->reset_reg = val & 0x0a;
    if ((val & 4) && s->request) {
        s->request(s->request_opaque, ACPI_PM_RESET);
    }
}

static const MemoryRegionOps evt_ops = { .read = evt_read, .write = evt_write };
static const MemoryRegionOps cnt_ops = { .read = cnt_read, .write = cnt_write };
static const MemoryRegionOps tmr_ops = { .read = tmr_read, .write = tmr_write };
static const MemoryRegionOps reset_ops = { .read = reset_read, .write = reset_write };

void acpi_pm_set_notify(AcpiPmState *s, AcpiPmNotifyFn *fn, void *opaque)
{
    s->notify = fn;
    s->notify_opaque = opaque;
}

void acpi_pm_reset(AcpiPmState *s)
{
    s->sts = s->en = 0;
    s->cnt = 0;
    s->reset_reg = 0;
    s->tmr_seen = acpi_pm_timer(s);
    pm_update_sci(s);
}

AcpiPmState *acpi_pm_new(const VClock *clock, const IrqLine *sci, uint8_t s5_slp_typ,
                         AcpiPmRequestFn *request, void *opaque)
{
    AcpiPmState *s = g_new0(AcpiPmState, 1);

    s->clock = *clock;
    if (sci) {
        s->sci = *sci;
    }
    s->s5_slp_typ = s5_slp_typ;
    s->request = request;
    s->request_opaque = opaque;
    memory_region_init_io(&s->io_evt, "acpi-pm1-evt", &evt_ops, s, 4);
    memory_region_init_io(&s->io_cnt, "acpi-pm1-cnt", &cnt_ops, s, 2);
    memory_region_init_io(&s->io_tmr, "acpi-pm-tmr", &tmr_ops, s, 4);
    memory_region_init_io(&s->io_reset, "acpi-reset", &reset_ops, s, 1);
    acpi_pm_reset(s);
    return s;
}

void acpi_pm_free(AcpiPmState *s)
{
    if (s) {
        memory_region_destroy(&s->io_evt);
        memory_region_destroy(&s->io_cnt);
        memory_region_destroy(&s->io_tmr);
        memory_region_destroy(&s->io_reset);
        g_free(s);
    }
}
