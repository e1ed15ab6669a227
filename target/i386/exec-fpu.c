/* x87 FPU: register stack, arithmetic, compares, loads/stores and the D8-DF dispatch (host long double). */
#include <math.h>
#include "target/i386/fpu-x87.h"

void x87_update_es(CPUX86State *env)
{
    if (env->fsw & ~env->fcw & 0x3f) {
        env->fsw |= FSW_ES | FSW_B;
    } else {
        env->fsw &= ~(FSW_ES | FSW_B);
    }
}

bool x87_flags(CPUX86State *env, unsigned f)
{
    env->fsw |= (uint16_t)(f & 0x7f);
    x87_update_es(env);
    return (f & ~env->fcw & (FPX_IE | FPX_DE | FPX_ZE)) != 0;
}

bool x87_underflow(CPUX86State *env)
{
    env->fsw &= ~FSW_C1;
    return x87_flags(env, FPX_IE | FSW_SF);
}

void x87_push(CPUX86State *env, long double v)
{
    fp_set_top(env, fp_top(env) - 1);
    if (!fp_empty(env, 0)) {                 /* stack overflow */
        env->fsw |= FSW_C1;
        if (x87_flags(env, FPX_IE | FSW_SF)) {
            fp_set_top(env, fp_top(env) + 1);
            return;
        }
        v = fp_indefinite();
    }
    fp_set_st(env, 0, v);
}

void x87_pop(CPUX86State *env)
{
    env->ftw &= (uint16_t)~(1u << fp_top(env));
    fp_set_top(env, fp_top(env) + 1);
}

void x87_init(CPUX86State *env)
{
    env->fcw = 0x37f;
    env->fsw = 0;
    env->ftw = 0;
    env->fop = 0;
    env->fip = env->fdp = 0;
}

static unsigned x87_rc(const CPUX86State *env) { return (env->fcw >> 10) & 3; }

/* Arithmetic op 0-7 as in D8 /r: add mul com comp sub subr div divr (com handled elsewhere). */
static long double x87_arith(CPUX86State *env, int op, long double a, long double b, unsigned *f)
{
    volatile long double va = a, vb = b, r;
    fpx_begin(x87_rc(env));
    switch (op) {
    case 0: r = va + vb; break;
    case 1: r = va * vb; break;
    case 4: r = va - vb; break;
    case 5: r = vb - va; break;
    case 6: r = va / vb; break;
    default: r = vb / va; break;
    }
    *f = fpx_end();
    return r;
}

static bool is_snan(long double v)
{
    X86FpReg r;
    fp_raw_st(&r, v);
    return (r.exp & 0x7fff) == 0x7fff && (r.mant >> 62) == 2 && (r.mant << 2) != 0;
}

/* Compare ST(0) with v: sets C3/C2/C0 (quiet: only SNaN is invalid).  Returns the C bits. */
unsigned x87_compare(CPUX86State *env, long double a, long double b, bool quiet)
{
    unsigned c;
    env->fsw &= ~FSW_CC;
    if (isnan(a) || isnan(b)) {
        c = FSW_C3 | FSW_C2 | FSW_C0;
        if (!quiet || is_snan(a) || is_snan(b)) {
            if (x87_flags(env, FPX_IE)) {
                return c;
            }
        }
    } else {
        c = a > b ? 0 : a < b ? FSW_C0 : FSW_C3;
        if (fpclassify(a) == FP_SUBNORMAL || fpclassify(b) == FP_SUBNORMAL) {
            x87_flags(env, FPX_DE);
        }
    }
    env->fsw |= (uint16_t)c;
    return c;
}

