/* Integer ALU instructions: add..cmp, inc/dec, neg/not, test, mul/div, imul forms, flag and conversion ops. */
#include "target/i386/exec.h"

/* The eight classic ALU ops as a pure function: result and lazy-flags op, nothing stored. */
static uint64_t alu_calc(const CPUX86State *env, int op, uint64_t a, uint64_t b, uint32_t *cc)
{
    switch (op) {
    case 0: *cc = CC_OP_ADD; return a + b;
    case 1: *cc = CC_OP_LOGIC; return a | b;
    case 2: *cc = CC_OP_ADC; return a + b + x86_get_cf(env);
    case 3: *cc = CC_OP_SBB; return a - b - x86_get_cf(env);
    case 4: *cc = CC_OP_LOGIC; return a & b;
    case 6: *cc = CC_OP_LOGIC; return a ^ b;
    default: *cc = CC_OP_SUB; return a - b;
    }
}

static uint64_t alu(CPUX86State *env, int op, int size, uint64_t a, uint64_t b)
{
    uint32_t cc;
    uint64_t r = alu_calc(env, op, a, b, &cc);
    set_cc(env, cc, size, a, b, r);
    return r & x86_mask(size);
}

/* Apply ALU op to E (r/m) with value b: read-modify-write unless the op is cmp. */
static void alu_rm(X86CPU *cpu, const X86Insn *in, int op, uint64_t b)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    if (in->mod == 3) {
        uint64_t r = alu(env, op, size, reg_read(env, in, in->rm, size), b);
        if (op != 7) {
            reg_write(env, in, in->rm, size, r);
        }
        return;
    }
    uint64_t lin = insn_lin(cpu, in);
    uint64_t a = x86_ld(cpu, lin, size);
    if (op == 7) {
        alu(env, op, size, a, b);
        return;
    }
    /* Store first so that a faulting store leaves the flags untouched. */
    uint32_t cc;
    uint64_t r = alu_calc(env, op, a, b, &cc);
    x86_st(cpu, lin, size, r & x86_mask(size));
    set_cc(env, cc, size, a, b, r);
}

HANDLER(op_alu)
{
    CPUX86State *env = &cpu->env;
    int op = (in->opc >> 3) & 7, size = in->opsize;
    switch (in->opc & 7) {
    case 0: case 1:
        alu_rm(cpu, in, op, reg_read(env, in, in->reg, size));
        return;
    case 2: case 3: {
        uint64_t r = alu(env, op, size, reg_read(env, in, in->reg, size), load_rm(cpu, in, size));
        if (op != 7) {
            reg_write(env, in, in->reg, size, r);
        }
        return;
    }
    default: {
        uint64_t r = alu(env, op, size, reg_read(env, in, R_EAX, size), in->imm & x86_mask(size));
        if (op != 7) {
            reg_write(env, in, R_EAX, size, r);
        }
        return;
    }
    }
}

HANDLER(op_grp1)
{
    alu_rm(cpu, in, in->reg & 7, in->imm & x86_mask(in->opsize));
}

HANDLER(op_test)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    uint64_t a, b;
    if (in->opc == 0x84 || in->opc == 0x85) {
        a = load_rm(cpu, in, size);
        b = reg_read(env, in, in->reg, size);
    } else {
        a = reg_read(env, in, R_EAX, size);
        b = in->imm;
    }
    set_cc(env, CC_OP_LOGIC, size, a, b, a & b & x86_mask(size));
}

static uint64_t incdec(CPUX86State *env, bool dec, int size, uint64_t a)
{
    uint32_t cf = x86_get_cf(env);
    uint64_t r = dec ? a - 1 : a + 1;
    set_cc(env, dec ? CC_OP_DEC : CC_OP_INC, size, a, 1, r);
    env->eflags = (env->eflags & ~(uint64_t)X86_CF) | cf;
    return r & x86_mask(size);
}

HANDLER(op_incdec_r)
{
    CPUX86State *env = &cpu->env;
    int r = in->opc & 7;
    reg_write(env, in, r, in->opsize, incdec(env, in->opc >= 0x48, in->opsize,
                                             reg_read(env, in, r, in->opsize)));
}

