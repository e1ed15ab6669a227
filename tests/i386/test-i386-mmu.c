/* Unit tests of the interpreter's MMU: #PF error codes and CR2, A/D bits, NX/WP/U-S, TLB flushes, code invalidation. */
#include <string.h>
#include <glib.h>
#include "testmachine.h"

#define CODE 0x100000ull
#define DATA 0x200000ull
#define RO   0x201000ull
#define SUP  0x202000ull
#define NXP  0x203000ull
#define ALT  0x204000ull
#define HOLE 0x400000ull

static uint64_t pte(TestMachine *tm, uint64_t lin)
{
    uint64_t v;
    memcpy(&v, tm->ram + tm_pte_addr(tm, lin), 8);
    return v;
}

static void set_pte(TestMachine *tm, uint64_t lin, uint64_t v)
{
    memcpy(tm->ram + tm_pte_addr(tm, lin), &v, 8);
}

static TestMachine *setup(int cpl)
{
    TestMachine *tm = tm_new();
    tm_map(tm, CODE, 0x2000, TM_PTE_USER | TM_PTE_RW);
    tm_map(tm, DATA, 0x1000, TM_PTE_USER | TM_PTE_RW | TM_PTE_NX);
    tm_map(tm, RO, 0x1000, TM_PTE_USER | TM_PTE_NX);
    tm_map(tm, SUP, 0x1000, TM_PTE_RW);
    tm_map(tm, NXP, 0x1000, TM_PTE_USER | TM_PTE_RW | TM_PTE_NX);
    tm_map(tm, ALT, 0x1000, TM_PTE_USER | TM_PTE_RW);
    tm_enter_long_mode(tm, cpl);
    x86_cpu_set_stop_on_exception(tm->cpu, true);
    return tm;
}

/* Run code at CODE until it ends; returns the exit reason. */
static X86ExitReason run(TestMachine *tm, const uint8_t *code, size_t n)
{
    CPUX86State *env = x86_cpu_env(tm->cpu);
    tm_write(tm, CODE, code, n);
    env->rip = CODE;
    x86_cpu_set_break(tm->cpu, true, CODE + n);
    return x86_cpu_exec(tm->cpu, 1000);
}

static void expect_pf(TestMachine *tm, const uint8_t *code, size_t n, uint64_t cr2, uint32_t err)
{
    g_assert_cmpint(run(tm, code, n), ==, X86_EXIT_EXCEPTION);
    int v;
    uint32_t e;
    bool has;
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 14);
    g_assert_true(has);
    g_assert_cmphex(e, ==, err);
    g_assert_cmphex(x86_cpu_env(tm->cpu)->cr[2], ==, cr2);
    g_assert_cmphex(x86_cpu_env(tm->cpu)->rip, ==, CODE);     /* faults restart the insn */
}

/* mov rax, [abs32] / mov [abs32], rax / jmp to abs via rax */
#define LOAD(a)  { 0x48, 0x8b, 0x04, 0x25, (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, 0 }
#define STORE(a) { 0x48, 0x89, 0x04, 0x25, (a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, 0 }

static void test_pf_error_codes_user(void)
{
    TestMachine *tm = setup(3);
    static const uint8_t ld_hole[] = LOAD(HOLE), st_hole[] = STORE(HOLE);
    static const uint8_t st_ro[] = STORE(RO), ld_sup[] = LOAD(SUP), st_sup[] = STORE(SUP);
    static const uint8_t ld_ro[] = LOAD(RO);
    expect_pf(tm, ld_hole, 8, HOLE, PF_U);
    expect_pf(tm, st_hole, 8, HOLE, PF_U | PF_W);
    expect_pf(tm, st_ro, 8, RO, PF_U | PF_W | PF_P);
    expect_pf(tm, ld_sup, 8, SUP, PF_U | PF_P);
    expect_pf(tm, st_sup, 8, SUP, PF_U | PF_W | PF_P);
    g_assert_cmpint(run(tm, ld_ro, 8), ==, X86_EXIT_BREAK);   /* reading read-only is fine */
    /* Instruction fetch from an NX page: jmp rax with rax = NXP. */
    static const uint8_t jmp[] = { 0x48, 0xc7, 0xc0, NXP & 0xff, (NXP >> 8) & 0xff, NXP >> 16, 0,
                                   0xff, 0xe0 };
    g_assert_cmpint(run(tm, jmp, sizeof(jmp)), ==, X86_EXIT_EXCEPTION);
    int v;
    uint32_t e;
    bool has;
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 14);
    g_assert_cmphex(e, ==, PF_U | PF_P | PF_I);
    g_assert_cmphex(x86_cpu_env(tm->cpu)->cr[2], ==, NXP);
    g_assert_cmphex(x86_cpu_env(tm->cpu)->rip, ==, NXP);
    /* Reserved bit set in the PTE. */
    set_pte(tm, DATA, pte(tm, DATA) | (1ull << 51));
    x86_cpu_tlb_flush(tm->cpu);
    static const uint8_t ld_data[] = LOAD(DATA);
    expect_pf(tm, ld_data, 8, DATA, PF_U | PF_P | PF_RSVD);
    /* Non-canonical address: #GP(0), not #PF. */
    static const uint8_t ld_nc[] = { 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x48, 0x8b, 0x00 };
    g_assert_cmpint(run(tm, ld_nc, sizeof(ld_nc)), ==, X86_EXIT_EXCEPTION);
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 13);
    tm_free(tm);
}

