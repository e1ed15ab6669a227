/* X86CPU lifetime, reset state, mode bookkeeping and the fetch-decode-execute loop. */
#include <string.h>
#include <glib.h>
#include "target/i386/internal.h"

X86CPU *x86_cpu_new(const X86MemOps *ops, void *opaque)
{
    X86CPU *cpu = g_new0(X86CPU, 1);
    cpu->ops = *ops;
    cpu->opaque = opaque;
    for (int i = 0; i < X86_CODE_PAGES; i++) {
        cpu->code[i].ppage = X86_TLB_INVALID;
    }
    x86_cpu_reset(cpu);
    return cpu;
}

void x86_cpu_free(X86CPU *cpu)
{
    if (!cpu) {
        return;
    }
    for (int i = 0; i < X86_CODE_PAGES; i++) {
        g_free(cpu->code[i].slot);
        g_free(cpu->code[i].insns);
    }
    x86_unimp_forget(cpu);
    g_free(cpu);
}

CPUX86State *x86_cpu_env(X86CPU *cpu)
{
    return &cpu->env;
}

void x86_cpu_set_unimp_log(X86CPU *cpu, X86UnimpLog fn, void *opaque)
{
    cpu->unimp_log = fn;
    cpu->unimp_opaque = opaque;
}

void x86_cpu_set_stop_on_exception(X86CPU *cpu, bool stop)
{
    cpu->stop_on_exception = stop;
}

void x86_cpu_set_break(X86CPU *cpu, bool enable, uint64_t rip)
{
    cpu->break_enabled = enable;
    cpu->break_rip = rip;
}

void x86_cpu_stop(X86CPU *cpu)
{
    cpu->stop_loop = true;
    cpu->stop_reason = X86_EXIT_STOP;
    cpu->exit_request = true;       /* chains test only this flag */
}

void x86_cpu_last_exception(X86CPU *cpu, int *vector, uint32_t *error_code, bool *has_error)
{
    *vector = cpu->exc_vector;
    *error_code = cpu->exc_error;
    *has_error = cpu->exc_has_error;
}

void x86_cpu_cache_stats(X86CPU *cpu, uint64_t *hits, uint64_t *misses, uint64_t *invalidations)
{
    *hits = cpu->cache_hits;
    *misses = cpu->cache_misses;
    *invalidations = cpu->cache_invals;
}

/* Load a segment register with a flat descriptor (used by reset, loaders and tests). */
void x86_set_seg_flat(CPUX86State *env, int seg, uint16_t sel, uint32_t flags)
{
    env->segs[seg].sel = sel;
    env->segs[seg].base = 0;
    env->segs[seg].limit = 0xffffffff;
    env->segs[seg].flags = flags;
    x86_update_mode(env);
}

void x86_update_mode(CPUX86State *env)
{
    env->mode_epoch++;          /* running instruction chains re-check CPL and code size */
    env->long_mode = (env->efer & EFER_LMA) != 0;
    if (!(env->cr[0] & CR0_PE)) {
        env->cpl = 0;
        env->code_size = (env->segs[R_CS].flags & DESC_B) ? 4 : 2;
        env->stack_size = (env->segs[R_SS].flags & DESC_B) ? 4 : 2;
        return;
    }
    env->cpl = env->segs[R_CS].sel & 3;
    if (env->long_mode && (env->segs[R_CS].flags & DESC_L)) {
        env->code_size = env->stack_size = 8;
        return;
    }
    env->code_size = (env->segs[R_CS].flags & DESC_B) ? 4 : 2;
    env->stack_size = (env->segs[R_SS].flags & DESC_B) ? 4 : 2;
}

void x86_cpu_reset(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    bool apic_present = env->apic_present;
    uint8_t apic_id = env->apic_id;
    memset(env, 0, sizeof(*env));
    env->apic_present = apic_present;    /* board configuration, not architectural state */
    env->apic_id = apic_id;
    env->eflags = 2;
    env->cr[0] = CR0_ET | CR0_CD | CR0_NW;
    env->regs[R_EDX] = 0x600;            /* family 6 reset signature */
    for (int s = 0; s < X86_NSEGS; s++) {
        env->segs[s].limit = 0xffff;
        env->segs[s].flags = DESC_P | DESC_S | (2u << DESC_TYPE_SHIFT);
    }
    env->segs[R_CS].sel = 0xf000;
    env->segs[R_CS].base = 0xffff0000;
    env->segs[R_CS].flags = DESC_P | DESC_S | (0xbu << DESC_TYPE_SHIFT);
    env->rip = 0xfff0;
    env->gdt.limit = env->idt.limit = 0xffff;
    env->ldt.limit = env->tr.limit = 0xffff;
    env->ldt.flags = DESC_P | (2u << DESC_TYPE_SHIFT);
    env->tr.flags = DESC_P | (0xbu << DESC_TYPE_SHIFT);
    env->dr[6] = 0xffff0ff0;
    env->dr[7] = 0x400;
    env->fcw = 0x37f;
    env->mxcsr = 0x1f80;
    env->pat = 0x0007040600070406ull;
    env->apic_base = 0xfee00000 | (1u << 8) | (1u << 11);
    /* Fast strings on (a firmware's usual setting: Linux's Intel code otherwise reports
       "Disabled fast string operations" and drops REP_GOOD); BTS and PEBS unavailable. */
    env->misc_enable = (1u << 0) | (1u << 11) | (1u << 12);
    cpu->pending_irq = -1;
    cpu->fetch_vpage = X86_TLB_INVALID;
    x86_update_mode(env);
    x86_tlb_flush_all(cpu, false);
    for (int i = 0; i < X86_CODE_PAGES; i++) {
        cpu->code[i].ppage = X86_TLB_INVALID;
    }
}

