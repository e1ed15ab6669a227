/*
 * Decode-time specialisations of the hottest instruction forms: the decoder asks
 * x86_fast_handler() for a handler that skips the size/operand switches of the generic one.
 * Each one must behave exactly like the generic handler for the forms it is chosen for.
 */
#include "target/i386/exec.h"

/* ZF after any lazy op is "result is zero"; everything else goes to x86_cond. */
static inline bool cond_fast(CPUX86State *env, int cc)
{
    if (env->cc_op != CC_OP_EFLAGS && (cc & 0xe) == 4) {
        return ((env->cc_dst & x86_mask((int)env->cc_size)) == 0) ^ (cc & 1);
    }
    return x86_cond(env, cc);
}

HANDLER(fast_mov_load64) { cpu->env.regs[in->reg] = x86_ld(cpu, insn_lin(cpu, in), 8); }
HANDLER(fast_mov_load32) { cpu->env.regs[in->reg] = x86_ld(cpu, insn_lin(cpu, in), 4); }
HANDLER(fast_mov_store64) { x86_st(cpu, insn_lin(cpu, in), 8, cpu->env.regs[in->reg]); }
HANDLER(fast_mov_store32) { x86_st(cpu, insn_lin(cpu, in), 4, cpu->env.regs[in->reg]); }
HANDLER(fast_mov_rr64) { cpu->env.regs[in->rm] = cpu->env.regs[in->reg]; }           /* 89 */
HANDLER(fast_mov_rr32) { cpu->env.regs[in->rm] = (uint32_t)cpu->env.regs[in->reg]; }
HANDLER(fast_mov_rr64r) { cpu->env.regs[in->reg] = cpu->env.regs[in->rm]; }          /* 8B */
HANDLER(fast_mov_rr32r) { cpu->env.regs[in->reg] = (uint32_t)cpu->env.regs[in->rm]; }
HANDLER(fast_mov_imm32) { cpu->env.regs[(in->opc & 7) | ((in->rex & 1) << 3)] = (uint32_t)in->imm; }
HANDLER(fast_lea64) { cpu->env.regs[in->reg] = insn_ea(cpu, in); }

/* ALU E,G / G,E register-register forms of add/or/and/sub/xor/cmp and test. */
static inline void alu_rr(CPUX86State *env, int op, bool dir, int size, int rm, int reg)
{
    int d = dir ? reg : rm;
    uint64_t m = x86_mask(size);
    uint64_t a = env->regs[d] & m, b = env->regs[dir ? rm : reg] & m, r;
    int cc;
    switch (op) {
    case 0: r = a + b; cc = CC_OP_ADD; break;
    case 1: r = a | b; cc = CC_OP_LOGIC; break;
    case 4: case 8: r = a & b; cc = CC_OP_LOGIC; break;
    case 6: r = a ^ b; cc = CC_OP_LOGIC; break;
    default: r = a - b; cc = CC_OP_SUB; break;
    }
    set_cc(env, cc, size, a, b, r);
    if (op != 7 && op != 8) {
        env->regs[d] = r & m;
    }
}

#define ALU_RR(name, size) \
    HANDLER(name) \
    { \
        int op = in->opc == 0x85 ? 8 : (in->opc >> 3) & 7; \
        alu_rr(&cpu->env, op, (in->opc & 2) != 0, size, in->rm, in->reg); \
    }
ALU_RR(fast_alu_rr64, 8)
ALU_RR(fast_alu_rr32, 4)

