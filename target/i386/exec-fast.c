/*
 * Decode-time specialisations of the hottest instruction forms: the decoder asks
 * x86_fast_handler() for a handler that skips the size/operand switches of the generic one,
 * and learns the instruction's flow class (X86Insn.seq: how a chain may run it, cpu.c) and,
 * for register-only ones, its flag effects and flag-free variant (X86Insn.fn_run, fl_r, fl_w).
 * Each specialised handler must behave exactly like the generic handler for the forms it is
 * chosen for.  The integer ALU/shift/condition forms are in exec-fast-alu.c.
 */
#include "target/i386/exec.h"

HANDLER(fast_mov_rr64) { cpu->env.regs[in->rm] = cpu->env.regs[in->reg]; }           /* 89 */
HANDLER(fast_mov_rr32) { cpu->env.regs[in->rm] = (uint32_t)cpu->env.regs[in->reg]; }
HANDLER(fast_mov_rr64r) { cpu->env.regs[in->reg] = cpu->env.regs[in->rm]; }          /* 8B */
HANDLER(fast_mov_rr32r) { cpu->env.regs[in->reg] = (uint32_t)cpu->env.regs[in->rm]; }
HANDLER(fast_mov_imm32) { cpu->env.regs[(in->opc & 7) | ((in->rex & 1) << 3)] = (uint32_t)in->imm; }
HANDLER(fast_mov_imm64) { cpu->env.regs[(in->opc & 7) | ((in->rex & 1) << 3)] = in->imm; }
HANDLER(fast_mov_ri64) { cpu->env.regs[in->rm] = in->imm; }                          /* C7 */
HANDLER(fast_mov_ri32) { cpu->env.regs[in->rm] = (uint32_t)in->imm; }

int x86_ea_form(const X86Insn *in)
{
    if (in->addrsize != 8 || in->seg >= R_FS) {
        return EA_GEN;
    }
    if (in->riprel) {
        return EA_RIP;
    }
    if (in->base == X86_NO_REG) {
        return in->index == X86_NO_REG ? EA_GEN : EA_ISD;
    }
    return in->index == X86_NO_REG ? EA_BD : EA_BISD;
}

MEM_HANDLERS(mov_load64, env->regs[in->reg] = LD(8);)
MEM_HANDLERS(mov_load32, env->regs[in->reg] = LD(4);)
MEM_HANDLERS(mov_store64, ST(8, env->regs[in->reg]);)
MEM_HANDLERS(mov_store32, ST(4, env->regs[in->reg]);)
/* 88/8A with a memory operand: byte loads and stores (AH..BH through reg_read/write). */
MEM_HANDLERS(mov_load8, uint64_t v = LD(1); reg_write(env, in, in->reg, 1, v);)
MEM_HANDLERS(mov_store8, ST(1, reg_read(env, in, in->reg, 1));)
/* C7 /0: mov [mem], imm32 (sign-extended for 64-bit). */
MEM_HANDLERS(mov_mi64, ST(8, in->imm);)
MEM_HANDLERS(mov_mi32, ST(4, in->imm);)
MEM_HANDLERS(mov_mi8, ST(1, in->imm);)

/* lea: the same address forms without the segment (ea_lin adds none for them); a general
   form goes through insn_ea. */
HANDLER(fast_lea64_bd) { cpu->env.regs[in->reg] = ea_lin(cpu, in, EA_BD); }
HANDLER(fast_lea64_bisd) { cpu->env.regs[in->reg] = ea_lin(cpu, in, EA_BISD); }
HANDLER(fast_lea64_rip) { cpu->env.regs[in->reg] = ea_lin(cpu, in, EA_RIP); }
HANDLER(fast_lea64_isd) { cpu->env.regs[in->reg] = ea_lin(cpu, in, EA_ISD); }
HANDLER(fast_lea64) { cpu->env.regs[in->reg] = insn_ea(cpu, in); }
HANDLER(fast_lea32_bd) { cpu->env.regs[in->reg] = (uint32_t)ea_lin(cpu, in, EA_BD); }
HANDLER(fast_lea32_bisd) { cpu->env.regs[in->reg] = (uint32_t)ea_lin(cpu, in, EA_BISD); }
HANDLER(fast_lea32_isd) { cpu->env.regs[in->reg] = (uint32_t)ea_lin(cpu, in, EA_ISD); }
HANDLER(fast_lea32) { cpu->env.regs[in->reg] = (uint32_t)insn_ea(cpu, in); }

