/* Data movement and bit instructions: mov forms, movzx/movsx, lea, xchg/cmpxchg/xadd, bt*, bsf/bsr, setcc/cmovcc. */
#include "target/i386/exec.h"

HANDLER(op_mov_rm_r)
{
    store_rm(cpu, in, in->opsize, reg_read(&cpu->env, in, in->reg, in->opsize));
}

HANDLER(op_mov_r_rm)
{
    reg_write(&cpu->env, in, in->reg, in->opsize, load_rm(cpu, in, in->opsize));
}

HANDLER(op_mov_rm_imm)
{
    if ((in->reg & 7) != 0) {
        x86_raise_ud(cpu);
    }
    store_rm(cpu, in, in->opsize, in->imm);
}

HANDLER(op_mov_r_imm)
{
    reg_write(&cpu->env, in, (in->opc & 7) | ((in->rex & 1) << 3), in->opsize, in->imm);
}

HANDLER(op_mov_moffs)
{
    CPUX86State *env = &cpu->env;
    uint64_t lin = x86_seg_lin(env, in->seg, in->imm);
    if (in->opc < 0xa2) {
        reg_write(env, in, R_EAX, in->opsize, x86_ld(cpu, lin, in->opsize));
    } else {
        x86_st(cpu, lin, in->opsize, reg_read(env, in, R_EAX, in->opsize));
    }
}

HANDLER(op_xlat)
{
    CPUX86State *env = &cpu->env;
    uint64_t off = env->regs[R_EBX] + (env->regs[R_EAX] & 0xff);
    off = in->addrsize == 8 ? off : in->addrsize == 4 ? (uint32_t)off : (uint16_t)off;
    reg_write(env, in, R_EAX, 1, x86_ld(cpu, x86_seg_lin(env, in->seg, off), 1));
}

HANDLER(op_movzx)
{
    int src = in->opc == 0x1b6 ? 1 : 2;
    reg_write(&cpu->env, in, in->reg, in->opsize, load_rm(cpu, in, src));
}

HANDLER(op_movsx)
{
    int src = in->opc == 0x1be ? 1 : 2;
    reg_write(&cpu->env, in, in->reg, in->opsize, x86_sext(load_rm(cpu, in, src), src));
}

HANDLER(op_movsxd)
{
    if (cpu->env.code_size != 8) {
        x86_raise_unimp(cpu, in);      /* arpl is not implemented */
    }
    int src = in->opsize == 2 ? 2 : 4;
    reg_write(&cpu->env, in, in->reg, in->opsize, x86_sext(load_rm(cpu, in, src), src));
}

HANDLER(op_lea)
{
    if (in->mod == 3) {
        x86_raise_ud(cpu);
    }
    reg_write(&cpu->env, in, in->reg, in->opsize, insn_ea(cpu, in));
}

HANDLER(op_xchg)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    uint64_t b = reg_read(env, in, in->reg, size);
    uint64_t a = load_rm(cpu, in, size);
    store_rm(cpu, in, size, b);
    reg_write(env, in, in->reg, size, a);
}

HANDLER(op_xchg_ax)
{
    CPUX86State *env = &cpu->env;
    int r = (in->opc & 7) | ((in->rex & 1) << 3), size = in->opsize;
    if (r == R_EAX) {
        return;     /* nop / pause: 90 never zero-extends EAX (REX.B 90 is xchg r8, rax) */
    }
    uint64_t a = reg_read(env, in, R_EAX, size), b = reg_read(env, in, r, size);
    reg_write(env, in, R_EAX, size, b);
    reg_write(env, in, r, size, a);
}

HANDLER(op_cmpxchg)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    uint64_t lin = in->mod == 3 ? 0 : insn_lin(cpu, in);
    uint64_t d = in->mod == 3 ? reg_read(env, in, in->rm, size) : x86_ld(cpu, lin, size);
    uint64_t acc = reg_read(env, in, R_EAX, size);
    if (acc == d) {
        store_rm(cpu, in, size, reg_read(env, in, in->reg, size));
    } else {
        if (in->mod != 3) {
            x86_st(cpu, lin, size, d);  /* the locked cycle always writes */
        }
        reg_write(env, in, R_EAX, size, d);
    }
    set_cc(env, CC_OP_SUB, size, acc, d, acc - d);
}

HANDLER(op_xadd)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    uint64_t lin = in->mod == 3 ? 0 : insn_lin(cpu, in);
    uint64_t d = in->mod == 3 ? reg_read(env, in, in->rm, size) : x86_ld(cpu, lin, size);
    uint64_t s = reg_read(env, in, in->reg, size);
    uint64_t r = (d + s) & x86_mask(size);
    if (in->mod != 3) {
        x86_st(cpu, lin, size, r);
    }
    reg_write(env, in, in->reg, size, d);
    if (in->mod == 3) {
        reg_write(env, in, in->rm, size, r);
    }
    set_cc(env, CC_OP_ADD, size, d, s, r);
}

