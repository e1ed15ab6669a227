/* Operand access helpers shared by the instruction handler files (registers, effective addresses, stack). */
#ifndef TARGET_I386_EXEC_H
#define TARGET_I386_EXEC_H

#include "target/i386/internal.h"

#define HANDLER(name) void name(X86CPU *cpu, const X86Insn *in)

static inline uint64_t reg_read(const CPUX86State *env, const X86Insn *in, int r, int size)
{
    switch (size) {
    case 1:
        if (!(in->pfx & PFX_REX) && r >= 4 && r < 8) {
            return (env->regs[r - 4] >> 8) & 0xff;
        }
        return env->regs[r] & 0xff;
    case 2: return env->regs[r] & 0xffff;
    case 4: return (uint32_t)env->regs[r];
    default: return env->regs[r];
    }
}

static inline void reg_write(CPUX86State *env, const X86Insn *in, int r, int size, uint64_t v)
{
    switch (size) {
    case 1:
        if (!(in->pfx & PFX_REX) && r >= 4 && r < 8) {
            env->regs[r - 4] = (env->regs[r - 4] & ~0xff00ull) | ((v & 0xff) << 8);
        } else {
            env->regs[r] = (env->regs[r] & ~0xffull) | (v & 0xff);
        }
        return;
    case 2: env->regs[r] = (env->regs[r] & ~0xffffull) | (v & 0xffff); return;
    case 4: env->regs[r] = (uint32_t)v; return;
    default: env->regs[r] = v; return;
    }
}

/* Effective address (offset within the segment), truncated to the address size. */
static inline uint64_t insn_ea(X86CPU *cpu, const X86Insn *in)
{
    const CPUX86State *env = &cpu->env;
    uint64_t a = (uint64_t)(int64_t)in->disp;
    if (in->base != X86_NO_REG) {
        a += env->regs[in->base];
    }
    if (in->index != X86_NO_REG) {
        a += env->regs[in->index] << in->scale;
    }
    if (in->riprel) {
        a += cpu->next_rip;
    }
    return in->addrsize == 8 ? a : in->addrsize == 4 ? (uint32_t)a : (uint16_t)a;
}

static inline uint64_t insn_lin(X86CPU *cpu, const X86Insn *in)
{
    return x86_seg_lin(&cpu->env, in->seg, insn_ea(cpu, in));
}

static inline uint64_t load_rm(X86CPU *cpu, const X86Insn *in, int size)
{
    if (in->mod == 3) {
        return reg_read(&cpu->env, in, in->rm, size);
    }
    return x86_ld(cpu, insn_lin(cpu, in), size);
}

static inline void store_rm(X86CPU *cpu, const X86Insn *in, int size, uint64_t v)
{
    if (in->mod == 3) {
        reg_write(&cpu->env, in, in->rm, size, v);
    } else {
        x86_st(cpu, insn_lin(cpu, in), size, v);
    }
}

static inline void set_cc(CPUX86State *env, int op, int size, uint64_t a, uint64_t b, uint64_t r)
{
    env->cc_op = op;
    env->cc_size = size;
    env->cc_src1 = a;
    env->cc_src2 = b;
    env->cc_dst = r;
}

/* Store fully computed arithmetic flags (all six are replaced, so the lazy ones need not be). */
static inline void set_flags(CPUX86State *env, uint32_t f)
{
    env->eflags = (env->eflags & ~(uint64_t)X86_ARITH_FLAGS) | (f & X86_ARITH_FLAGS);
    env->cc_op = CC_OP_EFLAGS;
}

static inline uint64_t sp_mask(const CPUX86State *env)
{
    return env->stack_size == 8 ? ~0ull : env->stack_size == 4 ? 0xffffffffull : 0xffffull;
}

static inline void set_sp(CPUX86State *env, uint64_t v)
{
    uint64_t m = sp_mask(env);
    env->regs[R_ESP] = (env->regs[R_ESP] & ~m) | (v & m);
}