static void test_pf_supervisor_wp(void)
{
    TestMachine *tm = setup(0);
    static const uint8_t st_ro[] = STORE(RO), st_sup[] = STORE(SUP), ld_hole[] = LOAD(HOLE);
    expect_pf(tm, st_ro, 8, RO, PF_W | PF_P);                  /* CR0.WP=1 */
    g_assert_cmpint(run(tm, st_sup, 8), ==, X86_EXIT_BREAK);
    expect_pf(tm, ld_hole, 8, HOLE, 0);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    x86_cpu_set_cr(tm->cpu, 0, env->cr[0] & ~(uint64_t)CR0_WP);
    env->regs[R_EAX] = 0x1122334455667788ull;
    g_assert_cmpint(run(tm, st_ro, 8), ==, X86_EXIT_BREAK);   /* WP=0: supervisor may write */
    uint64_t v;
    memcpy(&v, tm->ram + RO, 8);
    g_assert_cmphex(v, ==, 0x1122334455667788ull);
    tm_free(tm);
}

static void test_accessed_dirty(void)
{
    TestMachine *tm = setup(3);
    static const uint8_t ld[] = LOAD(DATA), st[] = STORE(DATA);
    g_assert_false(pte(tm, DATA) & (1 << 5));
    g_assert_cmpint(run(tm, ld, 8), ==, X86_EXIT_BREAK);
    g_assert_true(pte(tm, DATA) & (1 << 5));                    /* A set by the read */
    g_assert_false(pte(tm, DATA) & (1 << 6));                   /* D still clear */
    g_assert_cmpint(run(tm, st, 8), ==, X86_EXIT_BREAK);
    g_assert_true(pte(tm, DATA) & (1 << 6));                    /* D set by the write */
    /* The upper levels got A too. */
    uint64_t pml4e;
    memcpy(&pml4e, tm->ram + TM_PT_BASE, 8);
    g_assert_true(pml4e & (1 << 5));
    /* Clearing D in memory with a TLB flush makes the next write set it again. */
    set_pte(tm, DATA, pte(tm, DATA) & ~(1ull << 6));
    x86_cpu_tlb_flush(tm->cpu);
    g_assert_cmpint(run(tm, st, 8), ==, X86_EXIT_BREAK);
    g_assert_true(pte(tm, DATA) & (1 << 6));
    tm_free(tm);
}

static void test_tlb_invalidation(void)
{
    /* P maps its own frame first; the TLB is direct mapped, so pick a page whose slot
       does not collide with the code page (a real TLB may also evict at any time). */
    const uint64_t P = 0x205000;
    TestMachine *tm = setup(0);
    tm_map(tm, P, 0x1000, TM_PTE_RW);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint64_t a = 0xaaaa, b = 0xbbbb;
    memcpy(tm->ram + P, &a, 8);
    memcpy(tm->ram + DATA, &b, 8);
    static const uint8_t ld[] = LOAD(P);
    g_assert_cmpint(run(tm, ld, 8), ==, X86_EXIT_BREAK);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xaaaa);
    /* Remap P to DATA's frame without invalidating: the stale translation is used. */
    set_pte(tm, P, (pte(tm, P) & ~0xffffffffff000ull) | DATA);
    g_assert_cmpint(run(tm, ld, 8), ==, X86_EXIT_BREAK);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xaaaa);
    /* invlpg [P] then load. */
    static const uint8_t inv_ld[] = { 0x0f, 0x01, 0x3c, 0x25, 0, P >> 8 & 0xff, P >> 16, 0,
                                      0x48, 0x8b, 0x04, 0x25, 0, P >> 8 & 0xff, P >> 16, 0 };
    g_assert_cmpint(run(tm, inv_ld, sizeof(inv_ld)), ==, X86_EXIT_BREAK);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xbbbb);
    /* Back to the old frame: stale again until a CR3 write (mov cr3, rbx) flushes. */
    set_pte(tm, P, (pte(tm, P) & ~0xffffffffff000ull) | P);
    g_assert_cmpint(run(tm, ld, 8), ==, X86_EXIT_BREAK);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xbbbb);
    env->regs[R_EBX] = TM_PT_BASE;
    static const uint8_t cr3_ld[] = { 0x0f, 0x22, 0xdb, 0x48, 0x8b, 0x04, 0x25, 0, P >> 8 & 0xff,
                                      P >> 16, 0 };
    g_assert_cmpint(run(tm, cr3_ld, sizeof(cr3_ld)), ==, X86_EXIT_BREAK);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xaaaa);
    tm_free(tm);
}

