/*
 * Decode-time specialisations of the hot integer forms in 64-bit mode: ALU, adc/sbb, shifts
 * and rotates by a constant, movzx/movsx/movsxd, setcc/cmovcc/jcc per condition.  Chosen by
 * x86_fast_alu() (called from exec-fast.c); each behaves exactly like the generic handler
 * for the forms it is chosen for, flags included (tests/i386/test-i386-diff.c runs them).
 * The selector normalises X86Insn fields for its handler (destination register in rm,
 * masked shift count in imm...), which only the chosen handler reads.
 */
#include "target/i386/exec.h"

#define INLINE static inline __attribute__((always_inline))

/* ---- conditions: cc is a constant in every caller, so each folds to a few instructions ---- */

/* Condition cc from the arithmetic flags in f. */
INLINE bool cond_of_flags(uint32_t f, int cc)
{
    bool sf = (f & X86_SF) != 0, of = (f & X86_OF) != 0, r;
    switch (cc & 0xe) {
    case 0x0: r = of; break;
    case 0x2: r = f & X86_CF; break;
    case 0x4: r = f & X86_ZF; break;
    case 0x6: r = f & (X86_CF | X86_ZF); break;
    case 0x8: r = sf; break;
    case 0xa: r = f & X86_PF; break;
    case 0xc: r = sf != of; break;
    default: r = (f & X86_ZF) || sf != of; break;
    }
    return r ^ (cc & 1);
}

/*
 * ZF, SF and PF come from the result after every lazy op; CF and OF are worked out here for
 * the common ones (sub/cmp, add, logic) on operands shifted to the top of 64 bits (sh is a
 * constant: 0 for 64-bit ops, 32 for 32-bit ones), anything else goes through x86_cond.
 */
INLINE bool cond_lazy(CPUX86State *env, uint32_t op, int cc, const int sh)
{
    uint64_t R = env->cc_dst << sh;
    bool r;
    switch (cc & 0xe) {
    case 0x4: return (R == 0) ^ (cc & 1);
    case 0x8: return ((int64_t)R < 0) ^ (cc & 1);
    case 0xa: return x86_cond(env, cc);
    default: break;
    }
    uint64_t A = env->cc_src1 << sh, B = env->cc_src2 << sh;
    bool cf, of;
    if (op == CC_OP_SUB) {
        cf = A < B;
        of = (int64_t)((A ^ B) & (A ^ R)) < 0;
    } else if (op == CC_OP_ADD) {
        cf = R < A;
        of = (int64_t)((A ^ R) & (B ^ R)) < 0;
    } else if (op == CC_OP_LOGIC) {
        cf = of = false;
    } else {
        return x86_cond(env, cc);
    }
    bool sf = (int64_t)R < 0;
    switch (cc & 0xe) {
    case 0x0: r = of; break;
    case 0x2: r = cf; break;
    case 0x6: r = cf || R == 0; break;
    case 0xc: r = sf != of; break;
    default: r = R == 0 || sf != of; break;
    }
    return r ^ (cc & 1);
}

INLINE bool cond_inline(CPUX86State *env, int cc)
{
    uint32_t op = env->cc_op;
    if (op == CC_OP_EFLAGS) {
        return cond_of_flags((uint32_t)env->eflags, cc);
    }
    if (op == CC_OP_ROT) {
        return x86_cond(env, cc);
    }
    switch (env->cc_size) {
    case 8: return cond_lazy(env, op, cc, 0);
    case 4: return cond_lazy(env, op, cc, 32);
    case 2: return cond_lazy(env, op, cc, 48);
    default: return cond_lazy(env, op, cc, 56);
    }
}

/* Logic ops need only the result for their flags. */
INLINE void set_cc_logic(CPUX86State *env, int size, uint64_t r)
{
    env->cc_op = CC_OP_LOGIC;
    env->cc_size = size;
    env->cc_dst = r;
}

/* ---- ALU on registers: rm is the destination (the selector swaps reg/rm for 03/0B...) ---- */

#define ALU_R(name, T, SZ, SRC, EXPR, CC, WB)                                          \
    HANDLER(name)                                                                      \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        uint64_t a = (T)env->regs[in->rm], b = (SRC), r = (EXPR);                      \
        if ((CC) == CC_OP_LOGIC) {                                                     \
            set_cc_logic(env, SZ, r);                                                  \
        } else {                                                                       \
            set_cc(env, CC, SZ, a, b, r);                                              \
        }                                                                              \
        if (WB) {                                                                      \
            env->regs[in->rm] = (T)r;                                                  \
        }                                                                              \
    }

