/* SSE/SSE2 helpers shared by the exec-sse*.c handler files: availability checks, XMM operands, host MXCSR. */
#ifndef TARGET_I386_SSE_H
#define TARGET_I386_SSE_H

#include <string.h>
#include "target/i386/exec.h"

/* One XMM value seen as lanes of any width (the host is little-endian x86-64, see fpu-host.h). */
typedef union XV {
    uint8_t b[16];
    int8_t sb[16];
    uint16_t w[8];
    int16_t sw[8];
    uint32_t d[4];
    int32_t sd[4];
    uint64_t q[2];
    int64_t sq[2];
    float f[4];
    double fd[2];
} XV;

#define MXCSR_DAZ 0x40u
#define MXCSR_MASK 0xffffu          /* every defined bit, DAZ included, is writable */

/* CR0.EM or CR4.OSFXSR clear: #UD; CR0.TS: #NM. */
static inline void sse_check(X86CPU *cpu)
{
    const CPUX86State *env = &cpu->env;
    if (__builtin_expect((env->cr[0] & (CR0_EM | CR0_TS)) || !(env->cr[4] & CR4_OSFXSR), 0)) {
        if ((env->cr[0] & CR0_EM) || !(env->cr[4] & CR4_OSFXSR)) {
            x86_raise_ud(cpu);
        }
        x86_raise(cpu, EXCP_NM, 0, false);
    }
}

static inline XV xv_reg(const CPUX86State *env, int r)
{
    XV v;
    memcpy(&v, &env->xmm[r], 16);
    return v;
}

static inline void xv_set(CPUX86State *env, int r, const XV *v)
{
    memcpy(&env->xmm[r], v, 16);
}

/* Legacy-SSE 128-bit memory operands must be 16-byte aligned unless the form says otherwise. */
static inline XV xv_load(X86CPU *cpu, uint64_t lin, bool aligned)
{
    if (aligned && (lin & 15)) {
        x86_raise_gp(cpu, 0);
    }
    XV v;
    v.q[0] = x86_ld(cpu, lin, 8);
    v.q[1] = x86_ld(cpu, lin + 8, 8);
    return v;
}

static inline void xv_store(X86CPU *cpu, uint64_t lin, const XV *v, bool aligned)
{
    if (aligned && (lin & 15)) {
        x86_raise_gp(cpu, 0);
    }
    if ((lin & 0xfff) > 0xff0) {
        x86_probe_write(cpu, lin, 16);  /* both pages writable before either half is stored */
    }
    x86_st(cpu, lin, 8, v->q[0]);
    x86_st(cpu, lin + 8, 8, v->q[1]);
}

/* The r/m operand as 128 bits (register, or memory with the alignment rule). */
static inline XV xv_rm(X86CPU *cpu, const X86Insn *in, bool aligned)
{
    if (in->mod == 3) {
        return xv_reg(&cpu->env, in->rm);
    }
    return xv_load(cpu, insn_lin(cpu, in), aligned);
}

/* The r/m operand's low 32 or 64 bits (scalar forms: no alignment, only size bytes read). */
static inline uint64_t xv_rm_low(X86CPU *cpu, const X86Insn *in, int size)
{
    if (in->mod == 3) {
        uint64_t q = cpu->env.xmm[in->rm].q[0];
        return size == 8 ? q : (uint32_t)q;
    }
    return x86_ld(cpu, insn_lin(cpu, in), size);
}

/* Host SSE unit under the guest's MXCSR (rounding, DAZ, FTZ), all exceptions masked. */
static inline unsigned sse_fp_begin(const CPUX86State *env)
{
    unsigned old = __builtin_ia32_stmxcsr();
    __builtin_ia32_ldmxcsr((env->mxcsr & 0xffc0u) | 0x1f80u);
    return old;
}

static inline unsigned sse_fp_end(unsigned old)
{
    unsigned m = __builtin_ia32_stmxcsr();
    __builtin_ia32_ldmxcsr(old);
    return m & 0x3f;
}

/* Merge exception flags into MXCSR; an unmasked one raises #XM (#UD without OSXMMEXCPT). */
static inline void sse_fp_flags(X86CPU *cpu, unsigned f)
{
    CPUX86State *env = &cpu->env;
    if (f & ~(env->mxcsr >> 7) & 0x3f) {
        env->mxcsr |= f;
        if (!(env->cr[4] & CR4_OSXMMEXCPT)) {
            x86_raise_ud(cpu);
        }
        x86_raise(cpu, EXCP_XM, 0, false);
    }
    env->mxcsr |= f;
}


/* Handlers in exec-sse2.c (integer) and exec-sse3.c (floating point), table in exec-sse.c. */
#define SSE_INT_OPS(X) \
    X(punpcklbw) X(punpcklwd) X(punpckldq) X(packsswb) X(pcmpgtb) X(pcmpgtw) X(pcmpgtd) \
    X(packuswb) X(punpckhbw) X(punpckhwd) X(punpckhdq) X(packssdw) X(punpcklqdq) X(punpckhqdq) \
    X(pcmpeqb) X(pcmpeqw) X(pcmpeqd) X(psrlw) X(psrld) X(psrlq) X(paddq) X(pmullw) X(psubusb) \
    X(psubusw) X(pminub) X(pand) X(paddusb) X(paddusw) X(pmaxub) X(pandn) X(pavgb) X(psraw) \
    X(psrad) X(pavgw) X(pmulhuw) X(pmulhw) X(psubsb) X(psubsw) X(pminsw) X(por) X(paddsb) \
    X(paddsw) X(pmaxsw) X(pxor) X(psllw) X(pslld) X(psllq) X(pmuludq) X(pmaddwd) X(psadbw) \
    X(psubb) X(psubw) X(psubd) X(psubq) X(paddb) X(paddw) X(paddd) X(unpcklps) X(unpckhps) \
    X(unpcklpd) X(unpckhpd)
#define SSE_OTHER_OPS(X) \
    X(pshufd) X(pshufhw) X(pshuflw) X(pshift_imm) X(pmovmskb) X(pinsrw) X(pextrw) X(shufps) \
    X(shufpd) X(movmskps) X(movmskpd) \
    X(addps) X(addpd) X(addss) X(addsd) X(mulps) X(mulpd) X(mulss) X(mulsd) \
    X(subps) X(subpd) X(subss) X(subsd) X(minps) X(minpd) X(minss) X(minsd) \
    X(divps) X(divpd) X(divss) X(divsd) X(maxps) X(maxpd) X(maxss) X(maxsd) \
    X(sqrtps) X(sqrtpd) X(sqrtss) X(sqrtsd) X(cmpps) X(cmppd) X(cmpss) X(cmpsd) \
    X(comiss) X(comisd) X(ucomiss) X(ucomisd) X(cvtsi2ss) X(cvtsi2sd) X(cvttss2si) \
    X(cvttsd2si) X(cvtss2si) X(cvtsd2si) X(cvtps2pd) X(cvtpd2ps) X(cvtss2sd) X(cvtsd2ss) \
    X(cvtdq2ps) X(cvtps2dq) X(cvttps2dq) X(cvttpd2dq) X(cvtdq2pd) X(cvtpd2dq)
#define SSE_DECL(n) HANDLER(sse_##n);
SSE_INT_OPS(SSE_DECL)
SSE_OTHER_OPS(SSE_DECL)

#endif