/* Self-modifying code: a guest store into cached code must be seen on the next execution. */
static void test_code_invalidation(void)
{
    TestMachine *tm = setup(3);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    /* mov eax, 1 ; then at +5: mov byte [rip - 11], 2  (patches the imm of the first insn) */
    static const uint8_t code[] = { 0xb8, 0x01, 0, 0, 0, 0xc6, 0x05, 0xf5, 0xff, 0xff, 0xff, 0x02 };
    g_assert_cmpint(run(tm, code, sizeof(code)), ==, X86_EXIT_BREAK);
    g_assert_cmpint(env->regs[R_EAX], ==, 1);
    g_assert_cmpint(tm->ram[CODE + 1], ==, 2);
    env->rip = CODE;                          /* run again without rewriting from the host */
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1), ==, X86_EXIT_LIMIT);
    g_assert_cmpint(env->regs[R_EAX], ==, 2);
    uint64_t hits, misses, invals;
    x86_cpu_cache_stats(tm->cpu, &hits, &misses, &invals);
    g_assert_cmpuint(invals, >=, 1);
    /* A host-side write reported through x86_cpu_invalidate_phys is seen as well. */
    tm->ram[CODE + 1] = 3;
    x86_cpu_invalidate_phys(tm->cpu, CODE + 1, 1);
    env->rip = CODE;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1), ==, X86_EXIT_LIMIT);
    g_assert_cmpint(env->regs[R_EAX], ==, 3);
    tm_free(tm);
}

/* An instruction that straddles into an unmapped page faults with CR2 on the second page. */
static void test_fetch_cross_page(void)
{
    TestMachine *tm = setup(3);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    /* Make CODE+0x1000 not present, put a 5-byte mov at CODE+0xffd. */
    set_pte(tm, CODE + 0x1000, 0);
    x86_cpu_tlb_flush(tm->cpu);
    static const uint8_t mov[] = { 0xb8, 1, 2, 3, 4 };
    memcpy(tm->ram + CODE + 0xffd, mov, 3);
    x86_cpu_invalidate_phys(tm->cpu, CODE, 0x1000);
    env->rip = CODE + 0xffd;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1), ==, X86_EXIT_EXCEPTION);
    g_assert_cmphex(env->cr[2], ==, CODE + 0x1000);
    g_assert_cmphex(env->rip, ==, CODE + 0xffd);
    tm_free(tm);
}

/* Instruction chains: a ret alternating between two call sites, and a store that rewrites
   the very next instruction (it must run as rewritten, even inside a chain). */
static void test_chain_successors_and_smc(void)
{
    TestMachine *tm = setup(0);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = {
        0xb9, 0x32, 0x00, 0x00, 0x00,                   /* mov ecx, 50 */
        0xe8, 0x1b, 0x00, 0x00, 0x00,                   /* l: call f */
        0x48, 0x01, 0xc3,                               /* add rbx, rax */
        0xe8, 0x13, 0x00, 0x00, 0x00,                   /* call f */
        0x48, 0x01, 0xc2,                               /* add rdx, rax */
        0x88, 0x0d, 0x03, 0x00, 0x00, 0x00,             /* mov [rip+3], cl: next imm8 */
        0x49, 0x83, 0xc0, 0x01,                         /* add r8, 1 (runs as add r8, cl) */
        0xff, 0xc9,                                     /* dec ecx */
        0x75, 0xe2,                                     /* jnz l */
        0xeb, 0x04,                                     /* jmp e */
        0x48, 0xff, 0xc0,                               /* f: inc rax */
        0xc3,                                           /* ret */
        0x90,                                           /* e: nop */
    };
    env->regs[R_ESP] = DATA + 0x1000;
    env->regs[R_EDX] = 0;                               /* reset left the CPU signature there */
    g_assert_cmpint(run(tm, code, sizeof(code)), ==, X86_EXIT_BREAK);
    g_assert_cmpint(env->regs[R_EAX], ==, 100);
    g_assert_cmpint(env->regs[R_EBX], ==, 2500);       /* 1 + 3 + ... + 99 */
    g_assert_cmpint(env->regs[R_EDX], ==, 2550);       /* 2 + 4 + ... + 100 */
    g_assert_cmpint(env->regs[R_R8], ==, 1275);       /* 50 + 49 + ... + 1 */
    g_assert_cmpint(env->icount, ==, 1 + 50 * 12 + 2);
    tm_free(tm);
}

