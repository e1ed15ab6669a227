/* Lazy RFLAGS: compute the arithmetic flags from the last ALU op's operands only when they are read. */
#include "target/i386/internal.h"

static uint32_t szp(uint64_t res, int size)
{
    uint64_t m = x86_mask(size);
    uint64_t sign = 1ull << (size * 8 - 1);
    res &= m;
    return (res == 0 ? X86_ZF : 0) | ((res & sign) ? X86_SF : 0) | x86_parity(res);
}

uint32_t x86_get_cf(const CPUX86State *env)
{
    uint64_t m = x86_mask(env->cc_size);
    uint64_t a = env->cc_src1 & m, b = env->cc_src2 & m, r = env->cc_dst & m;
    switch (env->cc_op) {
    case CC_OP_ADD: return r < a;
    case CC_OP_ADC: return ((r - a - b) & m) ? r <= a : r < a;
    case CC_OP_SUB: return a < b;
    case CC_OP_SBB: return ((a - b - r) & m) ? a <= b : a < b;
    case CC_OP_LOGIC: return 0;
    default: return env->eflags & X86_CF;
    }
}

/* The arithmetic flags implied by the lazy state (all six bits). */
uint32_t x86_compute_flags(const CPUX86State *env)
{
    int size = env->cc_size;
    uint64_t a = env->cc_src1, b = env->cc_src2, r = env->cc_dst;
    uint64_t sign = 1ull << (size * 8 - 1);
    uint32_t f;
    switch (env->cc_op) {
    case CC_OP_EFLAGS:
        return env->eflags & X86_ARITH_FLAGS;
    case CC_OP_ADD: case CC_OP_ADC: case CC_OP_INC:
        f = szp(r, size) | ((a ^ b ^ r) & X86_AF);
        f |= (((a ^ r) & (b ^ r)) & sign) ? X86_OF : 0;
        break;
    case CC_OP_SUB: case CC_OP_SBB: case CC_OP_DEC:
        f = szp(r, size) | ((a ^ b ^ r) & X86_AF);
        f |= (((a ^ b) & (a ^ r)) & sign) ? X86_OF : 0;
        break;
    default: /* CC_OP_LOGIC */
        return szp(r, size);
    }
    return f | x86_get_cf(env);
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
