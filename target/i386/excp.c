/* Exceptions and interrupts: raising (unwinding to the loop), IDT delivery in long/protected/real mode, iret. */
#include "target/i386/internal.h"

static _Noreturn void raise_common(X86CPU *cpu, int vector, uint32_t err, bool has_err, bool soft)
{
    cpu->exc_vector = vector;
    cpu->exc_error = err;
    cpu->exc_has_error = has_err;
    cpu->exc_is_soft = soft;
    cpu->exc_is_ext = false;
    longjmp(cpu->jmp, 1);
}

_Noreturn void x86_raise(X86CPU *cpu, int vector, uint32_t err, bool has_err)
{
    raise_common(cpu, vector, err, has_err, false);
}

_Noreturn void x86_raise_soft(X86CPU *cpu, int vector)
{
    raise_common(cpu, vector, 0, false, true);
}

_Noreturn void x86_raise_ud(X86CPU *cpu)
{
    raise_common(cpu, EXCP_UD, 0, false, false);
}

typedef struct Frame {
    uint64_t rip, rflags;
    uint16_t cs, ss;
    uint64_t rsp;
} Frame;

static uint32_t gate_err(X86CPU *cpu, int vector)
{
    return (uint32_t)vector * 8 + 2 + (cpu->exc_is_ext ? 1 : 0);
}

/* Common checks on an IDT gate: type, privilege for software ints, presence. */
static void check_gate(X86CPU *cpu, int vector, uint32_t hi, bool long_mode)
{
    int type = (hi >> 8) & 0x1f, dpl = (hi >> 13) & 3;
    bool ok = long_mode ? (type == 0xe || type == 0xf) : (type == 0xe || type == 0xf);
    if (!ok) {
        x86_raise_gp(cpu, gate_err(cpu, vector));
    }
    if (cpu->exc_is_soft && dpl < cpu->env.cpl) {
        x86_raise_gp(cpu, gate_err(cpu, vector));
    }
    if (!(hi & DESC_P)) {
        x86_raise(cpu, EXCP_NP, gate_err(cpu, vector), true);
    }
}

static void finish(CPUX86State *env, uint32_t gate_hi)
{
    env->eflags &= ~(uint64_t)(X86_TF | X86_NT | X86_RF | X86_VM);
    if (((gate_hi >> 8) & 1) == 0) {
        env->eflags &= ~(uint64_t)X86_IF;     /* interrupt gate */
    }
    env->halted = false;
}

static void deliver_long(X86CPU *cpu, int vector, const Frame *f)
{
    CPUX86State *env = &cpu->env;
    if ((uint32_t)vector * 16 + 15 > env->idt.limit) {
        x86_raise_gp(cpu, gate_err(cpu, vector));
    }
    uint64_t lo = x86_ld_idx(cpu, env->idt.base + vector * 16, 8, 0);
    uint64_t hi64 = x86_ld_idx(cpu, env->idt.base + vector * 16 + 8, 8, 0);
    uint32_t hi = (uint32_t)(lo >> 32);
    check_gate(cpu, vector, hi, true);
    uint16_t sel = (uint16_t)(lo >> 16);
    uint64_t target = (lo & 0xffff) | (hi & 0xffff0000) | (hi64 << 32);
    int ist = hi & 7, new_cpl = x86_code_dpl(cpu, sel);
    if (new_cpl > env->cpl) {
        x86_raise_gp(cpu, sel & 0xfffc);
    }
    uint64_t rsp = env->regs[R_ESP];
    if (ist) {
        rsp = x86_ld_idx(cpu, env->tr.base + 0x24 + 8 * (ist - 1), 8, 0);
    } else if (new_cpl < env->cpl) {
        rsp = x86_ld_idx(cpu, env->tr.base + 4 + 8 * new_cpl, 8, 0);
    }
    rsp &= ~0xfull;
    uint64_t vals[6] = { f->ss, f->rsp, f->rflags, f->cs, f->rip, cpu->exc_error };
    int n = cpu->exc_has_error ? 6 : 5;
    int idx = new_cpl == 3;
    for (int i = 0; i < n; i++) {
        rsp -= 8;
        x86_st_idx(cpu, rsp, 8, vals[i], idx);
    }
    bool priv_change = new_cpl != env->cpl;
    x86_load_cs_cpl(cpu, sel, new_cpl);
    if (priv_change) {
        env->segs[R_SS].sel = new_cpl;
        env->segs[R_SS].base = 0;
        env->segs[R_SS].flags = 0;
    }
    env->regs[R_ESP] = rsp;
    env->rip = target;
    finish(env, hi);
}

