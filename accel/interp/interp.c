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
/* Interrupts do not wait for the end of a slice: the board drives the CPU's INTR pin
   (AccelOps.set_intr → x86_cpu_set_intr) as its interrupt controllers change, and the CPU
   takes the interrupt at the first boundary where RFLAGS.IF allows, running the board's
   INTA (intr_ack) then — after an EOI, a TPR write, a device's port write, sti or popf. */

struct AccelVcpu {
    SysEmu *se;
    AccelBoard board;
    X86CPU *cpu;
    FlatView *mem;       /* of board.system_memory, rebuilt at every reset */
    GSource *source;
    bool dead;           /* a reset failed: never runs again */
    bool reset_requested;   /* a device asked for a guest reset during the slice */
    uint64_t clock_base;    /* virtual ns before the last CPU reset (the TSC restarts at 0,
                               the virtual clock never goes back) */
    uint64_t idle_ns;       /* virtual ns skipped in hlt (not retired instructions) */
    bool log_icount;        /* -d icount: print the count at exit */
    char *prof_file;        /* -d profile=FILE: RIP histogram written there at exit */
    GHashTable *prof_hist;  /* linear RIP -> samples (both stored in the pointers) */
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
    v->clock_base += x86_cpu_env(v->cpu)->icount;
    x86_cpu_env(v->cpu)->icount = 0;     /* devices reset against the clock they will see */
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

/* ---- virtual time and interrupts ---- */

/* Virtual ns: one retired instruction is one ns (sysemu/vclock.h); idle hlt adds the
   skipped time to icount, so the TSC (= icount) agrees with the devices. */
static uint64_t vcpu_clock(const AccelVcpu *v)
{
    return v->clock_base + x86_cpu_env(v->cpu)->icount;
}

static uint64_t vcpu_deadline(const AccelVcpu *v)
{
    return v->board.next_deadline ? v->board.next_deadline(v->board.opaque) : UINT64_MAX;
}

static bool vcpu_intr(const AccelVcpu *v)
{
    return v->board.intr_pending && v->board.intr_pending(v->board.opaque);
}

/* The CPU takes INTR: the INTA cycle (so the 8259's or LAPIC's ISR is set when the vector
   is really delivered). */
static int vcpu_intr_ack(void *opaque)
{
    AccelVcpu *v = opaque;

    return v->board.intr_ack(v->board.opaque);
}

/* Timers catch up with now (their interrupts reach the INTR pin through set_intr).  INTR is
   also sampled here, so a board that does not report every change is still served, one
   slice late at worst. */
static void vcpu_service(AccelVcpu *v)
{
    if (v->board.poll) {
        v->board.poll(v->board.opaque);
    }
    if (v->board.intr_ack) {
        x86_cpu_set_intr(v->cpu, vcpu_intr(v));
    }
}

/* Run up to the next timer deadline (at most one slice). */
static uint64_t vcpu_slice(const AccelVcpu *v)
{
    uint64_t slice = VCPU_SLICE;
    uint64_t now = vcpu_clock(v), d = vcpu_deadline(v);

    if (d != UINT64_MAX) {
        slice = d <= now ? 1 : MIN(slice, d - now);
    }
    return slice;
}

/* hlt with interrupts on: nothing happens until the next timer, so jump there. */
static void vcpu_idle_skip(AccelVcpu *v)
{
    CPUX86State *env = x86_cpu_env(v->cpu);
    uint64_t now = vcpu_clock(v), d = vcpu_deadline(v);

    if (d != UINT64_MAX && d > now) {
        env->icount += d - now;
        v->idle_ns += d - now;
    }
    vcpu_service(v);
}

/* ---- the run loop ---- */

/* Halted with IF=1 and a timer coming: the next dispatch skips ahead to it. */
static bool vcpu_can_wake(const AccelVcpu *v)
{
    const CPUX86State *env = x86_cpu_env(v->cpu);

    return (env->eflags & X86_IF) && (vcpu_deadline(v) != UINT64_MAX || vcpu_intr(v));
}

static bool vcpu_runnable(const AccelVcpu *v)
{
    /* A halted CPU sleeps until an interrupt: with IF=0 (or no timer armed) that is
       forever, as on hardware; the process stays up for QMP and signals. */
    return !v->dead && !v->se->exit_requested && runstate_is_running(v->se) &&
           (!x86_cpu_env(v->cpu)->halted || vcpu_can_wake(v));
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

    if (x86_cpu_env(v->cpu)->halted) {
        vcpu_idle_skip(v);
        return G_SOURCE_CONTINUE;
    }
    X86ExitReason r = x86_cpu_exec(v->cpu, vcpu_slice(v));
    if (r == X86_EXIT_TRIPLE_FAULT || v->reset_requested) {
        v->reset_requested = false;
        vcpu_guest_reset(v);
        return G_SOURCE_CONTINUE;
    }
    /* LIMIT, HLT (vcpu_runnable sees env->halted), STOP (a device's request is in se);
       EXCEPTION and BREAK are not enabled here. */
    vcpu_service(v);
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

/* The value of a "name=VALUE" log item, or NULL. */
static const char *log_value(const char *items, const char *name)
{
    size_t n = strlen(name);
    const char *last = NULL;

    for (const char *p = items; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        if (!strncmp(p, name, n) && p[n] == '=') {
            last = p + n + 1;
        }
    }
    return last;
}

/* -d profile=FILE: one more sample at a guest linear address. */
static void vcpu_prof_sample(void *opaque, uint64_t lin)
{
    AccelVcpu *v = opaque;
    gpointer key = (gpointer)(uintptr_t)lin;

    g_hash_table_insert(v->prof_hist, key,
                        (gpointer)((uintptr_t)g_hash_table_lookup(v->prof_hist, key) + 1));
}

static gint prof_cmp(gconstpointer a, gconstpointer b, gpointer hist)
{
    uintptr_t ca = (uintptr_t)g_hash_table_lookup(hist, *(gpointer const *)a);
    uintptr_t cb = (uintptr_t)g_hash_table_lookup(hist, *(gpointer const *)b);
    uintptr_t ka = (uintptr_t)*(gpointer const *)a, kb = (uintptr_t)*(gpointer const *)b;

    return ca != cb ? (ca < cb ? 1 : -1) : (ka > kb) - (ka < kb);
}

/* The histogram, most samples first: "0xADDRESS COUNT" per line. */
static void vcpu_prof_write(AccelVcpu *v)
{
    GPtrArray *keys = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;
    FILE *f = fopen(v->prof_file, "w");

    g_hash_table_iter_init(&it, v->prof_hist);
    while (g_hash_table_iter_next(&it, &k, NULL)) {
        g_ptr_array_add(keys, k);
    }

    if (!f) {
        fprintf(stderr, "numbat: cannot write the profile to %s\n", v->prof_file);
    } else {
        g_ptr_array_sort_with_data(keys, prof_cmp, v->prof_hist);
        for (guint i = 0; i < keys->len; i++) {
            k = g_ptr_array_index(keys, i);
            fprintf(f, "0x%llx %llu\n", (unsigned long long)(uintptr_t)k,
                    (unsigned long long)(uintptr_t)g_hash_table_lookup(v->prof_hist, k));
        }
        fclose(f);
    }
    g_ptr_array_unref(keys);
}

/* -d icount and -d profile: set up from the log items. */
static void vcpu_setup_stats(AccelVcpu *v, const char *items)
{
    const char *file = log_value(items, "profile");

    v->log_icount = log_has(items, "icount");
    if (file) {
        const char *period = log_value(items, "profile-period");
        const char *comma = strchr(file, ',');

        v->prof_file = comma ? g_strndup(file, comma - file) : g_strdup(file);
        v->prof_hist = g_hash_table_new(g_direct_hash, g_direct_equal);
        x86_cpu_set_profile(v->cpu, period ? g_ascii_strtoull(period, NULL, 10) : 10007,
                            vcpu_prof_sample, v);
    }
}

/* At exit: what -d icount and -d profile asked for. */
static void vcpu_report_stats(AccelVcpu *v)
{
    uint64_t total = vcpu_clock(v);

    if (v->log_icount) {
        fprintf(stderr, "numbat: %llu guest instructions retired, %.3f s virtual time "
                "(%.3f s idle)\n", (unsigned long long)(total - v->idle_ns), total / 1e9,
                v->idle_ns / 1e9);
    }
    if (v->prof_file) {
        vcpu_prof_write(v);
        g_hash_table_destroy(v->prof_hist);
        g_free(v->prof_file);
    }
}

static AccelVcpu *interp_create_vcpu(SysEmu *se, const AccelBoard *board, GError **errp)
{
    AccelVcpu *v = g_new0(AccelVcpu, 1);

    v->se = se;
    v->board = *board;
    v->cpu = x86_cpu_new(&vcpu_mem_ops, v);
    x86_cpu_set_apic(v->cpu, board->has_apic, board->apic_id, board->apic_base_write,
                     board->opaque);
    x86_cpu_set_apic_msr(v->cpu, board->apic_msr, board->opaque);
    if (board->intr_ack) {
        x86_cpu_set_intr_ack(v->cpu, vcpu_intr_ack, v);
    }
    if (log_has(se->log_items, "unimp")) {
        x86_cpu_set_unimp_log(v->cpu, vcpu_log_unimp, v);
    }
    if (!vcpu_reset(v, errp)) {
        x86_cpu_free(v->cpu);
        flatview_free(v->mem);
        g_free(v);
        return NULL;
    }
    vcpu_setup_stats(v, se->log_items);
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

static uint64_t interp_clock_ns(AccelVcpu *v)
{
    return vcpu_clock(v);
}

static void interp_request_reset(AccelVcpu *v)
{
    v->reset_requested = true;
    x86_cpu_stop(v->cpu);
}

static void interp_set_intr(AccelVcpu *v, bool level)
{
    x86_cpu_set_intr(v->cpu, level);
}

static void interp_nmi(AccelVcpu *v)
{
    x86_cpu_nmi(v->cpu);
}

static void interp_destroy_vcpu(AccelVcpu *v)
{
    if (!v) {
        return;
    }
    vcpu_report_stats(v);
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
    .clock_ns = interp_clock_ns,
    .request_reset = interp_request_reset,
    .set_intr = interp_set_intr,
    .nmi = interp_nmi,
};