/* fcomi/fucomi: the result goes to ZF/PF/CF. */
static void x87_comi(X86CPU *cpu, int i, bool quiet, bool pop)
{
    CPUX86State *env = &cpu->env;
    if (fp_empty(env, 0) || fp_empty(env, i)) {
        if (!x87_underflow(env)) {
            set_flags(env, X86_ZF | X86_PF | X86_CF);
        }
    } else {
        uint16_t save = env->fsw & FSW_CC;
        unsigned c = x87_compare(env, fp_st(env, 0), fp_st(env, i), quiet);
        env->fsw = (uint16_t)((env->fsw & ~FSW_CC) | save);
        set_flags(env, ((c & FSW_C3) ? X86_ZF : 0) | ((c & FSW_C2) ? X86_PF : 0) |
                       ((c & FSW_C0) ? X86_CF : 0));
    }
    env->fsw &= ~FSW_C1;
    if (pop) {
        x87_pop(env);
    }
}

/* D8/DC/DA/DE arithmetic with ST(0) and a value; op 2/3 are fcom/fcomp. */
static void x87_op_st0(CPUX86State *env, int op, long double v)
{
    if (fp_empty(env, 0)) {
        if (!x87_underflow(env) && op != 2 && op != 3) {
            fp_set_st(env, 0, fp_indefinite());
        }
    } else if (op == 2 || op == 3) {
        x87_compare(env, fp_st(env, 0), v, false);
    } else {
        unsigned f;
        long double r = x87_arith(env, op, fp_st(env, 0), v, &f);
        env->fsw &= ~FSW_C1;
        if (!x87_flags(env, f)) {
            fp_set_st(env, 0, r);
        }
    }
    if (op == 3) {
        x87_pop(env);
    }
}

static long double load_fp_mem(X86CPU *cpu, uint64_t lin, int kind, unsigned *f)
{
    volatile long double r;
    if (kind == 4) {
        X86FpReg raw = { x86_ld(cpu, lin, 8), (uint16_t)x86_ld(cpu, lin + 8, 2) };
        *f = 0;
        return fp_raw_ld(&raw);
    }
    static const int size[6] = { 4, 8, 2, 4, 10, 8 };
    uint64_t bits = x86_ld(cpu, lin, size[kind]);
    fpx_begin(0);
    switch (kind) {
    case 0: { volatile float fv; uint32_t u = (uint32_t)bits; memcpy((void *)&fv, &u, 4); r = fv; break; }
    case 1: { volatile double dv; memcpy((void *)&dv, &bits, 8); r = dv; break; }
    case 2: r = (int16_t)bits; break;
    case 3: r = (int32_t)bits; break;
    default: r = (int64_t)bits; break;
    }
    *f = fpx_end() & FPX_IE;
    return r;
}

/* Memory operand kinds for D8-DF /r: 0 m32fp, 1 m64fp, 2 m16int, 3 m32int, 4 m80, 5 m64int. */
static void x87_mem_arith(X86CPU *cpu, const X86Insn *in, int kind)
{
    CPUX86State *env = &cpu->env;
    unsigned f;
    long double v = load_fp_mem(cpu, insn_lin(cpu, in), kind, &f);
    if (f && x87_flags(env, f)) {
        return;
    }
    x87_op_st0(env, in->reg & 7, v);
}

static void x87_load(X86CPU *cpu, const X86Insn *in, int kind)
{
    CPUX86State *env = &cpu->env;
    unsigned f;
    long double v = load_fp_mem(cpu, insn_lin(cpu, in), kind, &f);
    if (f && x87_flags(env, f)) {
        return;
    }
    env->fsw &= ~FSW_C1;
    x87_push(env, v);
}

/* Convert for fist/fisttp: round per RC (or truncate); out of range or NaN -> indefinite. */
static int64_t x87_to_int(CPUX86State *env, long double v, int size, bool trunc, unsigned *f)
{
    long double lim = size == 2 ? 32768.0L : size == 4 ? 2147483648.0L : 9223372036854775808.0L;
    volatile long double vv = v, r;
    fpx_begin(trunc ? 3 : x87_rc(env));
    r = nearbyintl(vv);
    *f = fpx_end() & ~(unsigned)FPX_PE;
    if (isnan(v) || r >= lim || r < -lim) {
        *f |= FPX_IE;
        return size == 2 ? INT16_MIN : size == 4 ? INT32_MIN : INT64_MIN;
    }
    if (r != v) {
        *f |= FPX_PE;
    }
    return (int64_t)r;
}

