/* The pc's runtime platform: port-I/O space, 8259/8254/ACPI PM chipset, Local APIC and IOAPIC, serial ports, -device isa-debug-exit, -kernel and the boot vCPU. */
#include "hw/i386/platform.h"

#include <string.h>

#include "hw/acpi/pc-tables.h"
#include "hw/acpi/pm.h"
#include "hw/char/serial.h"
#include "hw/intc/apic.h"
#include "hw/intc/i8259.h"
#include "hw/intc/ioapic.h"
#include "hw/input/i8042.h"
#include "hw/pci/i440fx.h"
#include "hw/rtc/mc146818.h"
#include "hw/i386/pc-cpus.h"
#include "hw/timer/i8254.h"
#include "hw/i386/pc.h"
#include "hw/i386/pvh.h"
#include "hw/misc/debug-exit.h"
#include "sysemu/accel.h"
#include "sysemu/ioport.h"
#include "sysemu/sysemu.h"
#include "util/opts.h"

typedef struct PcPlatform {
    SysEmu *se;
    MachineState *ms;
    MemoryRegion *system_memory;
    IoSpace io;
    GPtrArray *serials;        /* SerialState * */
    GPtrArray *debug_exits;    /* DebugExitState * */
    PvhKernel *kernel;
    uint8_t *initrd;           /* -initrd contents (issue 7) */
    size_t initrd_size;
    AccelVcpu *vcpu;
    I8259State *pic;           /* issue 7: interrupts, timers, ACPI PM */
    I8254State *pit;
    AcpiPmState *pm;
    ApicState *apic;           /* the boot CPU's, advertised in CPUID (AccelBoard.has_apic) */
    IoapicState *ioapic;
    Mc146818State *rtc;        /* CMOS RTC at 0x70 */
    I8042State *kbc;           /* keyboard controller: its reset line */
    /* Interrupt delivery to the vCPU (platform_update): the INTR level last given to the
       accelerator, the 8259 output as LINT0 last saw it, the timer deadline the running
       slice was planned with, and a guard against nested updates. */
    bool intr_level, pic_level;
    uint64_t planned_deadline;
    bool updating, update_again;
    PciHostState *pci;         /* i440FX: config mechanism #1, 00:00.0 and 00:01.0 PIIX3 */
} PcPlatform;

static void pc_platform_free(void *opaque)
{
    PcPlatform *p = opaque;

    if (!p) {
        return;
    }
    if (p->vcpu) {
        p->se->accel_ops->destroy_vcpu(p->vcpu);
    }
    io_space_destroy(&p->io);
    g_ptr_array_free(p->serials, TRUE);
    g_ptr_array_free(p->debug_exits, TRUE);
    p->se->pci_bus = NULL;
    pci_host_free(p->pci);
    acpi_pm_free(p->pm);
    mc146818_free(p->rtc);
    i8042_free(p->kbc);
    apic_free(p->apic);        /* also detaches it from the system memory */
    ioapic_free(p->ioapic);
    i8254_free(p->pit);
    i8259_free(p->pic);
    pvh_kernel_free(p->kernel);
    g_free(p->initrd);
    g_free(p);
}

/* ---- ISA interrupt lines: each goes to the 8259 and to the IOAPIC ---- */

/* ISA IRQ n drives 8259 input n and IOAPIC pin n, except the PIT's IRQ 0, which is wired to
   GSI 2 (the MADT's interrupt source override; pin 0 would be the 8259's ExtINT output).
   Which of the two reaches the CPU is the LAPIC's business (platform_intr_pending). */
static void platform_update(PcPlatform *p);
static void platform_changed(void *opaque);

static void platform_isa_irq(void *opaque, int n, int level)
{
    PcPlatform *p = opaque;

    i8259_set_irq(p->pic, n, level);
    ioapic_set_irq(p->ioapic, n == 0 ? 2 : n, level);
    platform_update(p);
}

/* ---- serial ports ---- */