/*
 * Runs of register-only instructions (decoded ahead and executed back to back): one that
 * straddles two pages (decoded each time, never cached), the instruction limit cutting a run
 * (registers, RIP, count and flags exactly as after the last instruction executed), and a
 * decode-ahead that meets bytes it cannot decode (they raise #UD only when reached).
 */
static void test_chain_runs(void)
{
    TestMachine *tm = setup(0);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t straddle[] = {
        0x48, 0x83, 0xc1, 0x01,                         /* l: add rcx, 1 (over the page end) */
        0x48, 0x01, 0xd8,                               /* add rax, rbx */
        0x48, 0x83, 0xc2, 0x02,                         /* add rdx, 2 */
        0x48, 0xff, 0xcf,                               /* dec rdi */
        0x75, 0xf1,                                     /* jnz l */
    };
    memcpy(tm->ram + CODE + 0xffd, straddle, sizeof(straddle));
    x86_cpu_invalidate_phys(tm->cpu, CODE, 0x2000);
    memset(env->regs, 0, sizeof(env->regs));
    env->regs[R_EBX] = 3;
    env->regs[R_EDI] = 100;
    env->rip = CODE + 0xffd;
    x86_cpu_set_break(tm->cpu, true, CODE + 0xffd + sizeof(straddle));
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 10000), ==, X86_EXIT_BREAK);
    g_assert_cmpuint(env->regs[R_EAX], ==, 300);
    g_assert_cmpuint(env->regs[R_ECX], ==, 100);
    g_assert_cmpuint(env->regs[R_EDX], ==, 200);
    g_assert_cmpuint(env->icount, ==, 500);

    /* Ten register-only instructions; the limit stops after four, then after six more. */
    static const uint8_t run10[] = {
        0x48, 0x01, 0xd8,  0x48, 0x29, 0xc8,  0x48, 0x31, 0xd0,  0x48, 0xf7, 0xd8,   /* add sub xor neg */
        0x48, 0x6b, 0xc0, 0x07,  0x48, 0xc1, 0xe8, 0x03,  0x48, 0x39, 0xd8,          /* imul shr cmp */
        0x0f, 0x92, 0xc1,  0x48, 0x0f, 0x43, 0xd3,  0x48, 0x85, 0xc0,                /* setb cmovae test */
        0x0f, 0x0b,                                                                  /* ud2 */
    };
    memset(env->regs, 0, sizeof(env->regs));
    env->regs[R_EAX] = 5;
    env->regs[R_EBX] = 9;
    env->regs[R_ECX] = 1;
    env->regs[R_EDX] = 0x10;
    x86_cpu_set_break(tm->cpu, false, 0);
    tm_write(tm, CODE, run10, sizeof(run10));
    env->rip = CODE;
    uint64_t ic = env->icount;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 4), ==, X86_EXIT_LIMIT);
    /* (5 + 9 - 1) ^ 0x10 = 0x1d, negated */
    g_assert_cmphex(env->regs[R_EAX], ==, (uint64_t)-0x1d);
    g_assert_cmphex(env->rip, ==, CODE + 12);
    g_assert_cmpuint(env->icount, ==, ic + 4);
    g_assert_cmphex(x86_get_eflags(env) & (X86_CF | X86_ZF | X86_SF | X86_OF), ==, X86_CF | X86_SF);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 6), ==, X86_EXIT_LIMIT);
    uint64_t r = ((uint64_t)-0x1d * 7) >> 3;
    g_assert_cmphex(env->regs[R_EAX], ==, r);
    g_assert_cmphex(env->regs[R_ECX], ==, r < 9);                  /* setb after cmp rax, rbx */
    g_assert_cmphex(env->regs[R_EDX], ==, r < 9 ? 0x10 : 9);       /* cmovae rdx, rbx */
    g_assert_cmphex(env->rip, ==, CODE + 33);
    g_assert_cmpuint(env->icount, ==, ic + 10);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 5), ==, X86_EXIT_EXCEPTION);
    int v;
    uint32_t e;
    bool has;
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 6);
    g_assert_cmphex(env->rip, ==, CODE + 33);
    g_assert_cmpuint(env->icount, ==, ic + 10);

    /* A load inside a run faulting (#PF at its own RIP, the two before it retired, and the
       flags those of the cmp, though the add after the load overwrites them when the run goes
       through), and a store inside a run rewriting the next instruction (it runs as
       rewritten). */
    static const uint8_t fault[] = {
        0x48, 0x01, 0xd8, 0x48, 0x39, 0xc0,             /* add rax, rbx; cmp rax, rax */
        0x48, 0x8b, 0x0e,                               /* mov rcx, [rsi] */
        0x48, 0x01, 0xd8,                               /* add rax, rbx */
    };
    tm_write(tm, CODE, fault, sizeof(fault));
    env->rip = CODE;
    env->regs[R_EAX] = 0;
    env->regs[R_EBX] = 1;
    env->regs[R_ESI] = HOLE;
    ic = env->icount;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_EXCEPTION);
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 14);
    g_assert_cmphex(env->rip, ==, CODE + 6);
    g_assert_cmphex(env->cr[2], ==, HOLE);
    g_assert_cmpuint(env->icount, ==, ic + 2);
    g_assert_cmpuint(env->regs[R_EAX], ==, 1);
    g_assert_cmphex(x86_get_eflags(env) & (X86_CF | X86_ZF | X86_SF), ==, X86_ZF);
    /* The same once the code is decoded and linked (the run goes straight through). */
    env->rip = CODE;
    env->regs[R_EAX] = 0;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_EXCEPTION);
    g_assert_cmphex(env->rip, ==, CODE + 6);
    g_assert_cmphex(x86_get_eflags(env) & (X86_CF | X86_ZF | X86_SF), ==, X86_ZF);
    static const uint8_t smc[] = {
        0x48, 0x01, 0xd8,                               /* add rax, rbx */
        0xc6, 0x47, 0x0a, 0x05,                         /* mov byte [rdi + 10], 5 */
        0x48, 0x01, 0xd8,                               /* add rax, rbx */
        0x48, 0x83, 0xc1, 0x01,                         /* add rcx, 1 (its imm8 at +10 becomes 5) */
        0x48, 0x01, 0xd8,                               /* add rax, rbx */
    };
    tm_write(tm, CODE, smc, sizeof(smc));
    env->rip = CODE;
    env->regs[R_EAX] = 0;
    env->regs[R_ECX] = 0;
    env->regs[R_EDI] = CODE + 3;
    x86_cpu_set_break(tm->cpu, true, CODE + sizeof(smc));
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_BREAK);
    g_assert_cmpuint(env->regs[R_ECX], ==, 5);
    g_assert_cmpuint(env->regs[R_EAX], ==, 3);
    x86_cpu_set_break(tm->cpu, false, 0);

    /* Straight-line code running into an invalid encoding (0x06, push es, in 64-bit mode). */
    static const uint8_t bad[] = { 0x48, 0x01, 0xd8, 0x48, 0x01, 0xd8, 0x06 };
    tm_write(tm, CODE, bad, sizeof(bad));
    env->rip = CODE;
    env->regs[R_EAX] = 1;
    env->regs[R_EBX] = 2;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_EXCEPTION);
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 6);
    g_assert_cmphex(env->rip, ==, CODE + 6);
    g_assert_cmpuint(env->regs[R_EAX], ==, 5);
    tm_free(tm);
}