static X86Handler sel_lea(X86Insn *in, bool w)
{
    /* The segment does not matter to lea: only the address form. */
    X86Insn t = *in;
    t.seg = R_DS;
    int f = x86_ea_form(&t);
    if (f == EA_BD || f == EA_BISD || f == EA_ISD) {
        in->seq = X86_FLOW_PURE;          /* registers only (the RIP form reads env->rip) */
    }
    if (w) {
        return f == EA_BD ? fast_lea64_bd : f == EA_BISD ? fast_lea64_bisd
               : f == EA_ISD ? fast_lea64_isd : f == EA_RIP ? fast_lea64_rip : fast_lea64;
    }
    return f == EA_BD ? fast_lea32_bd : f == EA_BISD ? fast_lea32_bisd
           : f == EA_ISD ? fast_lea32_isd : fast_lea32;
}

/* FF /0, FF /1 on a register: inc/dec keep CF. */
#define INCDEC(name, size) \
    HANDLER(name) \
    { \
        CPUX86State *env = &cpu->env; \
        uint32_t cf = (uint32_t)fast_cf(env); \
        uint64_t m = x86_mask(size), a = env->regs[in->rm] & m; \
        bool dec = in->reg & 1; \
        uint64_t r = dec ? a - 1 : a + 1; \
        set_cc(env, dec ? CC_OP_DEC : CC_OP_INC, size, a, 1, r); \
        env->eflags = (env->eflags & ~(uint64_t)X86_CF) | cf; \
        env->regs[in->rm] = r & m; \
    }
INCDEC(fast_incdec64, 8)
INCDEC(fast_incdec32, 4)
HANDLER(nf_incdec64) { cpu->env.regs[in->rm] += (in->reg & 1) ? -1ull : 1; }
HANDLER(nf_incdec32)
{
    cpu->env.regs[in->rm] = (uint32_t)(cpu->env.regs[in->rm] + ((in->reg & 1) ? -1ull : 1));
}

/* F6/F7 /0 /1 on a register: test r, imm (any size, AH..BH included). */
HANDLER(fast_test_ri)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize;
    set_cc(env, CC_OP_LOGIC, size, 0, 0,
           reg_read(env, in, in->rm, size) & in->imm & x86_mask(size));
}
HANDLER(fast_test_ri8)
{
    set_cc(&cpu->env, CC_OP_LOGIC, 1, 0, 0, (uint8_t)(cpu->env.regs[in->rm] & in->imm));
}

/* 6B/69: imul r, r/m, imm (and 0F AF imul r, r/m) with 64/32-bit operands; lazy flags. */
static inline void imul64(CPUX86State *env, int r, uint64_t a, uint64_t b)
{
    int64_t p;
    bool ovf = __builtin_mul_overflow((int64_t)a, (int64_t)b, &p);
    set_cc(env, CC_OP_IMUL, 8, 0, ovf, (uint64_t)p);
    env->regs[r] = (uint64_t)p;
}

static inline void imul32(CPUX86State *env, int r, uint64_t a, uint64_t b)
{
    int32_t p;
    bool ovf = __builtin_mul_overflow((int32_t)a, (int32_t)b, &p);
    set_cc(env, CC_OP_IMUL, 4, 0, ovf, (uint32_t)p);
    env->regs[r] = (uint32_t)p;
}