static bool add_serial(PcPlatform *p, const char *spec, GError **errp)
{
    SerialBackend be;
    unsigned idx = p->serials->len;

    if (idx >= SERIAL_MAX_PORTS) {
        error_setg(errp, "-serial %s: too many serial ports", spec);
        return false;
    }
    if (!serial_backend_open(&be, spec, errp)) {
        error_prepend(errp, "-serial %s: ", spec);
        return false;
    }
    g_autofree char *name = g_strdup_printf("serial%u", idx);
    SerialState *s = serial_new(name, &be);
    const IrqLine irq = { .set = platform_isa_irq, .opaque = p, .n = serial_isa_irq[idx] };
    serial_set_irq(s, &irq);
    g_ptr_array_add(p->serials, s);
    return io_space_add(&p->io, serial_isa_iobase[idx], &s->io, errp);
}

/* -serial in order ("none" leaves no port); with none given, -nographic means stdio. */
static bool create_serials(PcPlatform *p, GError **errp)
{
    SysEmu *se = p->se;

    for (guint i = 0; i < se->serial->len; i++) {
        const char *spec = g_ptr_array_index(se->serial, i);
        if (strcmp(spec, "none") != 0 && !add_serial(p, spec, errp)) {
            return false;
        }
    }
    if (se->serial->len || se->nodefaults) {
        return true;
    }
    /* QEMU's default COM1: the terminal with -nographic, else a console window numbat
       does not have (so the bytes go nowhere). */
    return add_serial(p, se->nographic ? "stdio" : "null", errp);
}

/* ---- interrupt controller, timer, ACPI PM (issue 7) ---- */

static uint64_t platform_clock(void *opaque)
{
    PcPlatform *p = opaque;

    return p->vcpu && p->se->accel_ops->clock_ns ? p->se->accel_ops->clock_ns(p->vcpu) : 0;
}

static void platform_pm_request(void *opaque, AcpiPmRequest req)
{
    PcPlatform *p = opaque;

    if (req == ACPI_PM_POWEROFF) {
        sysemu_request_shutdown(p->se, SHUTDOWN_CAUSE_GUEST_SHUTDOWN, 0);
        if (p->vcpu) {
            p->se->accel_ops->kick(p->vcpu);
        }
    } else if (p->vcpu && p->se->accel_ops->request_reset) {
        /* the triple-fault path: a reset, or an exit with status 0 under -no-reboot */
        p->se->accel_ops->request_reset(p->vcpu);
    }
}

/* IOAPIC messages go to the one LAPIC when the destination names it (fixed and
   lowest-priority alike: it is the lowest-priority CPU there is). */
/* QMP system_powerdown: the ACPI power button; a running guest sees the SCI. */
static void pc_platform_powerdown(void *opaque)
{
    PcPlatform *p = opaque;

    acpi_pm_power_button(p->pm);
    if (p->vcpu) {
        p->se->accel_ops->kick(p->vcpu);
    }
}

static bool platform_ioapic_deliver(void *opaque, const IoapicMsg *m)
{
    PcPlatform *p = opaque;

    if (!apic_match_dest(p->apic, m->dest, m->logical)) {
        return false;
    }
    if (m->delivery_mode == APIC_DM_NMI) {
        apic_deliver_nmi(p->apic);          /* the vector is ignored */
        return true;
    }
    apic_deliver_irq(p->apic, m->vector, m->level);
    return true;
}

static void platform_apic_eoi(void *opaque, int vector)
{
    ioapic_eoi(((PcPlatform *)opaque)->ioapic, vector);
}

/* The LAPIC's NMIs (LINT NMI mode, NMI IPIs and messages, LINT1 while passed through) go
   to the CPU's NMI input. */
static void platform_apic_nmi(void *opaque)
{
    PcPlatform *p = opaque;

    if (p->vcpu && p->se->accel_ops->nmi) {
        p->se->accel_ops->nmi(p->vcpu);
    }
}

/* The board's NMI line (QMP inject-nmi) is wired to LINT1, as on a PC: a pulse. */
static void pc_platform_nmi(void *opaque)
{
    PcPlatform *p = opaque;

    apic_set_lint(p->apic, 1, true);
    apic_set_lint(p->apic, 1, false);
}

/* IA32_TSC_DEADLINE from the CPU (AccelBoard.apic_msr).  With the APIC off its LVT timer
   is back in one-shot mode, so reads give 0 and writes are ignored. */
static bool platform_apic_msr(void *opaque, uint32_t msr, bool write, uint64_t *val,
                              uint64_t tsc)
{
    PcPlatform *p = opaque;

    if (msr != MSR_IA32_TSC_DEADLINE) {
        return false;
    }
    if (write) {
        apic_write_tsc_deadline(p->apic, *val, tsc);
    } else {
        *val = apic_read_tsc_deadline(p->apic);
    }
    return true;
}

