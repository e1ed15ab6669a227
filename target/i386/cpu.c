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
    for (size_t i = 0; i < G_N_ELEMENTS(cpu->ram_cache); i++) {
        cpu->ram_cache[i].ppage = X86_TLB_INVALID;     /* the memory layout may have changed */
    }
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

/* X86Insn.next for the entry at index i of a page's array. */
static inline uint32_t next_code(uintptr_t i) { return (uint32_t)((i + 1) * sizeof(X86Insn)); }

static inline const X86Insn *next_insn(const X86Insn *base, uint32_t code)
{
    return (const X86Insn *)((const char *)base + code - sizeof(X86Insn));
}

/*
 * The decoded instruction at lin, the next one to run in a chain, or NULL when the chain
 * must leave for the outer loop (another page not cached yet, or not decoded there yet).
 * prev (a cached entry of the current page, or a scratch decode) remembers what it finds:
 * the entry after it (next) when execution fell through, else the branch target (succ).
 */
/*
 * The page a chain left last (calls and returns, a function and its return thunk: code often
 * goes back and forth between two pages).  It is still good while cpu->fetch_vpage is what
 * the chain set: every TLB flush and code invalidation resets that, and pages are reclaimed
 * only outside chains.
 */
typedef struct ChainPages {
    uint64_t cur_vpage, alt_vpage;
    X86CodePage *alt;
} ChainPages;

static inline const X86Insn *chain_other_page(X86CPU *cpu, ChainPages *cp, uint64_t lin)
{
    X86CodePage *old = cpu->fetch_page;
    uint64_t old_vpage = cpu->fetch_vpage;
    const X86Insn *in;
    if (cp->alt_vpage == (lin & ~0xfffull) && old_vpage == cp->cur_vpage) {
        uint16_t s = cp->alt->slot[lin & 0xfff];
        if (!s) {
            return NULL;
        }
        cpu->fetch_vpage = cp->alt_vpage;
        cpu->fetch_page = cp->alt;
        in = &cp->alt->insns[s - 1];
    } else if (!(in = x86_fetch_cached(cpu, lin))) {
        return NULL;
    }
    cp->alt_vpage = old_vpage;
    cp->alt = old;
    cp->cur_vpage = cpu->fetch_vpage;
    return in;
}

static inline const X86Insn *chain_next(X86CPU *cpu, const X86Insn *prev, uint64_t lin,
                                        bool fallthrough, ChainPages *cp)
{
    const X86CodePage *pg = cpu->fetch_page;
    if ((lin & ~0xfffull) != cpu->fetch_vpage) {
        return chain_other_page(cpu, cp, lin);
    }
    const uintptr_t off = lin & 0xfff, n = pg->n;
    const uintptr_t pos = (uintptr_t)(prev - pg->insns);     /* prev's index */
    const bool cached = (uintptr_t)((const char *)prev - (const char *)pg->insns) <
                        n * sizeof(X86Insn);      /* not a scratch decode of a page-crossing insn */
    X86Insn *w = (X86Insn *)prev;                 /* only written when cached */
    uint16_t s;
    /* Code first run in order sits in order in the page's array. */
    if (cached && pos + 1 < n && prev[1].off == off) {
        s = (uint16_t)(pos + 2);
    } else if (prev->succ && prev->succ <= n && pg->insns[prev->succ - 1].off == off) {
        return &pg->insns[prev->succ - 1];     /* a branch going where it went last time */
    } else if (!(s = pg->slot[off])) {
        return NULL;
    }
    if (cached) {
        if (fallthrough) {
            w->next = next_code(s - 1u);
        } else {
            w->succ = s;
        }
    }
    return &pg->insns[s - 1];
}

/*
 * One run: the PURE and MEM instructions from in on (X86Insn.run of them: only 64-bit code has
 * them, so no RIP wrap inside), fewer when the instruction limit or a break address falls
 * inside, called back to back.  A MEM slow path may end it early (run_last) and needs its
 * start (run_rip, run_count: x86_run_sync).  A whole run of 2 or more calls fn_run (flag
 * updates dropped where the run overwrites them, tbcache.c); a cut one the full handlers, so
 * the flags are exact wherever it stops.  Returns the last instruction executed; *rip and
 * *count are advanced past it.
 */
