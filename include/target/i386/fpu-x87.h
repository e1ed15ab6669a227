/* x87 register-stack primitives shared by the x87 handler files: TOP, tags, ST(i), exceptions. */
#ifndef TARGET_I386_FPU_X87_H
#define TARGET_I386_FPU_X87_H

#include <string.h>
#include "target/i386/exec.h"
#include "target/i386/fpu-host.h"

#define FSW_SF   0x0040u
#define FSW_ES   0x0080u
#define FSW_C0   0x0100u
#define FSW_C1   0x0200u
#define FSW_C2   0x0400u
#define FSW_C3   0x4000u
#define FSW_B    0x8000u
#define FSW_CC   (FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)
#define FSW_TOP_SHIFT 11

static inline int fp_top(const CPUX86State *env) { return (env->fsw >> FSW_TOP_SHIFT) & 7; }

static inline void fp_set_top(CPUX86State *env, int t)
{
    env->fsw = (uint16_t)((env->fsw & ~(7u << FSW_TOP_SHIFT)) | ((unsigned)(t & 7) << FSW_TOP_SHIFT));
}

static inline int fp_phys(const CPUX86State *env, int i) { return (fp_top(env) + i) & 7; }

/* ftw is kept in the abridged (fxsave) form: bit n set = physical register n is not empty. */
static inline bool fp_empty(const CPUX86State *env, int i)
{
    return !(env->ftw & (1u << fp_phys(env, i)));
}

static inline long double fp_raw_ld(const X86FpReg *r)
{
    long double v = 0;
    memcpy(&v, r, 10);
    return v;
}

static inline void fp_raw_st(X86FpReg *r, long double v)
{
    memset(r, 0, sizeof(*r));
    memcpy(r, &v, 10);
}

static inline long double fp_st(const CPUX86State *env, int i)
{
    return fp_raw_ld(&env->fpregs[fp_phys(env, i)]);
}

static inline void fp_set_st(CPUX86State *env, int i, long double v)
{
    int p = fp_phys(env, i);
    fp_raw_st(&env->fpregs[p], v);
    env->ftw |= (uint16_t)(1u << p);
}

/* The "real indefinite" QNaN produced by masked invalid operations. */
static inline long double fp_indefinite(void)
{
    X86FpReg r = { 0xc000000000000000ull, 0xffff };
    return fp_raw_ld(&r);
}

void x87_update_es(CPUX86State *env);
/* Record exception flags; returns true when an unmasked IE/DE/ZE suppresses the result. */
bool x87_flags(CPUX86State *env, unsigned f);
/* Stack underflow reading ST(i): flags IE|SF and returns true when the result is suppressed. */
bool x87_underflow(CPUX86State *env);
void x87_push(CPUX86State *env, long double v);
void x87_pop(CPUX86State *env);
uint16_t x87_full_tags(const CPUX86State *env);
void x87_set_full_tags(CPUX86State *env, uint16_t tw);
void x87_init(CPUX86State *env);
/* Compare a with b into C3/C2/C0 of FSW (quiet: only SNaN signals); returns the C bits. */
unsigned x87_compare(CPUX86State *env, long double a, long double b, bool quiet);

HANDLER(x87_d9_reg); HANDLER(x87_da_db_reg);

#endif