/* IA32_APIC_BASE from the CPU (AccelBoard.apic_base_write). */
static bool platform_apic_base_write(void *opaque, uint64_t val)
{
    return apic_set_base(((PcPlatform *)opaque)->apic, val);
}

/* The boot CPU's APIC id, as the MADT and SRAT give it. */
static uint8_t boot_apic_id(const PcPlatform *p)
{
    const CPUArchIdList *ids = p->ms ? pc_possible_cpu_arch_ids(p->ms) : NULL;

    return ids && ids->len ? (uint8_t)ids->cpus[0].arch_id : 0;
}

/* The i8042's reset line (0xfe pulse) goes where the reset register's does. */
static void platform_kbc_reset(void *opaque)
{
    platform_pm_request(opaque, ACPI_PM_RESET);
}

/* CMOS RTC (host time at start, then virtual time) and the keyboard controller. */
static bool create_rtc_kbc(PcPlatform *p, const VClock *clock, GError **errp)
{
    const IrqLine irq1 = { .set = platform_isa_irq, .opaque = p, .n = 1 };
    const IrqLine irq12 = { .set = platform_isa_irq, .opaque = p, .n = 12 };
    const IrqLine irq8 = { .set = platform_isa_irq, .opaque = p, .n = RTC_ISA_IRQ };

    p->rtc = mc146818_new(clock, &irq8, g_get_real_time() / G_USEC_PER_SEC);
    mc146818_set_notify(p->rtc, platform_changed, p);
    p->kbc = i8042_new(&irq1, &irq12, platform_kbc_reset, p);
    return io_space_add(&p->io, RTC_BASE, &p->rtc->io, errp) &&
           io_space_add(&p->io, I8042_DATA_PORT, &p->kbc->io_data, errp) &&
           io_space_add(&p->io, I8042_CMD_PORT, &p->kbc->io_cmd, errp);
}

/* The i440FX host bridge and PIIX3 (hw/pci/): the PIIX3's reset control register 0xcf9 (the
   ACPI PM device's reset register) shares the CONFIG_ADDRESS dword at 0xcf8. */
static bool create_pci(PcPlatform *p, GError **errp)
{
    p->pci = i440fx_host_new();
    p->se->pci_bus = p->pci->bus;
    return io_space_add(&p->io, PCI_HOST_CONFIG_ADDRESS, &p->pci->io_addr, errp) &&
           io_space_add(&p->io, PCI_HOST_CONFIG_DATA, &p->pci->io_data, errp) &&
           pci_host_share_port(p->pci, PC_ACPI_RESET_PORT, &p->pm->io_reset, errp);
}

static bool create_chipset(PcPlatform *p, GError **errp)
{
    const VClock clock = { .now_ns = platform_clock, .opaque = p };

    p->pic = i8259_new();
    p->ioapic = ioapic_new(platform_ioapic_deliver, p);
    const IrqLine irq0 = { .set = platform_isa_irq, .opaque = p, .n = 0 };
    const IrqLine sci = { .set = platform_isa_irq, .opaque = p, .n = PC_ACPI_SCI_IRQ };
    p->pit = i8254_new(&clock, &irq0);
    p->pm = acpi_pm_new(&clock, &sci, PC_ACPI_S5_SLP_TYP, platform_pm_request, p);
    p->apic = apic_new(boot_apic_id(p), &clock, platform_apic_nmi, p);
    apic_set_eoi_broadcast(p->apic, platform_apic_eoi, p);
    apic_set_notify(p->apic, platform_changed, p);
    i8259_set_notify(p->pic, platform_changed, p);
    i8254_set_notify(p->pit, platform_changed, p);
    acpi_pm_set_notify(p->pm, platform_changed, p);
    memory_region_add_subregion_overlap(p->system_memory, APIC_DEFAULT_BASE, &p->apic->mmio, 1);
    memory_region_add_subregion_overlap(p->system_memory, IOAPIC_DEFAULT_BASE,
                                        &p->ioapic->mmio, 1);
    return io_space_add(&p->io, I8259_MASTER_BASE, &p->pic->io_master, errp) &&
           io_space_add(&p->io, I8259_SLAVE_BASE, &p->pic->io_slave, errp) &&
           io_space_add(&p->io, I8259_ELCR_BASE, &p->pic->io_elcr, errp) &&
           io_space_add(&p->io, I8254_BASE, &p->pit->io, errp) &&
           io_space_add(&p->io, I8254_PORT61, &p->pit->io_port61, errp) &&
           io_space_add(&p->io, PC_ACPI_PM1_EVT, &p->pm->io_evt, errp) &&
           io_space_add(&p->io, PC_ACPI_PM1_CNT, &p->pm->io_cnt, errp) &&
           io_space_add(&p->io, PC_ACPI_PM_TMR, &p->pm->io_tmr, errp) &&
           create_pci(p, errp) &&
           create_rtc_kbc(p, &clock, errp);
}

