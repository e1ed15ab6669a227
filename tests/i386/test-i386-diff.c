/*
 * Differential test of the target/i386 interpreter against Unicorn 2: random and enumerated
 * 64-bit user-level instruction sequences run from the same state in both, then registers,
 * flags and memory are compared.  Usage: test-i386-diff [--tap] [--count N] [--seed S]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <unicorn/unicorn.h>
#include "testmachine.h"

#define CODE_BASE  0x100000ull
#define DATA_BASE  0x200000ull
#define DATA_SIZE  0x2000ull
#define STACK_BASE 0x300000ull
#define STACK_SIZE 0x2000ull
#define R15_VAL    (DATA_BASE + 0x800)
#define MAX_CODE   512
#define X87_RC 1
#define MXCSR_CMP_MASK 0xffc0u   /* exception flags: see the Unicorn quirks at the top */
#define UNDEF_UNKNOWN 0xffffffffu

#define F_CF 0x001u
#define F_PF 0x004u
#define F_AF 0x010u
#define F_ZF 0x040u
#define F_SF 0x080u
#define F_OF 0x800u
#define F_ALL (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

/*
 * THE table of flags the manuals leave undefined, masked in comparisons.  A flag masked
 * by an instruction stays masked until a later instruction defines it again, and the
 * generator never emits an instruction that reads a currently undefined flag.
 *
 *   and/or/xor/test (incl. 80-83, 84/85, a8/a9, f6/f7 /0)   AF
 *   mul (f6/f7 /4), imul (all forms)                        SF ZF AF PF
 *   div, idiv (f6/f7 /6 /7)                                 CF OF SF ZF AF PF
 *   shl/sal/shr/sar                                         AF; OF if masked count != 1;
 *                                                           CF if count >= operand width (8/16-bit)
 *   rol/ror/rcl/rcr                                         OF if masked count != 1
 *   shld/shrd                                               AF; OF if count != 1
 *                                                           (16-bit counts > 16 are not generated)
 *   bt/bts/btr/btc                                          OF SF AF PF
 *   bsf/bsr                                                 CF OF SF AF PF
 *   lzcnt                                                   OF SF AF PF
 *
 * Unicorn 2.0.1 quirks found by this test, avoided rather than copied (numbat follows the
 * hardware, checked natively on the host CPU):
 *   - shld/shrd with an imm8 count and a RIP-relative memory operand: Unicorn computes the
 *     address without counting the imm8 byte, so it accesses the wrong bytes.  The
 *     generator does not emit that form.
 *   - lock neg m: Unicorn computes the flags from the old memory value (the unlocked
 *     form is right).  The generator emits neg without lock.
 *   - 32-bit cmpxchg: Unicorn always writes EAX (zero-extending RAX) and, for a register
 *     destination, always writes it back (zero-extending it); the hardware writes only the
 *     one that changes.  bsf/bsr r32 with a zero source: Unicorn zero-extends the
 *     destination, the hardware leaves it unchanged.  The generator first clears the upper
 *     halves involved (mov r32, r32) so the comparison stays exact.
 *   - idiv r/m16 with DX:AX = 0x80000000 or idiv r/m32 with EDX:EAX = 2^63, by -1: Unicorn
 *     divides on the host and dies with SIGFPE.  The generator sets AL's low bit before a
 *     16/32-bit idiv whose high half is random (the quotient-overflow #DE is still covered).
 *   - popcnt raises #UD in Unicorn whatever the CPU model: popcnt is unit-tested instead.
 *   - SSE floating-point instructions never set MXCSR's exception flags (bits 5:0) in Unicorn;
 *     numbat runs them on the host's SSE unit, so its flags are the hardware's.  The flags are
 *     masked in the MXCSR comparison (the rest of MXCSR is compared) and unit-tested instead.
 *   - fcomi/fucomi(p) leave OF/SF/AF unchanged in Unicorn; the hardware clears them.  The
 *     generator emits cmp eax, eax (which clears all three) first.
 *   - fist(p)/fisttp of an out-of-range value store the saturated integer in Unicorn; the
 *     hardware stores the integer indefinite (0x80..0).  The generator stores only values
 *     that fit: fild m32 scaled by a constant of magnitude below 1, and no m16 forms.
 *   - signaling NaNs: Unicorn keeps them signaling through x87 loads (fld m32/m64) and
 *     returns the default NaN where SSE returns the quieted first operand.  Inputs carry no
 *     SNaN (quiet_lane); SNaN handling is the host's and is unit-tested.
 *   - FTZ/DAZ: Unicorn does not flush denormal results (FTZ) and returns an unflushed
 *     denormal operand under DAZ.  The generated MXCSR has neither bit.
 *   - SSE arithmetic, compares and conversions with NaN operands return another NaN in
 *     Unicorn: single precision gets a wrong sign/payload (0x7ff80000 for 0xfff00000), and of
 *     two QNaNs it picks the larger significand (the x87 rule) instead of the first operand.
 *     After an SSE FP op, XMM and data memory compare equal where both hold a NaN (64-bit
 *     lanes as doubles, 32-bit halves as floats); NaN propagation is unit-tested instead.
 *     Earlier integer stores can also create SNaNs in memory, so x87 groups (whose loads hit
 *     the SNaN quirk above) are emitted only at the start of a sequence, and SSE integer,
 *     shuffle and move instructions (which would expose NaN bits) only before any SSE FP op.
 *   - after an access to unmapped memory (which Unicorn reports as an error rather than a
 *     #PF), the arithmetic flags Unicorn returns are not those before the faulting
 *     instruction (e.g. CF from two instructions back); the flags are compared at faults
 *     Unicorn delivers as exceptions (#DE...) only.  numbat's flags at a #PF are unit-tested
 *     (test-i386-mmu, chain-runs).
 *   - after Unicorn reports an exception through UC_HOOK_INTR, the next exception in the
 *     same engine is reported as #DF (its double-fault bookkeeping is never reset), so the
 *     engine is re-created after every sequence that faulted.
 */
enum { U_LOGIC = F_AF, U_MUL = F_SF | F_ZF | F_AF | F_PF, U_DIV = F_ALL, U_BT = F_OF | F_SF | F_AF | F_PF,
       U_BSF = F_CF | F_OF | F_SF | F_AF | F_PF, U_LZCNT = F_OF | F_SF | F_AF | F_PF };

typedef struct Gen {
    uint8_t code[MAX_CODE];
    int len;
    uint32_t undef;         /* currently undefined flags */
    /* undefined flags before the instruction emit() put at each offset (UNDEF_UNKNOWN
       elsewhere): what a fault there must leave exactly as Unicorn does */
    uint32_t undef_at[MAX_CODE];
    bool fp_nan;            /* an SSE FP op was emitted: NaNs compare loosely (see top) */
    uint64_t rng;
    int ninsn;
} Gen;

static uint64_t rnd(Gen *g)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return g->rng;
}

static int rn(Gen *g, int n) { return (int)(rnd(g) % (uint64_t)n); }

static void b(Gen *g, uint8_t v) { g->code[g->len++] = v; }

static void bn(Gen *g, uint64_t v, int n)
{
    for (int i = 0; i < n; i++) {
        b(g, (uint8_t)(v >> (8 * i)));
    }
}

/* Flags read by condition code cc. */
static uint32_t cc_reads(int cc)
{
    static const uint32_t r[8] = { F_OF, F_CF, F_ZF, F_CF | F_ZF, F_SF, F_PF, F_SF | F_OF,
                                   F_ZF | F_SF | F_OF };
    return r[(cc >> 1) & 7];
}

/* Operand description for one ModRM instruction. */
typedef struct Opnd {
    int size;               /* 1, 2, 4, 8 */
    int reg;                /* ModRM.reg value (0-15) */
    bool mem;
    int rm;                 /* register when !mem */
    int memform;            /* 0 [r15+d8], 1 [rip+d32], 2 [r15+d32], 3 [r15d+d8] (67),
                               4 [r15+r14*s+d32], 5 [r14*s+d32] (r14 set just before),
                               6 [r15+0x2000+d32]: unmapped, a #PF */
    int disp;
    uint8_t mpfx;           /* SSE mandatory prefix (66/F2/F3) emitted just before REX, or 0 */
} Opnd;

/* A destination register that is neither RSP nor R15 (AH..BH allowed for bytes w/o REX). */
static int dst_reg(Gen *g)
{
    int r;
    do {
        r = rn(g, 16);
    } while (r == 4 || r == 15);
    return r;
}

static void pick_mem(Gen *g, Opnd *o, int align)
{
    o->mem = true;
    o->mpfx = 0;
    o->memform = rn(g, 40) == 0 ? 6 : rn(g, 6);
    o->disp = (rn(g, 240) - 120) & ~(align - 1);
}

static void pick_opnd(Gen *g, Opnd *o, int size, bool rm_dst, bool allow_mem)
{
    o->size = size;
    o->reg = dst_reg(g);
    o->mem = false;
    o->mpfx = 0;
    o->rm = rm_dst ? dst_reg(g) : rn(g, 16);
    if (allow_mem && rn(g, 2)) {
        pick_mem(g, o, 1);
    }
}

