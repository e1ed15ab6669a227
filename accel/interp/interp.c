/* The interp accelerator: one X86CPU from libi386 on the board's memory and ports, run in slices from the main loop. */
#include <stdio.h>
#include <string.h>

#include "sysemu/accel.h"
#include "sysemu/sysemu.h"

/*
 * Threading choice: the vCPU runs on the main thread, as a GSource of se->main_ctx at idle
 * priority.  Each dispatch executes one slice (VCPU_SLICE instructions, a few ms), then
 * the main loop polls the QMP sockets and signals again, so the monitor stays responsive
 * and no device or monitor code ever needs a lock.  The virtual clock (icount) keeps runs
 * reproducible.  A dedicated vCPU thread would buy nothing until there are several vCPUs.
 */
#define VCPU_SLICE (1u << 20)

struct AccelVcpu {
    SysEmu *se;
    AccelBoard board;
    X86CPU *cpu;
    FlatView *mem;       /* of board.system_memory, rebuilt at every reset */
    GSource *source;
    bool dead;           /* a reset failed: never runs again */
};

typedef struct VcpuSource {
    GSource base;
    AccelVcpu *vcpu;
} VcpuSource;

/* ---- memory and ports for libi386 ---- */

static uint64_t vcpu_mem_read(void *opaque, uint64_t paddr, unsigned size)
{
    AccelVcpu *v = opaque;
    uint64_t val = 0;

    flatview_read(v->mem, paddr, &val, size);     /* holes read as all-ones */
    return val;
}

static void vcpu_mem_write(void *opaque, uint64_t paddr, uint64_t val, unsigned size)
{
    AccelVcpu *v = opaque;

    flatview_write(v->mem, paddr, &val, size);
}

static uint8_t *vcpu_ram_ptr(void *opaque, uint64_t paddr)
{
    AccelVcpu *v = opaque;

    return flatview_ram_ptr(v->mem, paddr & ~0xfffull, 4096);
}

static uint32_t vcpu_pio_in(void *opaque, uint16_t port, unsigned size)
{
    AccelVcpu *v = opaque;

    return io_space_in(v->board.io, port, size);
}

static void vcpu_pio_out(void *opaque, uint16_t port, uint32_t val, unsigned size)
{
    AccelVcpu *v = opaque;

    io_space_out(v->board.io, port, val, size);
}

static const X86MemOps vcpu_mem_ops = {
    .read = vcpu_mem_read,
    .write = vcpu_mem_write,
    .ram_ptr = vcpu_ram_ptr,
    .pio_in = vcpu_pio_in,
    .pio_out = vcpu_pio_out,
};

static void vcpu_log_unimp(void *opaque, uint64_t rip, const uint8_t *bytes, int len)
{
    GString *hex = g_string_new(NULL);

    for (int i = 0; i < len; i++) {
        g_string_append_printf(hex, " %02x", bytes[i]);
    }
    fprintf(stderr, "unimplemented opcode at rip 0x%llx:%s\n", (unsigned long long)rip,
            hex->str);
    g_string_free(hex, TRUE);
}

/* ---- reset ---- */

static void vcpu_apply_entry(X86CPU *cpu, const X86EntryState *e)
{
    CPUX86State *env = x86_cpu_env(cpu);

    if (!e->valid) {
        return;
    }
    memcpy(env->regs, e->regs, sizeof(env->regs));
    memcpy(env->segs, e->segs, sizeof(env->segs));
    env->tr = e->tr;
    env->gdt = e->gdt;
    env->idt = e->idt;
    env->rip = e->rip;
    x86_set_eflags(env, e->rflags);
    x86_cpu_set_efer(cpu, e->efer);
    x86_cpu_set_cr(cpu, 4, e->cr4);
    x86_cpu_set_cr(cpu, 3, e->cr3);
    x86_cpu_set_cr(cpu, 0, e->cr0);   /* last: recomputes the mode from all of the above */
}

