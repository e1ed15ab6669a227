/* Stack and control-flow instructions: push/pop, jumps, calls, returns, loops, enter/leave, int, iret, hlt. */
#include "target/i386/exec.h"

HANDLER(op_push_r)
{
    int r = (in->opc & 7) | ((in->rex & 1) << 3);
    push(cpu, in->opsize, reg_read(&cpu->env, in, r, in->opsize));
}

HANDLER(op_pop_r)
{
    int r = (in->opc & 7) | ((in->rex & 1) << 3);
    uint64_t v = pop(cpu, in->opsize);
    reg_write(&cpu->env, in, r, in->opsize, v);
}

HANDLER(op_push_imm)
{
    push(cpu, in->opsize, in->imm);
}

/* pop r/m: the address is computed after RSP has been incremented. */
HANDLER(op_pop_rm)
{
    CPUX86State *env = &cpu->env;
    if ((in->reg & 7) != 0) {
        x86_raise_ud(cpu);
    }
    uint64_t old = env->regs[R_ESP];
    uint64_t v = pop(cpu, in->opsize);
    if (in->mod == 3) {
        reg_write(env, in, in->rm, in->opsize, v);
        return;
    }
    uint64_t lin = insn_lin(cpu, in);
    env->regs[R_ESP] = old;
    x86_st(cpu, lin, in->opsize, v);
    set_sp(env, old + in->opsize);
}

static int seg_of_opc(int opc)
{
    switch (opc) {
    case 0x06: case 0x07: return R_ES;
    case 0x0e: return R_CS;
    case 0x16: case 0x17: return R_SS;
    case 0x1e: case 0x1f: return R_DS;
    case 0x1a0: case 0x1a1: return R_FS;
    default: return R_GS;
    }
}

HANDLER(op_push_seg)
{
    push(cpu, in->opsize, cpu->env.segs[seg_of_opc(in->opc)].sel);
}

HANDLER(op_pop_seg)
{
    CPUX86State *env = &cpu->env;
    int seg = seg_of_opc(in->opc);
    uint64_t sp = env->regs[R_ESP];
    uint64_t v = pop(cpu, in->opsize);
    env->regs[R_ESP] = sp;
    x86_load_seg(cpu, seg, (uint16_t)v);
    set_sp(env, sp + in->opsize);
    if (seg == R_SS) {
        env->intr_shadow = true;
        cpu->exit_request = true;
    }
}

HANDLER(op_pusha)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = env->regs[R_ESP];
    for (int r = R_EAX; r <= R_EDI; r++) {
        push(cpu, in->opsize, r == R_ESP ? sp : env->regs[r]);
    }
}

HANDLER(op_popa)
{
    CPUX86State *env = &cpu->env;
    for (int r = R_EDI; r >= R_EAX; r--) {
        uint64_t v = pop(cpu, in->opsize);
        if (r != R_ESP) {
            reg_write(env, in, r, in->opsize, v);
        }
    }
}

static uint64_t rflags_visible(CPUX86State *env)
{
    return x86_get_eflags(env) & ~(uint64_t)(X86_RF | X86_VM);
}

HANDLER(op_pushf)
{
    push(cpu, in->opsize, rflags_visible(&cpu->env));
}

HANDLER(op_popf)
{
    CPUX86State *env = &cpu->env;
    uint64_t v = pop(cpu, in->opsize);
    uint64_t mask = X86_ARITH_FLAGS | X86_TF | X86_DF | X86_NT | X86_AC | X86_ID;
    int iopl = (int)((env->eflags & X86_IOPL) >> 12);
    if (env->cpl == 0 || !(env->cr[0] & CR0_PE)) {
        mask |= X86_IOPL | X86_IF;
    } else if (env->cpl <= iopl) {
        mask |= X86_IF;
    }
    if (in->opsize == 2) {
        mask &= 0xffff;
    }
    x86_set_eflags(env, (x86_get_eflags(env) & ~mask) | (v & mask));
}

HANDLER(op_jcc)
{
    if (x86_cond(&cpu->env, in->opc & 0xf)) {
        cpu->next_rip = branch_target(&cpu->env, in->opsize, cpu->next_rip + in->imm);
    }
}

HANDLER(op_jmp_rel)
{
    cpu->next_rip = branch_target(&cpu->env, in->opsize, cpu->next_rip + in->imm);
}

HANDLER(op_call_rel)
{
    push(cpu, in->opsize, cpu->next_rip);
    cpu->next_rip = branch_target(&cpu->env, in->opsize, cpu->next_rip + in->imm);
}

HANDLER(op_ret)
{
    CPUX86State *env = &cpu->env;
    uint64_t t = pop(cpu, in->opsize);
    if (in->opc == 0xc2) {
        set_sp(env, env->regs[R_ESP] + (in->imm & 0xffff));
    }
    cpu->next_rip = branch_target(env, in->opsize, t);
}

/* loopne/loope/loop/jrcxz: the counter width is the address size. */
HANDLER(op_loop)
{
    CPUX86State *env = &cpu->env;
    uint64_t m = x86_mask(in->addrsize);
    uint64_t c = env->regs[R_ECX] & m;
    bool take;
    if (in->opc == 0xe3) {
        take = c == 0;
    } else {
        c = (c - 1) & m;
        env->regs[R_ECX] = (env->regs[R_ECX] & ~m) | c;
        if (in->addrsize == 4) {
            env->regs[R_ECX] = c;
        }
        take = c != 0;
        if (in->opc == 0xe0) {
            take = take && !x86_cond(env, 4);
        } else if (in->opc == 0xe1) {
            take = take && x86_cond(env, 4);
        }
    }
    if (take) {
        cpu->next_rip = branch_target(env, in->opsize, cpu->next_rip + in->imm);
    }
}