/* Emit prefixes, REX, opcode bytes, ModRM and displacement; the caller appends immediates. */
static void emit(Gen *g, const Opnd *o, const uint8_t *op, int oplen, bool lock, int imm_len)
{
    int reg = o->reg, rm = o->mem ? 15 : o->rm;
    bool need_rex = o->size == 8 || reg >= 8 || rm >= 8;
    /* Byte registers 4-7 mean SPL..DIL with REX, AH..BH without: randomly use both. */
    if (o->size == 1 && !need_rex && rn(g, 4) == 0 && !(reg >= 4 && reg < 8) &&
        !(!o->mem && rm >= 4 && rm < 8)) {
        need_rex = true;
    }
    if (o->size == 1 && need_rex && !o->mem && o->rm == 4) {
        rm = 4;     /* SPL would clobber RSP: caller picked dst_reg so rm != 4 */
    }
    /* Index forms: mov r14d, small first, and a displacement that lands at R15_VAL + disp. */
    int scale = 0;
    int32_t disp32 = o->disp;
    if (o->mem && o->memform >= 4) {
        int v = rn(g, 64);
        scale = rn(g, 4);
        b(g, 0x41); b(g, 0xbe); bn(g, (uint64_t)v, 4);            /* mov r14d, v */
        disp32 = o->disp - (v << scale) + (o->memform == 5 ? (int32_t)R15_VAL : 0);
    }
    /* Flags are compared at a fault in this instruction too; bytes a generator put before
       emit() may have made AF undefined (a logic op), hence F_AF. */
    g->undef_at[g->len] = g->undef | F_AF;
    if (lock) {
        b(g, 0xf0);
    }
    if (o->mem && o->memform == 3) {
        b(g, 0x67);
    }
    if (o->size == 2) {
        b(g, 0x66);
    }
    if (o->mpfx) {
        b(g, o->mpfx);
    }
    int rexb = o->mem ? (o->memform == 1 || o->memform == 5 ? 0 : 1) : rm >= 8;
    int rexx = o->mem && o->memform >= 4 ? 2 : 0;
    if (need_rex || (o->mem && o->memform != 1)) {
        b(g, 0x40 | (o->size == 8 ? 8 : 0) | ((reg >= 8) << 2) | rexx | rexb);
    }
    for (int i = 0; i < oplen; i++) {
        b(g, op[i]);
    }
    if (!o->mem) {
        b(g, 0xc0 | ((reg & 7) << 3) | (rm & 7));
        return;
    }
    switch (o->memform) {
    case 0: case 3:
        b(g, 0x47 | ((reg & 7) << 3));
        b(g, (uint8_t)o->disp);
        break;
    case 1: {
        b(g, 0x05 | ((reg & 7) << 3));
        uint64_t next = CODE_BASE + g->len + 4 + imm_len;
        bn(g, (uint64_t)(int64_t)(R15_VAL + o->disp - next), 4);
        break;
    }
    case 4:
        b(g, 0x84 | ((reg & 7) << 3));
        b(g, (uint8_t)((scale << 6) | (6 << 3) | 7));          /* r14 * s + r15 */
        bn(g, (uint64_t)(int64_t)disp32, 4);
        break;
    case 5:
        b(g, 0x04 | ((reg & 7) << 3));
        b(g, (uint8_t)((scale << 6) | (6 << 3) | 5));          /* r14 * s + disp32 */
        bn(g, (uint64_t)(int64_t)disp32, 4);
        break;
    case 6:
        b(g, 0x87 | ((reg & 7) << 3));
        bn(g, (uint64_t)(int64_t)(o->disp + 0x2000), 4);
        break;
    default:
        b(g, 0x87 | ((reg & 7) << 3));
        bn(g, (uint64_t)(int64_t)o->disp, 4);
        break;
    }
}

static int rand_size(Gen *g)
{
    static const int s[4] = { 1, 2, 4, 8 };
    return s[rn(g, 4)];
}

static int rand_vsize(Gen *g)
{
    static const int s[3] = { 2, 4, 8 };
    return s[rn(g, 3)];
}

static uint64_t rand_imm(Gen *g)
{
    switch (rn(g, 6)) {
    case 0: return 0;
    case 1: return ~0ull;
    case 2: return 0x80;
    case 3: return 0x7fffffff;
    case 4: return rnd(g) & 0xff;
    default: return rnd(g);
    }
}

/* ---- instruction generators: each returns flags read; sets undefined-flag effects ---- */

static void defined(Gen *g, uint32_t written, uint32_t undef)
{
    g->undef = (g->undef & ~written) | undef;
}

static uint32_t gen_alu(Gen *g)
{
    int op = rn(g, 8), form = rn(g, 6);
    Opnd o;
    int size = (form & 1) ? rand_vsize(g) : 1;
    uint8_t opc;
    bool lock = false;
    if (form <= 3) {
        pick_opnd(g, &o, size, form <= 1 && op != 7, true);
        opc = (uint8_t)(op * 8 + (form & 1) + ((form & 2) ? 2 : 0));
        if ((form & 2) && o.mem == false) {
            o.rm = rn(g, 16);
        }
        if (form & 2) {
            o.reg = dst_reg(g);
        }
        lock = o.mem && form <= 1 && op != 7 && rn(g, 4) == 0;
        emit(g, &o, &opc, 1, lock, 0);
    } else if (form == 4) {
        /* 80/81/83 group 1 */
        int which = rn(g, 3);
        size = which == 0 ? 1 : rand_vsize(g);
        pick_opnd(g, &o, size, op != 7, true);
        o.reg = op;
        opc = which == 0 ? 0x80 : which == 1 ? 0x81 : 0x83;
        int il = which == 1 ? (size == 2 ? 2 : 4) : 1;
        lock = o.mem && op != 7 && rn(g, 4) == 0;
        emit(g, &o, &opc, 1, lock, il);
        bn(g, rand_imm(g), il);
    } else {
        size = rand_size(g);
        if (size == 2) {
            b(g, 0x66);
        } else if (size == 8) {
            b(g, 0x48);
        }
        if (rn(g, 9) == 0) {
            op = 4;                                     /* test al/ax/eax/rax, imm (a8/a9) */
            b(g, size == 1 ? 0xa8 : 0xa9);
        } else {
            b(g, (uint8_t)(op * 8 + (size == 1 ? 4 : 5)));
        }
        bn(g, rand_imm(g), size == 1 ? 1 : size == 2 ? 2 : 4);
    }
    bool logic = op == 1 || op == 4 || op == 6;
    defined(g, F_ALL, logic ? U_LOGIC : 0);
    return (op == 2 || op == 3) ? F_CF : 0;
}

static uint32_t gen_test_incdec_negnot(Gen *g)
{
    Opnd o;
    int size = rand_size(g), kind = rn(g, 5);
    uint8_t opc;
    if (kind == 0) {                                   /* test r/m, reg */
        pick_opnd(g, &o, size, false, true);
        opc = size == 1 ? 0x84 : 0x85;
        emit(g, &o, &opc, 1, false, 0);
        defined(g, F_ALL, U_LOGIC);
        return 0;
    }
    if (kind == 1) {                                   /* test r/m, imm */
        pick_opnd(g, &o, size, false, true);
        o.reg = 0;
        opc = size == 1 ? 0xf6 : 0xf7;
        int il = size == 1 ? 1 : size == 2 ? 2 : 4;
        emit(g, &o, &opc, 1, false, il);
        bn(g, rand_imm(g), il);
        defined(g, F_ALL, U_LOGIC);
        return 0;
    }
    pick_opnd(g, &o, size, true, true);
    bool lock = o.mem && rn(g, 4) == 0 && kind != 4;    /* no lock neg: Unicorn quirk */
    if (kind == 2) {                                   /* inc/dec */
        o.reg = rn(g, 2);
        opc = size == 1 ? 0xfe : 0xff;
        emit(g, &o, &opc, 1, lock, 0);
        defined(g, F_ALL & ~F_CF, 0);
        return 0;
    }
    o.reg = kind == 3 ? 2 : 3;                         /* not / neg */
    opc = size == 1 ? 0xf6 : 0xf7;
    emit(g, &o, &opc, 1, lock, 0);
    if (kind == 4) {
        defined(g, F_ALL, 0);
    }
    return 0;
}

static uint32_t gen_muldiv(Gen *g)
{
    Opnd o;
    int size = rand_size(g), op = 4 + rn(g, 4);
    if (op >= 6 && rn(g, 3)) {
        /* Make a quotient overflow unlikely: clear or sign-extend the high half first. */
        if (rn(g, 2)) {
            b(g, 0x31); b(g, 0xd2);                    /* xor edx, edx */
            if (size == 1) {
                b(g, 0x30); b(g, 0xe4);                /* xor ah, ah */
            }
        } else {
            b(g, 0x48); b(g, 0x99);                    /* cqo */
            if (size == 1) {
                b(g, 0x66); b(g, 0x98);                /* cbw */
            }
        }
    } else if (op == 7 && (size == 2 || size == 4)) {
        b(g, 0x0c); b(g, 0x01);    /* or al, 1: Unicorn quirk, see the table at the top */
    }
    pick_opnd(g, &o, size, false, true);
    o.reg = op;
    uint8_t opc = size == 1 ? 0xf6 : 0xf7;
    emit(g, &o, &opc, 1, false, 0);
    defined(g, F_ALL, op >= 6 ? U_DIV : U_MUL);
    return 0;
}

static uint32_t gen_imul(Gen *g)
{
    Opnd o;
    int size = rand_vsize(g), kind = rn(g, 3);
    pick_opnd(g, &o, size, false, true);
    if (kind == 0) {
        uint8_t op[2] = { 0x0f, 0xaf };
        emit(g, &o, op, 2, false, 0);
    } else {
        uint8_t opc = kind == 1 ? 0x6b : 0x69;
        int il = kind == 1 ? 1 : size == 2 ? 2 : 4;
        emit(g, &o, &opc, 1, false, il);
        bn(g, rand_imm(g), il);
    }
    defined(g, F_ALL, U_MUL);
    return 0;
}

