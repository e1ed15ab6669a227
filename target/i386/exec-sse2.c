/* SSE2 integer instructions: lane arithmetic, compares, packs/unpacks, shifts and shuffles on XMM registers. */
#include <stdlib.h>
#include "target/i386/sse.h"

/* r = a op b lane-wise; a is the destination register, b the (aligned) r/m operand. */
#define BINOP(name, body) \
    HANDLER(sse_##name) \
    { \
        sse_check(cpu); \
        CPUX86State *env = &cpu->env; \
        XV b = xv_rm(cpu, in, true), a = xv_reg(env, in->reg), r = a; \
        body; \
        xv_set(env, in->reg, &r); \
    }
#define LANES(n, expr) for (int i = 0; i < (n); i++) { expr; }

static inline int8_t sat_s8(int v) { return (int8_t)(v > 127 ? 127 : v < -128 ? -128 : v); }
static inline uint8_t sat_u8(int v) { return (uint8_t)(v > 255 ? 255 : v < 0 ? 0 : v); }
static inline int16_t sat_s16(int v) { return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v); }
static inline uint16_t sat_u16(int v) { return (uint16_t)(v > 65535 ? 65535 : v < 0 ? 0 : v); }

BINOP(punpcklbw, LANES(8, r.b[2 * i] = a.b[i]; r.b[2 * i + 1] = b.b[i]))
BINOP(punpcklwd, LANES(4, r.w[2 * i] = a.w[i]; r.w[2 * i + 1] = b.w[i]))
BINOP(punpckldq, LANES(2, r.d[2 * i] = a.d[i]; r.d[2 * i + 1] = b.d[i]))
BINOP(punpcklqdq, r.q[1] = b.q[0])
BINOP(punpckhbw, LANES(8, r.b[2 * i] = a.b[8 + i]; r.b[2 * i + 1] = b.b[8 + i]))
BINOP(punpckhwd, LANES(4, r.w[2 * i] = a.w[4 + i]; r.w[2 * i + 1] = b.w[4 + i]))
BINOP(punpckhdq, LANES(2, r.d[2 * i] = a.d[2 + i]; r.d[2 * i + 1] = b.d[2 + i]))
BINOP(punpckhqdq, r.q[0] = a.q[1]; r.q[1] = b.q[1])
BINOP(unpcklps, LANES(2, r.d[2 * i] = a.d[i]; r.d[2 * i + 1] = b.d[i]))
BINOP(unpckhps, LANES(2, r.d[2 * i] = a.d[2 + i]; r.d[2 * i + 1] = b.d[2 + i]))
BINOP(unpcklpd, r.q[1] = b.q[0])
BINOP(unpckhpd, r.q[0] = a.q[1]; r.q[1] = b.q[1])
BINOP(packsswb, LANES(8, r.sb[i] = sat_s8(a.sw[i]); r.sb[8 + i] = sat_s8(b.sw[i])))
BINOP(packuswb, LANES(8, r.b[i] = sat_u8(a.sw[i]); r.b[8 + i] = sat_u8(b.sw[i])))
BINOP(packssdw, LANES(4, r.sw[i] = sat_s16(a.sd[i]); r.sw[4 + i] = sat_s16(b.sd[i])))
BINOP(pcmpgtb, LANES(16, r.b[i] = a.sb[i] > b.sb[i] ? 0xff : 0))
BINOP(pcmpgtw, LANES(8, r.w[i] = a.sw[i] > b.sw[i] ? 0xffff : 0))
BINOP(pcmpgtd, LANES(4, r.d[i] = a.sd[i] > b.sd[i] ? ~0u : 0))
BINOP(pcmpeqb, LANES(16, r.b[i] = a.b[i] == b.b[i] ? 0xff : 0))
BINOP(pcmpeqw, LANES(8, r.w[i] = a.w[i] == b.w[i] ? 0xffff : 0))
BINOP(pcmpeqd, LANES(4, r.d[i] = a.d[i] == b.d[i] ? ~0u : 0))
BINOP(paddb, LANES(16, r.b[i] = (uint8_t)(a.b[i] + b.b[i])))
BINOP(paddw, LANES(8, r.w[i] = (uint16_t)(a.w[i] + b.w[i])))
BINOP(paddd, LANES(4, r.d[i] = a.d[i] + b.d[i]))
BINOP(paddq, LANES(2, r.q[i] = a.q[i] + b.q[i]))
BINOP(psubb, LANES(16, r.b[i] = (uint8_t)(a.b[i] - b.b[i])))
BINOP(psubw, LANES(8, r.w[i] = (uint16_t)(a.w[i] - b.w[i])))
BINOP(psubd, LANES(4, r.d[i] = a.d[i] - b.d[i]))
BINOP(psubq, LANES(2, r.q[i] = a.q[i] - b.q[i]))
BINOP(paddsb, LANES(16, r.sb[i] = sat_s8(a.sb[i] + b.sb[i])))
BINOP(paddsw, LANES(8, r.sw[i] = sat_s16(a.sw[i] + b.sw[i])))
BINOP(paddusb, LANES(16, r.b[i] = sat_u8(a.b[i] + b.b[i])))
BINOP(paddusw, LANES(8, r.w[i] = sat_u16(a.w[i] + b.w[i])))
BINOP(psubsb, LANES(16, r.sb[i] = sat_s8(a.sb[i] - b.sb[i])))
BINOP(psubsw, LANES(8, r.sw[i] = sat_s16(a.sw[i] - b.sw[i])))
BINOP(psubusb, LANES(16, r.b[i] = sat_u8(a.b[i] - b.b[i])))
BINOP(psubusw, LANES(8, r.w[i] = sat_u16(a.w[i] - b.w[i])))
BINOP(pminub, LANES(16, r.b[i] = a.b[i] < b.b[i] ? a.b[i] : b.b[i]))
BINOP(pmaxub, LANES(16, r.b[i] = a.b[i] > b.b[i] ? a.b[i] : b.b[i]))
BINOP(pminsw, LANES(8, r.sw[i] = a.sw[i] < b.sw[i] ? a.sw[i] : b.sw[i]))
BINOP(pmaxsw, LANES(8, r.sw[i] = a.sw[i] > b.sw[i] ? a.sw[i] : b.sw[i]))
BINOP(pavgb, LANES(16, r.b[i] = (uint8_t)((a.b[i] + b.b[i] + 1) >> 1)))
BINOP(pavgw, LANES(8, r.w[i] = (uint16_t)((a.w[i] + b.w[i] + 1) >> 1)))
BINOP(pmullw, LANES(8, r.w[i] = (uint16_t)(a.sw[i] * b.sw[i])))
BINOP(pmulhw, LANES(8, r.w[i] = (uint16_t)((a.sw[i] * b.sw[i]) >> 16)))
BINOP(pmulhuw, LANES(8, r.w[i] = (uint16_t)(((uint32_t)a.w[i] * b.w[i]) >> 16)))
BINOP(pmuludq, LANES(2, r.q[i] = (uint64_t)a.d[2 * i] * b.d[2 * i]))
BINOP(pmaddwd, LANES(4, r.d[i] = (uint32_t)(a.sw[2 * i] * b.sw[2 * i]) +
                                 (uint32_t)(a.sw[2 * i + 1] * b.sw[2 * i + 1])))