/*
 * A chain going back and forth between two code pages (a call and its return), then the
 * guest remapping the callee's page and invlpg-ing it inside the same chain: the next call
 * must run the new page's code, not a remembered decode of the old one.  Likewise a callee
 * that remaps its caller's page before returning into it.
 */
static void test_chain_page_switch(void)
{
    TestMachine *tm = setup(0);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    const uint64_t other = 0x205000;                   /* physical page not mapped yet */
    uint64_t pte_addr = tm_pte_addr(tm, ALT);
    tm_map(tm, pte_addr & ~0xfffull, 0x1000, TM_PTE_RW | TM_PTE_NX);
    static const uint8_t f1[] = { 0xb8, 0x01, 0, 0, 0, 0xc3 };        /* mov eax, 1; ret */
    static const uint8_t f2[] = { 0xb8, 0x64, 0, 0, 0, 0xc3 };        /* mov eax, 100; ret */
    tm_write(tm, ALT, f1, sizeof(f1));
    tm_write(tm, other, f2, sizeof(f2));
    uint64_t new_pte = other | 7;
    uint8_t code[64];
    size_t n = 0;
    int32_t rel;
#define EMIT(...) do { const uint8_t b_[] = { __VA_ARGS__ }; memcpy(code + n, b_, sizeof(b_)); n += sizeof(b_); } while (0)
#define CALL_ALT() do { rel = (int32_t)(ALT - (CODE + n + 5)); EMIT(0xe8); memcpy(code + n, &rel, 4); n += 4; } while (0)
    EMIT(0x31, 0xdb);                                 /* xor ebx, ebx */
    EMIT(0xb9, 0x03, 0, 0, 0);                        /* mov ecx, 3 */
    size_t loop = n;
    CALL_ALT();                                       /* l: call ALT */
    EMIT(0x48, 0x01, 0xc3);                           /* add rbx, rax */
    EMIT(0xff, 0xc9);                                 /* dec ecx */
    EMIT(0x75, (uint8_t)(loop - (n + 2)));            /* jnz l */
    EMIT(0x48, 0xb8);                                 /* mov rax, new_pte */
    memcpy(code + n, &new_pte, 8);
    n += 8;
    EMIT(0x48, 0x89, 0x04, 0x25, pte_addr & 0xff, (pte_addr >> 8) & 0xff,
         (pte_addr >> 16) & 0xff, 0);                 /* mov [pte], rax */
    EMIT(0x0f, 0x01, 0x3c, 0x25, ALT & 0xff, (ALT >> 8) & 0xff, (ALT >> 16) & 0xff, 0);
                                                      /* invlpg [ALT] */
    CALL_ALT();
    EMIT(0x48, 0x01, 0xc3);                           /* add rbx, rax */
#undef EMIT
#undef CALL_ALT
    env->regs[R_ESP] = DATA + 0x1000;
    g_assert_cmpint(run(tm, code, n), ==, X86_EXIT_BREAK);
    g_assert_cmpuint(env->regs[R_EBX], ==, 103);
    g_assert_cmpuint(env->icount, ==, 2 + 3 * 6 + 3 + 4);

    /* The callee, called twice in one chain (all of it decoded by a first run), remaps the
       caller's page the second time and returns into it: the new page's code runs, not the
       chain's remembered decode of the old one. */
    const uint64_t p2 = 0x206000;
    uint64_t pte_code = tm_pte_addr(tm, CODE), p2_pte = p2 | 7;
    tm_map(tm, pte_code & ~0xfffull, 0x1000, TM_PTE_RW | TM_PTE_NX);
    static const uint8_t caller[] = {
        0x31, 0xdb,                                   /* xor ebx, ebx */
        0x31, 0xd2,                                   /* xor edx, edx */
        0xe8, 0, 0, 0, 0,                             /* call ALT (rel32 below) */
        0x44, 0x89, 0xc2,                             /* mov edx, r8d */
        0xe8, 0, 0, 0, 0,                             /* call ALT */
        0x48, 0x83, 0xc3, 0x01,                       /* add rbx, 1 (7 in the new page) */
    };
    uint8_t c1[sizeof(caller)];
    memcpy(c1, caller, sizeof(c1));
    rel = (int32_t)(ALT - (CODE + 9));
    memcpy(c1 + 5, &rel, 4);
    rel = (int32_t)(ALT - (CODE + 17));
    memcpy(c1 + 13, &rel, 4);
    uint8_t callee[40];
    n = 0;
    const uint8_t body[] = { 0x85, 0xd2, 0x74, 0x10,                /* test edx, edx; jz ret */
                             0x4c, 0x89, 0x0c, 0x25, pte_code & 0xff, (pte_code >> 8) & 0xff,
                             (pte_code >> 16) & 0xff, 0,            /* mov [pte of CODE], r9 */
                             0x0f, 0x01, 0x3c, 0x25, CODE & 0xff, (CODE >> 8) & 0xff,
                             (CODE >> 16) & 0xff, 0,                /* invlpg [CODE] */
                             0xc3 };                                /* ret */
    memcpy(callee, body, sizeof(body));
    n = sizeof(body);
    tm_write(tm, other, callee, n);                   /* ALT maps there since the first part */
    tm_write(tm, p2, c1, sizeof(c1));
    tm->ram[p2 + sizeof(c1) - 1] = 7;
    env->regs[R_R8] = 1;
    env->regs[R_R9] = pte(tm, CODE);                  /* first all decoded, the same mapping */
    g_assert_cmpint(run(tm, c1, sizeof(c1)), ==, X86_EXIT_BREAK);
    g_assert_cmpuint(env->regs[R_EBX], ==, 1);
    env->regs[R_R9] = p2_pte;
    env->rip = CODE;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1000), ==, X86_EXIT_BREAK);
    g_assert_cmpuint(env->regs[R_EBX], ==, 7);
    tm_free(tm);
}

