/* Shifts and rotates (group 2, shld/shrd) with the exact flag rules for each count. */
#include "target/i386/exec.h"

typedef struct ShiftOut {
    uint64_t r;
    uint32_t flags;     /* full arithmetic flags after the op */
} ShiftOut;

static uint32_t szp_of(uint64_t r, int size)
{
    uint64_t m = x86_mask(size);
    return ((r & m) == 0 ? X86_ZF : 0) | ((r >> (size * 8 - 1)) & 1 ? X86_SF : 0) | x86_parity(r);
}

/* rol/ror/rcl/rcr: only CF and OF change. */
static ShiftOut rotate(int op, int size, uint64_t a, unsigned count, uint32_t f)
{
    int bits = size * 8;
    uint64_t m = x86_mask(size);
    ShiftOut o = { a, f };
    uint32_t cf = f & X86_CF;
    if (op <= 1) {
        unsigned c = count % bits;
        uint64_t r = c ? (op == 0 ? (a << c) | (a >> (bits - c)) : (a >> c) | (a << (bits - c))) & m
                       : a;
        uint64_t msb = (r >> (bits - 1)) & 1;
        cf = op == 0 ? (r & 1) : msb;
        uint32_t of = op == 0 ? (msb ^ cf) : (msb ^ ((r >> (bits - 2)) & 1));
        o.r = r;
        o.flags = (f & ~(X86_CF | X86_OF)) | cf | (of ? X86_OF : 0);
        return o;
    }
    unsigned c = bits < 32 ? count % (bits + 1) : count;
    if (c == 0) {
        return o;
    }
    unsigned __int128 v = ((unsigned __int128)cf << bits) | a, w = v;
    unsigned __int128 wm = (((unsigned __int128)1) << (bits + 1)) - 1;
    w = op == 2 ? ((v << c) | (v >> (bits + 1 - c))) & wm : ((v >> c) | (v << (bits + 1 - c))) & wm;
    uint64_t r = (uint64_t)w & m;
    cf = (uint32_t)(w >> bits) & 1;
    uint64_t msb = (r >> (bits - 1)) & 1;
    uint32_t of = op == 2 ? (msb ^ cf) : (msb ^ ((r >> (bits - 2)) & 1));
    o.r = r;
    o.flags = (f & ~(X86_CF | X86_OF)) | cf | (of ? X86_OF : 0);
    return o;
}

/* shl/shr/sar (op 4..7): count already masked and non-zero. */
static ShiftOut shift(int op, int size, uint64_t a, unsigned c)
{
    int bits = size * 8;
    uint64_t m = x86_mask(size);
    ShiftOut o;
    uint32_t cf, of;
    if (op == 4 || op == 6) {
        o.r = c >= 64 ? 0 : (a << c) & m;
        cf = c > (unsigned)bits ? 0 : (uint32_t)(a >> (bits - c)) & 1;
        of = (uint32_t)((o.r >> (bits - 1)) & 1) ^ cf;
    } else if (op == 5) {
        o.r = c >= 64 ? 0 : a >> c;
        cf = c > 64 ? 0 : (uint32_t)(a >> (c - 1)) & 1;
        of = (uint32_t)(a >> (bits - 1)) & 1;
    } else {
        int64_t s = (int64_t)x86_sext(a, size);
        o.r = (uint64_t)(s >> (c > 63 ? 63 : c)) & m;
        cf = (uint32_t)(s >> (c - 1 > 63 ? 63 : c - 1)) & 1;
        of = 0;
    }
    o.flags = szp_of(o.r, size) | cf | (of ? X86_OF : 0);
    return o;
}

HANDLER(op_grp2)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize, op = in->reg & 7;
    unsigned count;
    if (in->opc == 0xc0 || in->opc == 0xc1) {
        count = (unsigned)in->imm;
    } else if (in->opc == 0xd0 || in->opc == 0xd1) {
        count = 1;
    } else {
        count = (unsigned)env->regs[R_ECX];
    }
    count &= size == 8 ? 63 : 31;
    uint64_t lin = in->mod == 3 ? 0 : insn_lin(cpu, in);
    uint64_t a = in->mod == 3 ? reg_read(env, in, in->rm, size) : x86_ld(cpu, lin, size);
    if (count == 0) {
        if (in->mod == 3 && size == 4) {
            env->regs[in->rm] = a;      /* hardware still writes (zero-extends) the register */
        }
        return;
    }
    ShiftOut o = op < 4 ? rotate(op, size, a, count, (uint32_t)x86_get_eflags(env))
                        : shift(op, size, a, count);
    store_rm(cpu, in, size, o.r);
    set_flags(env, o.flags);
}

static void shld_shrd(X86CPU *cpu, const X86Insn *in, bool left, unsigned count)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize, bits = size * 8;
    count &= size == 8 ? 63 : 31;
    uint64_t a = load_rm(cpu, in, size);
    uint64_t b = reg_read(env, in, in->reg, size);
    if (count == 0) {
        if (in->mod == 3 && size == 4) {
            env->regs[in->rm] = a;      /* hardware still writes (zero-extends) the register */
        }
        return;
    }
    uint64_t m = x86_mask(size), r;
    uint32_t cf;
    /* Work on the concatenation so counts above 16 for 16-bit operands stay defined here. */
    unsigned __int128 cat;
    if (left) {
        cat = ((unsigned __int128)a << bits) | b;
        if (bits == 16) {
            cat = (cat << 16) | a;     /* dst:src:dst, like a 48-bit shifter */
        }
        int tot = bits == 16 ? 48 : bits * 2;
        r = (uint64_t)(cat >> (tot - bits - count)) & m;
        cf = (uint32_t)(cat >> (tot - count)) & 1;
    } else {
        cat = ((unsigned __int128)b << bits) | a;
        if (bits == 16) {
            cat |= (unsigned __int128)a << 32;
        }
        r = (uint64_t)(cat >> count) & m;
        cf = (uint32_t)(cat >> (count - 1)) & 1;
    }
    store_rm(cpu, in, size, r);
    uint32_t of = (uint32_t)(((r ^ a) >> (bits - 1)) & 1);
    set_flags(env, szp_of(r, size) | cf | (of ? X86_OF : 0));
}

HANDLER(op_shld)
{
    shld_shrd(cpu, in, true, in->opc == 0x1a4 ? (unsigned)in->imm : (unsigned)cpu->env.regs[R_ECX]);
}

HANDLER(op_shrd)
{
    shld_shrd(cpu, in, false, in->opc == 0x1ac ? (unsigned)in->imm : (unsigned)cpu->env.regs[R_ECX]);
}
