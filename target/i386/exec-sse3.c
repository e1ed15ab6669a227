/*
 * SSE/SSE2 floating point: arithmetic, compares and conversions, executed by the host's own SSE
 * unit under the guest's MXCSR so results, NaN rules and exception flags are the hardware's.
 */
#include <emmintrin.h>
#include "target/i386/sse.h"

/* Keep the compiler from moving FP work across the host MXCSR switches. */
#define FENCE(x) __asm__ volatile("" : "+x"(x))
#define FENCE_R(x) __asm__ volatile("" : "+r"(x))

enum { K_PS, K_PD, K_SS, K_SD };
enum { F_ADD, F_MUL, F_SUB, F_MIN, F_DIV, F_MAX, F_SQRT, F_CMP };

/* Operands: a = destination register, b = r/m (128-bit aligned for packed, 32/64-bit for scalar). */
static void fp_operands(X86CPU *cpu, const X86Insn *in, int kind, XV *a, XV *b)
{
    sse_check(cpu);
    *a = xv_reg(&cpu->env, in->reg);
    if (kind >= K_SS) {
        b->q[0] = xv_rm_low(cpu, in, kind == K_SS ? 4 : 8);
        b->q[1] = 0;
    } else {
        *b = xv_rm(cpu, in, true);
    }
}

static __m128 cmp_ps(__m128 a, __m128 b, int p, bool scalar)
{
    switch (p & 7) {
    case 0: return scalar ? _mm_cmpeq_ss(a, b) : _mm_cmpeq_ps(a, b);
    case 1: return scalar ? _mm_cmplt_ss(a, b) : _mm_cmplt_ps(a, b);
    case 2: return scalar ? _mm_cmple_ss(a, b) : _mm_cmple_ps(a, b);
    case 3: return scalar ? _mm_cmpunord_ss(a, b) : _mm_cmpunord_ps(a, b);
    case 4: return scalar ? _mm_cmpneq_ss(a, b) : _mm_cmpneq_ps(a, b);
    case 5: return scalar ? _mm_cmpnlt_ss(a, b) : _mm_cmpnlt_ps(a, b);
    case 6: return scalar ? _mm_cmpnle_ss(a, b) : _mm_cmpnle_ps(a, b);
    default: return scalar ? _mm_cmpord_ss(a, b) : _mm_cmpord_ps(a, b);
    }
}

static __m128d cmp_pd(__m128d a, __m128d b, int p, bool scalar)
{
    switch (p & 7) {
    case 0: return scalar ? _mm_cmpeq_sd(a, b) : _mm_cmpeq_pd(a, b);
    case 1: return scalar ? _mm_cmplt_sd(a, b) : _mm_cmplt_pd(a, b);
    case 2: return scalar ? _mm_cmple_sd(a, b) : _mm_cmple_pd(a, b);
    case 3: return scalar ? _mm_cmpunord_sd(a, b) : _mm_cmpunord_pd(a, b);
    case 4: return scalar ? _mm_cmpneq_sd(a, b) : _mm_cmpneq_pd(a, b);
    case 5: return scalar ? _mm_cmpnlt_sd(a, b) : _mm_cmpnlt_pd(a, b);
    case 6: return scalar ? _mm_cmpnle_sd(a, b) : _mm_cmpnle_pd(a, b);
    default: return scalar ? _mm_cmpord_sd(a, b) : _mm_cmpord_pd(a, b);
    }
}

static __m128 op_ps(__m128 a, __m128 b, int op, int imm, bool s)
{
    switch (op) {
    case F_ADD: return s ? _mm_add_ss(a, b) : _mm_add_ps(a, b);
    case F_MUL: return s ? _mm_mul_ss(a, b) : _mm_mul_ps(a, b);
    case F_SUB: return s ? _mm_sub_ss(a, b) : _mm_sub_ps(a, b);
    case F_MIN: return s ? _mm_min_ss(a, b) : _mm_min_ps(a, b);
    case F_DIV: return s ? _mm_div_ss(a, b) : _mm_div_ps(a, b);
    case F_MAX: return s ? _mm_max_ss(a, b) : _mm_max_ps(a, b);
    case F_SQRT: return s ? _mm_move_ss(a, _mm_sqrt_ss(b)) : _mm_sqrt_ps(b);
    default: return cmp_ps(a, b, imm, s);
    }
}