/* inc/dec on r/m (FE/FF /0 /1). */
static void incdec_rm(X86CPU *cpu, const X86Insn *in, bool dec)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    if (in->mod == 3) {
        reg_write(env, in, in->rm, size, incdec(env, dec, size, reg_read(env, in, in->rm, size)));
        return;
    }
    uint64_t lin = insn_lin(cpu, in);
    uint64_t a = x86_ld(cpu, lin, size);
    x86_probe_write(cpu, lin, size);
    x86_st(cpu, lin, size, incdec(env, dec, size, a));
}

HANDLER(op_grp4)
{
    if ((in->reg & 7) > 1) {
        x86_raise_ud(cpu);
    }
    incdec_rm(cpu, in, in->reg & 1);
}

static void do_mul(X86CPU *cpu, int size, uint64_t b, bool sign)
{
    CPUX86State *env = &cpu->env;
    uint64_t a = reg_read(env, NULL, R_EAX, size == 1 ? 2 : size) & x86_mask(size);
    unsigned __int128 p;
    bool ovf;
    if (sign) {
        __int128 sp = (__int128)(int64_t)x86_sext(a, size) * (int64_t)x86_sext(b, size);
        p = (unsigned __int128)sp;
        ovf = sp != (__int128)(int64_t)x86_sext((uint64_t)sp, size);
    } else {
        p = (unsigned __int128)a * b;
        ovf = (p >> (size * 8)) != 0;
    }
    uint64_t lo = (uint64_t)p;
    if (size == 1) {
        env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | (lo & 0xffff);
    } else {
        uint64_t hi = size == 8 ? (uint64_t)(p >> 64) : lo >> (size * 8);
        reg_write(env, NULL, R_EAX, size, lo);
        reg_write(env, NULL, R_EDX, size, hi);
    }
    /* SF/ZF/AF/PF are undefined; computed from the low half like common practice. */
    uint32_t f = (ovf ? X86_CF | X86_OF : 0) | x86_parity(lo);
    f |= (lo & x86_mask(size)) == 0 ? X86_ZF : 0;
    f |= (lo >> (size * 8 - 1)) & 1 ? X86_SF : 0;
    set_flags(env, f);
}

static void do_div(X86CPU *cpu, int size, uint64_t b, bool sign)
{
    CPUX86State *env = &cpu->env;
    if (b == 0) {
        x86_raise(cpu, EXCP_DE, 0, false);
    }
    unsigned __int128 n;
    if (size == 1) {
        n = env->regs[R_EAX] & 0xffff;
    } else {
        n = ((unsigned __int128)reg_read(env, NULL, R_EDX, size) << (size * 8)) |
            reg_read(env, NULL, R_EAX, size);
    }
    uint64_t q, r;
    if (sign) {
        int bits = size * 16;
        __int128 sn = bits == 128 ? (__int128)n : ((__int128)(n << (128 - bits))) >> (128 - bits);
        __int128 sd = (int64_t)x86_sext(b, size);
        __int128 sq, sr;
        if (sd == -1) {
            /* Negate without signed overflow; the range check below catches MIN / -1. */
            sq = (__int128)(-(unsigned __int128)sn);
            sr = 0;
        } else {
            sq = sn / sd;
            sr = sn % sd;
        }
        __int128 lim = (__int128)1 << (size * 8 - 1);
        if (sq >= lim || sq < -lim) {
            x86_raise(cpu, EXCP_DE, 0, false);
        }
        q = (uint64_t)sq;
        r = (uint64_t)sr;
    } else {
        unsigned __int128 uq = n / b;
        if (uq > x86_mask(size)) {
            x86_raise(cpu, EXCP_DE, 0, false);
        }
        q = (uint64_t)uq;
        r = (uint64_t)(n % b);
    }
    if (size == 1) {
        env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | (q & 0xff) | ((r & 0xff) << 8);
    } else {
        reg_write(env, NULL, R_EAX, size, q);
        reg_write(env, NULL, R_EDX, size, r);
    }
}

