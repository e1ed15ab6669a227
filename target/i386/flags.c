/* Lazy RFLAGS: compute the arithmetic flags from the last ALU op's operands only when they are read. */
#include "target/i386/internal.h"

static uint32_t szp(uint64_t res, int size)
{
    uint64_t m = x86_mask(size);
    uint64_t sign = 1ull << (size * 8 - 1);
    res &= m;
    return (res == 0 ? X86_ZF : 0) | ((res & sign) ? X86_SF : 0) | x86_parity(res);
}

/* CF of a lazy shift (count 1..63, operand already masked to its size). */
static uint32_t shift_cf(int op, int size, uint64_t a, unsigned c)
{
    int bits = size * 8;
    switch (op) {
    case CC_OP_SHL: return c > (unsigned)bits ? 0 : (uint32_t)(a >> (bits - c)) & 1;
    case CC_OP_SHR: return (uint32_t)(a >> (c - 1)) & 1;
    default: return (uint32_t)((int64_t)x86_sext(a, size) >> (c - 1)) & 1;     /* SAR */
    }
}

/* The operands of a lazy op (CC_OP_ROT keeps the one under it in place). */
typedef struct LazyCC {
    uint32_t op;
    int size;
    uint64_t a, b, r, eflags;
} LazyCC;

static LazyCC lazy_of(const CPUX86State *env)
{
    LazyCC l = { env->cc_op == CC_OP_ROT ? env->cc_rot_prev : env->cc_op, (int)env->cc_size,
                 env->cc_src1, env->cc_src2, env->cc_dst, env->eflags };
    return l;
}

static uint32_t lazy_cf(const LazyCC *l)
{
    uint64_t m = x86_mask(l->size);
    uint64_t a = l->a & m, b = l->b & m, r = l->r & m;
    switch (l->op) {
    case CC_OP_ADD: return r < a;
    case CC_OP_ADC: return ((r - a - b) & m) ? r <= a : r < a;
    case CC_OP_SUB: return a < b;
    case CC_OP_SBB: return ((a - b - r) & m) ? a <= b : a < b;
    case CC_OP_LOGIC: return 0;
    case CC_OP_SHL: case CC_OP_SHR: case CC_OP_SAR:
        return shift_cf((int)l->op, l->size, a, (unsigned)l->b);
    case CC_OP_IMUL: return l->b != 0;
    default: return l->eflags & X86_CF;
    }
}

uint32_t x86_get_cf(const CPUX86State *env)
{
    if (env->cc_op == CC_OP_ROT) {
        return env->cc_rot & X86_CF;
    }
    LazyCC l = lazy_of(env);
    return lazy_cf(&l);
}

/* Shift flags (numbat's choice for the undefined ones, as exec-shift.c: AF clear; OF as for a
   count of 1 whatever the count). */
static uint32_t shift_flags(const LazyCC *l)
{
    int bits = l->size * 8;
    uint32_t cf = lazy_cf(l), of;
    switch (l->op) {
    case CC_OP_SHL: of = (uint32_t)((l->r >> (bits - 1)) & 1) ^ cf; break;
    case CC_OP_SHR: of = (uint32_t)(l->a >> (bits - 1)) & 1; break;
    default: of = 0; break;
    }
    return szp(l->r, l->size) | cf | (of ? X86_OF : 0);
}

static uint32_t lazy_flags(const LazyCC *l)
{
    int size = l->size;
    uint64_t a = l->a, b = l->b, r = l->r;
    uint64_t sign = 1ull << (size * 8 - 1);
    uint32_t f;
    switch (l->op) {
    case CC_OP_EFLAGS:
        return l->eflags & X86_ARITH_FLAGS;
    case CC_OP_ADD: case CC_OP_ADC: case CC_OP_INC:
        f = szp(r, size) | ((a ^ b ^ r) & X86_AF);
        f |= (((a ^ r) & (b ^ r)) & sign) ? X86_OF : 0;
        break;
    case CC_OP_SUB: case CC_OP_SBB: case CC_OP_DEC:
        f = szp(r, size) | ((a ^ b ^ r) & X86_AF);
        f |= (((a ^ b) & (a ^ r)) & sign) ? X86_OF : 0;
        break;
    case CC_OP_SHL: case CC_OP_SHR: case CC_OP_SAR:
        return shift_flags(l);
    case CC_OP_IMUL:
        /* SF, ZF and PF from the result (numbat's choice: the manuals leave them undefined) */
        return szp(r, size) | (b ? X86_CF | X86_OF : 0);
    default: /* CC_OP_LOGIC */
        return szp(r, size);
    }
    return f | lazy_cf(l);
}

/* The arithmetic flags implied by the lazy state (all six bits). */
uint32_t x86_compute_flags(const CPUX86State *env)
{
    LazyCC l = lazy_of(env);
    uint32_t f = lazy_flags(&l);
    if (env->cc_op == CC_OP_ROT) {
        f = (f & ~(uint32_t)(X86_CF | X86_OF)) | env->cc_rot;
    }
    return f;
}

uint64_t x86_get_eflags(CPUX86State *env)
{
    if (env->cc_op != CC_OP_EFLAGS) {
        env->eflags = (env->eflags & ~(uint64_t)X86_ARITH_FLAGS) | x86_compute_flags(env);
        env->cc_op = CC_OP_EFLAGS;
    }
    return env->eflags | 2;
}

void x86_set_eflags(CPUX86State *env, uint64_t val)
{
    env->eflags = (val & 0x3f7fd7) | 2;
    env->cc_op = CC_OP_EFLAGS;
}

/* Evaluate condition code cc (the low nibble of Jcc/SETcc/CMOVcc). */
bool x86_cond(CPUX86State *env, int cc)
{
    bool r;
    if (env->cc_op == CC_OP_SUB && (cc & 0xe) != 0 && (cc & 0xe) != 0xa) {
        /* Fast path for cmp + jcc: compare the operands directly. */
        int sh = 64 - env->cc_size * 8;
        uint64_t a = env->cc_src1 << sh, b = env->cc_src2 << sh;
        switch (cc & 0xe) {
        case 0x2: r = a < b; break;
        case 0x4: r = a == b; break;
        case 0x6: r = a <= b; break;
        case 0x8: r = (int64_t)(a - b) < 0; break;
        case 0xc: r = (int64_t)a < (int64_t)b; break;
        default:  r = (int64_t)a <= (int64_t)b; break;
        }
        return r ^ (cc & 1);
    }
    uint32_t f = env->cc_op == CC_OP_EFLAGS ? (uint32_t)env->eflags : x86_compute_flags(env);
    switch (cc & 0xe) {
    case 0x0: r = f & X86_OF; break;
    case 0x2: r = f & X86_CF; break;
    case 0x4: r = f & X86_ZF; break;
    case 0x6: r = f & (X86_CF | X86_ZF); break;
    case 0x8: r = f & X86_SF; break;
    case 0xa: r = f & X86_PF; break;
    case 0xc: r = !(f & X86_SF) != !(f & X86_OF); break;
    default:  r = (f & X86_ZF) || (!(f & X86_SF) != !(f & X86_OF)); break;
    }
    return r ^ (cc & 1);
}