static uint32_t gen_shift(Gen *g)
{
    Opnd o;
    int size = rand_size(g), op = rn(g, 8), form = rn(g, 3);
    int count;
    if (form == 2) {
        count = rn(g, 4) == 0 ? 1 : rn(g, 70);
        b(g, 0xb1); b(g, (uint8_t)count);               /* mov cl, count */
    } else if (form == 1) {
        count = 1;
    } else {
        count = rn(g, 3) == 0 ? 1 : rn(g, 256);
    }
    pick_opnd(g, &o, size, true, true);
    if (form == 2 && !o.mem && o.size == 1 && o.rm == 1) {
        o.rm = 2;
    }
    if (form == 2 && !o.mem && o.rm == 1) {
        o.rm = 3;
    }
    o.reg = op;
    uint8_t opc = (uint8_t)((form == 0 ? 0xc0 : form == 1 ? 0xd0 : 0xd2) + (size != 1));
    emit(g, &o, &opc, 1, false, form == 0);
    if (form == 0) {
        b(g, (uint8_t)count);
    }
    int masked = count & (size == 8 ? 63 : 31), width = size * 8;
    uint32_t reads = op == 2 || op == 3 ? F_CF : 0;
    if (masked == 0) {
        return reads;
    }
    if (op < 4) {
        uint32_t u = masked != 1 ? F_OF : 0;
        if ((op == 2 || op == 3) && size < 4 && masked % (width + 1) == 0) {
            return reads;                               /* rotate by 0 mod width+1: no change */
        }
        defined(g, F_CF | F_OF, u);
        return reads;
    }
    uint32_t u = F_AF | (masked != 1 ? F_OF : 0);
    if (op != 7 && masked >= width) {
        u |= F_CF;
    }
    defined(g, F_ALL, u);
    return reads;
}

static uint32_t gen_shld(Gen *g)
{
    Opnd o;
    int size = rand_vsize(g), left = rn(g, 2), bycl = rn(g, 2);
    int count = rn(g, 3) == 0 ? 1 : rn(g, size == 2 ? 17 : 64);
    if (bycl) {
        b(g, 0xb1); b(g, (uint8_t)count);
    }
    pick_opnd(g, &o, size, true, true);
    if (bycl && !o.mem && o.rm == 1) {
        o.rm = 2;
    }
    if (!bycl && o.mem && o.memform == 1) {
        o.memform = 0;      /* Unicorn quirk: see the table at the top */
    }
    uint8_t op[2] = { 0x0f, (uint8_t)((left ? 0xa4 : 0xac) + bycl) };
    emit(g, &o, op, 2, false, !bycl);
    if (!bycl) {
        b(g, (uint8_t)count);
    }
    int masked = count & (size == 8 ? 63 : 31);
    if (masked) {
        defined(g, F_ALL, F_AF | (masked != 1 ? F_OF : 0));
    }
    return 0;
}

static uint32_t gen_bitops(Gen *g)
{
    Opnd o;
    int size = rand_vsize(g), kind = rn(g, 6);
    if (kind <= 1) {                                    /* bt* r/m, reg */
        int op = rn(g, 4);
        pick_opnd(g, &o, size, op != 0, true);
        if (o.mem) {
            /* Keep the bit offset small: load it into a known register first. */
            o.reg = 2 + rn(g, 2);                       /* rdx or rbx, sign-extended */
            b(g, 0x48); b(g, 0xc7); b(g, (uint8_t)(0xc0 + o.reg));
            bn(g, (uint64_t)(int64_t)(rn(g, 1024) - 512), 4);
        }
        uint8_t opb[2] = { 0x0f, (uint8_t)(0xa3 + op * 8) };
        emit(g, &o, opb, 2, o.mem && op && rn(g, 4) == 0, 0);
        defined(g, F_CF, U_BT);
        return 0;
    }
    if (kind == 2) {                                    /* bt* r/m, imm8 */
        int op = rn(g, 4);
        pick_opnd(g, &o, size, op != 0, true);
        o.reg = 4 + op;
        uint8_t opb[2] = { 0x0f, 0xba };
        emit(g, &o, opb, 2, o.mem && op && rn(g, 4) == 0, 1);
        b(g, (uint8_t)rnd(g));
        defined(g, F_CF, U_BT);
        return 0;
    }
    pick_opnd(g, &o, size, false, true);
    if (kind == 3) {                                    /* bsf / bsr */
        if (size == 4) {
            /* Unicorn quirk: zero the destination's upper half first (mov r32, r32). */
            b(g, (uint8_t)(0x40 | (o.reg >= 8 ? 5 : 0)));
            b(g, 0x89); b(g, (uint8_t)(0xc0 | ((o.reg & 7) << 3) | (o.reg & 7)));
        }
        uint8_t opb[2] = { 0x0f, (uint8_t)(0xbc + rn(g, 2)) };
        emit(g, &o, opb, 2, false, 0);
        defined(g, F_ALL, U_BSF);
    } else {                                            /* lzcnt */
        o.mpfx = 0xf3;          /* through emit(): right before REX, after its own bytes */
        uint8_t opb[2] = { 0x0f, 0xbd };
        emit(g, &o, opb, 2, false, 0);
        defined(g, F_ALL, U_LZCNT);
    }
    return 0;
}

static uint32_t gen_mov(Gen *g)
{
    Opnd o;
    int kind = rn(g, 9), size = rand_size(g);
    switch (kind) {
    case 0: case 1: {                                   /* 88-8b */
        pick_opnd(g, &o, size, kind == 0, true);
        uint8_t opc = (uint8_t)(0x88 + (size != 1) + kind * 2);
        emit(g, &o, &opc, 1, false, 0);
        return 0;
    }
    case 2: {                                           /* c6/c7 */
        pick_opnd(g, &o, size, true, true);
        o.reg = 0;
        uint8_t opc = size == 1 ? 0xc6 : 0xc7;
        int il = size == 1 ? 1 : size == 2 ? 2 : 4;
        emit(g, &o, &opc, 1, false, il);
        bn(g, rand_imm(g), il);
        return 0;
    }
    case 3: {                                           /* b0-bf */
        int r = dst_reg(g);
        if (size == 2) {
            b(g, 0x66);
        }
        if (size == 8 || r >= 8) {
            b(g, 0x40 | (size == 8 ? 8 : 0) | (r >= 8));
        }
        b(g, (uint8_t)((size == 1 ? 0xb0 : 0xb8) + (r & 7)));
        bn(g, rand_imm(g), size);
        return 0;
    }
    case 4: case 5: {                                   /* movzx / movsx */
        int vs = rand_vsize(g), ss = rn(g, 2) ? 1 : 2;
        pick_opnd(g, &o, vs, false, true);
        uint8_t opb[2] = { 0x0f, (uint8_t)((kind == 4 ? 0xb6 : 0xbe) + (ss == 2)) };
        /* The r/m operand is byte-sized: emit() uses o.size for prefixes only. */
        emit(g, &o, opb, 2, false, 0);
        return 0;
    }
    case 6: {                                           /* movsxd */
        pick_opnd(g, &o, 8, false, true);
        uint8_t opc = 0x63;
        emit(g, &o, &opc, 1, false, 0);
        return 0;
    }
    case 7: {                                           /* lea with a random SIB form */
        int vs = rand_vsize(g), r = dst_reg(g), base = rn(g, 16), idx = rn(g, 16);
        int mod = rn(g, 3), sc = rn(g, 4);
        if (rn(g, 3) == 0) {
            b(g, 0x67);
        }
        if (vs == 2) {
            b(g, 0x66);
        }
        b(g, 0x40 | (vs == 8 ? 8 : 0) | ((r >= 8) << 2) | ((idx >= 8) << 1) | (base >= 8));
        b(g, 0x8d);
        b(g, (uint8_t)((mod << 6) | ((r & 7) << 3) | 4));
        b(g, (uint8_t)((sc << 6) | ((idx & 7) << 3) | (base & 7)));
        if (mod == 1) {
            b(g, (uint8_t)rnd(g));
        } else if (mod == 2 || (base & 7) == 5) {
            bn(g, rnd(g), 4);
        }
        return 0;
    }
    default: {                                          /* xlat */
        b(g, 0x49); b(g, 0x8d); b(g, 0x5f); b(g, 0x80);   /* lea rbx, [r15-0x80] */
        b(g, 0xd7);
        return 0;
    }
    }
}

static uint32_t gen_xchg(Gen *g)
{
    Opnd o;
    int size = rand_size(g), kind = rn(g, 5);
    bool lock;
    switch (kind) {
    case 0: {
        pick_opnd(g, &o, size, true, true);
        uint8_t opc = size == 1 ? 0x86 : 0x87;
        emit(g, &o, &opc, 1, o.mem && rn(g, 2), 0);
        return 0;
    }
    case 1: {
        int r = dst_reg(g), vs = rand_vsize(g);
        if (vs == 2) {
            b(g, 0x66);
        }
        if (vs == 8 || r >= 8) {
            b(g, 0x40 | (vs == 8 ? 8 : 0) | (r >= 8));
        }
        b(g, (uint8_t)(0x90 + (r & 7)));
        return 0;
    }
    case 2: case 3: {
        pick_opnd(g, &o, size, true, true);
        if (kind == 2 && size == 4) {
            /* Unicorn quirk: clear the upper halves so its extra zero-extensions are moot. */
            b(g, 0x89); b(g, 0xc0);                                     /* mov eax, eax */
            if (!o.mem) {
                b(g, (uint8_t)(0x40 | (o.rm >= 8 ? 5 : 0)));
                b(g, 0x89); b(g, (uint8_t)(0xc0 | ((o.rm & 7) << 3) | (o.rm & 7)));
            }
        }
        lock = o.mem && rn(g, 2);
        uint8_t opb[2] = { 0x0f, (uint8_t)((kind == 2 ? 0xb0 : 0xc0) + (size != 1)) };
        emit(g, &o, opb, 2, lock, 0);
        defined(g, F_ALL, 0);
        return 0;
    }
    default: {
        bool w = rn(g, 2);
        pick_mem(g, &o, w ? 16 : 8);
        o.size = w ? 8 : 4;
        o.reg = 1;
        uint8_t opb[2] = { 0x0f, 0xc7 };
        emit(g, &o, opb, 2, rn(g, 2), 0);
        defined(g, F_ZF, 0);
        return 0;
    }
    }
}