static inline void push(X86CPU *cpu, int size, uint64_t v)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = (env->regs[R_ESP] - size) & sp_mask(env);
    x86_st(cpu, x86_seg_lin(env, R_SS, sp), size, v);
    set_sp(env, sp);
}

static inline uint64_t pop(X86CPU *cpu, int size)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = env->regs[R_ESP] & sp_mask(env);
    uint64_t v = x86_ld(cpu, x86_seg_lin(env, R_SS, sp), size);
    set_sp(env, sp + size);
    return v;
}

/* Mask a branch target to the operand size outside 64-bit mode. */
static inline uint64_t branch_target(const CPUX86State *env, int opsize, uint64_t t)
{
    if (env->code_size == 8) {
        return t;
    }
    return opsize == 2 ? (uint16_t)t : (uint32_t)t;
}

static inline int cc_size_bits(int size) { return size * 8; }

/* Handlers (one group per file). */
HANDLER(op_alu); HANDLER(op_grp1); HANDLER(op_test); HANDLER(op_incdec_r); HANDLER(op_grp3);
HANDLER(op_grp4); HANDLER(op_grp5); HANDLER(op_grp2); HANDLER(op_shld); HANDLER(op_shrd);
HANDLER(op_imul_rm_imm); HANDLER(op_imul_r_rm); HANDLER(op_bt_r); HANDLER(op_bt_imm);
HANDLER(op_bsf); HANDLER(op_bsr); HANDLER(op_popcnt); HANDLER(op_movzx); HANDLER(op_movsx);
HANDLER(op_movsxd); HANDLER(op_lea); HANDLER(op_xchg); HANDLER(op_xchg_ax); HANDLER(op_cmpxchg);
HANDLER(op_xadd); HANDLER(op_grp9); HANDLER(op_bswap); HANDLER(op_setcc); HANDLER(op_cmovcc);
HANDLER(op_cbw); HANDLER(op_cwd); HANDLER(op_lahf); HANDLER(op_sahf); HANDLER(op_flagop);
HANDLER(op_mov_rm_r); HANDLER(op_mov_r_rm); HANDLER(op_mov_rm_imm); HANDLER(op_mov_r_imm);
HANDLER(op_mov_moffs); HANDLER(op_xlat);
HANDLER(op_push_r); HANDLER(op_pop_r); HANDLER(op_push_imm); HANDLER(op_pop_rm);
HANDLER(op_push_seg); HANDLER(op_pop_seg); HANDLER(op_pushf); HANDLER(op_popf);
HANDLER(op_pusha); HANDLER(op_popa);
HANDLER(op_jcc); HANDLER(op_jmp_rel); HANDLER(op_call_rel); HANDLER(op_ret); HANDLER(op_retf);
HANDLER(op_loop); HANDLER(op_enter); HANDLER(op_leave); HANDLER(op_int3); HANDLER(op_int);
HANDLER(op_into); HANDLER(op_int1); HANDLER(op_iret); HANDLER(op_hlt); HANDLER(op_jmpf);
HANDLER(op_callf); HANDLER(op_nop); HANDLER(op_ud);
HANDLER(op_movs); HANDLER(op_cmps); HANDLER(op_stos); HANDLER(op_lods); HANDLER(op_scas);
HANDLER(op_ins); HANDLER(op_outs); HANDLER(op_in); HANDLER(op_out);
HANDLER(op_mov_rm_sreg); HANDLER(op_mov_sreg_rm); HANDLER(op_grp6); HANDLER(op_grp7);
HANDLER(op_lar); HANDLER(op_lsl);
HANDLER(op_mov_cr); HANDLER(op_mov_dr); HANDLER(op_rdmsr); HANDLER(op_wrmsr); HANDLER(op_rdtsc);
HANDLER(op_cpuid); HANDLER(op_syscall); HANDLER(op_sysret); HANDLER(op_clts); HANDLER(op_wbinvd);
HANDLER(op_grp15); HANDLER(op_fpu); HANDLER(op_fwait);

#endif