void x86_cpu_set_apic(X86CPU *cpu, bool present, uint8_t id, X86ApicBaseWrite write,
                      void *opaque)
{
    cpu->env.apic_present = present;
    cpu->env.apic_id = id;
    cpu->apic_base_write = write;
    cpu->apic_opaque = opaque;
}

void x86_cpu_set_apic_msr(X86CPU *cpu, X86ApicMsr fn, void *opaque)
{
    cpu->apic_msr = fn;
    cpu->apic_msr_opaque = opaque;
}

void x86_cpu_set_intr_ack(X86CPU *cpu, X86IntrAck ack, void *opaque)
{
    cpu->intr_ack = ack;
    cpu->intr_ack_opaque = opaque;
}

/* The INTR pin: a pending X86_PENDING_INTA is taken like a queued vector (when IF allows,
   after the shadow); x86_deliver asks the board for the vector then. */
void x86_cpu_set_intr(X86CPU *cpu, bool level)
{
    if (!level || !cpu->intr_ack) {
        if (cpu->pending_irq == X86_PENDING_INTA) {
            cpu->pending_irq = -1;
        }
        return;
    }
    if (cpu->pending_irq < 0) {
        cpu->pending_irq = X86_PENDING_INTA;
    }
    cpu->exit_request = true;           /* chains leave after the current instruction */
    if (cpu->env.eflags & X86_IF) {
        cpu->env.halted = false;
    }
}

void x86_cpu_set_cr(X86CPU *cpu, int n, uint64_t val)
{
    CPUX86State *env = &cpu->env;
    uint64_t old = env->cr[n];
    env->cr[n] = val;
    if (n == 0) {
        env->cr[0] |= CR0_ET;
        if ((val & CR0_PG) && !(old & CR0_PG) && (env->efer & EFER_LME)) {
            env->efer |= EFER_LMA;
        } else if (!(val & CR0_PG) && (old & CR0_PG)) {
            env->efer &= ~(uint64_t)EFER_LMA;
        }
        if ((old ^ val) & (CR0_PG | CR0_WP | CR0_PE)) {
            x86_tlb_flush_all(cpu, false);
        }
        x86_update_mode(env);
    } else if (n == 3) {
        x86_tlb_flush_all(cpu, true);
    } else if (n == 4 && ((old ^ val) & (CR4_PGE | CR4_PAE | CR4_PSE))) {
        x86_tlb_flush_all(cpu, false);
    }
}

void x86_cpu_set_efer(X86CPU *cpu, uint64_t val)
{
    CPUX86State *env = &cpu->env;
    uint64_t old = env->efer;
    env->efer = (val & ~(uint64_t)EFER_LMA) | (old & EFER_LMA);
    if ((old ^ env->efer) & EFER_NXE) {
        x86_tlb_flush_all(cpu, false);
    }
    x86_update_mode(env);
}

bool x86_cpu_interrupt(X86CPU *cpu, int vector)
{
    bool taken = (cpu->env.eflags & X86_IF) != 0;

    cpu->pending_irq = vector;
    cpu->exit_request = true;
    /* hlt with IF=0 sleeps through external interrupts (only NMI, INIT or reset end it). */
    if (taken) {
        cpu->env.halted = false;
    }
    return taken;
}

void x86_cpu_nmi(X86CPU *cpu)
{
    cpu->env.nmi_pending = true;
    cpu->env.halted = false;
    cpu->exit_request = true;
}

/* Whether something must interrupt the instruction stream at the next boundary. */
static inline bool event_waiting(const X86CPU *cpu)
{
    return cpu->pending_irq >= 0 || (cpu->env.nmi_pending && !cpu->env.nmi_blocked);
}

static void take_nmi(X86CPU *cpu)
{
    cpu->env.nmi_pending = false;
    cpu->env.nmi_blocked = true;        /* until iret, even if delivery itself faults */
    cpu->exc_is_ext = true;
    cpu->exc_is_soft = false;
    cpu->exc_vector = EXCP_NMI;
    cpu->exc_has_error = false;
    cpu->exc_error = 0;
    longjmp(cpu->jmp, 1);
}

static void take_pending_irq(X86CPU *cpu)
{
    int v = cpu->pending_irq;
    cpu->pending_irq = -1;
    cpu->exc_is_ext = true;
    cpu->exc_is_soft = false;
    cpu->exc_vector = v;
    cpu->exc_has_error = false;
    cpu->exc_error = 0;
    longjmp(cpu->jmp, 1);
}