static __m128d op_pd(__m128d a, __m128d b, int op, int imm, bool s)
{
    switch (op) {
    case F_ADD: return s ? _mm_add_sd(a, b) : _mm_add_pd(a, b);
    case F_MUL: return s ? _mm_mul_sd(a, b) : _mm_mul_pd(a, b);
    case F_SUB: return s ? _mm_sub_sd(a, b) : _mm_sub_pd(a, b);
    case F_MIN: return s ? _mm_min_sd(a, b) : _mm_min_pd(a, b);
    case F_DIV: return s ? _mm_div_sd(a, b) : _mm_div_pd(a, b);
    case F_MAX: return s ? _mm_max_sd(a, b) : _mm_max_pd(a, b);
    case F_SQRT: return s ? _mm_sqrt_sd(a, b) : _mm_sqrt_pd(b);
    default: return cmp_pd(a, b, imm, s);
    }
}

static void fp_arith(X86CPU *cpu, const X86Insn *in, int kind, int op)
{
    XV a, b, r;
    fp_operands(cpu, in, kind, &a, &b);
    if (op == F_CMP && (in->imm & 0xff) > 7) {
        x86_raise_ud(cpu);          /* AVX predicates 8-31 need VEX */
    }
    unsigned old = sse_fp_begin(&cpu->env);
    if (kind == K_PS || kind == K_SS) {
        __m128 x = _mm_loadu_ps(a.f), y = _mm_loadu_ps(b.f);
        FENCE(x);
        FENCE(y);
        __m128 z = op_ps(x, y, op, (int)in->imm, kind == K_SS);
        FENCE(z);
        _mm_storeu_ps(r.f, z);
    } else {
        __m128d x = _mm_loadu_pd(a.fd), y = _mm_loadu_pd(b.fd);
        FENCE(x);
        FENCE(y);
        __m128d z = op_pd(x, y, op, (int)in->imm, kind == K_SD);
        FENCE(z);
        _mm_storeu_pd(r.fd, z);
    }
    sse_fp_flags(cpu, sse_fp_end(old));
    xv_set(&cpu->env, in->reg, &r);
}

