/* x87 FPU: D9/DA/DB register forms (constants, transcendental ops, fcmov, fcomi) and environment save/restore. */
#include <math.h>
#include "target/i386/fpu-x87.h"

void x87_fcomi(X86CPU *cpu, int i, bool quiet, bool pop);
void x87_fucompp(CPUX86State *env);

uint16_t x87_full_tags(const CPUX86State *env)
{
    uint16_t tw = 0;
    for (int p = 0; p < 8; p++) {
        unsigned t;
        const X86FpReg *r = &env->fpregs[p];
        if (!(env->ftw & (1u << p))) {
            t = 3;
        } else if ((r->exp & 0x7fff) == 0x7fff) {
            t = 2;
        } else if ((r->exp & 0x7fff) == 0) {
            t = r->mant == 0 ? 1 : 2;
        } else {
            t = (r->mant >> 63) ? 0 : 2;
        }
        tw |= (uint16_t)(t << (2 * p));
    }
    return tw;
}

void x87_set_full_tags(CPUX86State *env, uint16_t tw)
{
    env->ftw = 0;
    for (int p = 0; p < 8; p++) {
        if (((tw >> (2 * p)) & 3) != 3) {
            env->ftw |= (uint16_t)(1u << p);
        }
    }
}

void x87_fldcw(X86CPU *cpu, uint16_t cw)
{
    cpu->env.fcw = cw | 0x40;
    x87_update_es(&cpu->env);
}

/* fnstenv/fldenv (full=false) and fnsave/frstor (full=true), 28- or 14-byte environment. */
void x87_fldenv_fsave(X86CPU *cpu, const X86Insn *in, bool save, bool full)
{
    CPUX86State *env = &cpu->env;
    uint64_t lin = insn_lin(cpu, in);
    int w = in->opsize == 2 ? 2 : 4, envsz = 7 * w;
    if (save) {
        x86_probe_write(cpu, lin, envsz + (full ? 80 : 0));
        uint64_t v[7] = { env->fcw, env->fsw, x87_full_tags(env), (uint32_t)env->fip,
                          env->segs[R_CS].sel | ((uint64_t)(env->fop & 0x7ff) << 16),
                          (uint32_t)env->fdp, env->segs[R_DS].sel };
        for (int k = 0; k < 7; k++) {
            x86_st(cpu, lin + k * w, w, w == 2 ? (uint16_t)v[k] : (uint32_t)v[k]);
        }
        for (int i = 0; full && i < 8; i++) {
            const X86FpReg *r = &env->fpregs[fp_phys(env, i)];
            x86_st(cpu, lin + envsz + 10 * i, 8, r->mant);
            x86_st(cpu, lin + envsz + 10 * i + 8, 2, r->exp);
        }
        if (full) {
            x87_init(env);
        } else {
            env->fcw |= 0x3f;
            x87_update_es(env);
        }
        return;
    }
    uint64_t v[7];
    X86FpReg regs[8];
    for (int k = 0; k < 7; k++) {
        v[k] = x86_ld(cpu, lin + k * w, w);
    }
    for (int i = 0; full && i < 8; i++) {
        regs[i].mant = x86_ld(cpu, lin + envsz + 10 * i, 8);
        regs[i].exp = (uint16_t)x86_ld(cpu, lin + envsz + 10 * i + 8, 2);
    }
    env->fcw = (uint16_t)v[0] | 0x40;
    env->fsw = (uint16_t)v[1];
    x87_set_full_tags(env, (uint16_t)v[2]);
    env->fip = (uint32_t)v[3];
    env->fop = (uint16_t)((v[4] >> 16) & 0x7ff);
    env->fdp = (uint32_t)v[5];
    for (int i = 0; full && i < 8; i++) {
        env->fpregs[fp_phys(env, i)] = regs[i];
    }
    x87_update_es(env);
}

static long double x87_const(int k)
{
    static const long double c[7] = {
        1.0L, 3.321928094887362347870319429489390175864831393L, 1.442695040888963407359924681001892137L,
        3.141592653589793238462643383279502884L, 0.301029995663981195213738894724493026768189881L,
        0.693147180559945309417232121458176568L, 0.0L };
    return c[k];
}