static void x87_store_int(X86CPU *cpu, const X86Insn *in, int size, bool trunc, bool pop)
{
    CPUX86State *env = &cpu->env;
    unsigned f = 0;
    int64_t iv = size == 2 ? INT16_MIN : size == 4 ? INT32_MIN : INT64_MIN;
    bool empty = fp_empty(env, 0);
    if (!empty) {
        iv = x87_to_int(env, fp_st(env, 0), size, trunc, &f);
    }
    uint64_t lin = insn_lin(cpu, in);
    x86_probe_write(cpu, lin, size);
    env->fsw &= ~FSW_C1;
    if (empty ? x87_underflow(env) : x87_flags(env, f)) {
        return;
    }
    x86_st(cpu, lin, size, (uint64_t)iv);
    if (pop) {
        x87_pop(env);
    }
}

static void x87_store_fp(X86CPU *cpu, const X86Insn *in, int kind, bool pop)
{
    CPUX86State *env = &cpu->env;
    uint64_t lin = insn_lin(cpu, in);
    int size = kind == 0 ? 4 : kind == 1 ? 8 : 10;
    x86_probe_write(cpu, lin, size);
    long double v = fp_empty(env, 0) ? fp_indefinite() : fp_st(env, 0);
    env->fsw &= ~FSW_C1;
    if (fp_empty(env, 0) && x87_underflow(env)) {
        return;
    }
    if (kind == 4) {
        X86FpReg raw;
        fp_raw_st(&raw, v);
        x86_st(cpu, lin, 8, raw.mant);
        x86_st(cpu, lin + 8, 2, raw.exp);
    } else {
        volatile long double vv = v;
        volatile float fv;
        volatile double dv;
        uint64_t bits = 0;
        fpx_begin(x87_rc(env));
        if (kind == 0) {
            fv = (float)vv;
        } else {
            dv = (double)vv;
        }
        unsigned f = fpx_end();
        if (kind == 0) {
            memcpy(&bits, (const void *)&fv, 4);
        } else {
            memcpy(&bits, (const void *)&dv, 8);
        }
        if (x87_flags(env, f)) {
            return;
        }
        x86_st(cpu, lin, size, bits);
    }
    if (pop) {
        x87_pop(env);
    }
}

static void x87_set_ip(X86CPU *cpu, const X86Insn *in, bool mem)
{
    CPUX86State *env = &cpu->env;
    env->fop = (uint16_t)(((in->opc & 7) << 8) | (in->mod << 6) | ((in->reg & 7) << 3) | (in->rm & 7));
    env->fip = env->rip;
    if (mem) {
        env->fdp = insn_ea(cpu, in);
    }
}

void x87_fldenv_fsave(X86CPU *cpu, const X86Insn *in, bool save, bool full);
void x87_fldcw(X86CPU *cpu, uint16_t cw);