static inline __attribute__((always_inline)) const X86Insn *
chain_run(X86CPU *cpu, const X86Insn *in, uint64_t end, uint64_t *rip, uint64_t *count,
          const bool has_brk)
{
    unsigned n = in->run;
    if (__builtin_expect(n > end - *count, 0)) {
        n = (unsigned)(end - *count);
    }
    for (unsigned k = 1; has_brk && k < n; k++) {
        if (*rip + (in[k].off - in->off) == cpu->break_rip) {
            n = k;
        }
    }
    const X86Insn *first = in, *last = in + n - 1;
    cpu->run_first = first;
    cpu->run_last = last;
    cpu->run_rip = *rip;
    cpu->run_count = *count;
    if (n >= 2 && n == in->run) {
        for (;;) {
            in->fn_run(cpu, in);
            if (in == cpu->run_last) {
                break;
            }
            in++;
        }
    } else {
        for (;;) {
            in->fn(cpu, in);
            if (in == cpu->run_last) {
                break;
            }
            in++;
        }
    }
    *count += in == last ? n : (unsigned)(in - first) + 1;
    *rip += (unsigned)(in->off + in->len - first->off);
    return in;
}

/*
 * Execute instructions from one fetch onwards while they stay in cached code.  RIP and the
 * instruction count live in registers here; they are stored to env->rip (the current
 * instruction's, which handlers and exceptions use) and env->icount (instructions retired
 * before it: the clock devices see) before every instruction that can observe them, never
 * reloaded.  By flow class (X86Insn.seq): runs of PURE/MEM instructions (chain_run) and SEQ
 * ones skip next_rip and the mode check and go straight to the entry after them (in->next);
 * anything that could make that wrong (an event, a stop, a write to cached code) sets
 * exit_request, tested after each run or SEQ instruction; CTRL ones get every check.  The
 * page's array does not move during a chain (only x86_fetch_insn grows it), so its base stays
 * in a register.  long64: 64-bit code (no RIP or linear-address wrap, no CS base).
 */
static inline __attribute__((always_inline)) void chain_loop(X86CPU *cpu, const X86Insn *in,
                                                             uint64_t end, const bool has_brk,
                                                             const bool long64)
{
    CPUX86State *env = &cpu->env;
    const uint32_t epoch = env->mode_epoch;
    const uint64_t rip_mask = long64 ? ~0ull : env->code_size == 4 ? 0xffffffffull : 0xffffull;
    /* CS cannot change inside a chain (a CS load bumps mode_epoch). */
    const uint64_t cs_base = long64 ? 0 : env->segs[R_CS].base;
    const uint64_t lin_mask = long64 ? ~0ull : 0xffffffffull;
    const uint64_t brk = cpu->break_rip;
    const X86Insn *base = cpu->fetch_page ? cpu->fetch_page->insns : NULL;
    ChainPages cp = { cpu->fetch_vpage, X86_TLB_INVALID, NULL };
    uint64_t rip = env->rip, count = env->icount;
    bool fallthrough = true;
    for (;;) {
        const unsigned flow = in->seq;
        if (__builtin_expect(flow >= X86_FLOW_PURE, 1)) {
            in = chain_run(cpu, in, end, &rip, &count, has_brk);
            rip &= rip_mask;
        } else if (flow == X86_FLOW_SEQ) {
            env->rip = rip;
            env->icount = count;
            in->fn(cpu, in);
            rip = (rip + in->len) & rip_mask;
            ++count;
        } else {
            uint64_t seq_rip = (rip + in->len) & rip_mask;
            env->rip = rip;
            env->icount = count;
            cpu->next_rip = seq_rip;
            in->fn(cpu, in);
            rip = cpu->next_rip;
            ++count;
            fallthrough = rip == seq_rip;
            if (env->mode_epoch != epoch) {
                break;
            }
        }
        if (__builtin_expect(cpu->exit_request | (count >= end) | (has_brk && rip == brk), 0)) {
            break;
        }
        const uint64_t lin = (rip + cs_base) & lin_mask;
        if (__builtin_expect(fallthrough, 1)) {
            if (__builtin_expect(in->next != 0, 1)) {
                in = next_insn(base, in->next);
                continue;
            }
        } else if (in->succ && (lin & ~0xfffull) == cpu->fetch_vpage &&
                   base[in->succ - 1].off == (lin & 0xfff)) {
            in = &base[in->succ - 1];       /* a branch going where it went last time */
            fallthrough = true;
            continue;
        }
        in = chain_next(cpu, in, lin, fallthrough, &cp);
        if (!in) {
            break;
        }
        base = cpu->fetch_page->insns;          /* chain_next may have changed pages */
        fallthrough = true;
    }
    env->rip = rip;
    env->icount = count;
}