/* ST(0) -> ST(0) unary ops: fchs fabs fsqrt frndint fsin fcos f2xm1. */
static void x87_unary(CPUX86State *env, int which)
{
    if (fp_empty(env, 0)) {
        if (!x87_underflow(env)) {
            fp_set_st(env, 0, fp_indefinite());
        }
        return;
    }
    volatile long double a = fp_st(env, 0), r;
    fpx_begin((env->fcw >> 10) & 3);
    switch (which) {
    case 0: r = -a; break;
    case 1: r = fabsl(a); break;
    case 2: r = sqrtl(a); break;
    case 3: r = rintl(a); break;
    case 4: r = sinl(a); break;
    case 5: r = cosl(a); break;
    default: r = exp2l(a) - 1.0L; break;
    }
    unsigned f = fpx_end();
    if (which <= 1) {
        f = 0;                      /* fchs/fabs never signal */
    }
    env->fsw &= ~(FSW_C1 | (which >= 4 && which <= 5 ? FSW_C2 : 0));
    if (!x87_flags(env, f)) {
        fp_set_st(env, 0, r);
    }
}

/* Two-operand ops on ST(0) and ST(1): fyl2x fpatan fyl2xp1 fscale fprem fprem1. */
static void x87_binary(CPUX86State *env, int which)
{
    if (fp_empty(env, 0) || fp_empty(env, 1)) {
        if (!x87_underflow(env)) {
            fp_set_st(env, which <= 2 ? 1 : 0, fp_indefinite());
            if (which <= 2) {
                x87_pop(env);
            }
        }
        return;
    }
    volatile long double a = fp_st(env, 0), b = fp_st(env, 1), r;
    int q = 0;
    fpx_begin((env->fcw >> 10) & 3);
    switch (which) {
    case 0: r = b * log2l(a); break;
    case 1: r = atan2l(b, a); break;
    case 2: r = b * log2l(a + 1.0L); break;
    case 3: r = scalbnl(a, (int)fmaxl(fminl(truncl(b), 65536.0L), -65536.0L)); break;
    case 4: r = fmodl(a, b); q = (int)fmodl(truncl((a - r) / b), 8.0L); break;
    default: r = remquol(a, b, &q); break;
    }
    unsigned f = fpx_end();
    env->fsw &= ~FSW_CC;
    if (which >= 4) {
        q = q < 0 ? -q : q;
        env->fsw |= (uint16_t)(((q & 4) ? FSW_C0 : 0) | ((q & 2) ? FSW_C3 : 0) | ((q & 1) ? FSW_C1 : 0));
    }
    if (x87_flags(env, f)) {
        return;
    }
    fp_set_st(env, which <= 2 ? 1 : 0, r);
    if (which <= 2) {
        x87_pop(env);
    }
}

static void x87_fxam(CPUX86State *env)
{
    long double a = fp_st(env, 0);
    unsigned c;
    env->fsw &= ~FSW_CC;
    if (signbit(a)) {
        env->fsw |= FSW_C1;
    }
    if (fp_empty(env, 0)) {
        c = FSW_C3 | FSW_C0;
    } else {
        switch (fpclassify(a)) {
        case FP_NAN: c = FSW_C0; break;
        case FP_INFINITE: c = FSW_C2 | FSW_C0; break;
        case FP_ZERO: c = FSW_C3; break;
        case FP_SUBNORMAL: c = FSW_C3 | FSW_C2; break;
        default: c = FSW_C2; break;
        }
    }
    env->fsw |= (uint16_t)c;
}

/* fptan (push 1.0), fsincos (push cos), fxtract (push significand). */
static void x87_push_pair(CPUX86State *env, int which)
{
    if (fp_empty(env, 0)) {
        x87_underflow(env);
        return;
    }
    volatile long double a = fp_st(env, 0), r0, r1;
    int e = 0;
    fpx_begin((env->fcw >> 10) & 3);
    switch (which) {
    case 0: r0 = tanl(a); r1 = 1.0L; break;
    case 1: r0 = sinl(a); r1 = cosl(a); break;
    default: r1 = frexpl(a, &e) * 2.0L; r0 = (long double)(e - 1); break;
    }
    unsigned f = fpx_end();
    env->fsw &= ~(FSW_C1 | FSW_C2);
    if (which == 2 && a == 0) {
        r0 = -INFINITY;
        r1 = a;
        f |= FPX_ZE;
    }
    if (x87_flags(env, f)) {
        return;
    }
    fp_set_st(env, 0, r0);
    x87_push(env, r1);
}