static uint32_t gen_cond(Gen *g)
{
    int cc = rn(g, 16), kind = rn(g, 3);
    Opnd o;
    if (kind == 0) {                                    /* setcc */
        pick_opnd(g, &o, 1, true, true);
        o.reg = 0;
        uint8_t opb[2] = { 0x0f, (uint8_t)(0x90 + cc) };
        emit(g, &o, opb, 2, false, 0);
    } else if (kind == 1) {                             /* cmovcc */
        pick_opnd(g, &o, rand_vsize(g), false, true);
        uint8_t opb[2] = { 0x0f, (uint8_t)(0x40 + cc) };
        emit(g, &o, opb, 2, false, 0);
    } else {                                            /* jcc over a 2..3-byte insn */
        int big = rn(g, 2);
        int skip = 3;
        if (big) {
            b(g, 0x0f); b(g, (uint8_t)(0x80 + cc)); bn(g, (uint64_t)skip, 4);
        } else {
            b(g, (uint8_t)(0x70 + cc)); b(g, (uint8_t)skip);
        }
        b(g, 0x48); b(g, 0xff); b(g, 0xc0 | (uint8_t)rn(g, 4));   /* inc rax..rbx */
        /* The inc may be skipped, so it does not make undefined flags defined. */
    }
    return cc_reads(cc);
}

static uint32_t gen_misc(Gen *g)
{
    switch (rn(g, 14)) {
    case 0: b(g, 0x98); return 0;                       /* cwde */
    case 1: b(g, 0x48); b(g, 0x98); return 0;           /* cdqe */
    case 2: b(g, 0x66); b(g, 0x98); return 0;           /* cbw */
    case 3: b(g, 0x99); return 0;                       /* cdq */
    case 4: b(g, 0x48); b(g, 0x99); return 0;           /* cqo */
    case 5: b(g, 0x66); b(g, 0x99); return 0;           /* cwd */
    case 6: b(g, 0x9f); return F_SF | F_ZF | F_AF | F_PF | F_CF;   /* lahf */
    case 7: b(g, 0x9e); defined(g, F_SF | F_ZF | F_AF | F_PF | F_CF, 0); return 0;
    case 8: b(g, (uint8_t)(0xf8 + rn(g, 2))); defined(g, F_CF, 0); return 0;
    case 9: b(g, 0xf5); return F_CF;                    /* cmc */
    case 10: b(g, (uint8_t)(0xfc + rn(g, 2))); return 0; /* cld / std */
    case 11: {                                          /* bswap */
        int r = dst_reg(g), w = rn(g, 2);
        if (w || r >= 8) {
            b(g, 0x40 | (w ? 8 : 0) | (r >= 8));
        }
        b(g, 0x0f); b(g, (uint8_t)(0xc8 + (r & 7)));
        return 0;
    }
    case 12: {                                          /* nop forms */
        static const uint8_t nops[][9] = {
            { 1, 0x90 }, { 2, 0x66, 0x90 }, { 3, 0x0f, 0x1f, 0x00 }, { 4, 0x0f, 0x1f, 0x40, 0x00 },
            { 5, 0x0f, 0x1f, 0x44, 0x00, 0x00 }, { 2, 0xf3, 0x90 },
            { 8, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 }, { 3, 0x0f, 0xae, 0xe8 },
            { 3, 0x0f, 0xae, 0xf0 }, { 3, 0x0f, 0xae, 0xf8 },
        };
        int k = rn(g, 10);
        for (int i = 1; i <= nops[k][0]; i++) {
            b(g, nops[k][i]);
        }
        return 0;
    }
    default: b(g, 0x9c); return F_ALL;                  /* pushf */
    }
}

static uint32_t gen_stack(Gen *g)
{
    int r = dst_reg(g);
    switch (rn(g, 8)) {
    case 0: if (r >= 8) b(g, 0x41); b(g, (uint8_t)(0x50 + (r & 7))); return 0;
    case 1: if (r >= 8) b(g, 0x41); b(g, (uint8_t)(0x58 + (r & 7))); return 0;
    case 2: b(g, 0x6a); b(g, (uint8_t)rnd(g)); return 0;
    case 3: b(g, 0x68); bn(g, rnd(g), 4); return 0;
    case 4: {                                           /* push / pop m64 */
        Opnd o;
        pick_mem(g, &o, 1);
        o.size = 4;         /* no REX.W needed: default 64-bit */
        int pop = rn(g, 2);
        o.reg = pop ? 0 : 6;
        uint8_t opc = pop ? 0x8f : 0xff;
        emit(g, &o, &opc, 1, false, 0);
        return 0;
    }
    case 5:                                             /* call next; pop r */
        b(g, 0xe8); bn(g, 1, 4); b(g, 0xcc);
        if (r >= 8) b(g, 0x41);
        b(g, (uint8_t)(0x58 + (r & 7)));
        return 0;
    case 6:                                             /* lea r,[rip+d]; push r; ret */
        b(g, r >= 8 ? 0x4c : 0x48); b(g, 0x8d); b(g, (uint8_t)(0x05 | ((r & 7) << 3)));
        bn(g, r >= 8 ? 3 : 2, 4);
        if (r >= 8) b(g, 0x41);
        b(g, (uint8_t)(0x50 + (r & 7)));
        b(g, 0xc3);
        return 0;
    default:                                            /* mov rbp,rsp; enter; leave */
        b(g, 0x48); b(g, 0x89); b(g, 0xe5);
        b(g, 0xc8); bn(g, (uint64_t)rn(g, 64), 2); b(g, (uint8_t)rn(g, 4));
        b(g, 0xc9);
        return 0;
    }
}

static uint32_t gen_string(Gen *g)
{
    static const uint8_t ops[5] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
    int k = rn(g, 5), size = rand_size(g), rep = rn(g, 3), n = rn(g, 9);
    int so = rn(g, 128) - 64, d = rn(g, 128) - 64;
    /* lea rsi,[r15+so]; lea rdi,[r15+d]; mov ecx,n */
    b(g, 0x49); b(g, 0x8d); b(g, 0x77); b(g, (uint8_t)so);
    b(g, 0x49); b(g, 0x8d); b(g, 0x7f); b(g, (uint8_t)d);
    b(g, 0xb9); bn(g, (uint64_t)n, 4);
    if (k == 1 || k == 4) {
        /* make repeated compares sometimes run long: copy the source over the dest */
        if (rn(g, 2)) {
            b(g, 0xf3); b(g, 0xa4);                     /* rep movsb, n bytes */
            b(g, 0x49); b(g, 0x8d); b(g, 0x77); b(g, (uint8_t)so);
            b(g, 0x49); b(g, 0x8d); b(g, 0x7f); b(g, (uint8_t)d);
            b(g, 0xb9); bn(g, (uint64_t)n, 4);
        }
    }
    if (rep) {
        b(g, rep == 1 ? 0xf3 : 0xf2);
    }
    if (size == 2) {
        b(g, 0x66);
    } else if (size == 8) {
        b(g, 0x48);
    }
    b(g, (uint8_t)(ops[k] + (size != 1)));
    if (k == 1 || k == 4) {
        if (!rep || n > 0) {
            defined(g, F_ALL, 0);
        }
    }
    return 0;
}

/* rep movs/stos over up to 2 KiB, starting near the end of the first data page so they run
   into the second one; sources sometimes overlapping the destination. */
static uint32_t gen_string_long(Gen *g)
{
    int size = rand_size(g), movs = rn(g, 2), n = 1 + rn(g, 2048 / size);
    int d = 0x600 + rn(g, 0x1c0), so = rn(g, 2) ? d + rn(g, 129) - 64 : 0x600 + rn(g, 0x1c0);
    b(g, 0x49); b(g, 0x8d); b(g, 0xb7); bn(g, (uint64_t)so, 4);     /* lea rsi, [r15+so] */
    b(g, 0x49); b(g, 0x8d); b(g, 0xbf); bn(g, (uint64_t)d, 4);      /* lea rdi, [r15+d] */
    b(g, 0xb9); bn(g, (uint64_t)n, 4);                              /* mov ecx, n */
    b(g, 0xf3);
    if (size == 2) {
        b(g, 0x66);
    } else if (size == 8) {
        b(g, 0x48);
    }
    b(g, (uint8_t)((movs ? 0xa4 : 0xaa) + (size != 1)));
    return 0;
}

/* Indirect call/jmp through a register or memory (FF /2, FF /4) to the next instruction:
   lea r, [rip + d] first; a call is balanced by a pop. */
