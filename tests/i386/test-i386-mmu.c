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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i386/mmu/pf-error-codes-user", test_pf_error_codes_user);
    g_test_add_func("/i386/mmu/pf-supervisor-wp", test_pf_supervisor_wp);
    g_test_add_func("/i386/mmu/accessed-dirty", test_accessed_dirty);
    g_test_add_func("/i386/mmu/tlb-invalidation", test_tlb_invalidation);
    g_test_add_func("/i386/mmu/code-invalidation", test_code_invalidation);
    g_test_add_func("/i386/mmu/fetch-cross-page", test_fetch_cross_page);
    return g_test_run();
}