/* D9/DB/DD/DF memory forms: loads, stores, control. */
static void x87_mem_other(X86CPU *cpu, const X86Insn *in)
{
    CPUX86State *env = &cpu->env;
    int r = in->reg & 7;
    switch (((in->opc & 7) << 3) | r) {
    case 010: x87_load(cpu, in, 0); return;                       /* D9 /0 fld m32 */
    case 012: x87_store_fp(cpu, in, 0, false); return;
    case 013: x87_store_fp(cpu, in, 0, true); return;
    case 014: x87_fldenv_fsave(cpu, in, false, false); return;    /* fldenv */
    case 015: x87_fldcw(cpu, (uint16_t)x86_ld(cpu, insn_lin(cpu, in), 2)); return;
    case 016: x87_fldenv_fsave(cpu, in, true, false); return;     /* fnstenv */
    case 017: x86_st(cpu, insn_lin(cpu, in), 2, env->fcw); return;
    case 030: x87_load(cpu, in, 3); return;                       /* DB /0 fild m32 */
    case 031: x87_store_int(cpu, in, 4, true, true); return;
    case 032: x87_store_int(cpu, in, 4, false, false); return;
    case 033: x87_store_int(cpu, in, 4, false, true); return;
    case 035: x87_load(cpu, in, 4); return;                       /* fld m80 */
    case 037: x87_store_fp(cpu, in, 4, true); return;
    case 050: x87_load(cpu, in, 1); return;                       /* DD /0 fld m64 */
    case 051: x87_store_int(cpu, in, 8, true, true); return;
    case 052: x87_store_fp(cpu, in, 1, false); return;
    case 053: x87_store_fp(cpu, in, 1, true); return;
    case 054: x87_fldenv_fsave(cpu, in, false, true); return;     /* frstor */
    case 056: x87_fldenv_fsave(cpu, in, true, true); return;      /* fnsave */
    case 057: x86_st(cpu, insn_lin(cpu, in), 2, env->fsw); return;
    case 070: x87_load(cpu, in, 2); return;                       /* DF /0 fild m16 */
    case 071: x87_store_int(cpu, in, 2, true, true); return;
    case 072: x87_store_int(cpu, in, 2, false, false); return;
    case 073: x87_store_int(cpu, in, 2, false, true); return;
    case 075: x87_load(cpu, in, 5); return;                       /* fild m64 */
    case 077: x87_store_int(cpu, in, 8, false, true); return;
    default: x86_raise_unimp(cpu, in);                            /* fbld/fbstp */
    }
}

/* DC / DE register forms: ST(i) op= ST(0) (sub/div reversed as the encoding says). */
static void x87_sti_arith(CPUX86State *env, int op, int i, bool pop)
{
    if (fp_empty(env, 0) || fp_empty(env, i)) {
        if (!x87_underflow(env)) {
            fp_set_st(env, i, fp_indefinite());
        }
    } else {
        static const int swap[8] = { 0, 1, 2, 3, 5, 4, 7, 6 };
        unsigned f;
        long double r = x87_arith(env, swap[op], fp_st(env, i), fp_st(env, 0), &f);
        env->fsw &= ~FSW_C1;
        if (!x87_flags(env, f)) {
            fp_set_st(env, i, r);
        }
    }
    if (pop) {
        x87_pop(env);
    }
}

static void x87_fcom_reg(CPUX86State *env, int i, bool quiet, int pops)
{
    if (fp_empty(env, 0) || fp_empty(env, i)) {
        env->fsw |= FSW_C3 | FSW_C2 | FSW_C0;
        x87_underflow(env);
    } else {
        x87_compare(env, fp_st(env, 0), fp_st(env, i), quiet);
        env->fsw &= ~FSW_C1;
    }
    while (pops-- > 0) {
        x87_pop(env);
    }
}

static void x87_dc_dd_de_df_reg(X86CPU *cpu, const X86Insn *in)
{
    CPUX86State *env = &cpu->env;
    int r = in->reg & 7, i = in->rm & 7;
    switch (((in->opc & 7) << 3) | r) {
    case 040: case 041: case 044: case 045: case 046: case 047:
        x87_sti_arith(env, r, i, false); return;
    case 042: x87_fcom_reg(env, i, false, 0); return;             /* DC D0+i alias */
    case 043: x87_fcom_reg(env, i, false, 1); return;
    case 050: env->ftw &= (uint16_t)~(1u << fp_phys(env, i)); return;   /* ffree */
    case 051: case 071: {                                         /* fxch aliases */
        long double a = fp_st(env, 0), b = fp_st(env, i);
        bool ea = fp_empty(env, 0), eb = fp_empty(env, i);
        if ((ea || eb) && x87_underflow(env)) {
            return;
        }
        fp_set_st(env, 0, eb ? fp_indefinite() : b);
        fp_set_st(env, i, ea ? fp_indefinite() : a);
        env->fsw &= ~FSW_C1;
        return;
    }
    case 052: case 053: case 072: case 073:                       /* fst / fstp st(i) */
        if (fp_empty(env, 0)) {
            if (x87_underflow(env)) {
                return;
            }
            fp_set_st(env, i, fp_indefinite());
        } else {
            fp_set_st(env, i, fp_st(env, 0));
        }
        env->fsw &= ~FSW_C1;
        if (r & 1) {
            x87_pop(env);
        }
        return;
    case 054: x87_fcom_reg(env, i, true, 0); return;              /* fucom */
    case 055: x87_fcom_reg(env, i, true, 1); return;              /* fucomp */
    case 060: case 061: case 064: case 065: case 066: case 067:
        x87_sti_arith(env, r, i, true); return;                   /* faddp ... fdivp */
    case 062: x87_fcom_reg(env, i, false, 1); return;             /* alias fcomp */
    case 063:
        if (i == 1) {
            x87_fcom_reg(env, 1, false, 2);                       /* fcompp */
            return;
        }
        break;
    case 074:
        if (i == 0) {
            env->regs[R_EAX] = (env->regs[R_EAX] & ~0xffffull) | env->fsw;  /* fnstsw ax */
            return;
        }
        break;
    case 075: x87_comi(cpu, i, true, true); return;               /* fucomip */
    case 076: x87_comi(cpu, i, false, true); return;              /* fcomip */
    }
    x86_raise_ud(cpu);
}