static uint32_t gen_indirect(Gen *g)
{
    int r = dst_reg(g), kind = rn(g, 4), rex = r >= 8;
    int d8 = (rn(g, 30) - 15) * 8;
    int blen = kind < 2 ? 2 + rex : 4 + 4;            /* bytes from the lea's end to the target */
    b(g, rex ? 0x4c : 0x48); b(g, 0x8d); b(g, (uint8_t)(0x05 | ((r & 7) << 3)));
    bn(g, (uint64_t)blen, 4);                          /* lea r, [rip + blen] */
    if (kind >= 2) {
        b(g, rex ? 0x4d : 0x49); b(g, 0x89); b(g, (uint8_t)(0x47 | ((r & 7) << 3)));
        b(g, (uint8_t)d8);                             /* mov [r15 + d8], r */
        b(g, 0x41); b(g, 0xff); b(g, kind == 2 ? 0x57 : 0x67); b(g, (uint8_t)d8);
    } else {
        if (rex) {
            b(g, 0x41);
        }
        b(g, 0xff); b(g, (uint8_t)((kind == 0 ? 0xd0 : 0xe0) | (r & 7)));
    }
    if (kind == 0 || kind == 2) {                      /* pop r: rebalance after the call */
        if (rex) {
            b(g, 0x41);
        }
        b(g, (uint8_t)(0x58 + (r & 7)));
    }
    return 0;
}

static uint32_t gen_loop(Gen *g)
{
    int k = rn(g, 4);
    b(g, 0xb9); bn(g, (uint64_t)rn(g, 3), 4);           /* mov ecx, 0..2 */
    b(g, (uint8_t)(0xe0 + k)); b(g, 3);
    b(g, 0x48); b(g, 0xff); b(g, 0xc0);                 /* inc rax (maybe skipped) */
    return k <= 1 ? F_ZF : 0;
}

/* ---- SSE/SSE2 and x87 generators ---- */

/* XMM operands: reg and rm are XMM registers 0-15; memory operands are 16-byte aligned. */
static void pick_sse(Gen *g, Opnd *o, uint8_t mpfx, int allow_mem)
{
    o->size = 4;
    o->reg = rn(g, 16);
    o->rm = rn(g, 16);
    o->mem = false;
    if (allow_mem == 2 || (allow_mem && rn(g, 2))) {
        pick_mem(g, o, 16);
    }
    o->mpfx = mpfx;
}

static void emit_sse(Gen *g, Opnd *o, uint8_t opc, int imm_len)
{
    uint8_t op[2] = { 0x0f, opc };
    emit(g, o, op, 2, false, imm_len);
    if (imm_len) {
        b(g, (uint8_t)rnd(g));
    }
}

static uint32_t gen_sse_int(Gen *g)
{
    if (g->fp_nan) {
        b(g, 0x90);         /* NaN payloads may differ after an SSE FP op: see the top */
        return 0;
    }
    static const uint8_t ops[] = {
        0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
        0x74, 0x75, 0x76, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
        0xde, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed,
        0xee, 0xef, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
        0xfe, 0x14, 0x15, 0x54, 0x55, 0x56, 0x57,
    };
    int k = rn(g, sizeof(ops));
    Opnd o;
    pick_sse(g, &o, (ops[k] < 0x60 && rn(g, 2)) ? 0 : 0x66, 1);
    if ((ops[k] & 0xf0) >= 0xd0 && (ops[k] & 0xf) >= 1 && (ops[k] & 0xf) <= 3 && !o.mem && rn(g, 2)) {
        /* shifts by register: make the count small often (movd xmm, eax with eax = 0..70) */
        b(g, 0xb8); bn(g, (uint64_t)rn(g, 70), 4);
        b(g, 0x66); if (o.rm >= 8) b(g, 0x44); b(g, 0x0f); b(g, 0x6e); b(g, (uint8_t)(0xc0 | ((o.rm & 7) << 3)));
    }
    emit_sse(g, &o, ops[k], 0);
    return 0;
}

static uint32_t gen_sse_mov(Gen *g)
{
    if (g->fp_nan) {
        b(g, 0x90);         /* NaN payloads may differ after an SSE FP op: see the top */
        return 0;
    }
    Opnd o;
    static const uint8_t pf4[4] = { 0, 0x66, 0xf3, 0xf2 };
    int kind = rn(g, 12);
    switch (kind) {
    case 0: case 1:                                     /* movups/movupd/movss/movsd */
        pick_sse(g, &o, pf4[rn(g, 4)], 1);
        emit_sse(g, &o, (uint8_t)(0x10 + kind), 0);
        return 0;
    case 2:                                             /* movlps/movhps/movlpd/movhpd, movhlps/movlhps */
        pick_sse(g, &o, rn(g, 2) ? 0x66 : 0, 1);
        if (o.mpfx && !o.mem) {
            o.mpfx = 0;
        }
        emit_sse(g, &o, (uint8_t)(0x12 + 4 * rn(g, 2) + (o.mem ? rn(g, 2) : 0)), 0);
        return 0;
    case 3:                                             /* movaps/movapd load/store */
        pick_sse(g, &o, rn(g, 2) ? 0x66 : 0, 1);
        emit_sse(g, &o, (uint8_t)(0x28 + rn(g, 2)), 0);
        return 0;
    case 4:                                             /* movdqa/movdqu load/store */
        pick_sse(g, &o, rn(g, 2) ? 0x66 : 0xf3, 1);
        emit_sse(g, &o, rn(g, 2) ? 0x6f : 0x7f, 0);
        return 0;
    case 5: case 6: {                                   /* movd/movq to and from GPRs */
        pick_sse(g, &o, 0x66, 0);
        if (rn(g, 2)) {
            pick_mem(g, &o, 8);
            o.mpfx = 0x66;
            o.reg = rn(g, 16);
        } else {
            o.rm = dst_reg(g);
        }
        o.size = rn(g, 2) ? 8 : 4;
        emit_sse(g, &o, kind == 5 ? 0x6e : 0x7e, 0);
        return 0;
    }
    case 7:                                             /* movq xmm, xmm/m64 ; movq xmm/m64, xmm */
        pick_sse(g, &o, 0, 1);
        o.mpfx = rn(g, 2) ? 0xf3 : 0x66;
        emit_sse(g, &o, o.mpfx == 0xf3 ? 0x7e : 0xd6, 0);
        return 0;
    case 8:                                             /* movntdq / movntps / movntpd */
        pick_sse(g, &o, 0x66, 2);
        if (rn(g, 2)) {
            o.mpfx = rn(g, 2) ? 0x66 : 0;
            emit_sse(g, &o, 0x2b, 0);
        } else {
            emit_sse(g, &o, 0xe7, 0);
        }
        return 0;
    case 9: {                                           /* movnti */
        pick_opnd(g, &o, rn(g, 2) ? 8 : 4, false, false);
        pick_mem(g, &o, 8);
        uint8_t op[2] = { 0x0f, 0xc3 };
        emit(g, &o, op, 2, false, 0);
        return 0;
    }
    case 10: {                                          /* pmovmskb / movmskps / movmskpd */
        pick_sse(g, &o, 0x66, 0);
        o.reg = dst_reg(g);
        int k = rn(g, 3);
        o.mpfx = k == 1 ? 0 : 0x66;
        emit_sse(g, &o, k == 0 ? 0xd7 : 0x50, 0);
        return 0;
    }
    default: {                                          /* pinsrw / pextrw */
        pick_sse(g, &o, 0x66, 0);
        if (rn(g, 2)) {
            if (rn(g, 2)) {
                pick_mem(g, &o, 2);
                o.mpfx = 0x66;
                o.reg = rn(g, 16);
            }
            emit_sse(g, &o, 0xc4, 1);
        } else {
            o.reg = dst_reg(g);
            emit_sse(g, &o, 0xc5, 1);
        }
        return 0;
    }
    }
}

static uint32_t gen_sse_shuf(Gen *g)
{
    if (g->fp_nan) {
        b(g, 0x90);         /* NaN payloads may differ after an SSE FP op: see the top */
        return 0;
    }
    Opnd o;
    switch (rn(g, 4)) {
    case 0: {                                           /* pshufd / pshufhw / pshuflw */
        static const uint8_t pf[3] = { 0x66, 0xf3, 0xf2 };
        pick_sse(g, &o, pf[rn(g, 3)], 1);
        emit_sse(g, &o, 0x70, 1);
        return 0;
    }
    case 1:                                             /* shufps / shufpd */
        pick_sse(g, &o, rn(g, 2) ? 0x66 : 0, 1);
        emit_sse(g, &o, 0xc6, 1);
        return 0;
    default: {                                          /* shifts by immediate */
        static const uint8_t grp[][2] = { { 0x71, 2 }, { 0x71, 4 }, { 0x71, 6 }, { 0x72, 2 },
                                          { 0x72, 4 }, { 0x72, 6 }, { 0x73, 2 }, { 0x73, 3 },
                                          { 0x73, 6 }, { 0x73, 7 } };
        int k = rn(g, 10);
        pick_sse(g, &o, 0x66, 0);
        o.reg = grp[k][1];
        uint8_t op[2] = { 0x0f, grp[k][0] };
        emit(g, &o, op, 2, false, 1);
        b(g, (uint8_t)(rn(g, 3) ? (uint64_t)rn(g, 20) : rnd(g)));
        return 0;
    }
    }
}