HANDLER(fast_imul_imm64) { imul64(&cpu->env, in->reg, load_rm(cpu, in, 8), in->imm); }
HANDLER(fast_imul_imm32) { imul32(&cpu->env, in->reg, load_rm(cpu, in, 4), in->imm); }
HANDLER(fast_imul_rm64) { imul64(&cpu->env, in->reg, cpu->env.regs[in->reg], load_rm(cpu, in, 8)); }
HANDLER(fast_imul_rm32) { imul32(&cpu->env, in->reg, cpu->env.regs[in->reg], load_rm(cpu, in, 4)); }
HANDLER(fast_imul_rr64)
{
    imul64(&cpu->env, in->reg, cpu->env.regs[in->reg], cpu->env.regs[in->rm]);
}
HANDLER(fast_imul_rr32)
{
    imul32(&cpu->env, in->reg, cpu->env.regs[in->reg], cpu->env.regs[in->rm]);
}
HANDLER(fast_imul_rri64) { imul64(&cpu->env, in->reg, cpu->env.regs[in->rm], in->imm); }
HANDLER(fast_imul_rri32) { imul32(&cpu->env, in->reg, cpu->env.regs[in->rm], in->imm); }
/* Without the flags (fn_run): the low half is the same for signed and unsigned products. */
HANDLER(nf_imul_rr64) { cpu->env.regs[in->reg] *= cpu->env.regs[in->rm]; }
HANDLER(nf_imul_rr32)
{
    uint32_t a = (uint32_t)cpu->env.regs[in->reg], b = (uint32_t)cpu->env.regs[in->rm];
    cpu->env.regs[in->reg] = (uint32_t)(a * b);
}
HANDLER(nf_imul_rri64) { cpu->env.regs[in->reg] = cpu->env.regs[in->rm] * in->imm; }
HANDLER(nf_imul_rri32)
{
    cpu->env.regs[in->reg] = (uint32_t)((uint32_t)cpu->env.regs[in->rm] * (uint32_t)in->imm);
}

/* F7 /2 /3 on a register: not, neg. */
HANDLER(fast_not64) { cpu->env.regs[in->rm] = ~cpu->env.regs[in->rm]; }
HANDLER(fast_not32) { cpu->env.regs[in->rm] = (uint32_t)~cpu->env.regs[in->rm]; }
HANDLER(fast_neg64)
{
    CPUX86State *env = &cpu->env;
    uint64_t a = env->regs[in->rm], r = 0 - a;
    set_cc(env, CC_OP_SUB, 8, 0, a, r);
    env->regs[in->rm] = r;
}
HANDLER(fast_neg32)
{
    CPUX86State *env = &cpu->env;
    uint64_t a = (uint32_t)env->regs[in->rm], r = (uint32_t)(0 - a);
    set_cc(env, CC_OP_SUB, 4, 0, a, r);
    env->regs[in->rm] = r;
}
HANDLER(nf_neg64) { cpu->env.regs[in->rm] = 0 - cpu->env.regs[in->rm]; }
HANDLER(nf_neg32) { cpu->env.regs[in->rm] = (uint32_t)(0 - cpu->env.regs[in->rm]); }
HANDLER(nf_nop) { (void)cpu; (void)in; }

/* 64-bit mode branches: no target masking. */
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

/* FF /2 /4 /6 with a 64-bit operand: call, jmp and push r/m64 (the target or value is read
   first: a fault leaves RSP alone). */
HANDLER(fast_call_rm64)
{
    CPUX86State *env = &cpu->env;
    uint64_t t = load_rm(cpu, in, 8), sp = env->regs[R_ESP] - 8;
    x86_st(cpu, sp, 8, cpu->next_rip);
    env->regs[R_ESP] = sp;
    cpu->next_rip = t;
}
HANDLER(fast_jmp_rm64) { cpu->next_rip = load_rm(cpu, in, 8); }
HANDLER(fast_push_rm64)
{
    CPUX86State *env = &cpu->env;
    uint64_t v = load_rm(cpu, in, 8), sp = env->regs[R_ESP] - 8;
    x86_st(cpu, sp, 8, v);
    env->regs[R_ESP] = sp;
}

HANDLER(fast_push64) { CPUX86State *env = &cpu->env; uint64_t sp = env->regs[R_ESP] - 8;
    x86_st(cpu, sp, 8, env->regs[(in->opc & 7) | ((in->rex & 1) << 3)]); env->regs[R_ESP] = sp; }
