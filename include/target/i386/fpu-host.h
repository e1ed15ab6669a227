/* Host floating-point helpers shared by the x87 and SSE handlers: rounding modes and exception flags via <fenv.h>. */
#ifndef TARGET_I386_FPU_HOST_H
#define TARGET_I386_FPU_HOST_H

#include <fenv.h>
#include <float.h>
#include <stdint.h>

/*
 * The x87 registers are computed with the host's long double, which must be the same
 * 80-bit extended format (x86-64 hosts); X86FpReg has that format's memory layout.
 */
_Static_assert(LDBL_MANT_DIG == 64 && LDBL_MAX_EXP == 16384, "host long double must be x87 extended");

/* Exception flag bits, identical in the x87 status word and MXCSR. */
#define FPX_IE 0x01u
#define FPX_DE 0x02u
#define FPX_ZE 0x04u
#define FPX_OE 0x08u
#define FPX_UE 0x10u
#define FPX_PE 0x20u

/* Rounding control field (x87 FCW bits 11:10, MXCSR bits 14:13) -> fenv mode. */
static inline int fpx_round_mode(unsigned rc)
{
    static const int modes[4] = { FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO };
    return modes[rc & 3];
}

/* Start a guest FP operation: clear host flags and take the guest rounding mode. */
static inline void fpx_begin(unsigned rc)
{
    feclearexcept(FE_ALL_EXCEPT);
    fesetround(fpx_round_mode(rc));
}

/* End it: return the raised exceptions as FPX_* bits and restore round-to-nearest. */
static inline unsigned fpx_end(void)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    fesetround(FE_TONEAREST);
    return ((e & FE_INVALID) ? FPX_IE : 0) | ((e & FE_DIVBYZERO) ? FPX_ZE : 0) |
           ((e & FE_OVERFLOW) ? FPX_OE : 0) | ((e & FE_UNDERFLOW) ? FPX_UE : 0) |
           ((e & FE_INEXACT) ? FPX_PE : 0);
}

#endif