BINOP(psadbw, LANES(2, uint32_t s = 0;
                       for (int k = 0; k < 8; k++) {
                           s += (uint32_t)abs(a.b[8 * i + k] - b.b[8 * i + k]);
                       }
                       r.q[i] = s))
BINOP(pand, LANES(2, r.q[i] = a.q[i] & b.q[i]))
BINOP(pandn, LANES(2, r.q[i] = ~a.q[i] & b.q[i]))
BINOP(por, LANES(2, r.q[i] = a.q[i] | b.q[i]))
BINOP(pxor, LANES(2, r.q[i] = a.q[i] ^ b.q[i]))

/* Shifts by a count (from an XMM register/m128 or an immediate); kind 0 srl, 1 sra, 2 sll. */
static void shift_lanes(XV *r, int width, int kind, uint64_t n)
{
    int lanes = 16 / width, bits = width * 8;
    for (int i = 0; i < lanes; i++) {
        uint64_t v = width == 2 ? r->w[i] : width == 4 ? r->d[i] : r->q[i];
        int64_t sv = width == 2 ? r->sw[i] : width == 4 ? r->sd[i] : r->sq[i];
        if (kind == 1) {
            v = (uint64_t)(sv >> (n >= (uint64_t)bits ? bits - 1 : (int)n));
        } else if (n >= (uint64_t)bits) {
            v = 0;
        } else {
            v = kind == 0 ? v >> n : v << n;
        }
        if (width == 2) {
            r->w[i] = (uint16_t)v;
        } else if (width == 4) {
            r->d[i] = (uint32_t)v;
        } else {
            r->q[i] = v;
        }
    }
}

#define SHIFTOP(name, width, kind) \
    BINOP(name, shift_lanes(&r, width, kind, b.q[0]))