/* 83 /op ib and 81 /op id on a 64/32-bit register (not adc/sbb). */
#define ALU_RI(name, size) \
    HANDLER(name) \
    { \
        CPUX86State *env = &cpu->env; \
        uint64_t m = x86_mask(size), a = env->regs[in->rm] & m, b = in->imm & m, r; \
        int op = in->reg & 7, cc; \
        switch (op) { \
        case 0: r = a + b; cc = CC_OP_ADD; break; \
        case 1: r = a | b; cc = CC_OP_LOGIC; break; \
        case 4: r = a & b; cc = CC_OP_LOGIC; break; \
        case 6: r = a ^ b; cc = CC_OP_LOGIC; break; \
        default: r = a - b; cc = CC_OP_SUB; break; \
        } \
        set_cc(env, cc, size, a, b, r); \
        if (op != 7) { \
            env->regs[in->rm] = r & m; \
        } \
    }
ALU_RI(fast_alu_ri64, 8)
ALU_RI(fast_alu_ri32, 4)

/* FF /0, FF /1 on a register: inc/dec keep CF. */
#define INCDEC(name, size) \
    HANDLER(name) \
    { \
        CPUX86State *env = &cpu->env; \
        uint32_t cf = x86_get_cf(env); \
        uint64_t m = x86_mask(size), a = env->regs[in->rm] & m; \
        bool dec = in->reg & 1; \
        uint64_t r = dec ? a - 1 : a + 1; \
        set_cc(env, dec ? CC_OP_DEC : CC_OP_INC, size, a, 1, r); \
        env->eflags = (env->eflags & ~(uint64_t)X86_CF) | cf; \
        env->regs[in->rm] = r & m; \
    }
INCDEC(fast_incdec64, 8)
INCDEC(fast_incdec32, 4)

/* F6/F7 /0 /1 on a register: test r, imm. */
HANDLER(fast_test_ri)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    set_cc(env, CC_OP_LOGIC, size, 0, 0, reg_read(env, in, in->rm, size) & in->imm & x86_mask(size));
}

/* 6B/69: imul r, r/m, imm (and 0F AF imul r, r/m) with 64/32-bit operands. */
static inline void imul_fast(X86CPU *cpu, const X86Insn *in, int size, uint64_t a, uint64_t b)
{
    CPUX86State *env = &cpu->env;
    __int128 p = (__int128)(int64_t)x86_sext(a, size) * (int64_t)x86_sext(b, size);
    uint64_t lo = (uint64_t)p & x86_mask(size);
    bool ovf = p != (__int128)(int64_t)x86_sext(lo, size);
    uint32_t f = (ovf ? X86_CF | X86_OF : 0) | x86_parity(lo) | (lo == 0 ? X86_ZF : 0) |
                 (((lo >> (size * 8 - 1)) & 1) ? X86_SF : 0);
    set_flags(env, f);
    env->regs[in->reg] = lo;
}

HANDLER(fast_imul_imm64) { imul_fast(cpu, in, 8, load_rm(cpu, in, 8), in->imm); }
HANDLER(fast_imul_imm32) { imul_fast(cpu, in, 4, load_rm(cpu, in, 4), in->imm); }
HANDLER(fast_imul_rm64) { imul_fast(cpu, in, 8, cpu->env.regs[in->reg], load_rm(cpu, in, 8)); }
HANDLER(fast_imul_rm32) { imul_fast(cpu, in, 4, cpu->env.regs[in->reg], load_rm(cpu, in, 4)); }

/* 64-bit mode branches: no target masking. */
HANDLER(fast_jcc64)
{
    if (cond_fast(&cpu->env, in->opc & 0xf)) {
        cpu->next_rip += in->imm;
    }
}

HANDLER(fast_jmp64) { cpu->next_rip += in->imm; }

HANDLER(fast_call64)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = env->regs[R_ESP] - 8;
    x86_st(cpu, sp, 8, cpu->next_rip);
    env->regs[R_ESP] = sp;
    cpu->next_rip += in->imm;
}

HANDLER(fast_ret64)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = env->regs[R_ESP];
    cpu->next_rip = x86_ld(cpu, sp, 8);
    env->regs[R_ESP] = sp + 8;
}