/* Architectural reset, then the board's: devices, kernel image, entry state. */
static bool vcpu_reset(AccelVcpu *v, GError **errp)
{
    X86EntryState entry = { 0 };

    flatview_free(v->mem);
    v->mem = flatview_new(v->board.system_memory);
    if (v->board.reset && !v->board.reset(v->board.opaque, &entry, errp)) {
        return false;
    }
    /* After the board: the loader wrote guest RAM behind the CPU's back, and the reset
       also drops every decoded page and TLB entry. */
    x86_cpu_reset(v->cpu);
    vcpu_apply_entry(v->cpu, &entry);
    return true;
}

/* Triple fault: QEMU's guest reset, or an exit with status 0 under -no-reboot. */
static void vcpu_guest_reset(AccelVcpu *v)
{
    GError *err = NULL;

    if (v->se->no_reboot) {
        sysemu_request_shutdown(v->se, SHUTDOWN_CAUSE_GUEST_RESET, 0);
        return;
    }
    if (!vcpu_reset(v, &err)) {
        error_report_err(err);
        v->dead = true;
        sysemu_request_shutdown(v->se, SHUTDOWN_CAUSE_HOST_ERROR, 1);
    }
}

/* ---- the run loop ---- */

static bool vcpu_runnable(const AccelVcpu *v)
{
    /* A halted CPU sleeps until an interrupt (none can arrive yet): with IF=0 that is
       forever, as on hardware; the process stays up for QMP and signals. */
    return !v->dead && !v->se->exit_requested && runstate_is_running(v->se) &&
           !x86_cpu_env(v->cpu)->halted;
}

static gboolean vcpu_source_prepare(GSource *src, gint *timeout)
{
    *timeout = -1;
    return vcpu_runnable(((VcpuSource *)src)->vcpu);
}

static gboolean vcpu_source_check(GSource *src)
{
    return vcpu_runnable(((VcpuSource *)src)->vcpu);
}

static gboolean vcpu_source_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    AccelVcpu *v = ((VcpuSource *)src)->vcpu;

    switch (x86_cpu_exec(v->cpu, VCPU_SLICE)) {
    case X86_EXIT_TRIPLE_FAULT:
        vcpu_guest_reset(v);
        break;
    case X86_EXIT_LIMIT:
    case X86_EXIT_HLT:        /* vcpu_runnable sees env->halted */
    case X86_EXIT_STOP:       /* a device asked: its request is in se */
    case X86_EXIT_EXCEPTION:  /* not enabled here */
    case X86_EXIT_BREAK:
        break;
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs vcpu_source_funcs = {
    .prepare = vcpu_source_prepare,
    .check = vcpu_source_check,
    .dispatch = vcpu_source_dispatch,
};

static bool log_has(const char *items, const char *item)
{
    g_auto(GStrv) list = g_strsplit(items ? items : "", ",", -1);

    return g_strv_contains((const gchar *const *)list, item);
}

static AccelVcpu *interp_create_vcpu(SysEmu *se, const AccelBoard *board, GError **errp)
{
    AccelVcpu *v = g_new0(AccelVcpu, 1);

    v->se = se;
    v->board = *board;
    v->cpu = x86_cpu_new(&vcpu_mem_ops, v);
    if (log_has(se->log_items, "unimp")) {
        x86_cpu_set_unimp_log(v->cpu, vcpu_log_unimp, v);
    }
    if (!vcpu_reset(v, errp)) {
        x86_cpu_free(v->cpu);
        flatview_free(v->mem);
        g_free(v);
        return NULL;
    }
    v->source = g_source_new(&vcpu_source_funcs, sizeof(VcpuSource));
    ((VcpuSource *)v->source)->vcpu = v;
    /* Below the monitor's sockets: a ready QMP command always goes first. */
    g_source_set_priority(v->source, G_PRIORITY_DEFAULT_IDLE);
    g_source_attach(v->source, se->main_ctx);
    return v;
}

static void interp_kick(AccelVcpu *v)
{
    x86_cpu_stop(v->cpu);
}

static void interp_destroy_vcpu(AccelVcpu *v)
{
    if (!v) {
        return;
    }
    g_source_destroy(v->source);
    g_source_unref(v->source);
    x86_cpu_free(v->cpu);
    flatview_free(v->mem);
    g_free(v);
}

const AccelOps accel_interp_ops = {
    .name = "interp",
    .create_vcpu = interp_create_vcpu,
    .kick = interp_kick,
    .destroy_vcpu = interp_destroy_vcpu,
};