static uint64_t next_deadline(const PcPlatform *p)
{
    uint64_t rtc = p->rtc ? mc146818_next_deadline(p->rtc) : UINT64_MAX;

    return MIN(MIN(i8254_next_deadline(p->pit), acpi_pm_next_deadline(p->pm)),
               MIN(apic_next_deadline(p->apic), rtc));
}

/* AccelBoard.next_deadline: the accelerator plans its slice (or an idle skip) with it. */
static uint64_t platform_next_deadline(void *opaque)
{
    PcPlatform *p = opaque;

    p->planned_deadline = next_deadline(p);
    return p->planned_deadline;
}

static void platform_poll(void *opaque)
{
    PcPlatform *p = opaque;

    i8254_poll(p->pit);
    acpi_pm_poll(p->pm);
    apic_poll(p->apic);
    mc146818_poll(p->rtc);
}

/* The 8259's INTR reaches the CPU while the LAPIC is off (IA32_APIC_BASE.EN clear) or
   software-disabled (power-on, and guests that never enable it), or through LINT0 in ExtINT
   mode (virtual wire, which Linux sets up in PIC mode).  Once Linux runs the IOAPIC it masks
   LINT0 and the 8259, and ISA interrupts come as IOAPIC messages instead. */
static bool platform_pic_reaches_cpu(const PcPlatform *p)
{
    return apic_passthrough(p->apic) || apic_accepts_pic(p->apic);
}

static bool platform_intr_pending(void *opaque)
{
    PcPlatform *p = opaque;

    return apic_intr_pending(p->apic) ||
           (platform_pic_reaches_cpu(p) && i8259_intr_pending(p->pic));
}

/* The INTA cycle, run by the CPU when it takes INTR.  The request it answered is gone from
   the CPU's side, so INTR is re-evaluated from scratch (another one may be waiting).  With
   nothing pending any more the answer is the spurious vector of whichever controller is in
   charge (the LAPIC's SVR vector, or the 8259's IRQ 7). */
static int platform_intr_ack(void *opaque)
{
    PcPlatform *p = opaque;
    bool pic = !apic_intr_pending(p->apic) && platform_pic_reaches_cpu(p);
    int v = pic ? i8259_ack(p->pic) : apic_ack(p->apic);

    p->intr_level = false;
    platform_update(p);
    return v;
}

/* The 8259's output is also LINT0's input (NMI or fixed mode; ExtINT is the PIC path). */
static void update_lint0(PcPlatform *p)
{
    bool pic = i8259_intr_pending(p->pic);

    if (pic != p->pic_level) {
        p->pic_level = pic;
        apic_set_lint(p->apic, 0, pic);
    }
}

/*
 * The "kick": after anything that may change what reaches the CPU — an IRQ line, a LAPIC
 * register or MSR write (EOI, TPR, SVR, LVT, ICR, timer), an IOAPIC message, an 8259 port
 * access, a PIT / PM timer / RTC access that moved its next deadline — INTR is re-evaluated
 * and handed to the vCPU only when it changed (AccelOps.set_intr: taken after the current
 * instruction when IF allows), and a timer deadline earlier than the one the running slice
 * was planned with ends the slice there (AccelOps.kick), so the timer is not late.  Nested
 * calls (a LAPIC EOI re-delivering an IOAPIC level line, LINT0 following the 8259) fold into
 * the outermost one.
 */