HANDLER(fast_pop64) { CPUX86State *env = &cpu->env; uint64_t sp = env->regs[R_ESP];
    uint64_t v = x86_ld(cpu, sp, 8); env->regs[R_ESP] = sp + 8;
    env->regs[(in->opc & 7) | ((in->rex & 1) << 3)] = v; }

static X86Handler fast_mov(X86Insn *in, int opc, bool w, bool d)
{
    int f = in->mod == 3 ? EA_GEN : x86_ea_form(in);
    switch (opc) {
    case 0x8b:
        if (in->mod == 3) {
            return pure(in, w ? fast_mov_rr64r : d ? fast_mov_rr32r : NULL);
        }
        return w ? mem_sel(in, mov_load64, f) : d ? mem_sel(in, mov_load32, f) : NULL;
    case 0x89:
        if (in->mod == 3) {
            return pure(in, w ? fast_mov_rr64 : d ? fast_mov_rr32 : NULL);
        }
        return w ? mem_sel(in, mov_store64, f) : d ? mem_sel(in, mov_store32, f) : NULL;
    case 0x8a: return in->mod != 3 ? mem_sel(in, mov_load8, f) : NULL;
    case 0x88: return in->mod != 3 ? mem_sel(in, mov_store8, f) : NULL;
    case 0xc6:
        return (in->reg & 7) == 0 && in->mod != 3 ? mem_sel(in, mov_mi8, f) : NULL;
    case 0xc7:
        if ((in->reg & 7) != 0) {
            return NULL;
        }
        if (in->mod == 3) {
            return pure(in, w ? fast_mov_ri64 : d ? fast_mov_ri32 : NULL);
        }
        return w ? mem_sel(in, mov_mi64, f) : d ? mem_sel(in, mov_mi32, f) : NULL;
    case 0xb8 ... 0xbf: return pure(in, d ? fast_mov_imm32 : w ? fast_mov_imm64 : NULL);
    case 0x8d: return in->mod == 3 || !(w || d) ? NULL : sel_lea(in, w);
    default: return NULL;
    }
}

/* 64-bit mode only (no masking of RIP/RSP, flat DS/SS); NULL keeps the generic handler. */
static X86Handler fast64(X86Insn *in)
{
    int opc = in->opc, sz = in->opsize;
    bool w = sz == 8, d = sz == 4;
    X86Handler f = fast_mov(in, opc, w, d);
    if (f) {
        return f;
    }
    switch (opc) {
    case 0xe9: case 0xeb: return fast_jmp64;
    case 0xe8: return fast_call64;
    case 0xc3: return w ? fast_ret64 : NULL;
    case 0x50 ... 0x57: return w ? fast_push64 : NULL;
    case 0x58 ... 0x5f: return w ? fast_pop64 : NULL;
    case 0xff:
        if (in->mod == 3 && (in->reg & 7) <= 1) {
            return pure_fl(in, w ? fast_incdec64 : d ? fast_incdec32 : NULL,
                           w ? nf_incdec64 : nf_incdec32, X86_FL_C, X86_FL_ALL & ~X86_FL_C);
        }
        switch (in->reg & 7) {
        case 2: return fast_call_rm64;
        case 4: return fast_jmp_rm64;
        case 6: return (in->pfx & PFX_66) && !(in->rex & 8) ? NULL : fast_push_rm64;
        case 0: case 1: return x86_fast_alu(in);      /* inc/dec [mem] */
        default: return NULL;
        }
    case 0xf6: case 0xf7:
        if (in->mod == 3 && (in->reg & 7) <= 1 && sz < 4) {   /* 32/64: exec-fast-alu.c */
            bool low = (in->pfx & PFX_REX) || in->rm < 4 || in->rm >= 8;
            return pure_fl(in, sz == 1 && low ? fast_test_ri8 : fast_test_ri, nf_nop, 0,
                           X86_FL_ALL);
        }
        if (in->mod == 3 && ((in->reg & 7) == 2 || (in->reg & 7) == 3) && !(in->pfx & PFX_LOCK)) {
            bool neg = (in->reg & 7) == 3;
            if (!neg) {
                return pure(in, w ? fast_not64 : d ? fast_not32 : NULL);
            }
            return pure_fl(in, w ? fast_neg64 : d ? fast_neg32 : NULL, w ? nf_neg64 : nf_neg32,
                           0, X86_FL_ALL);
        }
        break;
    case 0x69: case 0x6b:
        if (in->mod == 3) {
            return pure_fl(in, w ? fast_imul_rri64 : d ? fast_imul_rri32 : NULL,
                           w ? nf_imul_rri64 : nf_imul_rri32, 0, X86_FL_ALL);
        }
        return w ? fast_imul_imm64 : d ? fast_imul_imm32 : NULL;
    case 0x1af:
        if (in->mod == 3) {
            return pure_fl(in, w ? fast_imul_rr64 : d ? fast_imul_rr32 : NULL,
                           w ? nf_imul_rr64 : nf_imul_rr32, 0, X86_FL_ALL);
        }
        return w ? fast_imul_rm64 : d ? fast_imul_rm32 : NULL;
    default:
        break;
    }
    return x86_fast_alu(in);
}