static uint32_t gen_sse_fp(Gen *g)
{
    static const uint8_t pf4[4] = { 0, 0x66, 0xf3, 0xf2 };
    static const uint8_t arith[] = { 0x51, 0x58, 0x59, 0x5c, 0x5d, 0x5e, 0x5f };
    Opnd o;
    switch (rn(g, 7)) {
    case 0: case 1:
        pick_sse(g, &o, pf4[rn(g, 4)], 1);
        emit_sse(g, &o, arith[rn(g, sizeof(arith))], 0);
        g->fp_nan = true;
        return 0;
    case 2: {                                           /* cmpps/pd/ss/sd, predicates 0-7 */
        pick_sse(g, &o, pf4[rn(g, 4)], 1);
        g->fp_nan = true;
        uint8_t op[2] = { 0x0f, 0xc2 };
        emit(g, &o, op, 2, false, 1);
        b(g, (uint8_t)rn(g, 8));
        return 0;
    }
    case 3:                                             /* (u)comiss/sd */
        pick_sse(g, &o, rn(g, 2) ? 0x66 : 0, 1);
        emit_sse(g, &o, (uint8_t)(0x2e + rn(g, 2)), 0);
        defined(g, F_ALL, 0);
        return 0;
    case 4: {                                           /* cvtps2pd ... cvtpd2dq */
        static const uint8_t cv[][2] = { { 0x5a, 0 }, { 0x5a, 0x66 }, { 0x5a, 0xf3 }, { 0x5a, 0xf2 },
                                         { 0x5b, 0 }, { 0x5b, 0x66 }, { 0x5b, 0xf3 }, { 0xe6, 0x66 },
                                         { 0xe6, 0xf3 }, { 0xe6, 0xf2 } };
        int k = rn(g, 10);
        pick_sse(g, &o, cv[k][1], 1);
        emit_sse(g, &o, cv[k][0], 0);
        g->fp_nan = true;
        return 0;
    }
    case 5:                                             /* cvtsi2ss/sd */
        pick_opnd(g, &o, rn(g, 2) ? 8 : 4, false, true);
        o.mpfx = rn(g, 2) ? 0xf3 : 0xf2;
        o.reg = rn(g, 16);
        emit_sse(g, &o, 0x2a, 0);
        return 0;
    default:                                            /* cvt(t)ss/sd2si */
        pick_sse(g, &o, rn(g, 2) ? 0xf3 : 0xf2, 1);
        o.reg = dst_reg(g);
        o.size = rn(g, 2) ? 8 : 4;
        emit_sse(g, &o, (uint8_t)(0x2c + rn(g, 2)), 0);
        return 0;
    }
}

/* x87 memory instruction on [r15+d8] with d8 a multiple of 8. */
static void x87_mem(Gen *g, uint8_t opc, int r)
{
    b(g, 0x41); b(g, opc); b(g, (uint8_t)(0x47 | (r << 3))); b(g, (uint8_t)((rn(g, 30) - 15) * 8));
}

/* Self-contained x87 groups that leave the register stack empty; results land in memory or flags. */
static uint32_t gen_x87(Gen *g)
{
    static const int ar[6] = { 0, 1, 4, 5, 6, 7 };
    int op = ar[rn(g, 6)];
    if (g->len) {
        b(g, 0x90);         /* memory may hold SNaNs made by earlier stores: see the top */
        return 0;
    }
    switch (rn(g, 9)) {
    case 0: x87_mem(g, 0xdd, 0); x87_mem(g, 0xdc, op); x87_mem(g, 0xdd, 3); return 0;
    case 1: x87_mem(g, 0xd9, 0); x87_mem(g, 0xd8, op); x87_mem(g, 0xd9, 3); return 0;
    case 2: x87_mem(g, 0xdb, 0); x87_mem(g, 0xda, op); x87_mem(g, 0xdd, 3); return 0;
    case 3:                                             /* fld; fld; fXXXp st(1); fstp */
        x87_mem(g, 0xdd, 0); x87_mem(g, 0xdd, 0);
        b(g, 0xde); b(g, (uint8_t)(0xc1 | (op << 3)));
        x87_mem(g, 0xdd, 3);
        return 0;
    case 4:                                             /* f(u)comi(p) */
        x87_mem(g, 0xdd, 0); x87_mem(g, 0xdd, 0);
        b(g, 0x39); b(g, 0xc0);                         /* cmp eax, eax: Unicorn quirk, see top */
        b(g, 0xdf); b(g, rn(g, 2) ? 0xf1 : 0xe9);
        b(g, 0xdd); b(g, 0xd8);
        defined(g, F_ALL, 0);
        return 0;
    case 5: {                                           /* unary */
        static const uint8_t un[5] = { 0xe0, 0xe1, 0xfa, 0xfc, 0xe8 };
        x87_mem(g, 0xdd, 0);
        int k = rn(g, 5);
        b(g, 0xd9); b(g, un[k]);
        if (k == 4) {
            b(g, 0xde); b(g, 0xe9);                     /* fld1; fsubp */
        }
        x87_mem(g, 0xdd, 3);
        return 0;
    }
    case 6: {                                           /* integer stores of in-range values */
        static const uint8_t st[4][2] = { { 0xdf, 7 }, { 0xdd, 1 }, { 0xdb, 1 }, { 0xdb, 3 } };
        static const uint64_t scale[8] = {
            0x3fe0000000000000ull, 0xbfd0000000000000ull, 0x3fe8000000000000ull,
            0xbfeff7ced916872bull, 0x3fd5555555555555ull, 0x3fb999999999999aull, 0,
            0xbfe0000000000000ull };
        int k = rn(g, 4);
        x87_mem(g, 0xdb, 0);                            /* fild m32 */
        b(g, 0xeb); b(g, 8); bn(g, scale[rn(g, 8)], 8); /* jmp over a constant |c| < 1 */
        b(g, 0xdc); b(g, 0x0d); bn(g, (uint64_t)-14, 4); /* fmul qword [rip-14] */
        x87_mem(g, st[k][0], st[k][1]);
        return 0;
    }
    case 7:                                             /* fcom m64 + fnstsw ax; and ax, C3|C2|C0 */
        x87_mem(g, 0xdd, 0); x87_mem(g, 0xdc, 2 + rn(g, 2));
        b(g, 0xdf); b(g, 0xe0);
        b(g, 0x66); b(g, 0x25); bn(g, 0x4500, 2);
        b(g, 0xdb); b(g, 0xe3);                         /* fninit (the fcom may not have popped) */
        defined(g, F_ALL, 0);
        return 0;
    default:                                            /* m80 round trip, fxch, fstp st(1) */
        x87_mem(g, 0xdd, 0); x87_mem(g, 0xd9, 0);
        b(g, 0xd9); b(g, 0xc9);
        x87_mem(g, 0xdb, 7);
        x87_mem(g, 0xdd, 3);
        return 0;
    }
}

typedef uint32_t (*GenFn)(Gen *g);
static const GenFn gens[] = {
    gen_alu, gen_alu, gen_alu, gen_test_incdec_negnot, gen_muldiv, gen_imul, gen_shift, gen_shift,
    gen_shld, gen_bitops, gen_mov, gen_mov, gen_xchg, gen_cond, gen_cond, gen_misc, gen_stack,
    gen_string, gen_loop, gen_sse_int, gen_sse_int, gen_sse_mov, gen_sse_shuf, gen_sse_fp,
    gen_sse_fp, gen_x87, gen_string_long, gen_indirect,
};
#define NGENS (sizeof(gens) / sizeof(gens[0]))

/* Append one instruction whose flag reads avoid undefined flags (retrying otherwise). */
static void gen_one(Gen *g, int only)
{
    for (int tries = 0; tries < 50; tries++) {
        Gen save = *g;
        uint32_t reads = gens[only >= 0 ? only : rn(g, NGENS)](g);
        if (!(reads & save.undef) && g->len < MAX_CODE - 64) {
            g->ninsn++;
            return;
        }
        uint64_t rng = g->rng;
        *g = save;
        g->rng = rng;
    }
}

/* ---------------- running both emulators ---------------- */

typedef struct State {
    uint64_t regs[16];
    uint64_t rip, rflags;
    uint8_t data[DATA_SIZE], stack[STACK_SIZE];
    uint64_t xmm[16][2];
    uint32_t mxcsr;
    uint16_t fcw;           /* x87 control word at the start (the stack starts empty) */
    int exc;                /* -1 none, else vector */
    bool mem_fault;         /* Unicorn: an unmapped access (its flags are not reliable then) */
} State;

static const int uc_regs[16] = {
    UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX, UC_X86_REG_RSP,
    UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI, UC_X86_REG_R8, UC_X86_REG_R9,
    UC_X86_REG_R10, UC_X86_REG_R11, UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14,
    UC_X86_REG_R15,
};

typedef struct Diff {
    uc_engine *uc;
    TestMachine *tm;
    int uc_intno;
    uint64_t sequences, divergences, exceptions;
} Diff;

static void uc_intr(uc_engine *uc, uint32_t intno, void *user)
{
    Diff *d = user;
    d->uc_intno = (int)intno;
    uc_emu_stop(uc);
}

static void uc_setup(Diff *d)
{
    g_assert_cmpint(uc_open(UC_ARCH_X86, UC_MODE_64, &d->uc), ==, UC_ERR_OK);
    g_assert_cmpint(uc_ctl_set_cpu_model(d->uc, UC_CPU_X86_HASWELL), ==, UC_ERR_OK);
    g_assert_cmpint(uc_mem_map(d->uc, CODE_BASE, 0x1000, UC_PROT_ALL), ==, UC_ERR_OK);
    g_assert_cmpint(uc_mem_map(d->uc, DATA_BASE, DATA_SIZE, UC_PROT_READ | UC_PROT_WRITE), ==, UC_ERR_OK);
    g_assert_cmpint(uc_mem_map(d->uc, STACK_BASE, STACK_SIZE, UC_PROT_READ | UC_PROT_WRITE), ==, UC_ERR_OK);
    uc_hook h;
    g_assert_cmpint(uc_hook_add(d->uc, &h, UC_HOOK_INTR, (void *)uc_intr, d, 1, 0), ==, UC_ERR_OK);
}