static void x87_d9_misc(X86CPU *cpu, int r, int i)
{
    CPUX86State *env = &cpu->env;
    switch (r) {
    case 4:
        if (i == 0 || i == 1) {
            x87_unary(env, i);
        } else if (i == 4) {                                      /* ftst */
            if (fp_empty(env, 0)) {
                env->fsw |= FSW_C3 | FSW_C2 | FSW_C0;
                x87_underflow(env);
            } else {
                x87_compare(env, fp_st(env, 0), 0.0L, false);
                env->fsw &= ~FSW_C1;
            }
        } else if (i == 5) {
            x87_fxam(env);
        } else {
            x86_raise_ud(cpu);
        }
        return;
    case 5:
        if (i == 7) {
            x86_raise_ud(cpu);
        }
        env->fsw &= ~FSW_C1;
        x87_push(env, x87_const(i));
        return;
    case 6:
        switch (i) {
        case 0: x87_unary(env, 6); return;
        case 1: x87_binary(env, 0); return;
        case 2: x87_push_pair(env, 0); return;
        case 3: x87_binary(env, 1); return;
        case 4: x87_push_pair(env, 2); return;
        case 5: x87_binary(env, 5); return;
        case 6: fp_set_top(env, fp_top(env) - 1); env->fsw &= ~FSW_C1; return;
        default: fp_set_top(env, fp_top(env) + 1); env->fsw &= ~FSW_C1; return;
        }
    default:
        switch (i) {
        case 0: x87_binary(env, 4); return;
        case 1: x87_binary(env, 2); return;
        case 2: x87_unary(env, 2); return;
        case 3: x87_push_pair(env, 1); return;
        case 4: x87_unary(env, 3); return;
        case 5: x87_binary(env, 3); return;
        case 6: x87_unary(env, 4); return;
        default: x87_unary(env, 5); return;
        }
    }
}

HANDLER(x87_d9_reg)
{
    CPUX86State *env = &cpu->env;
    int r = in->reg & 7, i = in->rm & 7;
    switch (r) {
    case 0:                                                       /* fld st(i) */
        if (fp_empty(env, i)) {
            if (x87_underflow(env)) {
                return;
            }
            x87_push(env, fp_indefinite());
        } else {
            env->fsw &= ~FSW_C1;
            x87_push(env, fp_st(env, i));
        }
        return;
    case 1: {                                                     /* fxch */
        bool ea = fp_empty(env, 0), eb = fp_empty(env, i);
        if ((ea || eb) && x87_underflow(env)) {
            return;
        }
        long double a = ea ? fp_indefinite() : fp_st(env, 0);
        long double b = eb ? fp_indefinite() : fp_st(env, i);
        fp_set_st(env, 0, b);
        fp_set_st(env, i, a);
        env->fsw &= ~FSW_C1;
        return;
    }
    case 2:
        if (i != 0) {
            x86_raise_ud(cpu);
        }
        return;                                                   /* fnop */
    case 3:                                                       /* fstp1 (alias) */
        if (!fp_empty(env, 0)) {
            fp_set_st(env, i, fp_st(env, 0));
        }
        x87_pop(env);
        return;
    default:
        x87_d9_misc(cpu, r, i);
    }
}

HANDLER(x87_da_db_reg)
{
    CPUX86State *env = &cpu->env;
    int r = in->reg & 7, i = in->rm & 7;
    static const int cc[4] = { 2, 4, 6, 10 };
    bool db = in->opc == 0xdb;
    if (r < 4) {                                                  /* fcmovcc */
        if (fp_empty(env, 0) || fp_empty(env, i)) {
            if (!x87_underflow(env)) {
                fp_set_st(env, 0, fp_indefinite());
            }
            return;
        }
        env->fsw &= ~FSW_C1;
        if (x86_cond(env, cc[r] + db)) {
            fp_set_st(env, 0, fp_st(env, i));
        }
        return;
    }
    if (!db && r == 5 && i == 1) {
        x87_fucompp(env);
        return;
    }
    if (db && r == 4) {
        switch (i) {
        case 0: case 1: case 4: return;                           /* feni/fdisi/fsetpm: no-ops */
        case 2: env->fsw &= (uint16_t)~(0xffu | FSW_B); return;    /* fnclex */
        case 3: x87_init(env); return;                            /* fninit */
        }
    }
    if (db && (r == 5 || r == 6)) {
        x87_fcomi(cpu, i, r == 5, false);
        return;
    }
    x86_raise_ud(cpu);
}
