/* Unit tests of the x87 FPU, SSE/SSE2, fxsave/fxrstor and the CR0/CR4 rules for them (#NM, #UD, #MF, #XM). */
#include <math.h>
#include <string.h>
#include <glib.h>
#include "testmachine.h"

#define CODE 0x100000ull
#define DATA 0x200000ull

static TestMachine *machine(void)
{
    TestMachine *tm = tm_new();
    tm_map(tm, CODE, 0x1000, 0);
    tm_map(tm, DATA, 0x2000, TM_PTE_RW | TM_PTE_NX);
    tm_enter_long_mode(tm, 0);
    x86_cpu_set_cr(tm->cpu, 4, CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT);
    x86_cpu_set_stop_on_exception(tm->cpu, true);
    x86_cpu_env(tm->cpu)->regs[R_EBX] = DATA;
    return tm;
}

/* Run code at CODE until its end; returns -1, or the vector of the exception that stopped it. */
static int run(TestMachine *tm, const uint8_t *code, size_t n)
{
    CPUX86State *env = x86_cpu_env(tm->cpu);
    tm_write(tm, CODE, code, n);
    env->rip = CODE;
    x86_cpu_set_break(tm->cpu, true, CODE + n);
    X86ExitReason r = x86_cpu_exec(tm->cpu, 1000);
    if (r == X86_EXIT_EXCEPTION) {
        int v;
        uint32_t e;
        bool has;
        x86_cpu_last_exception(tm->cpu, &v, &e, &has);
        return v;
    }
    g_assert_cmpint(r, ==, X86_EXIT_BREAK);
    return -1;
}

static void put(TestMachine *tm, uint64_t off, const void *p, size_t n) { tm_write(tm, DATA + off, p, n); }
static void put64(TestMachine *tm, uint64_t off, uint64_t v) { put(tm, off, &v, 8); }
static uint64_t get(TestMachine *tm, uint64_t off, int n)
{
    uint64_t v = 0;
    memcpy(&v, tm->ram + DATA + off, n);
    return v;
}

static uint64_t dbits(double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    return v;
}

static void test_x87_basic(void)
{
    TestMachine *tm = machine();
    static const uint8_t code[] = {
        0xdb, 0xe3,                     /* fninit */
        0xd9, 0x3b,                     /* fnstcw [rbx] */
        0xdf, 0xe0,                     /* fnstsw ax */
        0x66, 0x89, 0x43, 0x02,         /* mov [rbx+2], ax */
        0xdb, 0x43, 0x10,               /* fild dword [rbx+0x10] */
        0xda, 0x73, 0x14,               /* fidiv dword [rbx+0x14] */
        0xdd, 0x5b, 0x18,               /* fstp qword [rbx+0x18] */
        0xd9, 0xe8, 0xd9, 0xe0,         /* fld1; fchs */
        0xd9, 0xe8, 0xd9, 0xe8,         /* fld1; fld1 */
        0xde, 0xc1,                     /* faddp st(1), st */
        0xd9, 0xc9,                     /* fxch st(1) */
        0xdb, 0xf1,                     /* fcomi st, st(1) */
        0x0f, 0x92, 0x43, 0x20,         /* setb [rbx+0x20] */
        0xdd, 0xd8, 0xdd, 0xd8,         /* fstp st(0) x2 */
        0xdd, 0x7b, 0x22,               /* fnstsw [rbx+0x22] */
        0xdd, 0x43, 0x28,               /* fld qword [rbx+0x28] (-2.5) */
        0xdb, 0x53, 0x30,               /* fist dword [rbx+0x30] */
        0xd9, 0x6b, 0x40,               /* fldcw [rbx+0x40] (round down) */
        0xdb, 0x5b, 0x34,               /* fistp dword [rbx+0x34] */
        0xd9, 0x2b,                     /* fldcw [rbx] */
        0xdd, 0x43, 0x28,               /* fld qword [rbx+0x28] */
        0xdd, 0x4b, 0x38,               /* fisttp qword [rbx+0x38] */
        0xdb, 0xe3,                     /* fninit */
        0xdd, 0x5b, 0x50,               /* fstp qword [rbx+0x50]: stack underflow */
        0xdd, 0x7b, 0x58,               /* fnstsw [rbx+0x58] */
        0xd9, 0xeb, 0xd9, 0xfa,         /* fldpi; fsqrt */
        0xd8, 0xc8,                     /* fmul st, st(0) */
        0xdb, 0x7b, 0x60,               /* fstp tbyte [rbx+0x60] */
        0xd9, 0xee, 0xd9, 0xe8,         /* fldz; fld1 */
        0xde, 0xf1,                     /* fdivrp st(1), st: st1 = st0 / st1 = 1/0 */
        0xdd, 0x5b, 0x70,               /* fstp qword [rbx+0x70] */
        0xdd, 0x7b, 0x78,               /* fnstsw [rbx+0x78] */
    };
    put64(tm, 0x10, 1 | (3ull << 32));
    put64(tm, 0x28, dbits(-2.5));
    put64(tm, 0x40, 0x77f);
    g_assert_cmpint(run(tm, code, sizeof(code)), ==, -1);
    g_assert_cmphex(get(tm, 0, 2), ==, 0x37f);
    g_assert_cmphex(get(tm, 2, 2), ==, 0);
    volatile long double third = 1.0L / 3.0L;
    g_assert_cmphex(get(tm, 0x18, 8), ==, dbits((double)third));
    g_assert_cmpint(get(tm, 0x20, 1), ==, 1);                   /* -1 < 2 */
    g_assert_cmphex(get(tm, 0x22, 2) & 0x3800, ==, 0);         /* TOP back to 0 */
    g_assert_cmpint((int32_t)get(tm, 0x30, 4), ==, -2);         /* nearest even */
    g_assert_cmpint((int32_t)get(tm, 0x34, 4), ==, -3);         /* down */
    g_assert_cmpint((int64_t)get(tm, 0x38, 8), ==, -2);         /* truncate */
    g_assert_cmphex(get(tm, 0x50, 8), ==, 0xfff8000000000000ull);   /* indefinite */
    g_assert_cmphex(get(tm, 0x58, 2) & 0x241, ==, 0x41);       /* IE|SF, C1=0 */
    g_assert_cmphex(get(tm, 0x68, 2), ==, 0x4000);             /* ~pi: exponent */
    g_assert_cmphex(get(tm, 0x60, 8) >> 32, ==, 0xc90fdaa2);   /* ~pi: significand */
    g_assert_cmphex(get(tm, 0x70, 8), ==, 0x7ff0000000000000ull);   /* +inf */
    g_assert_cmphex(get(tm, 0x78, 2) & 0x04, ==, 0x04);        /* ZE */
    tm_free(tm);
}