static void diff_init(Diff *d)
{
    memset(d, 0, sizeof(*d));
    uc_setup(d);
    d->tm = tm_new();
    tm_map(d->tm, CODE_BASE, 0x1000, TM_PTE_USER);
    tm_map(d->tm, DATA_BASE, DATA_SIZE, TM_PTE_USER | TM_PTE_RW | TM_PTE_NX);
    tm_map(d->tm, STACK_BASE, STACK_SIZE, TM_PTE_USER | TM_PTE_RW | TM_PTE_NX);
    tm_enter_long_mode(d->tm, 3);
    x86_cpu_set_cr(d->tm->cpu, 4, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT);
    x86_cpu_set_stop_on_exception(d->tm->cpu, true);
}

static void diff_fini(Diff *d)
{
    uc_close(d->uc);
    tm_free(d->tm);
}

static void run_unicorn(Diff *d, const Gen *g, const State *in, State *out)
{
    uc_engine *uc = d->uc;
    uc_mem_write(uc, CODE_BASE, g->code, (size_t)g->len);
    uc_ctl_remove_cache(uc, CODE_BASE, CODE_BASE + 0x1000);
    uc_mem_write(uc, DATA_BASE, in->data, DATA_SIZE);
    uc_mem_write(uc, STACK_BASE, in->stack, STACK_SIZE);
    for (int i = 0; i < 16; i++) {
        uc_reg_write(uc, uc_regs[i], &in->regs[i]);
    }
    uc_reg_write(uc, UC_X86_REG_EFLAGS, &in->rflags);
    for (int i = 0; i < 16; i++) {
        uc_reg_write(uc, UC_X86_REG_XMM0 + i, in->xmm[i]);
    }
    uc_reg_write(uc, UC_X86_REG_MXCSR, &in->mxcsr);
    uint64_t fcw = in->fcw, zero = 0, tags = 0xffff;
    uc_reg_write(uc, UC_X86_REG_FPCW, &fcw);
    uc_reg_write(uc, UC_X86_REG_FPSW, &zero);
    uc_reg_write(uc, UC_X86_REG_FPTAG, &tags);
    d->uc_intno = -1;
    uc_err e = uc_emu_start(uc, CODE_BASE, CODE_BASE + (uint64_t)g->len, 0, 10000);
    out->exc = d->uc_intno >= 0 ? d->uc_intno : e != UC_ERR_OK ? 1000 + (int)e : -1;
    out->mem_fault = false;
    if (e == UC_ERR_READ_UNMAPPED || e == UC_ERR_WRITE_UNMAPPED || e == UC_ERR_FETCH_UNMAPPED ||
        e == UC_ERR_WRITE_PROT || e == UC_ERR_READ_PROT || e == UC_ERR_FETCH_PROT) {
        out->exc = 14;      /* Unicorn reports unmapped memory instead of delivering #PF */
        out->mem_fault = true;
    } else if (e == UC_ERR_INSN_INVALID) {
        out->exc = 6;
    }
    for (int i = 0; i < 16; i++) {
        uc_reg_read(uc, uc_regs[i], &out->regs[i]);
    }
    uc_reg_read(uc, UC_X86_REG_RIP, &out->rip);
    uc_reg_read(uc, UC_X86_REG_EFLAGS, &out->rflags);
    for (int i = 0; i < 16; i++) {
        uc_reg_read(uc, UC_X86_REG_XMM0 + i, out->xmm[i]);
    }
    uc_reg_read(uc, UC_X86_REG_MXCSR, &out->mxcsr);
    uc_mem_read(uc, DATA_BASE, out->data, DATA_SIZE);
    uc_mem_read(uc, STACK_BASE, out->stack, STACK_SIZE);
    if (out->exc >= 0) {
        uc_close(uc);
        uc_setup(d);
    }
}

static void run_numbat(Diff *d, const Gen *g, const State *in, State *out)
{
    TestMachine *tm = d->tm;
    CPUX86State *env = x86_cpu_env(tm->cpu);
    /* ud2 right after the sequence (never reached: the break is before it) ends what the
       decoder reads ahead there, so runs end with the sequence and run whole, as they do in
       real code, rather than being cut at the break address by stale bytes after it. */
    static const uint8_t ud2[2] = { 0x0f, 0x0b };
    tm_write(tm, CODE_BASE, g->code, (size_t)g->len);
    tm_write(tm, CODE_BASE + (uint64_t)g->len, ud2, sizeof(ud2));
    tm_write(tm, DATA_BASE, in->data, DATA_SIZE);
    tm_write(tm, STACK_BASE, in->stack, STACK_SIZE);
    memcpy(env->regs, in->regs, sizeof(env->regs));
    env->rip = CODE_BASE;
    x86_set_eflags(env, in->rflags);
    memcpy(env->xmm, in->xmm, sizeof(env->xmm));
    env->mxcsr = in->mxcsr;
    env->fcw = in->fcw;
    env->fsw = 0;
    env->ftw = 0;
    x86_cpu_set_break(tm->cpu, true, CODE_BASE + (uint64_t)g->len);
    X86ExitReason r = x86_cpu_exec(tm->cpu, 10000);
    out->exc = -1;
    if (r == X86_EXIT_EXCEPTION) {
        uint32_t err;
        bool has;
        x86_cpu_last_exception(tm->cpu, &out->exc, &err, &has);
    }
    memcpy(out->regs, env->regs, sizeof(out->regs));
    out->rip = env->rip;
    out->rflags = x86_get_eflags(env);
    memcpy(out->xmm, env->xmm, sizeof(out->xmm));
    out->mxcsr = env->mxcsr;
    memcpy(out->data, tm->ram + DATA_BASE, DATA_SIZE);
    memcpy(out->stack, tm->ram + STACK_BASE, STACK_SIZE);
}

/* A 64-bit lane for FP tests: special doubles, pairs of special floats, values near 1, or noise. */
static uint64_t rand_fp_lane(Gen *g)
{
    static const uint64_t d[] = {
        0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff8000000000000ull,
        0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000001ull,
        0xfff8000000000123ull, 1, 0x000fffffffffffffull, 0x7fefffffffffffffull, 0x4340000000000000ull,
        0x41e0000000000000ull, 0xc3e0000000000000ull, 0x3fe0000000000000ull, 0x4004000000000000ull,
        0x0010000000000000ull, 0x43e0000000000000ull, 0xc1e0000000200000ull,
    };
    static const uint32_t f[] = {
        0, 0x80000000u, 0x3f800000u, 0xbfc00000u, 0x7f800000u, 0xff800000u, 0x7fc00000u,
        0x7fa00001u, 1, 0x007fffffu, 0x7f7fffffu, 0x4f000000u, 0xdf000000u, 0x3f000000u,
        0x40200000u, 0x00800000u, 0xcf000001u, 0x5f000000u,
    };
    uint64_t sign = (uint64_t)rn(g, 2) << 63;
    switch (rn(g, 5)) {
    case 0: return d[rn(g, sizeof(d) / sizeof(d[0]))];
    case 1: return f[rn(g, sizeof(f) / sizeof(f[0]))] |
                   ((uint64_t)f[rn(g, sizeof(f) / sizeof(f[0]))] << 32);
    case 2: return sign | ((uint64_t)(0x3f0 + rn(g, 64)) << 52) | (rnd(g) >> 12);
    case 3: {
        uint32_t lo = ((uint32_t)(0x70 + rn(g, 32)) << 23) | (uint32_t)(rnd(g) & 0x7fffff);
        uint32_t hi = ((uint32_t)(0x70 + rn(g, 32)) << 23) | (uint32_t)(rnd(g) & 0x7fffff);
        return lo | ((uint64_t)hi << 32) | (sign >> 32);
    }
    default: return rnd(g);
    }
}

/* Quiet any signaling NaN in a lane, seen as a double and as two floats (Unicorn quirk, see top). */
static uint64_t quiet_lane(uint64_t v)
{
    /* floats first: quieting the high float can turn the double into a NaN, never back */
    for (int h = 0; h < 64; h += 32) {
        uint32_t f = (uint32_t)(v >> h);
        if ((f & 0x7f800000u) == 0x7f800000u && (f & 0x7fffffu)) {
            v |= 1ull << (h + 22);
        }
    }
    if ((v & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (v & 0x000fffffffffffffull)) {
        v |= 1ull << 51;
    }
    return v;
}

static void random_state(Gen *g, State *s)
{
    for (int i = 0; i < 16; i++) {
        s->regs[i] = rand_imm(g);
    }
    s->regs[4] = STACK_BASE + 0x1000 - 8 * (uint64_t)rn(g, 4);
    s->regs[15] = R15_VAL;
    s->rflags = 0x202 | (rnd(g) & F_ALL) | (rn(g, 4) == 0 ? 0x400 : 0);
    for (size_t i = 0; i < DATA_SIZE; i += 8) {
        uint64_t v = rn(g, 8) == 0 ? 0 : rn(g, 3) == 0 ? rand_fp_lane(g) : rnd(g);
        v = quiet_lane(v);
        memcpy(s->data + i, &v, 8);
    }
    memset(s->stack, 0, STACK_SIZE);
    for (int i = 0; i < 16; i++) {
        s->xmm[i][0] = quiet_lane(rand_fp_lane(g));
        s->xmm[i][1] = quiet_lane(rand_fp_lane(g));
    }
    /* random rounding mode, all exceptions masked (no FTZ/DAZ: see the Unicorn quirks) */
    s->mxcsr = 0x1f80u | ((uint32_t)rn(g, 4) << 13);
    s->fcw = (uint16_t)(0x37f | (X87_RC ? (rn(g, 4) << 10) : 0));
}

static void report_mem(const char *name, const uint8_t *a, const uint8_t *b, size_t n, uint64_t base)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            printf("#   %s differs at %#llx: numbat %02x unicorn %02x\n", name,
                   (unsigned long long)(base + i), a[i], b[i]);
        }
    }
}