/* Flat 32-bit protected mode at CPL 0 with paging per cr4 (tables already in RAM at 0x30000). */
static TestMachine *setup_legacy(uint64_t cr4, uint64_t efer)
{
    TestMachine *tm = tm_new();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint32_t code = DESC_P | DESC_S | DESC_B | DESC_G | (0xbu << DESC_TYPE_SHIFT);
    uint32_t data = DESC_P | DESC_S | DESC_B | DESC_G | (0x3u << DESC_TYPE_SHIFT);
    x86_cpu_set_cr(tm->cpu, 0, CR0_PE | CR0_ET | CR0_NE);
    x86_set_seg_flat(env, R_CS, 0x08, code);
    for (int s = R_ES; s <= R_GS; s++) {
        if (s != R_CS) {
            x86_set_seg_flat(env, s, 0x10, data);
        }
    }
    x86_cpu_set_efer(tm->cpu, efer);
    x86_cpu_set_cr(tm->cpu, 4, cr4);
    x86_cpu_set_cr(tm->cpu, 3, 0x30000);
    x86_cpu_set_cr(tm->cpu, 0, CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG);
    x86_cpu_set_stop_on_exception(tm->cpu, true);
    g_assert_cmpint(env->code_size, ==, 4);
    g_assert_false(env->long_mode);
    return tm;
}