SHIFTOP(psrlw, 2, 0) SHIFTOP(psrld, 4, 0) SHIFTOP(psrlq, 8, 0)
SHIFTOP(psraw, 2, 1) SHIFTOP(psrad, 4, 1)
SHIFTOP(psllw, 2, 2) SHIFTOP(pslld, 4, 2) SHIFTOP(psllq, 8, 2)

/* 66 0F 71/72/73 /r ib: shifts by immediate, and psrldq/pslldq (byte shifts of the whole register). */
HANDLER(sse_pshift_imm)
{
    sse_check(cpu);
    CPUX86State *env = &cpu->env;
    int op = in->reg & 7, width = in->opc == 0x171 ? 2 : in->opc == 0x172 ? 4 : 8;
    unsigned n = (unsigned)in->imm & 0xff;
    if (in->mod != 3) {
        x86_raise_ud(cpu);
    }
    XV r = xv_reg(env, in->rm);
    if (width == 8 && (op == 3 || op == 7)) {
        XV s = r;
        memset(&r, 0, sizeof(r));
        for (int i = 0; i < 16; i++) {
            int src = op == 3 ? i + (int)n : i - (int)n;
            if (n < 16 && src >= 0 && src < 16) {
                r.b[i] = s.b[src];
            }
        }
    } else if (op == 2 || op == 6 || (op == 4 && width != 8)) {
        shift_lanes(&r, width, op == 2 ? 0 : op == 4 ? 1 : 2, n);
    } else {
        x86_raise_ud(cpu);
    }
    xv_set(env, in->rm, &r);
}

HANDLER(sse_pshufd)
{
    sse_check(cpu);
    XV s = xv_rm(cpu, in, true), r;
    LANES(4, r.d[i] = s.d[(in->imm >> (2 * i)) & 3])
    xv_set(&cpu->env, in->reg, &r);
}

HANDLER(sse_pshuflw)
{
    sse_check(cpu);
    XV s = xv_rm(cpu, in, true), r = s;
    LANES(4, r.w[i] = s.w[(in->imm >> (2 * i)) & 3])
    xv_set(&cpu->env, in->reg, &r);
}

HANDLER(sse_pshufhw)
{
    sse_check(cpu);
    XV s = xv_rm(cpu, in, true), r = s;
    LANES(4, r.w[4 + i] = s.w[4 + ((in->imm >> (2 * i)) & 3)])
    xv_set(&cpu->env, in->reg, &r);
}

HANDLER(sse_shufps)
{
    sse_check(cpu);
    XV b = xv_rm(cpu, in, true), a = xv_reg(&cpu->env, in->reg), r;
    r.d[0] = a.d[in->imm & 3];
    r.d[1] = a.d[(in->imm >> 2) & 3];
    r.d[2] = b.d[(in->imm >> 4) & 3];
    r.d[3] = b.d[(in->imm >> 6) & 3];
    xv_set(&cpu->env, in->reg, &r);
}

HANDLER(sse_shufpd)
{
    sse_check(cpu);
    XV b = xv_rm(cpu, in, true), a = xv_reg(&cpu->env, in->reg), r;
    r.q[0] = a.q[in->imm & 1];
    r.q[1] = b.q[(in->imm >> 1) & 1];
    xv_set(&cpu->env, in->reg, &r);
}

/* Sign-bit masks into a general register (register source only). */
static void movmsk(X86CPU *cpu, const X86Insn *in, int width)
{
    sse_check(cpu);
    if (in->mod != 3) {
        x86_raise_ud(cpu);
    }
    XV s = xv_reg(&cpu->env, in->rm);
    uint32_t m = 0;
    for (int i = 0; i < 16 / width; i++) {
        m |= (uint32_t)(s.b[(i + 1) * width - 1] >> 7) << i;
    }
    cpu->env.regs[in->reg] = m;
}

HANDLER(sse_pmovmskb) { movmsk(cpu, in, 1); }
HANDLER(sse_movmskps) { movmsk(cpu, in, 4); }
HANDLER(sse_movmskpd) { movmsk(cpu, in, 8); }

HANDLER(sse_pinsrw)
{
    sse_check(cpu);
    uint16_t v = (uint16_t)(in->mod == 3 ? cpu->env.regs[in->rm] : x86_ld(cpu, insn_lin(cpu, in), 2));
    XV r = xv_reg(&cpu->env, in->reg);
    r.w[in->imm & 7] = v;
    xv_set(&cpu->env, in->reg, &r);
}

HANDLER(sse_pextrw)
{
    sse_check(cpu);
    if (in->mod != 3) {
        x86_raise_ud(cpu);
    }
    XV s = xv_reg(&cpu->env, in->rm);
    cpu->env.regs[in->reg] = s.w[in->imm & 7];
}