static void platform_update(PcPlatform *p)
{
    if (!p->apic) {
        return;                 /* devices raising lines while the chipset is being built */
    }
    if (p->updating) {
        p->update_again = true;
        return;
    }
    p->updating = true;
    do {
        p->update_again = false;
        update_lint0(p);
        bool level = platform_intr_pending(p);
        if (level != p->intr_level) {
            p->intr_level = level;
            if (p->vcpu && p->se->accel_ops->set_intr) {
                p->se->accel_ops->set_intr(p->vcpu, level);
            }
        }
        uint64_t d = next_deadline(p);
        if (d < p->planned_deadline) {
            p->planned_deadline = d;
            if (p->vcpu) {
                p->se->accel_ops->kick(p->vcpu);
            }
        }
    } while (p->update_again);
    p->updating = false;
}

/* ApicNotifyFn / I8259NotifyFn / I8254NotifyFn / AcpiPmNotifyFn / Mc146818NotifyFn */
static void platform_changed(void *opaque)
{
    platform_update(opaque);
}

/* ---- -device ---- */

static void platform_exit_request(void *opaque, int status)
{
    PcPlatform *p = opaque;

    /* QEMU exits on the spot; here the main loop ends after the vCPU leaves the guest. */
    sysemu_request_shutdown(p->se, SHUTDOWN_CAUSE_NONE, status);
    if (p->vcpu) {
        p->se->accel_ops->kick(p->vcpu);
    }
}

static bool check_device_props(const Opts *o, const char *driver,
                               const char *const *props, GError **errp)
{
    for (size_t i = 0; i < opts_count(o); i++) {
        const char *key = opts_name_at(o, i);
        if (!strcmp(key, "driver") || g_strv_contains(props, key)) {
            continue;
        }
        error_setg(errp, "%s: Property '%s.%s' not found", opts_origin(o), driver, key);
        return false;
    }
    return true;
}

static bool create_debug_exit(PcPlatform *p, const Opts *o, GError **errp)
{
    static const char *const props[] = { "iobase", "iosize", "id", NULL };
    uint64_t base, size;
    GError *err = NULL;

    if (!check_device_props(o, "isa-debug-exit", props, errp)) {
        return false;
    }
    if (!opt_get_number(o, "iobase", DEBUG_EXIT_DEFAULT_IOBASE, &base, &err) ||
        !opt_get_number(o, "iosize", DEBUG_EXIT_DEFAULT_IOSIZE, &size, &err) ||
        base > UINT32_MAX || size > UINT32_MAX) {
        error_setg(errp, "%s: %s", opts_origin(o), err ? err->message : "value out of range");
        g_clear_error(&err);
        return false;
    }
    DebugExitState *d = debug_exit_new(base, size, platform_exit_request, p);
    g_ptr_array_add(p->debug_exits, d);
    if (!io_space_add(&p->io, base, &d->io, errp)) {
        error_prepend(errp, "%s: ", opts_origin(o));
        return false;
    }
    return true;
}

/* A tiny device factory: numbat's -device models, by QEMU name. */
static const struct {
    const char *name;
    bool (*create)(PcPlatform *p, const Opts *o, GError **errp);
} device_models[] = {
    { "isa-debug-exit", create_debug_exit },
};

char *pc_device_help(void)
{
    GString *out = g_string_new("Misc devices:\n");

    for (size_t i = 0; i < G_N_ELEMENTS(device_models); i++) {
        g_string_append_printf(out, "name \"%s\", bus ISA\n", device_models[i].name);
    }
    return g_string_free(out, FALSE);
}

static bool create_devices(PcPlatform *p, GError **errp)
{
    size_t n = 0;
    Opts *const *all = opts_store_get_all(p->se->opts, "device", &n);

    for (size_t i = 0; i < n; i++) {
        const char *driver = opt_get(all[i], "driver");
        size_t m = 0;
        while (m < G_N_ELEMENTS(device_models) && g_strcmp0(device_models[m].name, driver)) {
            m++;
        }
        if (m == G_N_ELEMENTS(device_models)) {
            error_setg(errp, "%s: '%s' is not a valid device model name",
                       opts_origin(all[i]), driver ? driver : "");
            return false;
        }
        if (!device_models[m].create(p, all[i], errp)) {
            return false;
        }
    }
    return true;
}

/* ---- kernel and reset ---- */