/* An unmasked x87 exception is reported at the next waiting instruction (#MF with CR0.NE). */
static void test_x87_mf(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = {
        0xdb, 0xe3,                     /* fninit */
        0xd9, 0x6b, 0x42,               /* fldcw [rbx+0x42]: ZE unmasked */
        0xd9, 0xe8, 0xd9, 0xee,         /* fld1; fldz */
        0xde, 0xf9,                     /* fdivp st(1), st: 1/0 */
        0xdf, 0xe0,                     /* fnstsw ax: non-waiting, no #MF */
        0x9b,                           /* fwait: #MF */
    };
    put64(tm, 0x40, 0x037b0000ull);
    g_assert_cmpint(run(tm, code, sizeof(code)), ==, EXCP_MF);
    g_assert_cmphex(env->rip, ==, CODE + sizeof(code) - 1);
    g_assert_cmphex(env->regs[R_EAX] & 0x8084, ==, 0x8084);    /* B, ES, ZE */
    tm_free(tm);
}

static void test_sse_basic(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = {
        0x66, 0x0f, 0xef, 0xc0,                          /* pxor xmm0, xmm0 */
        0x66, 0x0f, 0x74, 0x83, 0x00, 0x01, 0x00, 0x00,  /* pcmpeqb xmm0, [rbx+0x100] */
        0x66, 0x0f, 0xd7, 0xc0,                          /* pmovmskb eax, xmm0 */
        0x0f, 0xbc, 0xc0,                                /* bsf eax, eax */
        0xf2, 0x0f, 0x10, 0x53, 0x28,                    /* movsd xmm2, [rbx+0x28] */
        0xf2, 0x48, 0x0f, 0x2c, 0xca,                    /* cvttsd2si rcx, xmm2 */
        0xf2, 0x48, 0x0f, 0x2d, 0xd2,                    /* cvtsd2si rdx, xmm2 */
        0x66, 0x0f, 0x28, 0xda,                          /* movapd xmm3, xmm2 */
        0xf2, 0x0f, 0x59, 0xdb,                          /* mulsd xmm3, xmm3 */
        0xf2, 0x0f, 0x51, 0xe3,                          /* sqrtsd xmm4, xmm3 */
        0x66, 0x48, 0x0f, 0x7e, 0xe6,                    /* movq rsi, xmm4 */
        0x66, 0x0f, 0x2e, 0xd4,                          /* ucomisd xmm2, xmm4 */
        0x0f, 0x92, 0x83, 0x80, 0x00, 0x00, 0x00,        /* setb [rbx+0x80] */
        0xf2, 0x48, 0x0f, 0x2c, 0xbb, 0x88, 0, 0, 0,     /* cvttsd2si rdi, [rbx+0x88] */
        0xf2, 0x0f, 0x10, 0xab, 0x90, 0, 0, 0,           /* movsd xmm5, [rbx+0x90] (SNaN) */
        0xf2, 0x0f, 0x59, 0xab, 0x98, 0, 0, 0,           /* mulsd xmm5, [rbx+0x98] (1.0) */
        0xf2, 0x0f, 0x11, 0xab, 0xa0, 0, 0, 0,           /* movsd [rbx+0xa0], xmm5 */
        0xf2, 0x0f, 0x10, 0xb3, 0x98, 0, 0, 0,           /* movsd xmm6, [rbx+0x98] */
        0x66, 0x0f, 0x57, 0xff,                          /* xorpd xmm7, xmm7 */
        0xf2, 0x0f, 0x5e, 0xf7,                          /* divsd xmm6, xmm7 */
        0x0f, 0xae, 0x9b, 0xa8, 0, 0, 0,                 /* stmxcsr [rbx+0xa8] */
        0xf3, 0x44, 0x0f, 0x6f, 0x83, 0x01, 0x01, 0, 0,  /* movdqu xmm8, [rbx+0x101] */
        0x66, 0x44, 0x0f, 0x7f, 0x83, 0xb0, 0, 0, 0,     /* movdqa [rbx+0xb0], xmm8 */
        0x66, 0x45, 0x0f, 0x70, 0xc8, 0x1b,              /* pshufd xmm9, xmm8, 0x1b */
        0xf3, 0x44, 0x0f, 0x7f, 0x8b, 0xc0, 0, 0, 0,     /* movdqu [rbx+0xc0], xmm9 */
        0xf2, 0x4c, 0x0f, 0x2a, 0xd1,                    /* cvtsi2sd xmm10, rcx */
        0xf3, 0x44, 0x0f, 0x5a, 0x9b, 0xd0, 0, 0, 0,     /* cvtss2sd xmm11, [rbx+0xd0] */
        0xf2, 0x45, 0x0f, 0x5a, 0xe3,                    /* cvtsd2ss xmm12, xmm11 */
        0x66, 0x45, 0x0f, 0x7e, 0xe0,                    /* movd r8d, xmm12 */
        0x66, 0x41, 0x0f, 0x73, 0xd8, 0x03,              /* psrldq xmm8, 3 */
        0x66, 0x4d, 0x0f, 0x7e, 0xc1,                    /* movq r9, xmm8 */
    };
    uint8_t str[48];
    memset(str, 'x', sizeof(str));
    memcpy(str, "hello", 6);
    for (int i = 6; i < 48; i++) {
        str[i] = (uint8_t)(0x40 + i);
    }
    put(tm, 0x100, str, sizeof(str));
    put64(tm, 0x28, dbits(-2.5));
    put64(tm, 0x88, dbits(1e300));
    put64(tm, 0x90, 0x7ff4000000000001ull);
    put64(tm, 0x98, dbits(1.0));
    put64(tm, 0xd0, 0x3fc00000);                                /* 1.5f */
    g_assert_cmpint(run(tm, code, sizeof(code)), ==, -1);
    g_assert_cmpint(env->regs[R_EAX], ==, 5);                   /* strlen("hello") */
    g_assert_cmpint((int64_t)env->regs[R_ECX], ==, -2);
    g_assert_cmpint((int64_t)env->regs[R_EDX], ==, -2);         /* round to nearest even */
    g_assert_cmphex(env->regs[R_ESI], ==, dbits(2.5));
    g_assert_cmpint(get(tm, 0x80, 1), ==, 1);
    g_assert_cmphex(env->regs[R_EDI], ==, 0x8000000000000000ull);   /* integer indefinite */
    g_assert_cmphex(get(tm, 0xa0, 8), ==, 0x7ffc000000000001ull);   /* quieted first operand */
    g_assert_cmphex(get(tm, 0xa8, 4), ==, 0x1f80 | 0x01 | 0x04 | 0x20);  /* IE ZE PE */
    g_assert_cmpmem(tm->ram + DATA + 0xb0, 16, str + 1, 16);
    for (int i = 0; i < 4; i++) {
        g_assert_cmpmem(tm->ram + DATA + 0xc0 + 4 * i, 4, str + 1 + 4 * (3 - i), 4);
    }
    g_assert_cmphex(env->xmm[10].q[0], ==, dbits(-2.0));
    g_assert_cmphex(env->xmm[11].q[0], ==, dbits(1.5));
    g_assert_cmphex(env->regs[R_R8], ==, 0x3fc00000);
    uint64_t q;
    memcpy(&q, str + 4, 8);
    g_assert_cmphex(env->regs[R_R9], ==, q);
    tm_free(tm);
}