static void deliver_prot(X86CPU *cpu, int vector, const Frame *f)
{
    CPUX86State *env = &cpu->env;
    if ((uint32_t)vector * 8 + 7 > env->idt.limit) {
        x86_raise_gp(cpu, gate_err(cpu, vector));
    }
    uint64_t lo = x86_ld_idx(cpu, (uint32_t)(env->idt.base + vector * 8), 8, 0);
    uint32_t hi = (uint32_t)(lo >> 32);
    check_gate(cpu, vector, hi, false);
    uint16_t sel = (uint16_t)(lo >> 16);
    uint32_t target = (uint32_t)((lo & 0xffff) | (hi & 0xffff0000));
    int new_cpl = x86_code_dpl(cpu, sel);
    uint64_t ssbase = env->segs[R_SS].base;
    uint32_t esp = (uint32_t)env->regs[R_ESP];
    uint16_t new_ss = 0;
    bool priv_change = new_cpl < env->cpl;
    if (priv_change) {
        esp = (uint32_t)x86_ld_idx(cpu, (uint32_t)(env->tr.base + 4 + 8 * new_cpl), 4, 0);
        new_ss = (uint16_t)x86_ld_idx(cpu, (uint32_t)(env->tr.base + 8 + 8 * new_cpl), 2, 0);
        int saved = env->cpl;
        env->cpl = new_cpl;          /* the SS checks are against the new CPL */
        x86_load_seg(cpu, R_SS, new_ss);
        env->cpl = saved;
        ssbase = env->segs[R_SS].base;
    }
    uint32_t vals[6] = { f->ss, (uint32_t)f->rsp, (uint32_t)f->rflags, f->cs, (uint32_t)f->rip,
                         cpu->exc_error };
    int first = priv_change ? 0 : 2, last = cpu->exc_has_error ? 6 : 5;
    for (int i = first; i < last; i++) {
        esp -= 4;
        x86_st_idx(cpu, (uint32_t)(ssbase + esp), 4, vals[i], new_cpl == 3);
    }
    x86_load_cs_cpl(cpu, sel, new_cpl);
    env->regs[R_ESP] = env->stack_size == 4 ? esp
                     : (env->regs[R_ESP] & ~0xffffull) | (esp & 0xffff);
    env->rip = target;
    finish(env, hi);
}

static void deliver_real(X86CPU *cpu, int vector, const Frame *f)
{
    CPUX86State *env = &cpu->env;
    if ((uint32_t)vector * 4 + 3 > env->idt.limit) {
        x86_raise_gp(cpu, 0);
    }
    uint32_t ent = (uint32_t)x86_ld_idx(cpu, env->idt.base + vector * 4, 4, 0);
    uint16_t sp = (uint16_t)env->regs[R_ESP];
    uint16_t vals[3] = { (uint16_t)f->rflags, f->cs, (uint16_t)f->rip };
    for (int i = 0; i < 3; i++) {
        sp -= 2;
        x86_st_idx(cpu, (uint32_t)(env->segs[R_SS].base + sp), 2, vals[i], 0);
    }
    env->regs[R_ESP] = (env->regs[R_ESP] & ~0xffffull) | sp;
    x86_load_seg_real(env, R_CS, (uint16_t)(ent >> 16));
    env->rip = ent & 0xffff;
    env->eflags &= ~(uint64_t)(X86_IF | X86_TF | X86_AC | X86_RF);
    env->halted = false;
}

/* Exception class for the double-fault rules: 0 benign, 1 contributory, 2 page fault. */
static int exc_class(const X86CPU *cpu)
{
    if (cpu->exc_is_soft || cpu->exc_is_ext) {
        return 0;
    }
    switch (cpu->exc_vector) {
    case EXCP_DE: case EXCP_TS: case EXCP_NP: case EXCP_SS: case EXCP_GP: return 1;
    case EXCP_PF: return 2;
    default: return 0;
    }
}

/*
 * Deliver cpu->exc_* through the IDT.  A contributory fault (or #PF) while delivering a
 * contributory fault or #PF becomes #DF; a fault while delivering #DF is a triple fault
 * (returns false).  Other nested faults are simply delivered instead.
 */