HANDLER(op_grp3)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    switch (in->reg & 7) {
    case 0: case 1:
        set_cc(env, CC_OP_LOGIC, size, 0, 0, load_rm(cpu, in, size) & in->imm & x86_mask(size));
        return;
    case 2:
        store_rm(cpu, in, size, ~load_rm(cpu, in, size));
        return;
    case 3: {
        uint64_t lin = in->mod == 3 ? 0 : insn_lin(cpu, in);
        uint64_t a = in->mod == 3 ? reg_read(env, in, in->rm, size) : x86_ld(cpu, lin, size);
        if (in->mod != 3) {
            x86_probe_write(cpu, lin, size);
        }
        uint64_t r = (0 - a) & x86_mask(size);
        store_rm(cpu, in, size, r);
        set_cc(env, CC_OP_SUB, size, 0, a, r);
        return;
    }
    default:
        if ((in->reg & 7) < 6) {
            do_mul(cpu, size, load_rm(cpu, in, size), (in->reg & 7) == 5);
        } else {
            do_div(cpu, size, load_rm(cpu, in, size), (in->reg & 7) == 7);
        }
        return;
    }
}

static uint64_t imul2(CPUX86State *env, int size, uint64_t a, uint64_t b)
{
    __int128 p = (__int128)(int64_t)x86_sext(a, size) * (int64_t)x86_sext(b, size);
    uint64_t lo = (uint64_t)p & x86_mask(size);
    bool ovf = p != (__int128)(int64_t)x86_sext(lo, size);
    uint32_t f = (ovf ? X86_CF | X86_OF : 0) | x86_parity(lo) | (lo == 0 ? X86_ZF : 0);
    f |= (lo >> (size * 8 - 1)) & 1 ? X86_SF : 0;
    set_flags(env, f);
    return lo;
}

HANDLER(op_imul_rm_imm)
{
    CPUX86State *env = &cpu->env;
    uint64_t a = load_rm(cpu, in, in->opsize);
    reg_write(env, in, in->reg, in->opsize, imul2(env, in->opsize, a, in->imm));
}

HANDLER(op_imul_r_rm)
{
    CPUX86State *env = &cpu->env;
    uint64_t b = load_rm(cpu, in, in->opsize);
    uint64_t a = reg_read(env, in, in->reg, in->opsize);
    reg_write(env, in, in->reg, in->opsize, imul2(env, in->opsize, a, b));
}

HANDLER(op_cbw)
{
    CPUX86State *env = &cpu->env;
    int half = in->opsize / 2;
    reg_write(env, in, R_EAX, in->opsize, x86_sext(reg_read(env, in, R_EAX, half), half));
}

HANDLER(op_cwd)
{
    CPUX86State *env = &cpu->env;
    uint64_t a = reg_read(env, in, R_EAX, in->opsize);
    bool neg = (a >> (in->opsize * 8 - 1)) & 1;
    reg_write(env, in, R_EDX, in->opsize, neg ? ~0ull : 0);
}

HANDLER(op_lahf)
{
    CPUX86State *env = &cpu->env;
    uint64_t f = x86_get_eflags(env) & 0xff;
    env->regs[R_EAX] = (env->regs[R_EAX] & ~0xff00ull) | (f << 8);
}

HANDLER(op_sahf)
{
    CPUX86State *env = &cpu->env;
    uint64_t ah = (env->regs[R_EAX] >> 8) & (X86_SF | X86_ZF | X86_AF | X86_PF | X86_CF);
    uint64_t f = x86_get_eflags(env);
    env->eflags = (f & ~(uint64_t)(X86_SF | X86_ZF | X86_AF | X86_PF | X86_CF)) | ah;
}

/* cmc clc stc cli sti cld std (F5, F8-FD). */
HANDLER(op_flagop)
{
    CPUX86State *env = &cpu->env;
    bool io_ok = !(env->cr[0] & CR0_PE) || env->cpl <= (int)((env->eflags & X86_IOPL) >> 12);
    x86_get_eflags(env);
    switch (in->opc) {
    case 0xf5: env->eflags ^= X86_CF; break;
    case 0xf8: env->eflags &= ~(uint64_t)X86_CF; break;
    case 0xf9: env->eflags |= X86_CF; break;
    case 0xfa: case 0xfb:
        if (!io_ok) {
            x86_raise_gp(cpu, 0);
        }
        if (in->opc == 0xfb && !(env->eflags & X86_IF)) {
            env->intr_shadow = true;
            cpu->exit_request = true;
        }
        env->eflags = in->opc == 0xfa ? env->eflags & ~(uint64_t)X86_IF : env->eflags | X86_IF;
        break;
    case 0xfc: env->eflags &= ~(uint64_t)X86_DF; break;
    default: env->eflags |= X86_DF; break;
    }
}