/* #GP for misalignment and reserved MXCSR bits, #XM/#UD for unmasked SSE exceptions,
   #NM/#UD from CR0.TS/EM and CR4.OSFXSR. */
static void test_sse_faults(void)
{
    static const uint8_t movdqa_mis[] = { 0x66, 0x0f, 0x6f, 0x43, 0x08 };
    static const uint8_t pxor[] = { 0x66, 0x0f, 0xef, 0xc0 };
    static const uint8_t fld1[] = { 0xd9, 0xe8 };
    static const uint8_t fwait[] = { 0x9b };
    static const uint8_t fxsave_mis[] = { 0x0f, 0xae, 0x83, 0x08, 0x02, 0, 0 };
    static const uint8_t fxsave[] = { 0x0f, 0xae, 0x83, 0x00, 0x02, 0, 0 };
    static const uint8_t ldmxcsr[] = { 0x0f, 0xae, 0x53, 0x40 };        /* ldmxcsr [rbx+0x40] */
    static const uint8_t div0[] = { 0x66, 0x0f, 0x57, 0xff, 0xf2, 0x0f, 0x5e, 0xf7 };
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    g_assert_cmpint(run(tm, movdqa_mis, sizeof(movdqa_mis)), ==, EXCP_GP);
    g_assert_cmpint(run(tm, fxsave_mis, sizeof(fxsave_mis)), ==, EXCP_GP);
    put64(tm, 0x40, 0x10000);
    g_assert_cmpint(run(tm, ldmxcsr, sizeof(ldmxcsr)), ==, EXCP_GP);
    put64(tm, 0x40, 0x1f80 & ~0x200u);                                 /* ZE unmasked */
    g_assert_cmpint(run(tm, ldmxcsr, sizeof(ldmxcsr)), ==, -1);
    env->xmm[6].q[0] = dbits(1.0);
    g_assert_cmpint(run(tm, div0, sizeof(div0)), ==, EXCP_XM);
    g_assert_cmphex(env->mxcsr & 0x3f, ==, 0x04);
    x86_cpu_set_cr(tm->cpu, 4, CR4_PAE | CR4_OSFXSR);
    g_assert_cmpint(run(tm, div0, sizeof(div0)), ==, EXCP_UD);
    x86_cpu_set_cr(tm->cpu, 4, CR4_PAE);
    g_assert_cmpint(run(tm, pxor, sizeof(pxor)), ==, EXCP_UD);
    g_assert_cmpint(run(tm, fxsave, sizeof(fxsave)), ==, -1);        /* FXSR needs no OSFXSR */
    x86_cpu_set_cr(tm->cpu, 4, CR4_PAE | CR4_OSFXSR);
    uint64_t cr0 = env->cr[0];
    x86_cpu_set_cr(tm->cpu, 0, cr0 | CR0_TS);
    g_assert_cmpint(run(tm, pxor, sizeof(pxor)), ==, EXCP_NM);
    g_assert_cmpint(run(tm, fld1, sizeof(fld1)), ==, EXCP_NM);
    g_assert_cmpint(run(tm, fxsave, sizeof(fxsave)), ==, EXCP_NM);
    g_assert_cmpint(run(tm, fwait, sizeof(fwait)), ==, -1);           /* MP clear */
    x86_cpu_set_cr(tm->cpu, 0, cr0 | CR0_TS | CR0_MP);
    g_assert_cmpint(run(tm, fwait, sizeof(fwait)), ==, EXCP_NM);
    x86_cpu_set_cr(tm->cpu, 0, cr0 | CR0_EM);
    g_assert_cmpint(run(tm, pxor, sizeof(pxor)), ==, EXCP_UD);
    g_assert_cmpint(run(tm, fld1, sizeof(fld1)), ==, EXCP_NM);
    x86_cpu_set_cr(tm->cpu, 0, cr0);
    g_assert_cmpint(run(tm, pxor, sizeof(pxor)), ==, -1);
    g_assert_cmpint(run(tm, fld1, sizeof(fld1)), ==, -1);
    tm_free(tm);
}