#define FP4(n, op) \
    HANDLER(sse_##n##ps) { fp_arith(cpu, in, K_PS, op); } \
    HANDLER(sse_##n##pd) { fp_arith(cpu, in, K_PD, op); } \
    HANDLER(sse_##n##ss) { fp_arith(cpu, in, K_SS, op); } \
    HANDLER(sse_##n##sd) { fp_arith(cpu, in, K_SD, op); }
FP4(add, F_ADD) FP4(mul, F_MUL) FP4(sub, F_SUB) FP4(min, F_MIN) FP4(div, F_DIV) FP4(max, F_MAX)
FP4(sqrt, F_SQRT) FP4(cmp, F_CMP)

/* The host's (u)comiss/sd on the low lanes; returns EFLAGS bits 0-7 (ZF PF CF from the compare). */
static unsigned host_comi(__m128i x, __m128i y, bool dbl, bool quiet)
{
    unsigned v;
    if (dbl && quiet) {
        __asm__ volatile("ucomisd %2, %1\n\tlahf\n\tshrl $8, %0" : "=a"(v) : "x"(x), "x"(y) : "cc");
    } else if (dbl) {
        __asm__ volatile("comisd %2, %1\n\tlahf\n\tshrl $8, %0" : "=a"(v) : "x"(x), "x"(y) : "cc");
    } else if (quiet) {
        __asm__ volatile("ucomiss %2, %1\n\tlahf\n\tshrl $8, %0" : "=a"(v) : "x"(x), "x"(y) : "cc");
    } else {
        __asm__ volatile("comiss %2, %1\n\tlahf\n\tshrl $8, %0" : "=a"(v) : "x"(x), "x"(y) : "cc");
    }
    return v & 0xff;
}

/* comis/ucomis: ZF PF CF from the compare, OF SF AF cleared; comis signals on QNaN too. */
static void fp_comi(X86CPU *cpu, const X86Insn *in, bool dbl, bool quiet)
{
    XV a, b;
    fp_operands(cpu, in, dbl ? K_SD : K_SS, &a, &b);
    __m128i x = _mm_loadu_si128((const __m128i *)a.b), y = _mm_loadu_si128((const __m128i *)b.b);
    unsigned old = sse_fp_begin(&cpu->env);
    unsigned fl = host_comi(x, y, dbl, quiet);
    sse_fp_flags(cpu, sse_fp_end(old));
    set_flags(&cpu->env, fl & (X86_ZF | X86_PF | X86_CF));
}

HANDLER(sse_comiss) { fp_comi(cpu, in, false, false); }
HANDLER(sse_comisd) { fp_comi(cpu, in, true, false); }
HANDLER(sse_ucomiss) { fp_comi(cpu, in, false, true); }
HANDLER(sse_ucomisd) { fp_comi(cpu, in, true, true); }

/* cvtsi2ss/sd xmm, r/m32/64 (rounded per MXCSR). */
static void cvt_from_int(X86CPU *cpu, const X86Insn *in, bool dbl)
{
    sse_check(cpu);
    int size = in->opsize == 8 ? 8 : 4;
    int64_t v = (int64_t)x86_sext(load_rm(cpu, in, size), size);
    XV a = xv_reg(&cpu->env, in->reg), r;
    unsigned old = sse_fp_begin(&cpu->env);
    FENCE_R(v);
    if (dbl) {
        __m128d x = _mm_loadu_pd(a.fd);
        x = size == 8 ? _mm_cvtsi64_sd(x, v) : _mm_cvtsi32_sd(x, (int)v);
        FENCE(x);
        _mm_storeu_pd(r.fd, x);
    } else {
        __m128 x = _mm_loadu_ps(a.f);
        x = size == 8 ? _mm_cvtsi64_ss(x, v) : _mm_cvtsi32_ss(x, (int)v);
        FENCE(x);
        _mm_storeu_ps(r.f, x);
    }
    sse_fp_flags(cpu, sse_fp_end(old));
    xv_set(&cpu->env, in->reg, &r);
}

HANDLER(sse_cvtsi2ss) { cvt_from_int(cpu, in, false); }
HANDLER(sse_cvtsi2sd) { cvt_from_int(cpu, in, true); }

/* cvt(t)ss2si / cvt(t)sd2si r32/64, xmm/m: out of range gives the integer indefinite. */
static void cvt_to_int(X86CPU *cpu, const X86Insn *in, bool dbl, bool trunc)
{
    sse_check(cpu);
    int size = in->opsize == 8 ? 8 : 4;
    XV b;
    b.q[0] = xv_rm_low(cpu, in, dbl ? 8 : 4);
    b.q[1] = 0;
    int64_t r;
    unsigned old = sse_fp_begin(&cpu->env);
    if (dbl) {
        __m128d y = _mm_loadu_pd(b.fd);
        FENCE(y);
        r = size == 8 ? (trunc ? _mm_cvttsd_si64(y) : _mm_cvtsd_si64(y))
                      : (uint32_t)(trunc ? _mm_cvttsd_si32(y) : _mm_cvtsd_si32(y));
    } else {
        __m128 y = _mm_loadu_ps(b.f);
        FENCE(y);
        r = size == 8 ? (trunc ? _mm_cvttss_si64(y) : _mm_cvtss_si64(y))
                      : (uint32_t)(trunc ? _mm_cvttss_si32(y) : _mm_cvtss_si32(y));
    }
    FENCE_R(r);
    sse_fp_flags(cpu, sse_fp_end(old));
    reg_write(&cpu->env, in, in->reg, size, (uint64_t)r);
}

HANDLER(sse_cvttss2si) { cvt_to_int(cpu, in, false, true); }
HANDLER(sse_cvttsd2si) { cvt_to_int(cpu, in, true, true); }
HANDLER(sse_cvtss2si) { cvt_to_int(cpu, in, false, false); }
HANDLER(sse_cvtsd2si) { cvt_to_int(cpu, in, true, false); }

/* Packed/scalar format conversions. kind selects the operand width read from r/m. */
enum { C_PS2PD, C_PD2PS, C_SS2SD, C_SD2SS, C_DQ2PS, C_PS2DQ, C_TPS2DQ, C_TPD2DQ, C_DQ2PD, C_PD2DQ };

static __m128i cvt_op(int c, __m128i x, __m128i y)
{
    switch (c) {
    case C_PS2PD: return _mm_castpd_si128(_mm_cvtps_pd(_mm_castsi128_ps(y)));
    case C_PD2PS: return _mm_castps_si128(_mm_cvtpd_ps(_mm_castsi128_pd(y)));
    case C_SS2SD: return _mm_castpd_si128(_mm_cvtss_sd(_mm_castsi128_pd(x), _mm_castsi128_ps(y)));
    case C_SD2SS: return _mm_castps_si128(_mm_cvtsd_ss(_mm_castsi128_ps(x), _mm_castsi128_pd(y)));
    case C_DQ2PS: return _mm_castps_si128(_mm_cvtepi32_ps(y));
    case C_PS2DQ: return _mm_cvtps_epi32(_mm_castsi128_ps(y));
    case C_TPS2DQ: return _mm_cvttps_epi32(_mm_castsi128_ps(y));
    case C_TPD2DQ: return _mm_cvttpd_epi32(_mm_castsi128_pd(y));
    case C_DQ2PD: return _mm_castpd_si128(_mm_cvtepi32_pd(y));
    default: return _mm_cvtpd_epi32(_mm_castsi128_pd(y));
    }
}

static void fp_convert(X86CPU *cpu, const X86Insn *in, int c)
{
    sse_check(cpu);
    XV a = xv_reg(&cpu->env, in->reg), b, r;
    int low = c == C_SS2SD ? 4 : (c == C_SD2SS || c == C_PS2PD || c == C_DQ2PD) ? 8 : 0;
    if (low) {
        b.q[0] = xv_rm_low(cpu, in, low);
        b.q[1] = 0;
    } else {
        b = xv_rm(cpu, in, true);
    }
    unsigned old = sse_fp_begin(&cpu->env);
    __m128i x = _mm_loadu_si128((const __m128i *)a.b), y = _mm_loadu_si128((const __m128i *)b.b);
    FENCE(x);
    FENCE(y);
    __m128i z = cvt_op(c, x, y);
    FENCE(z);
    _mm_storeu_si128((__m128i *)r.b, z);
    sse_fp_flags(cpu, sse_fp_end(old));
    xv_set(&cpu->env, in->reg, &r);
}

HANDLER(sse_cvtps2pd) { fp_convert(cpu, in, C_PS2PD); }
HANDLER(sse_cvtpd2ps) { fp_convert(cpu, in, C_PD2PS); }
HANDLER(sse_cvtss2sd) { fp_convert(cpu, in, C_SS2SD); }
HANDLER(sse_cvtsd2ss) { fp_convert(cpu, in, C_SD2SS); }
HANDLER(sse_cvtdq2ps) { fp_convert(cpu, in, C_DQ2PS); }
HANDLER(sse_cvtps2dq) { fp_convert(cpu, in, C_PS2DQ); }
HANDLER(sse_cvttps2dq) { fp_convert(cpu, in, C_TPS2DQ); }
HANDLER(sse_cvttpd2dq) { fp_convert(cpu, in, C_TPD2DQ); }
HANDLER(sse_cvtdq2pd) { fp_convert(cpu, in, C_DQ2PD); }
HANDLER(sse_cvtpd2dq) { fp_convert(cpu, in, C_PD2DQ); }