/*
 * Execute instructions from one fetch onwards while they stay on the remembered code page.
 * RIP and the instruction count live in registers here: env->rip and env->icount are stored
 * before every handler (which may read them, or fault and unwind) but never reloaded, which
 * keeps store-to-load forwarding off the critical path.  Not inlined: inside x86_cpu_exec
 * (setjmp) the compiler would keep cpu and in on the stack.
 */
__attribute__((noinline)) static bool run_chain(X86CPU *cpu, const X86Insn *in, uint64_t end)
{
    CPUX86State *env = &cpu->env;
    const uint32_t epoch = env->mode_epoch;
    const uint64_t rip_mask = env->code_size == 8 ? ~0ull : env->code_size == 4 ? 0xffffffffull
                                                                                  : 0xffffull;
    /* CS cannot change inside a chain (a CS load bumps mode_epoch). */
    const uint64_t cs_base = env->code_size == 8 ? 0 : env->segs[R_CS].base;
    const uint64_t lin_mask = env->code_size == 8 ? ~0ull : 0xffffffffull;
    /* A value RIP never takes inside a chain when no break address is set (non-canonical). */
    const uint64_t brk = cpu->break_enabled ? cpu->break_rip : 0x8000000000000001ull;
    const uint64_t start = env->icount;
    uint64_t rip = env->rip, count = start;
    for (;;) {
        cpu->next_rip = (rip + in->len) & rip_mask;
        in->fn(cpu, in);
        rip = cpu->next_rip;
        env->rip = rip;
        env->icount = ++count;
        /* Anything that needs the outer loop: a stop, the limit, an event, a mode change. */
        if (__builtin_expect(cpu->exit_request | (count >= end) | (env->mode_epoch != epoch) |
                             (rip == brk), 0)) {
            break;
        }
        uint64_t lin = (rip + cs_base) & lin_mask;
        if ((lin & ~0xfffull) != cpu->fetch_vpage) {
            break;
        }
        /* Code first run in order sits in order in the page's array: guessing the next
           entry lets the host start on it before the slot lookup would have answered.
           Likewise a branch usually goes where it went last time (succ). */
        const X86CodePage *pg = cpu->fetch_page;
        const uintptr_t off = lin & 0xfff, size = pg->n * sizeof(X86Insn);
        const uintptr_t pos = (uintptr_t)in - (uintptr_t)pg->insns;     /* in's byte offset */
        if (pos + sizeof(X86Insn) < size && in[1].off == off) {
            in++;
            continue;
        }
        uint16_t s = in->succ;
        if (s && s <= pg->n && pg->insns[s - 1].off == off) {
            in = &pg->insns[s - 1];
            continue;
        }
        s = pg->slot[off];
        if (!s) {
            break;
        }
        if (pos < size) {
            ((X86Insn *)in)->succ = s;      /* in is an entry of this page, not a scratch decode */
        }
        in = &pg->insns[s - 1];
    }
    cpu->cache_hits += count - start - 1;
    return cpu->stop_loop;
}

X86ExitReason x86_cpu_exec(X86CPU *cpu, uint64_t max_insns)
{
    CPUX86State *env = &cpu->env;
    const uint64_t end = env->icount + max_insns;
    cpu->stop_loop = false;
    if (setjmp(cpu->jmp)) {
        if (cpu->stop_on_exception) {
            return X86_EXIT_EXCEPTION;
        }
        if (!x86_deliver(cpu)) {
            return X86_EXIT_TRIPLE_FAULT;
        }
    }
    while (env->icount < end) {
        /* NMI first; both wait out the mov ss / sti shadow. */
        if (env->nmi_pending && !env->nmi_blocked && !env->intr_shadow) {
            take_nmi(cpu);
        }
        if (cpu->pending_irq >= 0 && (env->eflags & X86_IF) && !env->intr_shadow) {
            take_pending_irq(cpu);
        }
        if (env->halted) {
            return X86_EXIT_HLT;
        }
        if (cpu->break_enabled && env->rip == cpu->break_rip) {
            return X86_EXIT_BREAK;
        }
        /* Chains check only exit_request: keep it up while an interrupt waits for IF. */
        cpu->exit_request = event_waiting(cpu) || cpu->stop_loop;
        X86Insn scratch;
        const X86Insn *in = x86_fetch_insn(cpu, &scratch);
        if (env->intr_shadow) {
            /* One instruction runs in the shadow, then interrupts are looked at again. */
            env->intr_shadow = false;
            uint64_t next = env->rip + in->len;
            cpu->next_rip = env->code_size == 8 ? next : env->code_size == 4 ? (uint32_t)next
                                                                              : (uint16_t)next;
            in->fn(cpu, in);
            env->rip = cpu->next_rip;
            env->icount++;
            if (cpu->stop_loop) {
                return cpu->stop_reason;
            }
            continue;
        }
        if (run_chain(cpu, in, end)) {
            return cpu->stop_reason;
        }
    }
    return X86_EXIT_LIMIT;
}