HANDLER(fast_push64) { CPUX86State *env = &cpu->env; uint64_t sp = env->regs[R_ESP] - 8;
    x86_st(cpu, sp, 8, env->regs[(in->opc & 7) | ((in->rex & 1) << 3)]); env->regs[R_ESP] = sp; }
HANDLER(fast_pop64) { CPUX86State *env = &cpu->env; uint64_t sp = env->regs[R_ESP];
    uint64_t v = x86_ld(cpu, sp, 8); env->regs[R_ESP] = sp + 8;
    env->regs[(in->opc & 7) | ((in->rex & 1) << 3)] = v; }

/* Memory operand without a segment base to add: not FS/GS in 64-bit mode. */
static bool flat_mem(const X86Insn *in) { return in->mod != 3 && in->seg < R_FS; }

static X86Handler fast_alu(const X86Insn *in, int opc)
{
    int op = (opc >> 3) & 7;
    bool rr = in->mod == 3 && !(in->pfx & PFX_LOCK);
    if (opc == 0x85 && rr) {
        return in->opsize == 8 ? fast_alu_rr64 : in->opsize == 4 ? fast_alu_rr32 : NULL;
    }
    if (opc < 0x40 && (opc & 7) <= 3 && (opc & 1) && op != 2 && op != 3 && rr) {
        return in->opsize == 8 ? fast_alu_rr64 : in->opsize == 4 ? fast_alu_rr32 : NULL;
    }
    if ((opc == 0x83 || opc == 0x81) && rr && (in->reg & 7) != 2 && (in->reg & 7) != 3) {
        return in->opsize == 8 ? fast_alu_ri64 : in->opsize == 4 ? fast_alu_ri32 : NULL;
    }
    return NULL;
}

/* 64-bit mode only (no masking of RIP/RSP, flat DS/SS); NULL keeps the generic handler. */
static X86Handler fast64(const X86Insn *in)
{
    int opc = in->opc, sz = in->opsize;
    bool w = sz == 8, d = sz == 4;
    switch (opc) {
    case 0x8b:
        if (in->mod == 3) {
            return w ? fast_mov_rr64r : d ? fast_mov_rr32r : NULL;
        }
        return !flat_mem(in) ? NULL : w ? fast_mov_load64 : d ? fast_mov_load32 : NULL;
    case 0x89:
        if (in->mod == 3) {
            return w ? fast_mov_rr64 : d ? fast_mov_rr32 : NULL;
        }
        return !flat_mem(in) ? NULL : w ? fast_mov_store64 : d ? fast_mov_store32 : NULL;
    case 0xb8 ... 0xbf: return d ? fast_mov_imm32 : NULL;
    case 0x8d: return in->mod != 3 && w ? fast_lea64 : NULL;
    case 0x70 ... 0x7f: case 0x180 ... 0x18f: return fast_jcc64;
    case 0xe9: case 0xeb: return fast_jmp64;
    case 0xe8: return fast_call64;
    case 0xc3: return w ? fast_ret64 : NULL;
    case 0x50 ... 0x57: return w ? fast_push64 : NULL;
    case 0x58 ... 0x5f: return w ? fast_pop64 : NULL;
    case 0xff:
        if (in->mod == 3 && (in->reg & 7) <= 1) {
            return w ? fast_incdec64 : d ? fast_incdec32 : NULL;
        }
        return NULL;
    case 0xf6: case 0xf7:
        return in->mod == 3 && (in->reg & 7) <= 1 ? fast_test_ri : NULL;
    case 0x69: case 0x6b:
        return w ? fast_imul_imm64 : d ? fast_imul_imm32 : NULL;
    case 0x1af:
        return w ? fast_imul_rm64 : d ? fast_imul_rm32 : NULL;
    default:
        return opc < 0x100 ? fast_alu(in, opc) : NULL;
    }
}

X86Handler x86_fast_handler(const X86Insn *in, int code_size)
{
    X86Handler f = code_size == 8 ? fast64(in) : NULL;
    return f ? f : in->fn;
}