static void put32(TestMachine *tm, uint64_t pa, uint32_t v) { memcpy(tm->ram + pa, &v, 4); }
static uint32_t get32(TestMachine *tm, uint64_t pa) { uint32_t v; memcpy(&v, tm->ram + pa, 4); return v; }

static void test_paging_32bit(void)
{
    TestMachine *tm = setup_legacy(CR4_PSE | CR4_PGE, 0);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    put32(tm, 0x30000, 0x31000 | 7);                        /* PDE 0 -> page table */
    put32(tm, 0x30000 + 2 * 4, 0x400000 | 0x83);            /* PDE 2: 4 MiB page at 4 MiB */
    put32(tm, 0x31000 + 0x100 * 4, 0x100000 | 3);           /* code */
    put32(tm, 0x31000 + 0x200 * 4, 0x200000 | 3);           /* data */
    put32(tm, 0x31000 + 0x201 * 4, 0x201000 | 1);           /* read-only */
    put32(tm, 0x31000 + 0x202 * 4, 0x205000 | 1);           /* remapped */
    put32(tm, 0x31000 + 0x203 * 4, 0x203000);               /* not present, neighbour */
    put32(tm, 0x205000, 0xfeedf00d);
    put32(tm, 0x400010, 0x0badcafe);
    static const uint8_t code[] = {
        0xa1, 0x00, 0x20, 0x20, 0x00,                       /* mov eax, [0x202000] */
        0xa3, 0x00, 0x00, 0x20, 0x00,                       /* mov [0x200000], eax */
        0x8b, 0x1d, 0x10, 0x00, 0x80, 0x00,                 /* mov ebx, [0x800010] */
        0xa3, 0x00, 0x10, 0x20, 0x00,                       /* mov [0x201000], eax: #PF */
    };
    tm_write(tm, 0x100000, code, sizeof(code));
    env->rip = 0x100000;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_EXCEPTION);
    int v;
    uint32_t e;
    bool has;
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 14);
    g_assert_cmphex(e, ==, PF_P | PF_W);
    g_assert_cmphex(env->cr[2], ==, 0x201000);
    g_assert_cmphex(env->rip, ==, 0x100010);
    g_assert_cmphex((uint32_t)env->regs[R_EAX], ==, 0xfeedf00d);
    g_assert_cmphex((uint32_t)env->regs[R_EBX], ==, 0x0badcafe);
    g_assert_cmphex(get32(tm, 0x200000), ==, 0xfeedf00d);
    g_assert_cmphex(get32(tm, 0x30000) & 0x20, ==, 0x20);                    /* A on PDE */
    g_assert_cmphex(get32(tm, 0x30008), ==, 0x400000 | 0x83 | 0x20);         /* A, no D */
    g_assert_cmphex(get32(tm, 0x31000 + 0x200 * 4) & 0x60, ==, 0x60);        /* A and D */
    g_assert_cmphex(get32(tm, 0x31000 + 0x202 * 4), ==, 0x205000 | 0x21);
    g_assert_cmphex(get32(tm, 0x31000 + 0x203 * 4), ==, 0x203000);           /* untouched */
    /* Without CR4.PSE the PS bit is ignored: PDE 2 points at a "page table" at 4 MiB. */
    uint64_t pa;
    g_assert_true(x86_cpu_debug_translate(tm->cpu, 0x800010, &pa));
    g_assert_cmphex(pa, ==, 0x400010);
    x86_cpu_set_cr(tm->cpu, 4, CR4_PGE);
    put32(tm, 0x400000, 0x207000 | 1);
    g_assert_true(x86_cpu_debug_translate(tm->cpu, 0x800010, &pa));
    g_assert_cmphex(pa, ==, 0x207010);
    g_assert_false(x86_cpu_debug_translate(tm->cpu, 0xc00000, &pa));
    tm_free(tm);
}