static void report(const Gen *g, const State *in, const State *a, const State *b, const char *what)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < g->len; i++) {
        g_string_append_printf(s, "%02x ", g->code[i]);
    }
    printf("# DIVERGENCE (%s) code: %s\n", what, s->str);
    printf("#   in  flags=%#llx", (unsigned long long)in->rflags);
    for (int i = 0; i < 16; i++) {
        printf(" r%d=%#llx", i, (unsigned long long)in->regs[i]);
    }
    printf("\n#   numbat  rip=%#llx fl=%#llx exc=%d |", (unsigned long long)a->rip,
           (unsigned long long)a->rflags, a->exc);
    for (int i = 0; i < 16; i++) {
        if (a->regs[i] != b->regs[i]) {
            printf(" r%d=%#llx", i, (unsigned long long)a->regs[i]);
        }
    }
    printf("\n#   unicorn rip=%#llx fl=%#llx exc=%d |", (unsigned long long)b->rip,
           (unsigned long long)b->rflags, b->exc);
    for (int i = 0; i < 16; i++) {
        if (a->regs[i] != b->regs[i]) {
            printf(" r%d=%#llx", i, (unsigned long long)b->regs[i]);
        }
    }
    printf("\n");
    printf("#   fcw in %#x, mxcsr in %#x numbat %#x unicorn %#x\n", in->fcw, in->mxcsr, a->mxcsr, b->mxcsr);
    for (int i = 0; i < 16; i++) {
        if (memcmp(a->xmm[i], b->xmm[i], 16)) {
            printf("#   xmm%d in %016llx:%016llx numbat %016llx:%016llx unicorn %016llx:%016llx\n", i,
                   (unsigned long long)in->xmm[i][1], (unsigned long long)in->xmm[i][0],
                   (unsigned long long)a->xmm[i][1], (unsigned long long)a->xmm[i][0],
                   (unsigned long long)b->xmm[i][1], (unsigned long long)b->xmm[i][0]);
        }
    }
    report_mem("data", a->data, b->data, DATA_SIZE, DATA_BASE);
    if (getenv("DIFF_DUMP")) {
        uint64_t off = strtoull(getenv("DIFF_DUMP"), NULL, 0), v;
        memcpy(&v, in->data + off, 8);
        printf("#   input qword at %#llx: %016llx\n", (unsigned long long)(DATA_BASE + off), (unsigned long long)v);
    }
    report_mem("stack", a->stack, b->stack, STACK_SIZE, STACK_BASE);
    g_string_free(s, TRUE);
}

static bool f32_nan(uint32_t v) { return (v & 0x7f800000u) == 0x7f800000u && (v & 0x7fffffu); }
static bool f64_nan(uint64_t v)
{
    return (v & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (v & 0x000fffffffffffffull);
}

/* Equal, or (when loose) different only where both hold a NaN: whole 64-bit lanes as
   doubles, or 32-bit halves as floats. */
static bool same_lanes(const void *x, const void *y, size_t n, bool loose)
{
    if (!memcmp(x, y, n)) {
        return true;
    }
    for (size_t i = 0; loose && i < n; i += 8) {
        uint64_t u, v;
        memcpy(&u, (const uint8_t *)x + i, 8);
        memcpy(&v, (const uint8_t *)y + i, 8);
        if (u == v || (f64_nan(u) && f64_nan(v))) {
            continue;
        }
        for (int h = 0; h < 64; h += 32) {
            uint32_t a = (uint32_t)(u >> h), b = (uint32_t)(v >> h);
            if (a != b && !(f32_nan(a) && f32_nan(b))) {
                return false;
            }
        }
    }
    return loose;
}

/* Compare; returns true when equal modulo the undefined flags. */
static bool compare(const Gen *g, const State *in, const State *a, const State *b)
{
    const char *what = NULL;
    uint64_t fm = (F_ALL | 0x400) & ~(uint64_t)g->undef;
    if (a->exc != b->exc) {
        what = "exception";
    } else if (a->exc >= 0) {
        /* Both faulted: the flags as before the faulting instruction, where that is known
           (not after an unmapped access: see the Unicorn quirks at the top). */
        uint64_t off = a->rip - CODE_BASE;
        fm = off < MAX_CODE && g->undef_at[off] != UNDEF_UNKNOWN && !b->mem_fault
             ? (F_ALL | 0x400) & ~(uint64_t)g->undef_at[off] : 0;
    }
    if (!what && a->rip != b->rip) {
        what = "rip";
    }
    if (!what && memcmp(a->regs, b->regs, sizeof(a->regs))) {
        what = "regs";
    }
    if (!what && ((a->rflags ^ b->rflags) & fm)) {
        what = "flags";
    }
    if (!what && !same_lanes(a->xmm, b->xmm, sizeof(a->xmm), g->fp_nan)) {
        what = "xmm";
    }
    if (!what && ((a->mxcsr ^ b->mxcsr) & MXCSR_CMP_MASK)) {
        what = "mxcsr";
    }
    if (!what && !same_lanes(a->data, b->data, DATA_SIZE, g->fp_nan)) {
        what = "data memory";
    }
    if (!what && memcmp(a->stack, b->stack, STACK_SIZE)) {
        what = "stack memory";
    }
    if (what) {
        report(g, in, a, b, what);
        return false;
    }
    return true;
}

static State st_in, st_a, st_b;

static void run_sequence(Diff *d, Gen *g)
{
    random_state(g, &st_in);
    run_numbat(d, g, &st_in, &st_a);
    run_unicorn(d, g, &st_in, &st_b);
    d->sequences++;
    if (st_a.exc >= 0) {
        d->exceptions++;
    }
    if (!compare(g, &st_in, &st_a, &st_b)) {
        d->divergences++;
    }
}

static uint64_t opt_count = 20000, opt_seed = 0x5eed1234abcdull;

/* Random sequences of 1..8 instructions drawn from every generator. */
static void test_random(void)
{
    Diff d;
    diff_init(&d);
    Gen g = { .rng = opt_seed };
    for (uint64_t i = 0; i < opt_count; i++) {
        g.len = 0;
        g.undef = 0;
        memset(g.undef_at, 0xff, sizeof(g.undef_at));
        g.fp_nan = false;
        g.ninsn = 0;
        int n = 1 + rn(&g, 8);
        for (int k = 0; k < n; k++) {
            gen_one(&g, -1);
        }
        run_sequence(&d, &g);
        if (d.divergences >= 20) {
            break;
        }
    }
    printf("# random: %llu sequences, %llu with exceptions, %llu divergences\n",
           (unsigned long long)d.sequences, (unsigned long long)d.exceptions,
           (unsigned long long)d.divergences);
    g_assert_cmpuint(d.divergences, ==, 0);
    g_assert_cmpuint(d.sequences, ==, opt_count);
    diff_fini(&d);
}

/* Enumerated: every generator in turn, each many times with single instructions. */
static void test_enumerated(void)
{
    Diff d;
    diff_init(&d);
    Gen g = { .rng = opt_seed ^ 0x9e3779b97f4a7c15ull };
    uint64_t per = opt_count / 10 / NGENS + 1;
    for (size_t k = 0; k < NGENS; k++) {
        for (uint64_t i = 0; i < per; i++) {
            g.len = 0;
            g.undef = 0;
            memset(g.undef_at, 0xff, sizeof(g.undef_at));
        memset(g.undef_at, 0xff, sizeof(g.undef_at));
        g.fp_nan = false;
            gen_one(&g, (int)k);
            run_sequence(&d, &g);
        }
    }
    /* Every ALU opcode byte 00-3d, each with register and memory forms. */
    for (int op = 0; op < 0x40; op++) {
        if ((op & 7) > 5) {
            continue;
        }
        for (int i = 0; i < 40; i++) {
            g.len = 0;
            g.undef = 0;
            memset(g.undef_at, 0xff, sizeof(g.undef_at));
        memset(g.undef_at, 0xff, sizeof(g.undef_at));
        g.fp_nan = false;
            if ((op & 7) >= 4) {
                if ((op & 7) == 5 && i % 3) {
                    b(&g, i % 3 == 1 ? 0x66 : 0x48);
                }
                b(&g, (uint8_t)op);
                bn(&g, rand_imm(&g), (op & 7) == 4 ? 1 : (g.len == 2 && g.code[0] == 0x66) ? 2 : 4);
            } else {
                Opnd o;
                pick_opnd(&g, &o, (op & 1) ? rand_vsize(&g) : 1, !(op & 2) && (op >> 3) != 7, i & 1);
                uint8_t opc = (uint8_t)op;
                emit(&g, &o, &opc, 1, false, 0);
            }
            int alu = op >> 3;
            defined(&g, F_ALL, (alu == 1 || alu == 4 || alu == 6) ? U_LOGIC : 0);
            run_sequence(&d, &g);
        }
    }
    printf("# enumerated: %llu sequences, %llu divergences\n",
           (unsigned long long)d.sequences, (unsigned long long)d.divergences);
    g_assert_cmpuint(d.divergences, ==, 0);
    diff_fini(&d);
}

int main(int argc, char **argv)
{
    /* Our own options first; the rest go to GTest (--tap, -p ...). */
    int out = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            opt_count = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            opt_seed = strtoull(argv[++i], NULL, 0) | 1;
        } else {
            argv[out++] = argv[i];
        }
    }
    argc = out;
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i386/diff/random", test_random);
    g_test_add_func("/i386/diff/enumerated", test_enumerated);
    return g_test_run();
}