HANDLER(op_enter)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize, level = in->imm2 & 31;
    uint64_t m = sp_mask(env);
    push(cpu, size, reg_read(env, in, R_EBP, size));
    uint64_t frame = env->regs[R_ESP] & m;
    uint64_t bp = env->regs[R_EBP];
    for (int i = 1; i < level; i++) {
        bp = (bp - size) & m;
        push(cpu, size, x86_ld(cpu, x86_seg_lin(env, R_SS, bp), size));
    }
    if (level > 0) {
        push(cpu, size, frame);
    }
    uint64_t nsp = (env->regs[R_ESP] - (in->imm & 0xffff)) & m;
    x86_probe_write(cpu, x86_seg_lin(env, R_SS, nsp), 1);
    reg_write(env, in, R_EBP, size, frame);
    set_sp(env, nsp);
}

HANDLER(op_leave)
{
    CPUX86State *env = &cpu->env;
    uint64_t old = env->regs[R_ESP];
    set_sp(env, env->regs[R_EBP]);
    uint64_t v;
    uint64_t sp = env->regs[R_ESP] & sp_mask(env);
    v = x86_ld(cpu, x86_seg_lin(env, R_SS, sp), in->opsize);
    (void)old;
    set_sp(env, sp + in->opsize);
    reg_write(env, in, R_EBP, in->opsize, v);
}

HANDLER(op_int3)
{
    x86_raise_soft(cpu, EXCP_BP);
}

HANDLER(op_int)
{
    x86_raise_soft(cpu, (int)(in->imm & 0xff));
}

HANDLER(op_into)
{
    if (x86_cond(&cpu->env, 0)) {
        x86_raise_soft(cpu, EXCP_OF);
    }
}

HANDLER(op_int1)
{
    cpu->env.rip = cpu->next_rip;       /* icebp is a trap: report the next insn */
    x86_raise(cpu, EXCP_DB, 0, false);
}

HANDLER(op_iret)
{
    CPUX86State *env = &cpu->env;
    if ((env->cr[0] & CR0_PE) && env->cpl > 0 && (env->eflags & X86_NT)) {
        x86_raise_gp(cpu, 0);           /* task return is not implemented */
    }
    x86_iret(cpu, in->opsize);
}

HANDLER(op_hlt)
{
    if (cpu->env.cpl != 0) {
        x86_raise_gp(cpu, 0);
    }
    cpu->env.halted = true;
    cpu->exit_request = true;
}

/* Far jmp/call (EA, 9A, FF /3, FF /5): same-privilege code segments only. */
static void far_target(X86CPU *cpu, const X86Insn *in, uint16_t *sel, uint64_t *off)
{
    if (in->opc == 0xea || in->opc == 0x9a) {
        *sel = in->imm2;
        *off = in->imm;
        return;
    }
    if (in->mod == 3) {
        x86_raise_ud(cpu);
    }
    uint64_t lin = insn_lin(cpu, in);
    *off = x86_ld(cpu, lin, in->opsize);
    *sel = (uint16_t)x86_ld(cpu, lin + in->opsize, 2);
}

HANDLER(op_jmpf)
{
    uint16_t sel;
    uint64_t off;
    far_target(cpu, in, &sel, &off);
    x86_far_jump(cpu, sel, in->opsize == 2 ? (uint16_t)off : off);
}

HANDLER(op_callf)
{
    CPUX86State *env = &cpu->env;
    uint16_t sel;
    uint64_t off;
    far_target(cpu, in, &sel, &off);
    uint64_t sp = env->regs[R_ESP];
    push(cpu, in->opsize, env->segs[R_CS].sel);
    push(cpu, in->opsize, cpu->next_rip);
    uint64_t pushed = env->regs[R_ESP];
    env->regs[R_ESP] = sp;
    x86_far_jump(cpu, sel, in->opsize == 2 ? (uint16_t)off : off);
    env->regs[R_ESP] = pushed;
}

HANDLER(op_retf)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = env->regs[R_ESP];
    uint64_t off = pop(cpu, in->opsize);
    uint16_t sel = (uint16_t)pop(cpu, in->opsize);
    if ((env->cr[0] & CR0_PE) && (sel & 3) != env->cpl) {
        env->regs[R_ESP] = sp;
        x86_raise_gp(cpu, sel & 0xfffc);  /* inter-privilege retf is not implemented */
    }
    uint64_t after = env->regs[R_ESP];
    env->regs[R_ESP] = sp;
    x86_far_jump(cpu, sel, in->opsize == 2 ? (uint16_t)off : off);
    set_sp(env, after + (in->opc == 0xca ? (in->imm & 0xffff) : 0));
}

HANDLER(op_nop)
{
}

HANDLER(op_ud)
{
    x86_raise_ud(cpu);
}

/* Group 5 (FF): inc, dec, near call/jmp through r/m, far call/jmp, push. */
HANDLER(op_grp5)
{
    CPUX86State *env = &cpu->env;
    int op = in->reg & 7;
    X86Insn tmp;
    switch (op) {
    case 0: case 1:
        tmp = *in;
        op_grp4(cpu, &tmp);
        return;
    case 2: case 4: case 6: {
        int size = in->opsize;
        if (env->code_size == 8) {
            size = op == 6 && (in->pfx & PFX_66) && !(in->rex & 8) ? 2 : 8;
        }
        uint64_t v = load_rm(cpu, in, size);
        if (op == 6) {
            push(cpu, size, v);
            return;
        }
        if (op == 2) {
            push(cpu, size, cpu->next_rip);
        }
        cpu->next_rip = branch_target(env, size, v);
        return;
    }
    case 3: op_callf(cpu, in); return;
    case 5: op_jmpf(cpu, in); return;
    default: x86_raise_ud(cpu);
    }
}