static void test_paging_pae(void)
{
    TestMachine *tm = setup_legacy(CR4_PAE, EFER_NXE);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint64_t ent;
    ent = 0x31000 | 1;                  memcpy(tm->ram + 0x30000, &ent, 8);    /* PDPTE 0 */
    ent = 0x32000 | 7;                  memcpy(tm->ram + 0x31000, &ent, 8);    /* PDE 0 */
    ent = 0x600000 | 0x83;              memcpy(tm->ram + 0x31000 + 16, &ent, 8);  /* PDE 2: 2 MiB */
    ent = 0x100000 | 3;                 memcpy(tm->ram + 0x32000 + 0x100 * 8, &ent, 8);
    ent = 0x1ff000 | 3 | (1ull << 63);  memcpy(tm->ram + 0x32000 + 0x1ff * 8, &ent, 8);  /* NX */
    put32(tm, 0x600008, 0x600dbeef);
    static const uint8_t code[] = {
        0xa1, 0x08, 0x00, 0x40, 0x00,                       /* mov eax, [0x400008] */
        0xb9, 0x00, 0xf0, 0x1f, 0x00,                       /* mov ecx, 0x1ff000 */
        0xff, 0xe1,                                         /* jmp ecx: NX */
    };
    tm_write(tm, 0x100000, code, sizeof(code));
    /* the flush on CR3 load in setup happened before the tables existed */
    x86_cpu_tlb_flush(tm->cpu);
    env->rip = 0x100000;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_EXCEPTION);
    int v;
    uint32_t e;
    bool has;
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 14);
    g_assert_cmphex(e, ==, PF_P | PF_I);
    g_assert_cmphex(env->cr[2], ==, 0x1ff000);
    g_assert_cmphex((uint32_t)env->regs[R_EAX], ==, 0x600dbeef);
    memcpy(&ent, tm->ram + 0x30000, 8);
    g_assert_cmphex(ent, ==, 0x31000 | 1);                  /* PDPTEs get no A bit */
    /* A reserved bit in a PDPTE: #PF with RSVD. */
    ent = 0x31000 | 1 | 2;
    memcpy(tm->ram + 0x30000, &ent, 8);
    x86_cpu_tlb_flush(tm->cpu);
    env->rip = 0x100000;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_EXCEPTION);
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmphex(e, ==, PF_P | PF_RSVD | PF_I);
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i386/mmu/pf-error-codes-user", test_pf_error_codes_user);
    g_test_add_func("/i386/mmu/pf-supervisor-wp", test_pf_supervisor_wp);
    g_test_add_func("/i386/mmu/accessed-dirty", test_accessed_dirty);
    g_test_add_func("/i386/mmu/tlb-invalidation", test_tlb_invalidation);
    g_test_add_func("/i386/mmu/code-invalidation", test_code_invalidation);
    g_test_add_func("/i386/mmu/fetch-cross-page", test_fetch_cross_page);
    g_test_add_func("/i386/mmu/chain-successors-smc", test_chain_successors_and_smc);
    g_test_add_func("/i386/mmu/chain-runs", test_chain_runs);
    g_test_add_func("/i386/mmu/chain-page-switch", test_chain_page_switch);
    g_test_add_func("/i386/mmu/paging-32bit", test_paging_32bit);
    g_test_add_func("/i386/mmu/paging-pae", test_paging_pae);
    return g_test_run();
}