static size_t platform_memmap(const PcPlatform *p, PvhMemmapEntry **out)
{
    const PcMachineState *pcms = pc_machine(p->ms);
    const GArray *e820 = pcms ? pcms->e820 : NULL;
    size_t n = e820 ? e820->len : 0;

    *out = g_new0(PvhMemmapEntry, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const E820Entry *e = &g_array_index(e820, E820Entry, i);
        (*out)[i] = (PvhMemmapEntry) { .addr = e->addr, .size = e->size, .type = e->type };
    }
    return n;
}

/* Power-on and guest reset: devices to their reset values, the kernel loaded afresh. */
static bool platform_reset(void *opaque, X86EntryState *entry, GError **errp)
{
    PcPlatform *p = opaque;
    const PcMachineState *pcms = pc_machine(p->ms);
    g_autofree PvhMemmapEntry *mm = NULL;
    bool ok = true;

    for (guint i = 0; i < p->serials->len; i++) {
        serial_reset(g_ptr_array_index(p->serials, i));
    }
    i8259_reset(p->pic);
    ioapic_reset(p->ioapic);
    i8254_reset(p->pit);
    acpi_pm_reset(p->pm);
    apic_reset(p->apic);
    mc146818_reset(p->rtc);
    i8042_reset(p->kbc);
    pci_host_reset(p->pci);
    p->intr_level = p->pic_level = false;   /* the CPU's INTR request is reset too */
    p->planned_deadline = UINT64_MAX;
    if (p->kernel) {
        size_t n = platform_memmap(p, &mm);
        FlatView *fv = flatview_new(p->system_memory);
        ok = pvh_load(p->kernel, fv, p->se->append, pcms ? pcms->rsdp_addr : 0, mm, n,
                      entry, errp) &&
             (!p->initrd || pvh_load_initrd(p->kernel, fv, p->initrd, p->initrd_size, mm, n,
                                            NULL, errp));
        flatview_free(fv);
        if (!ok) {
            error_prepend(errp, "could not load kernel '%s': ", p->kernel->path);
        }
    }
    return ok;
}

/* -initrd: read once; every reset copies it into RAM again. */
static bool platform_read_initrd(PcPlatform *p, GError **errp)
{
    g_autoptr(GError) err = NULL;
    gsize size = 0;

    if (!p->kernel) {
        error_setg(errp, "-initrd only allowed with -kernel option");
        return false;
    }
    if (!g_file_get_contents(p->se->initrd, (gchar **)&p->initrd, &size, &err)) {
        error_setg(errp, "could not load initrd '%s': %s", p->se->initrd, err->message);
        return false;
    }
    if (!size) {
        error_setg(errp, "could not load initrd '%s': the file is empty", p->se->initrd);
        return false;
    }
    p->initrd_size = size;
    return true;
}

bool pc_platform_init(SysEmu *se, MachineState *ms, MemoryRegion *system_memory,
                      GError **errp)
{
    PcPlatform *p = g_new0(PcPlatform, 1);
    X86EntryState entry;

    *p = (PcPlatform) { .se = se, .ms = ms, .system_memory = system_memory };
    p->serials = g_ptr_array_new_with_free_func((GDestroyNotify)serial_free);
    p->debug_exits = g_ptr_array_new_with_free_func((GDestroyNotify)debug_exit_free);
    io_space_init(&p->io);
    se->platform = p;
    se->platform_free = pc_platform_free;
    se->platform_powerdown = pc_platform_powerdown;
    se->platform_nmi = pc_platform_nmi;
    if (!create_chipset(p, errp) || !create_serials(p, errp) || !create_devices(p, errp)) {
        return false;
    }
    if (se->kernel && !(p->kernel = pvh_kernel_open(se->kernel, errp))) {
        return false;
    }
    if (se->initrd && !platform_read_initrd(p, errp)) {
        return false;
    }
    if (!se->accel_ops) {
        /* qtest: no guest code runs, but the kernel lands in RAM as under QEMU. */
        return platform_reset(p, &entry, errp);
    }
    AccelBoard board = {
        .system_memory = system_memory, .io = &p->io, .reset = platform_reset, .opaque = p,
        .next_deadline = platform_next_deadline, .poll = platform_poll,
        .intr_pending = platform_intr_pending, .intr_ack = platform_intr_ack,
        .has_apic = true, .apic_id = p->apic->id, .apic_base_write = platform_apic_base_write,
        .apic_msr = platform_apic_msr,
    };
    p->vcpu = se->accel_ops->create_vcpu(se, &board, errp);
    return p->vcpu != NULL;
}