/* cmpxchg8b / cmpxchg16b (0F C7 /1); rdrand and the rest are not advertised. */
HANDLER(op_grp9)
{
    CPUX86State *env = &cpu->env;
    if ((in->reg & 7) != 1 || in->mod == 3) {
        x86_raise_ud(cpu);
    }
    int half = in->opsize == 8 ? 8 : 4;
    uint64_t lin = insn_lin(cpu, in);
    if (half == 8 && (lin & 15)) {
        x86_raise_gp(cpu, 0);
    }
    uint64_t lo = x86_ld(cpu, lin, half), hi = x86_ld(cpu, lin + half, half);
    x86_probe_write(cpu, lin, half * 2);
    uint64_t m = x86_mask(half);
    bool eq = lo == (env->regs[R_EAX] & m) && hi == (env->regs[R_EDX] & m);
    if (eq) {
        x86_st(cpu, lin, half, env->regs[R_EBX]);
        x86_st(cpu, lin + half, half, env->regs[R_ECX]);
    } else {
        x86_st(cpu, lin, half, lo);
        x86_st(cpu, lin + half, half, hi);
        reg_write(env, in, R_EAX, half, lo);
        reg_write(env, in, R_EDX, half, hi);
    }
    uint32_t f = (uint32_t)x86_get_eflags(env);
    set_flags(env, eq ? f | X86_ZF : f & ~X86_ZF);
}

HANDLER(op_bswap)
{
    CPUX86State *env = &cpu->env;
    int r = (in->opc & 7) | ((in->rex & 1) << 3);
    if (in->opsize == 8) {
        env->regs[r] = __builtin_bswap64(env->regs[r]);
    } else if (in->opsize == 4) {
        env->regs[r] = __builtin_bswap32((uint32_t)env->regs[r]);
    } else {
        env->regs[r] &= ~0xffffull;   /* bswap r16 is undefined; real CPUs clear it */
    }
}

HANDLER(op_setcc)
{
    store_rm(cpu, in, 1, x86_cond(&cpu->env, in->opc & 0xf));
}

HANDLER(op_cmovcc)
{
    CPUX86State *env = &cpu->env;
    uint64_t v = load_rm(cpu, in, in->opsize);
    if (x86_cond(env, in->opc & 0xf)) {
        reg_write(env, in, in->reg, in->opsize, v);
    } else if (in->opsize == 4) {
        env->regs[in->reg] = (uint32_t)env->regs[in->reg];
    }
}

/* bt/bts/btr/btc: op 0..3; CF = the bit, OF/SF/AF/PF as after a logic op on it. */
static void bt_common(X86CPU *cpu, const X86Insn *in, int op, uint64_t bitoff, bool reg_off)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize, bits = size * 8;
    uint64_t lin = 0, v;
    if (in->mod == 3) {
        v = reg_read(env, in, in->rm, size);
    } else {
        lin = insn_lin(cpu, in);
        if (reg_off) {
            int64_t s = (int64_t)x86_sext(bitoff, size);
            lin += (uint64_t)((s >> (bits == 64 ? 6 : bits == 32 ? 5 : 4)) * size);
            if (env->code_size != 8) {
                lin = (uint32_t)lin;
            }
        }
        v = x86_ld(cpu, lin, size);
    }
    unsigned bit = (unsigned)(bitoff & (bits - 1));
    uint32_t cf = (v >> bit) & 1;
    uint64_t nv = op == 1 ? v | (1ull << bit) : op == 2 ? v & ~(1ull << bit) : v ^ (1ull << bit);
    if (op != 0) {
        if (in->mod == 3) {
            reg_write(env, in, in->rm, size, nv);
        } else {
            x86_st(cpu, lin, size, nv);
        }
    }
    uint32_t f = (uint32_t)x86_get_eflags(env);
    set_flags(env, (f & ~X86_CF) | cf);
}

HANDLER(op_bt_r)
{
    static const int ops[4] = { 0, 1, 2, 3 };
    int op = ops[((in->opc - 0x1a3) >> 3) & 3];
    bt_common(cpu, in, op, reg_read(&cpu->env, in, in->reg, in->opsize), true);
}

HANDLER(op_bt_imm)
{
    if ((in->reg & 7) < 4) {
        x86_raise_ud(cpu);
    }
    bt_common(cpu, in, (in->reg & 7) - 4, in->imm, false);
}

HANDLER(op_bsf)
{
    CPUX86State *env = &cpu->env;
    uint64_t v = load_rm(cpu, in, in->opsize);
    uint32_t f = (uint32_t)x86_get_eflags(env) & ~X86_ARITH_FLAGS;
    if (v == 0) {
        set_flags(env, f | X86_ZF);
        return;
    }
    reg_write(env, in, in->reg, in->opsize, (uint64_t)__builtin_ctzll(v));
    set_flags(env, f);
}

/* bsr, or lzcnt with F3 (advertised through CPUID 8000_0001 ECX.ABM). */
HANDLER(op_bsr)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    uint64_t v = load_rm(cpu, in, size);
    uint32_t f = (uint32_t)x86_get_eflags(env) & ~X86_ARITH_FLAGS;
    if (in->pfx & PFX_REPZ) {
        uint64_t r = v == 0 ? (uint64_t)size * 8 : (uint64_t)(__builtin_clzll(v) - (64 - size * 8));
        reg_write(env, in, in->reg, size, r);
        set_flags(env, f | (v == 0 ? X86_CF : 0) | (r == 0 ? X86_ZF : 0));
        return;
    }
    if (v == 0) {
        set_flags(env, f | X86_ZF);
        return;
    }
    reg_write(env, in, in->reg, size, (uint64_t)(63 - __builtin_clzll(v)));
    set_flags(env, f);
}

HANDLER(op_popcnt)
{
    CPUX86State *env = &cpu->env;
    if (!(in->pfx & PFX_REPZ) || (in->pfx & PFX_REPNZ)) {
        x86_raise_ud(cpu);
    }
    uint64_t v = load_rm(cpu, in, in->opsize);
    reg_write(env, in, in->reg, in->opsize, (uint64_t)__builtin_popcountll(v));
    uint32_t f = (uint32_t)x86_get_eflags(env) & ~X86_ARITH_FLAGS;
    set_flags(env, f | (v == 0 ? X86_ZF : 0));
}