static void test_fxsave_fxrstor(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t save[] = {
        0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xeb,              /* fninit; fld1; fldpi */
        0x48, 0x0f, 0xae, 0x83, 0x00, 0x02, 0, 0,        /* fxsave64 [rbx+0x200] */
        0xdb, 0xe3,                                      /* fninit */
    };
    static const uint8_t restore[] = { 0x48, 0x0f, 0xae, 0x8b, 0x00, 0x02, 0, 0 };  /* fxrstor64 */
    for (int i = 0; i < 16; i++) {
        env->xmm[i].q[0] = 0x1111111111111111ull * (uint64_t)i;
        env->xmm[i].q[1] = ~env->xmm[i].q[0];
    }
    env->mxcsr = 0x3fa0;
    g_assert_cmpint(run(tm, save, sizeof(save)), ==, -1);
    g_assert_cmphex(get(tm, 0x200, 2), ==, 0x37f);
    g_assert_cmphex(get(tm, 0x202, 2), ==, 6u << 11);            /* TOP = 6 */
    g_assert_cmphex(get(tm, 0x204, 1), ==, 0xc0);                /* regs 6, 7 in use */
    g_assert_cmphex(get(tm, 0x218, 4), ==, 0x3fa0);
    g_assert_cmphex(get(tm, 0x21c, 4), ==, 0xffff);              /* MXCSR_MASK */
    g_assert_cmphex(get(tm, 0x220, 8), ==, 0xc90fdaa22168c235ull);   /* ST0 = pi */
    g_assert_cmphex(get(tm, 0x228, 2), ==, 0x4000);
    g_assert_cmphex(get(tm, 0x230, 8), ==, 0x8000000000000000ull);   /* ST1 = 1 */
    g_assert_cmphex(get(tm, 0x238, 2), ==, 0x3fff);
    g_assert_cmphex(get(tm, 0x200 + 160 + 16 * 15, 8), ==, 0xffffffffffffffffull);
    g_assert_cmphex(get(tm, 0x200 + 160 + 16 * 15 + 8, 8), ==, 0);
    g_assert_cmphex(get(tm, 0x200 + 160 + 16 * 3, 8), ==, 0x3333333333333333ull);
    g_assert_cmphex(env->fsw & 0x3800, ==, 0);                   /* fninit after the save */
    memset(env->xmm, 0, sizeof(env->xmm));
    env->mxcsr = 0x1f80;
    g_assert_cmpint(run(tm, restore, sizeof(restore)), ==, -1);
    g_assert_cmphex(env->mxcsr, ==, 0x3fa0);
    g_assert_cmphex(env->fsw, ==, 6u << 11);
    g_assert_cmphex(env->ftw, ==, 0xc0);
    g_assert_cmphex(env->fpregs[6].mant, ==, 0xc90fdaa22168c235ull);
    g_assert_cmphex(env->xmm[15].q[1], ==, ~0xffffffffffffffffull);
    g_assert_cmphex(env->xmm[7].q[0], ==, 0x7777777777777777ull);
    /* reserved MXCSR bits in the image: #GP, nothing restored */
    put64(tm, 0x218, 0x10000);
    env->mxcsr = 0x1f80;
    g_assert_cmpint(run(tm, restore, sizeof(restore)), ==, EXCP_GP);
    g_assert_cmphex(env->mxcsr, ==, 0x1f80);
    tm_free(tm);
}

static void test_cpuid_fpu_sse(void)
{
    uint32_t a, b, c, d;
    CPUX86State env = { 0 };
    x86_cpuid(&env, 1, 0, &a, &b, &c, &d);
    g_assert_cmphex(d & 0x07000001u, ==, 0x07000001u);          /* FPU FXSR SSE SSE2 */
    g_assert_cmphex(d & (1u << 23), ==, 0);                      /* no MMX */
    g_assert_cmphex(c & (1u << 0), ==, 0);                       /* no SSE3 */
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i386/fpu/x87-basic", test_x87_basic);
    g_test_add_func("/i386/fpu/x87-mf", test_x87_mf);
    g_test_add_func("/i386/fpu/sse-basic", test_sse_basic);
    g_test_add_func("/i386/fpu/sse-faults", test_sse_faults);
    g_test_add_func("/i386/fpu/fxsave-fxrstor", test_fxsave_fxrstor);
    g_test_add_func("/i386/fpu/cpuid", test_cpuid_fpu_sse);
    return g_test_run();
}