bool x86_deliver(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    if (cpu->exc_vector == X86_PENDING_INTA) {
        /* The INTR pin (x86_cpu_set_intr): the INTA cycle happens now that the CPU takes
           the interrupt, so the board puts in service what is really delivered. */
        cpu->exc_vector = cpu->intr_ack(cpu->intr_ack_opaque) & 0xff;
    }
    if (env->exc_depth > 0) {
        int second = exc_class(cpu);
        if (cpu->deliv_vector == EXCP_DF) {
            env->exc_depth = 0;
            return false;
        }
        if ((cpu->deliv_class == 1 && second == 1) || (cpu->deliv_class == 2 && second >= 1)) {
            cpu->exc_vector = EXCP_DF;
            cpu->exc_error = 0;
            cpu->exc_has_error = true;
        }
    }
    env->exc_depth = 1;
    cpu->deliv_vector = cpu->exc_vector;
    cpu->deliv_class = exc_class(cpu);
    Frame f = {
        .rip = cpu->exc_is_soft ? cpu->next_rip : env->rip,
        .rflags = x86_get_eflags(env),
        .cs = env->segs[R_CS].sel, .ss = env->segs[R_SS].sel, .rsp = env->regs[R_ESP],
    };
    if (!(env->cr[0] & CR0_PE)) {
        deliver_real(cpu, cpu->exc_vector, &f);
    } else if (env->long_mode) {
        deliver_long(cpu, cpu->exc_vector, &f);
    } else {
        deliver_prot(cpu, cpu->exc_vector, &f);
    }
    env->exc_depth = 0;
    return true;
}

static uint64_t pop_n(X86CPU *cpu, uint64_t *rsp, int size)
{
    CPUX86State *env = &cpu->env;
    uint64_t v = x86_ld(cpu, x86_seg_lin(env, R_SS, *rsp), size);
    *rsp += size;
    if (env->stack_size != 8) {
        *rsp &= env->stack_size == 4 ? 0xffffffffull : 0xffffull;
    }
    return v;
}

/* Which RFLAGS bits iret may change at the current privilege. */
static uint64_t iret_flag_mask(const CPUX86State *env, int opsize)
{
    uint64_t m = X86_ARITH_FLAGS | X86_TF | X86_DF | X86_NT | X86_RF | X86_AC | X86_ID;
    if (env->cpl == 0) {
        m |= X86_IOPL | X86_IF;
    } else if (env->cpl <= (int)((env->eflags & X86_IOPL) >> 12)) {
        m |= X86_IF;
    }
    return opsize == 2 ? m & 0xffff : m;
}

void x86_iret(X86CPU *cpu, int opsize)
{
    CPUX86State *env = &cpu->env;
    uint64_t rsp = env->regs[R_ESP];
    uint64_t rip = pop_n(cpu, &rsp, opsize);
    uint16_t cs = (uint16_t)pop_n(cpu, &rsp, opsize);
    uint64_t fl = pop_n(cpu, &rsp, opsize);
    uint64_t mask = iret_flag_mask(env, opsize);
    /* Any iret ends NMI blocking (once its frame could be read); a waiting NMI is then
       taken before the next instruction, so the chain must return to the outer loop. */
    if (env->nmi_blocked) {
        env->nmi_blocked = false;
        cpu->exit_request |= env->nmi_pending;
    }
    if (!(env->cr[0] & CR0_PE)) {
        x86_load_seg_real(env, R_CS, cs);
        env->regs[R_ESP] = (env->regs[R_ESP] & ~0xffffull) | (rsp & 0xffff);
        x86_set_eflags(env, (x86_get_eflags(env) & ~mask) | (fl & mask));
        cpu->next_rip = rip & 0xffff;
        return;
    }
    int new_cpl = cs & 3;
    if (new_cpl < env->cpl) {
        x86_raise_gp(cpu, cs & 0xfffc);
    }
    bool pop_stack = env->long_mode || new_cpl != env->cpl;
    uint64_t new_rsp = 0;
    uint16_t ss = 0;
    if (pop_stack) {
        new_rsp = pop_n(cpu, &rsp, opsize);
        ss = (uint16_t)pop_n(cpu, &rsp, opsize);
    }
    uint64_t newfl = (x86_get_eflags(env) & ~mask) | (fl & mask);
    x86_load_cs_cpl(cpu, cs, new_cpl);
    if (pop_stack) {
        if ((ss & 0xfffc) == 0 && env->long_mode && new_cpl != 3) {
            env->segs[R_SS].sel = ss;
            env->segs[R_SS].flags = 0;
            env->segs[R_SS].base = 0;
        } else {
            x86_load_seg(cpu, R_SS, ss);
        }
        env->regs[R_ESP] = new_rsp;
    } else {
        env->regs[R_ESP] = rsp;
    }
    x86_set_eflags(env, newfl);
    cpu->next_rip = env->code_size == 8 ? rip : (uint32_t)rip;
}