/* Not inlined: inside x86_cpu_exec (setjmp) the compiler would keep cpu and in on the stack. */
__attribute__((noinline)) static bool run_chain(X86CPU *cpu, const X86Insn *in, uint64_t end)
{
    const uint64_t start = cpu->env.icount;
    if (cpu->break_enabled) {
        chain_loop(cpu, in, end, true, cpu->env.code_size == 8);
    } else if (cpu->env.code_size == 8) {
        chain_loop(cpu, in, end, false, true);
    } else {
        chain_loop(cpu, in, end, false, false);
    }
    cpu->cache_hits += cpu->env.icount - start - 1;
    return cpu->stop_loop;
}

void x86_cpu_set_profile(X86CPU *cpu, uint64_t period, X86ProfileHook hook, void *opaque)
{
    cpu->prof_period = hook ? period : 0;
    cpu->prof_hook = hook;
    cpu->prof_opaque = opaque;
    cpu->prof_icount = cpu->env.icount;
    cpu->prof_next = cpu->env.icount + period;
}

/* The profiler's sample point, if one is due now; returns where the next chain must stop. */
static uint64_t profile_point(X86CPU *cpu, uint64_t end)
{
    CPUX86State *env = &cpu->env;
    if (env->icount >= cpu->prof_next) {
        cpu->prof_hook(cpu->prof_opaque, x86_seg_lin(env, R_CS, env->rip));
        cpu->prof_next = env->icount + cpu->prof_period;
    }
    return cpu->prof_next < end ? cpu->prof_next : end;
}

static X86ExitReason cpu_exec(X86CPU *cpu, uint64_t max_insns)
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
        uint64_t chain_end = cpu->prof_period ? profile_point(cpu, end) : end;
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
        cpu->dtlb = cpu->tlb[x86_mmu_idx(env)];      /* CPL is fixed until the next pass */
        if (env->intr_shadow) {
            /* One instruction runs in the shadow, then interrupts are looked at again. */
            env->intr_shadow = false;
            uint64_t next = env->rip + in->len;
            cpu->next_rip = env->code_size == 8 ? next : env->code_size == 4 ? (uint32_t)next
                                                                              : (uint16_t)next;
            cpu->run_first = cpu->run_last = in;      /* a MEM handler's run of one */
            cpu->run_rip = env->rip;
            cpu->run_count = env->icount;
            in->fn(cpu, in);
            env->rip = cpu->next_rip;
            env->icount++;
            if (cpu->stop_loop) {
                return cpu->stop_reason;
            }
            continue;
        }
        if (run_chain(cpu, in, chain_end)) {
            return cpu->stop_reason;
        }
    }
    return X86_EXIT_LIMIT;
}

X86ExitReason x86_cpu_exec(X86CPU *cpu, uint64_t max_insns)
{
    if (!cpu->prof_period) {
        return cpu_exec(cpu, max_insns);
    }
    /* Whatever moved icount since the last return (idle skips, a reset) is not execution. */
    cpu->prof_next = cpu->env.icount + (cpu->prof_next - cpu->prof_icount);
    X86ExitReason r = cpu_exec(cpu, max_insns);
    cpu->prof_icount = cpu->env.icount;
    return r;
}