static void x87_d8_reg(CPUX86State *env, int op, int i)
{
    if (op == 2 || op == 3) {
        x87_fcom_reg(env, i, false, op == 3);
    } else if (fp_empty(env, 0) || fp_empty(env, i)) {
        if (!x87_underflow(env)) {
            fp_set_st(env, 0, fp_indefinite());
        }
    } else {
        x87_op_st0(env, op, fp_st(env, i));
    }
}

void x87_fcomi(X86CPU *cpu, int i, bool quiet, bool pop)
{
    x87_comi(cpu, i, quiet, pop);
}

void x87_fucompp(CPUX86State *env)
{
    x87_fcom_reg(env, 1, true, 2);
}

/* Non-waiting control instructions skip the pending-#MF check. */
static bool x87_nowait(const X86Insn *in)
{
    int r = in->reg & 7;
    if (in->mod != 3) {
        return (in->opc == 0xd9 && r >= 4) || (in->opc == 0xdd && r >= 4);
    }
    return (in->opc == 0xdb && (in->rm & 7) >= 2 && (in->rm & 7) <= 3 && r == 4) ||
           (in->opc == 0xdf && r == 4);
}

HANDLER(op_fpu)
{
    CPUX86State *env = &cpu->env;
    if (env->cr[0] & (CR0_EM | CR0_TS)) {
        x86_raise(cpu, EXCP_NM, 0, false);
    }
    if (!x87_nowait(in) && (env->fsw & FSW_ES) && (env->cr[0] & CR0_NE)) {
        x86_raise(cpu, EXCP_MF, 0, false);
    }
    int op = in->opc & 7;
    if (in->mod != 3) {
        if (op == 0 || op == 2 || op == 4 || op == 6) {
            static const int kind[8] = { 0, 0, 3, 0, 1, 0, 2, 0 };
            x87_mem_arith(cpu, in, kind[op]);
        } else {
            x87_mem_other(cpu, in);
        }
        if (!x87_nowait(in) && !(op == 1 && (in->reg & 7) >= 4) && !(op == 5 && (in->reg & 7) >= 4)) {
            x87_set_ip(cpu, in, true);
        }
        return;
    }
    switch (op) {
    case 0: x87_d8_reg(env, in->reg & 7, in->rm & 7); break;
    case 1: x87_d9_reg(cpu, in); break;
    case 2: case 3: x87_da_db_reg(cpu, in); break;
    default: x87_dc_dd_de_df_reg(cpu, in); break;
    }
    if (!x87_nowait(in)) {
        x87_set_ip(cpu, in, false);
    }
}

HANDLER(op_fwait)
{
    CPUX86State *env = &cpu->env;
    if ((env->cr[0] & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) {
        x86_raise(cpu, EXCP_NM, 0, false);
    }
    if ((env->fsw & FSW_ES) && (env->cr[0] & CR0_NE)) {
        x86_raise(cpu, EXCP_MF, 0, false);
    }
}