/*
 * Generic handlers that never branch (leave next_rip alone), never change the mode, CPL or
 * TLB and set exit_request only through devices: chains run them without those checks.
 */
static bool generic_seq(const X86Insn *in)
{
    X86Handler f = in->fn;
    int r = in->reg & 7;
    if (f == op_flagop) {
        return in->opc != 0xfa && in->opc != 0xfb;      /* not cli/sti */
    }
    if (f == op_grp5) {
        return r <= 1 || r == 6;                         /* inc, dec, push */
    }
    return f == op_alu || f == op_grp1 || f == op_test || f == op_incdec_r ||
           f == op_grp3 || f == op_grp4 || f == op_grp2 || f == op_shld || f == op_shrd ||
           f == op_imul_rm_imm || f == op_imul_r_rm || f == op_bt_r || f == op_bt_imm ||
           f == op_bsf || f == op_bsr || f == op_popcnt || f == op_movzx || f == op_movsx ||
           f == op_movsxd || f == op_lea || f == op_xchg || f == op_xchg_ax ||
           f == op_cmpxchg || f == op_xadd || f == op_grp9 || f == op_bswap ||
           f == op_setcc || f == op_cmovcc || f == op_cbw || f == op_cwd || f == op_lahf ||
           f == op_sahf || f == op_mov_rm_r || f == op_mov_r_rm || f == op_mov_rm_imm ||
           f == op_mov_r_imm || f == op_mov_moffs || f == op_xlat || f == op_push_r ||
           f == op_pop_r || f == op_push_imm || f == op_pop_rm || f == op_nop;
}

static bool fast_is_branch(X86Handler f)
{
    return f == fast_jmp64 || f == fast_call64 || f == fast_ret64 || f == fast_call_rm64 ||
           f == fast_jmp_rm64;
}

X86Handler x86_fast_handler(X86Insn *in, int code_size)
{
    in->seq = X86_FLOW_CTRL;
    X86Handler f = code_size == 8 ? fast64(in) : NULL;
    bool jcc = (in->opc >= 0x70 && in->opc <= 0x7f) || (in->opc >= 0x180 && in->opc <= 0x18f);
    if (!f) {
        in->seq = generic_seq(in) ? X86_FLOW_SEQ : X86_FLOW_CTRL;
        in->fn_run = in->fn;
        return in->fn;
    }
    if (fast_is_branch(f) || jcc) {
        in->seq = X86_FLOW_CTRL;
    } else if (in->seq == X86_FLOW_CTRL) {
        in->seq = X86_FLOW_SEQ;             /* unless the selector made it PURE or MEM */
    }
    in->run = in->seq >= X86_FLOW_PURE;     /* a run of one until the decode cache links more */
    if (in->seq != X86_FLOW_PURE || !in->fn_run) {
        in->fn_run = f;                     /* only PURE ones may have a flagless variant */
    }
    return f;
}