#define ALU_SET(sfx, T, SZ, SRC)                                                       \
    ALU_R(fast_add_##sfx, T, SZ, SRC, a + b, CC_OP_ADD, 1)                              \
    ALU_R(fast_or_##sfx, T, SZ, SRC, a | b, CC_OP_LOGIC, 1)                             \
    ALU_R(fast_adc_##sfx, T, SZ, SRC, a + b + fast_cf(env), CC_OP_ADC, 1)             \
    ALU_R(fast_sbb_##sfx, T, SZ, SRC, a - b - fast_cf(env), CC_OP_SBB, 1)             \
    ALU_R(fast_and_##sfx, T, SZ, SRC, a & b, CC_OP_LOGIC, 1)                            \
    ALU_R(fast_sub_##sfx, T, SZ, SRC, a - b, CC_OP_SUB, 1)                              \
    ALU_R(fast_xor_##sfx, T, SZ, SRC, a ^ b, CC_OP_LOGIC, 1)                            \
    ALU_R(fast_cmp_##sfx, T, SZ, SRC, a - b, CC_OP_SUB, 0)                              \
    ALU_R(fast_test_##sfx, T, SZ, SRC, a & b, CC_OP_LOGIC, 0)

ALU_SET(rr64, uint64_t, 8, env->regs[in->reg])
ALU_SET(rr32, uint32_t, 4, (uint32_t)env->regs[in->reg])
ALU_SET(ri64, uint64_t, 8, in->imm)
ALU_SET(ri32, uint32_t, 4, (uint32_t)in->imm)

#define ALU_TABLE(sfx) { fast_add_##sfx, fast_or_##sfx, fast_adc_##sfx, fast_sbb_##sfx,    \
                         fast_and_##sfx, fast_sub_##sfx, fast_xor_##sfx, fast_cmp_##sfx,    \
                         fast_test_##sfx }
static const X86Handler alu_rr[2][9] = { ALU_TABLE(rr32), ALU_TABLE(rr64) };
static const X86Handler alu_ri[2][9] = { ALU_TABLE(ri32), ALU_TABLE(ri64) };

HANDLER(fast_nop) { (void)cpu; (void)in; }

/* The same without the flag update (X86Insn.fn_run, where the flags are dead). */
#define ALU_NF(name, T, SRC, EXPR)                                                     \
    HANDLER(name)                                                                      \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        uint64_t a = (T)env->regs[in->rm], b = (SRC);                                  \
        env->regs[in->rm] = (T)(EXPR);                                                 \
    }
#define ALU_NF_SET(sfx, T, SRC)                                                        \
    ALU_NF(nf_add_##sfx, T, SRC, a + b)                                                 \
    ALU_NF(nf_or_##sfx, T, SRC, a | b)                                                  \
    ALU_NF(nf_adc_##sfx, T, SRC, a + b + fast_cf(env))                                  \
    ALU_NF(nf_sbb_##sfx, T, SRC, a - b - fast_cf(env))                                  \
    ALU_NF(nf_and_##sfx, T, SRC, a & b)                                                 \
    ALU_NF(nf_sub_##sfx, T, SRC, a - b)                                                 \
    ALU_NF(nf_xor_##sfx, T, SRC, a ^ b)
ALU_NF_SET(rr64, uint64_t, env->regs[in->reg])
ALU_NF_SET(rr32, uint32_t, (uint32_t)env->regs[in->reg])
ALU_NF_SET(ri64, uint64_t, in->imm)
ALU_NF_SET(ri32, uint32_t, (uint32_t)in->imm)
#define ALU_NF_TABLE(sfx) { nf_add_##sfx, nf_or_##sfx, nf_adc_##sfx, nf_sbb_##sfx,           \
                            nf_and_##sfx, nf_sub_##sfx, nf_xor_##sfx, fast_nop, fast_nop }
static const X86Handler alu_rr_nf[2][9] = { ALU_NF_TABLE(rr32), ALU_NF_TABLE(rr64) };
static const X86Handler alu_ri_nf[2][9] = { ALU_NF_TABLE(ri32), ALU_NF_TABLE(ri64) };

/* A register ALU op as PURE with its flag effects: all six written, CF read by adc/sbb. */
static X86Handler alu_pure(X86Insn *in, bool ri, int w, int op)
{
    return pure_fl(in, (ri ? alu_ri : alu_rr)[w][op], (ri ? alu_ri_nf : alu_rr_nf)[w][op],
                   op == 2 || op == 3 ? X86_FL_C : 0, X86_FL_ALL);
}

/* The same with the source in memory: r op= [mem], cmp r, [mem] (rm = the register). */
#define ALU_M(name, T, SZ, EXPR, CC, WB)                                               \
    MEM_HANDLERS(name,                                                                 \
        uint64_t b = LD(SZ), a = (T)env->regs[in->rm], r = (EXPR);                     \
        if ((CC) == CC_OP_LOGIC) {                                                     \
            set_cc_logic(env, SZ, r);                                                  \
        } else {                                                                       \
            set_cc(env, CC, SZ, a, b, r);                                              \
        }                                                                              \
        if (WB) {                                                                      \
            env->regs[in->rm] = (T)r;                                                  \
        })
#define ALU_M_SET(sfx, T, SZ)                                                          \
    ALU_M(add_##sfx, T, SZ, a + b, CC_OP_ADD, 1)                                        \
    ALU_M(or_##sfx, T, SZ, a | b, CC_OP_LOGIC, 1)                                       \
    ALU_M(adc_##sfx, T, SZ, a + b + fast_cf(env), CC_OP_ADC, 1)                       \
    ALU_M(sbb_##sfx, T, SZ, a - b - fast_cf(env), CC_OP_SBB, 1)                       \
    ALU_M(and_##sfx, T, SZ, a & b, CC_OP_LOGIC, 1)                                      \
    ALU_M(sub_##sfx, T, SZ, a - b, CC_OP_SUB, 1)                                        \
    ALU_M(xor_##sfx, T, SZ, a ^ b, CC_OP_LOGIC, 1)                                      \
    ALU_M(cmp_##sfx, T, SZ, a - b, CC_OP_SUB, 0)
ALU_M_SET(rm64, uint64_t, 8)
ALU_M_SET(rm32, uint32_t, 4)
#define ALU_M_TABLE(sfx) { add_##sfx, or_##sfx, adc_##sfx, sbb_##sfx, and_##sfx, sub_##sfx, \
                           xor_##sfx, cmp_##sfx }
static const X86Handler *const alu_rm[2][8] = { ALU_M_TABLE(rm32), ALU_M_TABLE(rm64) };

/* cmp [mem], r / cmp [mem], imm and test [mem], r / imm: no store. */
#define CMP_M(name, T, SZ, SRC, EXPR, CC)                                              \
    MEM_HANDLERS(name,                                                                 \
        uint64_t a = LD(SZ), b = (SRC), r = (EXPR);                                    \
        if ((CC) == CC_OP_LOGIC) {                                                     \
            set_cc_logic(env, SZ, r);                                                  \
        } else {                                                                       \
            set_cc(env, CC, SZ, a, b, r);                                              \
        })
CMP_M(cmp_mr64, uint64_t, 8, env->regs[in->reg], a - b, CC_OP_SUB)
CMP_M(cmp_mr32, uint32_t, 4, (uint32_t)env->regs[in->reg], a - b, CC_OP_SUB)
CMP_M(cmp_mi64, uint64_t, 8, in->imm, a - b, CC_OP_SUB)
CMP_M(cmp_mi32, uint32_t, 4, (uint32_t)in->imm, a - b, CC_OP_SUB)
CMP_M(cmp_mi8, uint8_t, 1, (uint8_t)in->imm, a - b, CC_OP_SUB)
CMP_M(test_mr64, uint64_t, 8, env->regs[in->reg], a & b, CC_OP_LOGIC)
CMP_M(test_mr32, uint32_t, 4, (uint32_t)env->regs[in->reg], a & b, CC_OP_LOGIC)
CMP_M(test_mi32, uint32_t, 4, (uint32_t)in->imm, a & b, CC_OP_LOGIC)
CMP_M(test_mi8, uint8_t, 1, (uint8_t)in->imm, a & b, CC_OP_LOGIC)

/* Read-modify-write ALU ops on memory: op [mem], reg / imm (01 09 21 29 31, 80/81/83 /0 /1 /4
   /5 /6), inc/dec [mem] (FF /0 /1), also with lock (one vCPU: trivially atomic).  The store
   comes before the flags, as in the generic handlers. */
#define RMW_ALU(name, T, SZ, SRC, EXPR, CC)                                            \
    MEM_HANDLERS(name,                                                                 \
        uint64_t a = RMW_LD(SZ), b = (SRC), r = (EXPR);                                \
        RMW_ST(SZ, r);                                                                 \
        if ((CC) == CC_OP_LOGIC) {                                                     \
            set_cc_logic(env, SZ, (T)r);                                               \
        } else {                                                                       \
            set_cc(env, CC, SZ, a, b, r);                                              \
        })
#define RMW_SET(sfx, T, SZ, SRC)                                                       \
    RMW_ALU(add_##sfx, T, SZ, SRC, a + b, CC_OP_ADD)                                    \
    RMW_ALU(or_##sfx, T, SZ, SRC, a | b, CC_OP_LOGIC)                                   \
    RMW_ALU(and_##sfx, T, SZ, SRC, a & b, CC_OP_LOGIC)                                  \
    RMW_ALU(sub_##sfx, T, SZ, SRC, a - b, CC_OP_SUB)                                    \
    RMW_ALU(xor_##sfx, T, SZ, SRC, a ^ b, CC_OP_LOGIC)
RMW_SET(mr64, uint64_t, 8, env->regs[in->reg])
RMW_SET(mr32, uint32_t, 4, (uint32_t)env->regs[in->reg])
RMW_SET(mi64, uint64_t, 8, in->imm)
RMW_SET(mi32, uint32_t, 4, (uint32_t)in->imm)
RMW_SET(mi8, uint8_t, 1, (uint8_t)in->imm)
#define RMW_TABLE(sfx) { add_##sfx, or_##sfx, NULL, NULL, and_##sfx, sub_##sfx, xor_##sfx, NULL }
static const X86Handler *const rmw_mr[2][8] = { RMW_TABLE(mr32), RMW_TABLE(mr64) };
static const X86Handler *const rmw_mi[3][8] = { RMW_TABLE(mi32), RMW_TABLE(mi64), RMW_TABLE(mi8) };

#define RMW_INCDEC(name, T, SZ, DEC)                                                   \
    MEM_HANDLERS(name,                                                                 \
        uint64_t a = RMW_LD(SZ), r = (T)(DEC ? a - 1 : a + 1), cf = fast_cf(env);      \
        RMW_ST(SZ, r);                                                                 \
        set_cc(env, DEC ? CC_OP_DEC : CC_OP_INC, SZ, a, 1, r);                         \
        env->eflags = (env->eflags & ~(uint64_t)X86_CF) | cf;)
RMW_INCDEC(inc_m64, uint64_t, 8, 0)
RMW_INCDEC(dec_m64, uint64_t, 8, 1)
RMW_INCDEC(inc_m32, uint32_t, 4, 0)
RMW_INCDEC(dec_m32, uint32_t, 4, 1)

/* Byte compares and tests on low byte registers (the selector leaves AH..BH to the generic
   handlers; rm is the first operand, reg or imm the second). */
HANDLER(fast_cmp_rr8)
{
    CPUX86State *env = &cpu->env;
    uint64_t a = (uint8_t)env->regs[in->rm], b = (uint8_t)env->regs[in->reg];
    set_cc(env, CC_OP_SUB, 1, a, b, a - b);
}
HANDLER(fast_cmp_ri8)
{
    CPUX86State *env = &cpu->env;
    uint64_t a = (uint8_t)env->regs[in->rm], b = (uint8_t)in->imm;
    set_cc(env, CC_OP_SUB, 1, a, b, a - b);
}
HANDLER(fast_test_rr8)
{
    set_cc_logic(&cpu->env, 1, (uint8_t)(cpu->env.regs[in->rm] & cpu->env.regs[in->reg]));
}
HANDLER(fast_test_ri8b) { set_cc_logic(&cpu->env, 1, (uint8_t)(cpu->env.regs[in->rm] & in->imm)); }
CMP_M(cmp_mr8, uint8_t, 1, (uint8_t)env->regs[in->reg], a - b, CC_OP_SUB)
CMP_M(test_mr8, uint8_t, 1, (uint8_t)env->regs[in->reg], a & b, CC_OP_LOGIC)
/* 3A with memory: cmp r8, [mem]. */
MEM_HANDLERS(cmp_rm8,
    uint64_t b = LD(1), a = (uint8_t)env->regs[in->reg];
    set_cc(env, CC_OP_SUB, 1, a, b, a - b);)

/* ---- shifts and rotates on registers; the count (imm) is masked and non-zero ---- */

#define SHIFT(name, T, ST, SZ, EXPR, CC)                                               \
    HANDLER(name)                                                                      \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        unsigned c = (unsigned)in->imm;                                                \
        uint64_t a = (T)env->regs[in->rm], r = (T)(EXPR);                              \
        env->regs[in->rm] = r;                                                         \
        set_cc(env, CC, SZ, a, c, r);                                                  \
    }
SHIFT(fast_shl_ri64, uint64_t, int64_t, 8, a << c, CC_OP_SHL)
SHIFT(fast_shr_ri64, uint64_t, int64_t, 8, a >> c, CC_OP_SHR)
SHIFT(fast_sar_ri64, uint64_t, int64_t, 8, (int64_t)a >> c, CC_OP_SAR)
SHIFT(fast_shl_ri32, uint32_t, int32_t, 4, a << c, CC_OP_SHL)
SHIFT(fast_shr_ri32, uint32_t, int32_t, 4, a >> c, CC_OP_SHR)
SHIFT(fast_sar_ri32, uint32_t, int32_t, 4, (int32_t)a >> c, CC_OP_SAR)
#define SHIFT_NF(name, T, EXPR)                                                        \
    HANDLER(name)                                                                      \
    {                                                                                  \
        unsigned c = (unsigned)in->imm;                                                \
        uint64_t a = (T)cpu->env.regs[in->rm];                                         \
        cpu->env.regs[in->rm] = (T)(EXPR);                                             \
    }
SHIFT_NF(nf_shl_ri64, uint64_t, a << c)
SHIFT_NF(nf_shr_ri64, uint64_t, a >> c)
SHIFT_NF(nf_sar_ri64, uint64_t, (int64_t)a >> c)
SHIFT_NF(nf_shl_ri32, uint32_t, a << c)
SHIFT_NF(nf_shr_ri32, uint32_t, a >> c)
SHIFT_NF(nf_sar_ri32, uint32_t, (int32_t)a >> c)
SHIFT_NF(nf_rol_ri64, uint64_t, (a << c) | (a >> (64 - c)))
SHIFT_NF(nf_ror_ri64, uint64_t, (a >> c) | (a << (64 - c)))
SHIFT_NF(nf_rol_ri32, uint32_t, (a << c) | (a >> (32 - c)))
SHIFT_NF(nf_ror_ri32, uint32_t, (a >> c) | (a << (32 - c)))

/* By CL: a masked count of zero changes nothing but still zero-extends a 32-bit register. */
#define SHIFT_CL(name, T, SZ, EXPR, CC)                                                \
    HANDLER(name)                                                                      \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        unsigned c = (unsigned)env->regs[R_ECX] & (SZ == 8 ? 63 : 31);                 \
        uint64_t a = (T)env->regs[in->rm];                                             \
        if (c == 0) {                                                                  \
            env->regs[in->rm] = a;                                                     \
            return;                                                                    \
        }                                                                              \
        uint64_t r = (T)(EXPR);                                                        \
        env->regs[in->rm] = r;                                                         \
        set_cc(env, CC, SZ, a, c, r);                                                  \
    }
SHIFT_CL(fast_shl_rc64, uint64_t, 8, a << c, CC_OP_SHL)
SHIFT_CL(fast_shr_rc64, uint64_t, 8, a >> c, CC_OP_SHR)
SHIFT_CL(fast_sar_rc64, uint64_t, 8, (int64_t)a >> c, CC_OP_SAR)
SHIFT_CL(fast_shl_rc32, uint32_t, 4, a << c, CC_OP_SHL)
SHIFT_CL(fast_shr_rc32, uint32_t, 4, a >> c, CC_OP_SHR)
SHIFT_CL(fast_sar_rc32, uint32_t, 4, (int32_t)a >> c, CC_OP_SAR)

/* rol/ror by a constant: only CF and OF change (OF as for a count of 1, like exec-shift.c);
   the other flags stay those of the op before, left lazy underneath (CC_OP_ROT). */
#define ROT(name, T, BITS, LEFT)                                                       \
    HANDLER(name)                                                                      \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        unsigned c = (unsigned)in->imm;                                                \
        T a = (T)env->regs[in->rm];                                                    \
        T r = LEFT ? (T)((a << c) | (a >> (BITS - c))) : (T)((a >> c) | (a << (BITS - c))); \
        uint64_t msb = r >> (BITS - 1);                                                \
        uint64_t cf = LEFT ? (r & 1) : msb;                                            \
        uint64_t of = LEFT ? (msb ^ cf) : (msb ^ ((r >> (BITS - 2)) & 1));             \
        if (env->cc_op != CC_OP_ROT) {              /* lazy: over the op before */    \
            env->cc_rot_prev = env->cc_op;                                             \
            env->cc_op = CC_OP_ROT;                                                    \
        }                                                                              \
        env->cc_rot = (uint32_t)(cf | (of ? X86_OF : 0));                              \
        env->regs[in->rm] = r;                                                         \
    }
ROT(fast_rol_ri64, uint64_t, 64, 1)
ROT(fast_ror_ri64, uint64_t, 64, 0)
ROT(fast_rol_ri32, uint32_t, 32, 1)
ROT(fast_ror_ri32, uint32_t, 32, 0)

/* Masked count 0 of a 32-bit register shift or rotate: only the zero-extension. */
HANDLER(fast_zext32) { cpu->env.regs[in->rm] = (uint32_t)cpu->env.regs[in->rm]; }

/* ---- movzx / movsx / movsxd (rm already turned into the low register of AH..BH) ---- */

#define EXT_R(name, EXPR)                                                              \
    HANDLER(name)                                                                      \
    {                                                                                  \
        uint64_t v = cpu->env.regs[in->rm];                                            \
        cpu->env.regs[in->reg] = (EXPR);                                               \
    }
EXT_R(fast_movzx_b, (uint8_t)v)
EXT_R(fast_movzx_bh, (uint8_t)(v >> 8))
EXT_R(fast_movzx_w, (uint16_t)v)
EXT_R(fast_movsx_b32, (uint32_t)(int32_t)(int8_t)v)
EXT_R(fast_movsx_bh32, (uint32_t)(int32_t)(int8_t)(v >> 8))
EXT_R(fast_movsx_w32, (uint32_t)(int32_t)(int16_t)v)
EXT_R(fast_movsx_b64, (uint64_t)(int64_t)(int8_t)v)
EXT_R(fast_movsx_bh64, (uint64_t)(int64_t)(int8_t)(v >> 8))
EXT_R(fast_movsx_w64, (uint64_t)(int64_t)(int16_t)v)
EXT_R(fast_movsxd_r, (uint64_t)(int64_t)(int32_t)v)

#define EXT_M(name, SZ, EXPR)                                                          \
    MEM_HANDLERS(name, uint64_t v = LD(SZ); env->regs[in->reg] = (EXPR);)
EXT_M(movzx_mb, 1, v)
EXT_M(movzx_mw, 2, v)
EXT_M(movsx_mb32, 1, (uint32_t)(int32_t)(int8_t)v)
EXT_M(movsx_mw32, 2, (uint32_t)(int32_t)(int16_t)v)
EXT_M(movsx_mb64, 1, (uint64_t)(int64_t)(int8_t)v)
EXT_M(movsx_mw64, 2, (uint64_t)(int64_t)(int16_t)v)
EXT_M(movsxd_m, 4, (uint64_t)(int64_t)(int32_t)v)

/* ---- setcc / cmovcc / jcc, one handler per condition ---- */

#define COND_HANDLERS(cc)                                                              \
    HANDLER(fast_set_##cc)              /* setcc on a low byte register */             \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        env->regs[in->rm] = (env->regs[in->rm] & ~0xffull) | cond_inline(env, cc);     \
    }                                                                                  \
    HANDLER(fast_cmov_rr64_##cc)                                                       \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        if (cond_inline(env, cc)) {                                                    \
            env->regs[in->reg] = env->regs[in->rm];                                    \
        }                                                                              \
    }                                                                                  \
    HANDLER(fast_cmov_rr32_##cc)        /* writes (zero-extends) the destination anyway */ \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        env->regs[in->reg] = (uint32_t)env->regs[cond_inline(env, cc) ? in->rm : in->reg]; \
    }                                                                                  \
    HANDLER(fast_cmov_rm64_##cc)        /* the load happens (and may fault) anyway */  \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        uint64_t v = x86_ld(cpu, insn_lin(cpu, in), 8);                                \
        if (cond_inline(env, cc)) {                                                    \
            env->regs[in->reg] = v;                                                    \
        }                                                                              \
    }                                                                                  \
    HANDLER(fast_cmov_rm32_##cc)                                                       \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        uint64_t v = x86_ld(cpu, insn_lin(cpu, in), 4);                                \
        env->regs[in->reg] = cond_inline(env, cc) ? v : (uint32_t)env->regs[in->reg]; \
    }                                                                                  \
    HANDLER(fast_jcc_##cc)                                                             \
    {                                                                                  \
        if (cond_inline(&cpu->env, cc)) {                                              \
            cpu->next_rip += in->imm;                                                  \
        }                                                                              \
    }

#define CC16(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) \
                X(14) X(15)
CC16(COND_HANDLERS)

#define CC_ROW(p) { p##0, p##1, p##2, p##3, p##4, p##5, p##6, p##7, p##8, p##9, p##10,    \
                    p##11, p##12, p##13, p##14, p##15 }
static const X86Handler set_h[16] = CC_ROW(fast_set_);
static const X86Handler cmov_h[4][16] = { CC_ROW(fast_cmov_rr32_), CC_ROW(fast_cmov_rr64_),
                                          CC_ROW(fast_cmov_rm32_), CC_ROW(fast_cmov_rm64_) };
static const X86Handler jcc_h[16] = CC_ROW(fast_jcc_);

/* ---- selection ---- */

/* Byte register rm as the low byte of a full register: false for AH..BH. */
static bool low_byte_reg(const X86Insn *in, uint8_t r)
{
    return (in->pfx & PFX_REX) || r < 4 || r >= 8;
}

static X86Handler sel_alu(X86Insn *in, int opc, int w)
{
    int op = opc == 0x85 || opc == 0xa9 ? 8 : (opc >> 3) & 7;
    if (opc < 0x40 ? (opc & 7) == 5 : opc == 0xa9) {    /* op eAX, imm32 (no ModRM) */
        in->rm = R_EAX;
        return alu_pure(in, true, w, op);
    }
    if (in->mod != 3) {
        int f = x86_ea_form(in);
        if (opc == 0x39 || opc == 0x85) {
            return mem_sel(in, op == 7 ? (w ? cmp_mr64 : cmp_mr32) : (w ? test_mr64 : test_mr32),
                           f);
        }
        /* G,E with the memory source: op reg, [mem]; the destination is reg. */
        return (opc & 2) && opc != 0x85 ? (in->rm = in->reg, mem_sel(in, alu_rm[w][op], f)) : NULL;
    }
    if ((opc & 2) && opc != 0x85) {             /* G,E: destination is reg: swap */
        uint8_t t = in->rm;
        in->rm = in->reg;
        in->reg = t;
    }
    return alu_pure(in, false, w, op);
}

static X86Handler sel_grp1(X86Insn *in, int w)
{
    int op = in->reg & 7;
    if (in->mod == 3) {
        return alu_pure(in, true, w, op);
    }
    return op == 7 ? mem_sel(in, w ? cmp_mi64 : cmp_mi32, x86_ea_form(in)) : NULL;
}

static X86Handler sel_shift(X86Insn *in, int opc, int w)
{
    static const X86Handler imm[2][8] = {
        { fast_rol_ri32, fast_ror_ri32, NULL, NULL, fast_shl_ri32, fast_shr_ri32,
          fast_shl_ri32, fast_sar_ri32 },
        { fast_rol_ri64, fast_ror_ri64, NULL, NULL, fast_shl_ri64, fast_shr_ri64,
          fast_shl_ri64, fast_sar_ri64 },
    };
    static const X86Handler cl[2][8] = {
        { NULL, NULL, NULL, NULL, fast_shl_rc32, fast_shr_rc32, fast_shl_rc32, fast_sar_rc32 },
        { NULL, NULL, NULL, NULL, fast_shl_rc64, fast_shr_rc64, fast_shl_rc64, fast_sar_rc64 },
    };
    int op = in->reg & 7;
    if (in->mod != 3) {
        return NULL;
    }
    if (opc == 0xd3) {
        /* a count of 0 leaves the flags alone: no flag written for sure, none elided */
        return pure(in, cl[w][op]);
    }
    unsigned c = (opc == 0xd1 ? 1u : (unsigned)in->imm) & (w ? 63 : 31);
    if (!imm[w][op]) {
        return NULL;
    }
    if (c == 0) {
        return pure(in, w ? fast_nop : fast_zext32);
    }
    static const X86Handler imm_nf[2][8] = {
        { nf_rol_ri32, nf_ror_ri32, NULL, NULL, nf_shl_ri32, nf_shr_ri32, nf_shl_ri32,
          nf_sar_ri32 },
        { nf_rol_ri64, nf_ror_ri64, NULL, NULL, nf_shl_ri64, nf_shr_ri64, nf_shl_ri64,
          nf_sar_ri64 },
    };
    in->imm = c;
    return pure_fl(in, imm[w][op], imm_nf[w][op], 0,
                   op < 4 ? X86_FL_C | X86_FL_O : X86_FL_ALL);
}

static X86Handler sel_ext(X86Insn *in, int opc, int sz)
{
    bool sx = opc >= 0x1be, byte = !(opc & 1), w = sz == 8;
    if (in->mod != 3) {
        int f = x86_ea_form(in);
        if (!sx) {
            return mem_sel(in, byte ? movzx_mb : movzx_mw, f);
        }
        return mem_sel(in, byte ? (w ? movsx_mb64 : movsx_mb32) : (w ? movsx_mw64 : movsx_mw32), f);
    }
    in->seq = X86_FLOW_PURE;
    bool hi = byte && !low_byte_reg(in, in->rm);
    if (hi) {
        in->rm -= 4;
    }
    if (!sx) {
        return !byte ? fast_movzx_w : hi ? fast_movzx_bh : fast_movzx_b;
    }
    if (!byte) {
        return w ? fast_movsx_w64 : fast_movsx_w32;
    }
    return hi ? (w ? fast_movsx_bh64 : fast_movsx_bh32) : (w ? fast_movsx_b64 : fast_movsx_b32);
}

/* cmp/test with byte operands: 38, 3A, 3C, 80 /7, 84, A8. */
static X86Handler sel_byte(X86Insn *in, int opc)
{
    bool rm_ok = in->mod != 3 || low_byte_reg(in, in->rm);
    switch (opc) {
    case 0x3c: case 0xa8:                       /* cmp/test al, imm8 */
        in->rm = R_EAX;
        return pure_fl(in, opc == 0x3c ? fast_cmp_ri8 : fast_test_ri8b, fast_nop, 0, X86_FL_ALL);
    case 0x80:
        if ((in->reg & 7) != 7 || !rm_ok) {
            return NULL;
        }
        return in->mod == 3 ? pure_fl(in, fast_cmp_ri8, fast_nop, 0, X86_FL_ALL)
                            : mem_sel(in, cmp_mi8, x86_ea_form(in));
    default:
        break;
    }
    if (!rm_ok || !low_byte_reg(in, in->reg)) {
        return NULL;
    }
    if (in->mod != 3) {
        int f = x86_ea_form(in);
        return mem_sel(in, opc == 0x38 ? cmp_mr8 : opc == 0x3a ? cmp_rm8 : test_mr8, f);
    }
    if (opc == 0x3a) {                          /* cmp reg, rm: make rm the first operand */
        uint8_t t = in->rm;
        in->rm = in->reg;
        in->reg = t;
    }
    return pure_fl(in, opc == 0x84 ? fast_test_rr8 : fast_cmp_rr8, fast_nop, 0, X86_FL_ALL);
}

/* op [mem], reg / imm and inc/dec [mem] (lock allowed). */
static X86Handler sel_rmw(X86Insn *in, int opc, int sz)
{
    int w = sz == 8, f = x86_ea_form(in);
    const X86Handler *t;
    if (in->mod == 3 || (sz < 4 && opc != 0x80)) {
        return NULL;
    }
    switch (opc) {
    case 0xff:
        if ((in->reg & 7) > 1) {
            return NULL;
        }
        t = (in->reg & 1) ? (w ? dec_m64 : dec_m32) : (w ? inc_m64 : inc_m32);
        break;
    case 0x80: case 0x81: case 0x83:
        t = rmw_mi[opc == 0x80 ? 2 : w][in->reg & 7];
        break;
    default:
        t = rmw_mr[w][(opc >> 3) & 7];
        break;
    }
    return t ? mem_sel(in, t, f) : NULL;
}

X86Handler x86_fast_alu(X86Insn *in)
{
    int opc = in->opc, sz = in->opsize, w = sz == 8;
    bool lock = (in->pfx & PFX_LOCK) != 0;
    X86Handler h;
    if (opc < 0x40 && (opc & 7) == 1 && in->mod != 3 && (h = sel_rmw(in, opc, sz))) {
        return h;                                   /* op [mem], reg */
    }
    if (opc < 0x40 && (opc & 7) <= 5 && (opc & 7) != 4 && (opc & 1) && !lock) {
        return sz >= 4 ? sel_alu(in, opc, w) : NULL;
    }
    switch (opc) {
    case 0x85: case 0xa9:
        return sz >= 4 ? sel_alu(in, opc, w) : NULL;
    case 0x81: case 0x83:
        if (in->mod != 3 && (in->reg & 7) != 7) {
            return sel_rmw(in, opc, sz);
        }
        return sz >= 4 && !lock ? sel_grp1(in, w) : NULL;
    case 0xff:
        return sel_rmw(in, opc, sz);
    case 0x80:
        if (in->mod != 3 && (in->reg & 7) != 7) {
            return sel_rmw(in, opc, sz);
        }
        return lock ? NULL : sel_byte(in, opc);
    case 0x38: case 0x3a: case 0x3c: case 0x84: case 0xa8:
        return lock ? NULL : sel_byte(in, opc);
    case 0xf6:
        return (in->reg & 7) <= 1 && in->mod != 3 ? mem_sel(in, test_mi8, x86_ea_form(in)) : NULL;
    case 0xf7:
        if ((in->reg & 7) > 1 || sz < 4) {
            return NULL;
        }
        if (in->mod == 3) {
            return alu_pure(in, true, w, 8);        /* test r, imm */
        }
        return sz == 4 ? mem_sel(in, test_mi32, x86_ea_form(in)) : NULL;
    case 0xc1: case 0xd1: case 0xd3:
        return sz >= 4 ? sel_shift(in, opc, w) : NULL;
    case 0x1b6: case 0x1b7: case 0x1be: case 0x1bf:
        return sz >= 4 ? sel_ext(in, opc, sz) : NULL;
    case 0x63:
        if (!w) {
            return NULL;
        }
        return in->mod == 3 ? pure(in, fast_movsxd_r) : mem_sel(in, movsxd_m, x86_ea_form(in));
    case 0x190 ... 0x19f:
        if (in->mod != 3 || !low_byte_reg(in, in->rm)) {
            return NULL;
        }
        return pure_fl(in, set_h[opc & 15], NULL, cc_fl_reads(opc & 15), 0);
    case 0x140 ... 0x14f:
        if (sz < 4) {
            return NULL;
        }
        if (in->mod == 3) {
            return pure_fl(in, cmov_h[w][opc & 15], NULL, cc_fl_reads(opc & 15), 0);
        }
        return cmov_h[2 + w][opc & 15];
    case 0x70 ... 0x7f: case 0x180 ... 0x18f:
        return jcc_h[opc & 15];
    default:
        return NULL;
    }
}
