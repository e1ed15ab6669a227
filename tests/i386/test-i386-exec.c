/* Unit tests of exception/interrupt delivery, privilege transitions and system instructions. */
#include <string.h>
#include <glib.h>
#include "testmachine.h"
#include "target/i386/internal.h"

#define UCODE  0x100000ull
#define KCODE  0x110000ull
#define GDT    0x120000ull
#define IDT    0x121000ull
#define TSS    0x122000ull
#define USTACK 0x301000ull
#define KSTACK 0x380000ull
#define ISTACK 0x390000ull
#define HOLE   0x400000ull

/* Kernel handler addresses inside KCODE. */
#define H_INIT  (KCODE + 0x000)
#define H_PF    (KCODE + 0x100)
#define H_BP    (KCODE + 0x200)
#define H_GP    (KCODE + 0x300)
#define H_DF    (KCODE + 0x400)
#define H_SYS   (KCODE + 0x500)
#define H_UD    (KCODE + 0x600)
#define H_NMI   (KCODE + 0x700)   /* inc r8; nop; iretq */
#define K_HLT   (KCODE + 0x800)   /* hlt; jmp $ */

static void put(TestMachine *tm, uint64_t pa, const void *p, size_t n)
{
    tm_write(tm, pa, p, n);
}

static void put64(TestMachine *tm, uint64_t pa, uint64_t v)
{
    put(tm, pa, &v, 8);
}

static uint64_t get64(TestMachine *tm, uint64_t pa)
{
    uint64_t v;
    memcpy(&v, tm->ram + pa, 8);
    return v;
}

static void gate(TestMachine *tm, int vec, uint64_t off, int dpl, bool trap, int ist, bool present)
{
    uint64_t attr = (present ? 0x80 : 0) | (uint64_t)(dpl << 5) | (trap ? 0xf : 0xe);
    uint64_t lo = (off & 0xffff) | (0x08ull << 16) | ((uint64_t)ist << 32) | (attr << 40) |
                  (((off >> 16) & 0xffff) << 48);
    put64(tm, IDT + vec * 16, lo);
    put64(tm, IDT + vec * 16 + 8, off >> 32);
}

/* A long-mode machine with GDT, IDT, TSS (RSP0, IST1) and handlers that hlt. */
static TestMachine *machine(void)
{
    TestMachine *tm = tm_new();
    tm_map(tm, UCODE, 0x1000, TM_PTE_USER);
    tm_map(tm, KCODE, 0x1000, 0);
    tm_map(tm, GDT, 0x3000, TM_PTE_RW);
    tm_map(tm, USTACK - 0x1000, 0x1000, TM_PTE_USER | TM_PTE_RW | TM_PTE_NX);
    tm_map(tm, KSTACK - 0x1000, 0x1000, TM_PTE_RW | TM_PTE_NX);
    tm_map(tm, ISTACK - 0x1000, 0x1000, TM_PTE_RW | TM_PTE_NX);
    tm_enter_long_mode(tm, 0);
    put64(tm, GDT + 0x08, 0x00af9a000000ffffull);     /* kernel code64 */
    put64(tm, GDT + 0x10, 0x00cf92000000ffffull);     /* kernel data */
    put64(tm, GDT + 0x28, 0x00cff2000000ffffull);     /* user data */
    put64(tm, GDT + 0x30, 0x00affa000000ffffull);     /* user code64 */
    put64(tm, GDT + 0x40, 0x67 | ((TSS & 0xffffff) << 16) | (0x89ull << 40));
    put64(tm, GDT + 0x48, 0);
    put64(tm, TSS + 4, KSTACK);                        /* RSP0 */
    put64(tm, TSS + 0x24, ISTACK);                     /* IST1 */
    gate(tm, 14, H_PF, 0, false, 0, true);
    gate(tm, 3, H_BP, 3, true, 0, true);
    gate(tm, 13, H_GP, 0, false, 0, true);
    gate(tm, 8, H_DF, 0, false, 1, true);
    gate(tm, 6, H_UD, 0, false, 0, true);
    gate(tm, 0x80, H_BP, 0, false, 0, true);           /* DPL0: int 0x80 from ring 3 faults */
    static const uint8_t hlt = 0xf4;
    for (uint64_t h = H_PF; h <= H_UD; h += 0x100) {
        put(tm, h, &hlt, 1);
    }
    /* H_INIT: ltr 0x40; build an iretq frame to UCODE at ring 3. */
    static const uint8_t init[] = {
        0x66, 0xb8, 0x40, 0x00, 0x0f, 0x00, 0xd8,       /* mov ax, 0x40; ltr ax */
        0x6a, 0x2b,                                     /* push 0x2b (ss) */
        0x68, USTACK & 0xff, (USTACK >> 8) & 0xff, USTACK >> 16, 0,   /* push rsp */
        0x68, 0x02, 0x02, 0x00, 0x00,                   /* push 0x202 (rflags) */
        0x6a, 0x33,                                     /* push 0x33 (cs) */
        0x68, 0x00, 0x00, UCODE >> 16, 0x00,            /* push UCODE */
        0x48, 0xcf,                                     /* iretq */
    };
    put(tm, H_INIT, init, sizeof(init));
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->gdt.base = GDT;
    env->gdt.limit = 0x4f;
    env->idt.base = IDT;
    env->idt.limit = 0xfff;
    env->regs[R_ESP] = KSTACK;
    return tm;
}

/* Enter ring 3 at UCODE running code, until a handler halts. */
static X86ExitReason run_user(TestMachine *tm, const uint8_t *code, size_t n)
{
    CPUX86State *env = x86_cpu_env(tm->cpu);
    put(tm, UCODE, code, n);
    env->rip = H_INIT;
    env->halted = false;           /* again after a handler's hlt */
    put64(tm, GDT + 0x40, 0x67 | ((TSS & 0xffffff) << 16) | (0x89ull << 40));  /* not busy */
    return x86_cpu_exec(tm->cpu, 10000);
}

static void test_pf_from_user(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = { 0x48, 0x8b, 0x04, 0x25, 0, 0, HOLE >> 16, 0 };
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_PF + 1);
    g_assert_cmpint(env->cpl, ==, 0);
    g_assert_cmphex(env->cr[2], ==, HOLE);
    g_assert_cmphex(env->tr.base, ==, TSS);
    /* Frame on the RSP0 stack: err, rip, cs, rflags, rsp, ss. */
    uint64_t sp = env->regs[R_ESP];
    g_assert_cmphex(sp, ==, KSTACK - 48);
    g_assert_cmphex(get64(tm, sp), ==, PF_U);
    g_assert_cmphex(get64(tm, sp + 8), ==, UCODE);
    g_assert_cmphex(get64(tm, sp + 16), ==, 0x33);
    g_assert_cmphex(get64(tm, sp + 24) & 0x3f7fd7, ==, 0x202);
    g_assert_cmphex(get64(tm, sp + 32), ==, USTACK);
    g_assert_cmphex(get64(tm, sp + 40), ==, 0x2b);
    g_assert_false(env->eflags & X86_IF);              /* interrupt gate clears IF */
    tm_free(tm);
}

static void test_int3_trap_gate_and_iretq(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t iretq[] = { 0x48, 0xcf };
    put(tm, H_BP, iretq, 2);
    /* int3; mov ebx, 42; hlt (ring 3: #GP -> H_GP halts) */
    static const uint8_t code[] = { 0xcc, 0xbb, 42, 0, 0, 0, 0xf4 };
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmpint(env->regs[R_EBX], ==, 42);         /* iretq returned after the int3 */
    g_assert_cmphex(env->rip, ==, H_GP + 1);           /* hlt at CPL3 is #GP(0) */
    uint64_t sp = env->regs[R_ESP];
    g_assert_cmphex(get64(tm, sp), ==, 0);             /* error code */
    g_assert_cmphex(get64(tm, sp + 8), ==, UCODE + 6); /* faulting hlt */
    tm_free(tm);
}

static void test_int_dpl_check(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = { 0xcd, 0x80 };
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_GP + 1);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, 0x80 * 8 + 2);
    g_assert_cmphex(get64(tm, env->regs[R_ESP] + 8), ==, UCODE);
    tm_free(tm);
}

static void test_double_fault_ist(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    gate(tm, 14, H_PF, 0, false, 0, false);            /* #PF gate not present -> #NP -> #DF */
    static const uint8_t code[] = { 0x48, 0x8b, 0x04, 0x25, 0, 0, HOLE >> 16, 0 };
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_DF + 1);
    g_assert_cmphex(env->regs[R_ESP], ==, ISTACK - 48);    /* IST1 stack */
    g_assert_cmphex(get64(tm, ISTACK - 48), ==, 0);        /* #DF error code is 0 */
    tm_free(tm);
}

static void test_triple_fault(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = { 0x0f, 0x0b };        /* ud2 */
    put(tm, UCODE, code, 2);
    env->idt.limit = 0;                                 /* nothing can be delivered */
    env->rip = UCODE;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_TRIPLE_FAULT);
    tm_free(tm);
}

static void test_syscall_sysret(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->star = (0x20ull << 48) | (0x08ull << 32);     /* sysret: cs=0x30|3, ss=0x28|3 */
    env->lstar = H_SYS;
    env->fmask = X86_IF;
    static const uint8_t sys[] = { 0x41, 0xbc, 7, 0, 0, 0, 0x48, 0x0f, 0x07 };  /* mov r12d,7; sysretq */
    put(tm, H_SYS, sys, sizeof(sys));
    static const uint8_t code[] = { 0x0f, 0x05, 0xbb, 5, 0, 0, 0, 0xf4 };      /* syscall; mov ebx,5; hlt */
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmpint(env->regs[R_R12], ==, 7);
    g_assert_cmpint(env->regs[R_EBX], ==, 5);
    g_assert_cmphex(env->regs[R_ECX], ==, UCODE + 2);  /* return address */
    g_assert_cmphex(env->regs[R_R11] & 0x3f7fd7, ==, 0x202);
    g_assert_cmphex(get64(tm, env->regs[R_ESP] + 8), ==, UCODE + 7);   /* hlt faulted in ring 3 */
    g_assert_cmphex(get64(tm, env->regs[R_ESP] + 16), ==, 0x33);
    tm_free(tm);
}

typedef struct UnimpLog {
    int calls;
    uint64_t rip;
    uint8_t bytes[16];
    int len;
} UnimpLog;

static void unimp_log(void *opaque, uint64_t rip, const uint8_t *bytes, int len)
{
    UnimpLog *log = opaque;
    log->calls++;
    log->rip = rip;
    log->len = len;
    g_assert_cmpint(len, <=, 15);
    memcpy(log->bytes, bytes, len);
}

/* An opcode the decoder refuses: #UD in the guest, logged once per address with the bytes
   the decoder looked at (not the 15 bytes fetched). */
static void test_unimplemented_is_ud(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    UnimpLog log = { 0 };
    x86_cpu_set_unimp_log(tm->cpu, unimp_log, &log);
    static const uint8_t code[] = { 0x90, 0x0f, 0x38, 0x00, 0xc1 };   /* pshufb: not implemented */
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_UD + 1);
    g_assert_cmpint(log.calls, ==, 1);
    g_assert_cmphex(log.rip, ==, UCODE + 1);
    g_assert_cmpint(log.len, ==, 2);
    g_assert_cmphex(log.bytes[0], ==, 0x0f);
    g_assert_cmphex(log.bytes[1], ==, 0x38);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, UCODE + 1);      /* #UD has no error code */
    /* the same address again: #UD again, but no second log line */
    uint64_t rsp = env->regs[R_ESP];
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_UD + 1);
    g_assert_cmphex(env->regs[R_ESP], ==, rsp);                     /* RSP0 again */
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, UCODE + 1);
    g_assert_cmpint(log.calls, ==, 1);
    tm_free(tm);
}

/* A form found unimplemented only by its handler (fbld m80 = DF /4) is logged the same way. */
static void test_unimplemented_form_is_ud(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    UnimpLog log = { 0 };
    static const uint8_t code[] = { 0x90, 0x90, 0xdf, 0x20, 0xf4 };   /* fbld [rax] */
    /* without a log hook: plain #UD */
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_UD + 1);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, UCODE + 2);
    x86_cpu_set_unimp_log(tm->cpu, unimp_log, &log);
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_UD + 1);
    g_assert_cmpint(log.calls, ==, 1);
    g_assert_cmphex(log.rip, ==, UCODE + 2);
    g_assert_cmpint(log.len, ==, 2);
    g_assert_cmphex(log.bytes[0], ==, 0xdf);
    g_assert_cmphex(log.bytes[1], ==, 0x20);
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmpint(log.calls, ==, 1);
    /* ud2 is implemented: #UD without a log line */
    static const uint8_t ud2[] = { 0x0f, 0x0b };
    g_assert_cmpint(run_user(tm, ud2, sizeof(ud2)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_UD + 1);
    g_assert_cmpint(log.calls, ==, 1);
    tm_free(tm);
}

static void test_external_interrupt(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    gate(tm, 0x30, H_BP, 0, false, 0, true);
    static const uint8_t code[] = { 0xeb, 0xfe };       /* jmp $ */
    put(tm, UCODE, code, 2);
    env->rip = H_INIT;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_LIMIT);
    g_assert_cmpint(env->cpl, ==, 3);
    g_assert_true(x86_cpu_interrupt(tm->cpu, 0x30));
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_BP + 1);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, UCODE);   /* no error code; rip of jmp */
    tm_free(tm);
}

/* NMI handler (inc r8; nop; iretq) and a kernel hlt with IF=0 for the NMI tests. */
static TestMachine *nmi_machine(void)
{
    TestMachine *tm = machine();
    static const uint8_t h[] = { 0x49, 0xff, 0xc0, 0x90, 0x48, 0xcf };
    static const uint8_t k[] = { 0xf4, 0xeb, 0xfe };
    put(tm, H_NMI, h, sizeof(h));
    put(tm, K_HLT, k, sizeof(k));
    gate(tm, 2, H_NMI, 0, false, 0, true);
    gate(tm, 0x30, H_BP, 0, false, 0, true);
    return tm;
}

/* An NMI is taken through IDT vector 2 and blocks further NMIs until the handler's iretq;
   one raised meanwhile waits and is taken right after the iretq. */
static void test_nmi_blocking(void)
{
    TestMachine *tm = nmi_machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = { 0xeb, 0xfe };       /* jmp $ */
    put(tm, UCODE, code, 2);
    env->rip = H_INIT;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_LIMIT);
    g_assert_cmphex(env->rip, ==, UCODE);
    x86_cpu_nmi(tm->cpu);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1), ==, X86_EXIT_LIMIT);   /* delivery + inc r8 */
    g_assert_cmphex(env->rip, ==, H_NMI + 3);
    g_assert_cmpuint(env->regs[8], ==, 1);
    g_assert_cmpint(env->cpl, ==, 0);
    g_assert_true(env->nmi_blocked);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, UCODE);          /* no error code */
    g_assert_cmphex(get64(tm, env->regs[R_ESP] + 8), ==, 0x33);
    /* a second NMI inside the handler waits */
    x86_cpu_nmi(tm->cpu);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1), ==, X86_EXIT_LIMIT);   /* the nop */
    g_assert_cmphex(env->rip, ==, H_NMI + 4);
    g_assert_cmpuint(env->regs[8], ==, 1);
    g_assert_true(env->nmi_pending);
    /* the iretq returns to ring 3 and the waiting NMI comes in before any user insn */
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 2), ==, X86_EXIT_LIMIT);   /* iretq; inc r8 */
    g_assert_cmphex(env->rip, ==, H_NMI + 3);
    g_assert_cmpuint(env->regs[8], ==, 2);
    g_assert_false(env->nmi_pending);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, UCODE);
    /* back in the user loop for good */
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_LIMIT);
    g_assert_cmphex(env->rip, ==, UCODE);
    g_assert_cmpint(env->cpl, ==, 3);
    g_assert_cmpuint(env->regs[8], ==, 2);
    g_assert_false(env->nmi_blocked);
    tm_free(tm);
}

/* An NMI ignores RFLAGS.IF and wakes a hlt; an external interrupt raised together with it
   comes second. */
static void test_nmi_if_clear_and_priority(void)
{
    TestMachine *tm = nmi_machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->rip = K_HLT;
    g_assert_false(env->eflags & X86_IF);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_HLT);
    g_assert_false(x86_cpu_interrupt(tm->cpu, 0x30));                 /* IF=0: waits */
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_HLT);    /* and does not wake */
    g_assert_true(env->halted);
    g_assert_cmphex(env->rip, ==, K_HLT + 1);
    g_assert_cmpuint(env->regs[8], ==, 0);
    x86_cpu_nmi(tm->cpu);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_LIMIT);
    g_assert_cmpuint(env->regs[8], ==, 1);
    g_assert_cmphex(env->rip, ==, K_HLT + 1);                         /* iretq came back */
    g_assert_false(env->halted);
    g_assert_false(env->nmi_blocked);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_LIMIT);  /* jmp $ */
    tm_free(tm);

    /* both pending in ring 3 with IF=1: the NMI handler runs first (IF=0 inside), the
       interrupt right after its iretq */
    tm = nmi_machine();
    env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = { 0xeb, 0xfe };
    put(tm, UCODE, code, 2);
    env->rip = H_INIT;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_LIMIT);
    x86_cpu_nmi(tm->cpu);
    g_assert_true(x86_cpu_interrupt(tm->cpu, 0x30));
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_HLT);
    g_assert_cmpuint(env->regs[8], ==, 1);
    g_assert_cmphex(env->rip, ==, H_BP + 1);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, UCODE);
    tm_free(tm);
}

/* "int 2" runs the same handler but is no NMI: nothing is blocked afterwards. */
static void test_int2_does_not_block_nmi(void)
{
    TestMachine *tm = nmi_machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = { 0xcd, 0x02, 0xf4 };   /* int 2; hlt (#GP in ring 3) */
    gate(tm, 2, H_NMI, 3, false, 0, true);
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_GP + 1);
    g_assert_cmpuint(env->regs[8], ==, 1);
    g_assert_false(env->nmi_blocked);
    tm_free(tm);
}

/* Direct far jumps check privilege: ring 3 may not enter a DPL0 non-conforming segment
   (#GP(sel)), may enter a conforming one (CPL stays 3) and its own. */
static void test_far_jump_privilege(void)
{
    static const struct { uint16_t sel; bool ok; } cases[] = {
        { 0x08, false }, { 0x0b, false },      /* kernel code, RPL 0 or 3 */
        { 0x1b, true }, { 0x18, true },        /* conforming DPL0: allowed, CPL stays 3 */
        { 0x33, true }, { 0x30, true },        /* own code segment (RPL is taken from CPL) */
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(cases); i++) {
        TestMachine *tm = machine();
        CPUX86State *env = x86_cpu_env(tm->cpu);
        put64(tm, GDT + 0x18, 0x00af9e000000ffffull);   /* conforming code64, DPL0 */
        uint8_t code[0x48] = {
            0xff, 0x2d, 0x1a, 0x00, 0x00, 0x00,         /* jmp far [rip+0x1a] -> +0x20 */
        };
        uint32_t target = UCODE + 0x40;
        memcpy(code + 0x20, &target, 4);
        memcpy(code + 0x24, &cases[i].sel, 2);
        code[0x40] = 0xeb;                              /* jmp $ */
        code[0x41] = 0xfe;
        X86ExitReason r = run_user(tm, code, sizeof(code));
        if (cases[i].ok) {
            g_assert_cmpint(r, ==, X86_EXIT_LIMIT);
            g_assert_cmphex(env->rip, ==, UCODE + 0x40);
            g_assert_cmpint(env->cpl, ==, 3);
            g_assert_cmphex(env->segs[R_CS].sel, ==, (cases[i].sel & ~3) | 3);
        } else {
            g_assert_cmpint(r, ==, X86_EXIT_HLT);
            g_assert_cmphex(env->rip, ==, H_GP + 1);
            g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, cases[i].sel & 0xfffc);
            g_assert_cmphex(get64(tm, env->regs[R_ESP] + 8), ==, UCODE);
        }
        tm_free(tm);
    }
}

/* Real mode: int 0x10 through the IVT and iret back. */
/* An interrupt that waits for IF is taken right after the popf that sets it, even in the
   middle of straight-line code that would otherwise run as one chain. */
static void test_interrupt_after_popf(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    gate(tm, 0x30, H_BP, 0, false, 0, true);
    static const uint8_t code[] = {
        0xfa,                                   /* cli */
        0x68, 0x02, 0x02, 0x00, 0x00,           /* push 0x202 */
        0x90,                                   /* nop */
        0x9d,                                   /* popf: IF = 1 */
        0x48, 0xff, 0xc0,                       /* inc rax */
        0x48, 0xff, 0xc0,                       /* inc rax */
        0xf4,                                   /* hlt */
    };
    put(tm, KCODE + 0x700, code, sizeof(code));
    env->rip = KCODE + 0x700;
    /* A first pass decodes the code (each first execution ends a chain anyway)... */
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_HLT);
    g_assert_cmpint(env->regs[R_EAX], ==, 2);
    /* ...the second runs it from the decode cache as one chain. */
    env->halted = false;
    env->rip = KCODE + 0x700;
    env->regs[R_EAX] = 0;
    env->regs[R_ESP] = KSTACK;
    x86_set_eflags(env, 2);
    g_assert_false(x86_cpu_interrupt(tm->cpu, 0x30));  /* IF is clear: it waits */
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_BP + 1);
    g_assert_cmpint(env->regs[R_EAX], ==, 0);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, KCODE + 0x708);   /* the first inc */
    tm_free(tm);
}

static void test_real_mode_interrupt(void)
{
    TestMachine *tm = tm_new();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint32_t ivt = 0x00000600;                          /* 0000:0600 */
    put(tm, 0x10 * 4, &ivt, 4);
    static const uint8_t handler[] = { 0xbb, 0x34, 0x12, 0xcf };      /* mov bx,0x1234; iret */
    put(tm, 0x600, handler, sizeof(handler));
    static const uint8_t code[] = { 0xcd, 0x10, 0xb8, 0x78, 0x56, 0xf4 }; /* int 0x10; mov ax,..; hlt */
    put(tm, 0x7c00, code, sizeof(code));
    x86_load_seg_real(env, R_CS, 0);
    x86_load_seg_real(env, R_SS, 0);
    env->rip = 0x7c00;
    env->regs[R_ESP] = 0x7000;
    env->idt.base = 0;
    env->idt.limit = 0x3ff;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->regs[R_EBX] & 0xffff, ==, 0x1234);
    g_assert_cmphex(env->regs[R_EAX] & 0xffff, ==, 0x5678);
    g_assert_cmphex(env->regs[R_ESP], ==, 0x7000);
    tm_free(tm);
}

/* Real mode -> 32-bit protected mode: lgdt, mov cr0, far jmp, load data segments. */
static void test_enter_protected_mode(void)
{
    TestMachine *tm = tm_new();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint64_t gdt[3] = { 0, 0x00cf9a000000ffffull, 0x00cf92000000ffffull };
    put(tm, 0x1000, gdt, sizeof(gdt));
    uint8_t gdtr[6] = { 0x17, 0, 0x00, 0x10, 0, 0 };
    put(tm, 0x1100, gdtr, 6);
    static const uint8_t code[] = {
        0x0f, 0x01, 0x16, 0x00, 0x11,                   /* lgdt [0x1100] */
        0x0f, 0x20, 0xc0, 0x66, 0x83, 0xc8, 0x01,       /* mov eax, cr0; or eax, 1 */
        0x0f, 0x22, 0xc0,                               /* mov cr0, eax */
        0x66, 0xea, 0x00, 0x7d, 0x00, 0x00, 0x08, 0x00, /* jmp dword 0x08:0x7d00 */
    };
    put(tm, 0x7c00, code, sizeof(code));
    static const uint8_t pm[] = {
        0xb8, 0x10, 0x00, 0x00, 0x00, 0x8e, 0xd8, 0x8e, 0xd0,   /* mov eax,0x10; mov ds,ax; mov ss,ax */
        0xbc, 0x00, 0x90, 0x00, 0x00,                           /* mov esp, 0x9000 */
        0xb8, 0x78, 0x56, 0x34, 0x12, 0x50,                     /* mov eax,0x12345678; push eax */
        0xa3, 0x00, 0x20, 0x00, 0x00, 0xf4,                     /* mov [0x2000], eax; hlt */
    };
    put(tm, 0x7d00, pm, sizeof(pm));
    x86_load_seg_real(env, R_CS, 0);
    env->rip = 0x7c00;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_HLT);
    g_assert_cmpint(env->code_size, ==, 4);
    g_assert_cmpint(env->segs[R_CS].sel, ==, 8);
    g_assert_cmphex(get64(tm, 0x2000) & 0xffffffff, ==, 0x12345678);
    g_assert_cmphex(get64(tm, 0x8ffc) & 0xffffffff, ==, 0x12345678);
    g_assert_cmphex(env->regs[R_ESP], ==, 0x8ffc);
    tm_free(tm);
}

static void test_cpuid_msr_misc(void)
{
    TestMachine *tm = tm_new();
    tm_map(tm, 0x100000, 0x1000, 0);
    tm_enter_long_mode(tm, 0);
    x86_cpu_set_stop_on_exception(tm->cpu, true);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    /* cpuid(0x80000001); rdmsr EFER; wrmsr LSTAR (non-canonical -> #GP) */
    static const uint8_t code[] = {
        0xb8, 0x01, 0x00, 0x00, 0x80, 0x0f, 0xa2, 0x41, 0x89, 0xd0,     /* cpuid; mov r8d, edx */
        0xb9, 0x80, 0x00, 0x00, 0xc0, 0x0f, 0x32, 0x41, 0x89, 0xc1,     /* rdmsr EFER; mov r9d,eax */
        0xf3, 0x48, 0x0f, 0xb8, 0xc6,                                   /* popcnt rax, rsi */
        0xb9, 0x82, 0x00, 0x00, 0xc0, 0xba, 0x00, 0x80, 0x00, 0x00, 0x0f, 0x30,  /* wrmsr LSTAR */
    };
    put(tm, 0x100000, code, sizeof(code));
    env->regs[R_ESI] = 0xf0f0;
    env->rip = 0x100000;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 100), ==, X86_EXIT_EXCEPTION);
    int v;
    uint32_t e;
    bool has;
    x86_cpu_last_exception(tm->cpu, &v, &e, &has);
    g_assert_cmpint(v, ==, 13);
    g_assert_true(env->regs[R_R8] & (1u << 29));       /* LM */
    g_assert_true(env->regs[R_R8] & (1u << 20));       /* NX */
    g_assert_cmphex(env->regs[R_R9] & (EFER_LMA | EFER_LME), ==, EFER_LMA | EFER_LME);
    g_assert_cmpint(env->regs[R_EAX], ==, 8);          /* popcnt */
    tm_free(tm);
}

static uint64_t apic_hook_val;
static bool apic_hook(void *opaque, uint64_t val)
{
    apic_hook_val = val;
    return !(val & 0x1000);             /* this "board" refuses one base, for the #GP path */
}

/* CPUID's vendor, TSC leaves and the APIC bits; IA32_APIC_BASE with and without a board APIC. */
static void test_cpuid_apic_msr(void)
{
    TestMachine *tm = tm_new();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint32_t a, b, c, d;
    uint64_t v;

    x86_cpuid(env, 0, 0, &a, &b, &c, &d);
    g_assert_cmphex(a, ==, 0x16);
    g_assert_cmpmem(&b, 4, "Genu", 4);
    x86_cpuid(env, 0x15, 0, &a, &b, &c, &d);
    g_assert_cmpuint((uint64_t)c * b / a, ==, 1000000000u);       /* the 1 GHz virtual TSC */
    x86_cpuid(env, 1, 0, &a, &b, &c, &d);
    g_assert_cmphex(d & (1u << 9), ==, 0);                        /* no board APIC: none */
    g_assert_cmphex(c & (1u << 24), ==, 0);                       /* never TSC-deadline */
    g_assert_true(x86_wrmsr(tm->cpu, MSR_IA32_APICBASE, 0x1234)); /* stored only */
    g_assert_true(x86_rdmsr(tm->cpu, 0x8b, &v) && v == 0);        /* Intel microcode rev */
    g_assert_false(x86_rdmsr(tm->cpu, 0x3a, &v));                 /* FEAT_CTL: #GP */

    x86_cpu_set_apic(tm->cpu, true, 5, apic_hook, NULL);
    x86_cpu_reset(tm->cpu);                                       /* the setting survives */
    x86_cpuid(env, 1, 0, &a, &b, &c, &d);
    g_assert_cmphex(d & (1u << 9), !=, 0);
    g_assert_cmphex(b >> 24, ==, 5);
    g_assert_true(x86_rdmsr(tm->cpu, MSR_IA32_APICBASE, &v));
    g_assert_cmphex(v, ==, 0xfee00900u);
    g_assert_true(x86_wrmsr(tm->cpu, MSR_IA32_APICBASE, 0xfee00000u));   /* EN off, BSP kept */
    g_assert_cmphex(apic_hook_val, ==, 0xfee00100u);
    g_assert_true(x86_rdmsr(tm->cpu, MSR_IA32_APICBASE, &v) && v == 0xfee00100u);
    g_assert_false(x86_wrmsr(tm->cpu, MSR_IA32_APICBASE, 0xfee00c00u));  /* x2APIC: #GP */
    g_assert_false(x86_wrmsr(tm->cpu, MSR_IA32_APICBASE, 0xfee00801u));  /* reserved */
    g_assert_false(x86_wrmsr(tm->cpu, MSR_IA32_APICBASE, 0x10000000000ull | 0x800));
    g_assert_false(x86_wrmsr(tm->cpu, MSR_IA32_APICBASE, 0xfee01800u));  /* board refuses */
    g_assert_true(x86_rdmsr(tm->cpu, MSR_IA32_APICBASE, &v) && v == 0xfee00100u);
    tm_free(tm);
}

static struct { uint64_t val, tsc; uint32_t msr; bool write; int calls; } apic_msr_seen;
static bool apic_msr_hook(void *opaque, uint32_t msr, bool write, uint64_t *val, uint64_t tsc)
{
    apic_msr_seen.calls++;
    apic_msr_seen.msr = msr;
    apic_msr_seen.write = write;
    apic_msr_seen.tsc = tsc;
    if (write) {
        apic_msr_seen.val = *val;
    } else {
        *val = 0x1234567890ull;
    }
    return *val != 0xbad;               /* the board may refuse: #GP */
}

/* TSC-deadline: CPUID.1:ECX.24 and IA32_TSC_DEADLINE (0x6e0) only with a board APIC; the
   MSR goes to the board's hook with the TSC of the access, which decides (false: #GP). */
static void test_cpuid_tsc_deadline(void)
{
    TestMachine *tm = tm_new();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    uint32_t a, b, c, d;
    uint64_t v = 0;

    memset(&apic_msr_seen, 0, sizeof(apic_msr_seen));
    x86_cpu_set_apic_msr(tm->cpu, apic_msr_hook, NULL);
    x86_cpuid(env, 1, 0, &a, &b, &c, &d);
    g_assert_cmphex(c & (1u << 24), ==, 0);                       /* no board APIC */
    g_assert_false(x86_rdmsr(tm->cpu, MSR_IA32_TSC_DEADLINE, &v));
    g_assert_false(x86_wrmsr(tm->cpu, MSR_IA32_TSC_DEADLINE, 5));
    g_assert_cmpint(apic_msr_seen.calls, ==, 0);
    x86_cpu_set_apic(tm->cpu, true, 0, NULL, NULL);
    x86_cpu_reset(tm->cpu);                                       /* both settings survive */
    x86_cpuid(env, 1, 0, &a, &b, &c, &d);
    g_assert_cmphex(c & (1u << 24), !=, 0);
    g_assert_true(x86_wrmsr(tm->cpu, MSR_IA32_TSC, 1000000));
    env->icount += 77;
    g_assert_true(x86_wrmsr(tm->cpu, MSR_IA32_TSC_DEADLINE, 1000500));
    g_assert_cmpint(apic_msr_seen.calls, ==, 1);
    g_assert_true(apic_msr_seen.write);
    g_assert_cmphex(apic_msr_seen.msr, ==, 0x6e0);
    g_assert_cmpuint(apic_msr_seen.val, ==, 1000500);
    g_assert_cmpuint(apic_msr_seen.tsc, ==, 1000077);             /* the TSC, not icount */
    g_assert_true(x86_rdmsr(tm->cpu, MSR_IA32_TSC_DEADLINE, &v));
    g_assert_false(apic_msr_seen.write);
    g_assert_cmphex(v, ==, 0x1234567890ull);
    g_assert_false(x86_wrmsr(tm->cpu, MSR_IA32_TSC_DEADLINE, 0xbad));
    x86_cpu_set_apic_msr(tm->cpu, NULL, NULL);                    /* no hook: #GP */
    g_assert_false(x86_rdmsr(tm->cpu, MSR_IA32_TSC_DEADLINE, &v));
    g_assert_false(x86_wrmsr(tm->cpu, MSR_IA32_TSC_DEADLINE, 1));
    g_assert_cmpint(apic_msr_seen.calls, ==, 3);
    tm_free(tm);
}

static int inta_calls;
static int inta_hook(void *opaque)
{
    inta_calls++;
    return 0x30;
}

/* The INTR pin (x86_cpu_set_intr): the INTA runs when the CPU takes the interrupt — after
   the instruction in the sti shadow, not while IF=0; deasserting withdraws it; asserting
   wakes hlt only with IF=1; without an ack function the pin is ignored. */
static void test_intr_pin(void)
{
    TestMachine *tm = nmi_machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    const uint64_t k = KCODE + 0x900;
    /* nop; nop; sti; nop; inc r9; jmp $ (CPL 0, IF = 0); the 0x30 handler halts */
    static const uint8_t code[] = { 0x90, 0x90, 0xfb, 0x90, 0x49, 0xff, 0xc1, 0xeb, 0xfe };
    put(tm, k, code, sizeof(code));
    inta_calls = 0;
    x86_cpu_set_intr(tm->cpu, true);                              /* no ack function yet */
    env->rip = k;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_LIMIT);
    g_assert_cmpuint(env->regs[R_R9], ==, 1);                     /* never interrupted */
    tm_free(tm);

    tm = nmi_machine();
    env = x86_cpu_env(tm->cpu);
    put(tm, k, code, sizeof(code));
    x86_cpu_set_intr_ack(tm->cpu, inta_hook, NULL);
    env->rip = k;
    x86_cpu_set_intr(tm->cpu, true);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 3), ==, X86_EXIT_LIMIT);    /* up to sti */
    g_assert_cmpint(inta_calls, ==, 0);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_HLT);
    g_assert_cmpint(inta_calls, ==, 1);
    g_assert_cmphex(env->rip, ==, H_BP + 1);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, k + 4);     /* after the shadowed nop */
    g_assert_cmpuint(env->regs[R_R9], ==, 0);
    tm_free(tm);

}

/* The INTR pin, continued: withdrawn before IF = 1, waking hlt (IF = 1 only). */
static void test_intr_pin_withdraw_hlt(void)
{
    const uint64_t k = KCODE + 0x900;
    static const uint8_t code[] = { 0x90, 0x90, 0xfb, 0x90, 0x49, 0xff, 0xc1, 0xeb, 0xfe };
    inta_calls = 1;
    /* withdrawn before IF = 1: no INTA at all */
    TestMachine *tm = nmi_machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    put(tm, k, code, sizeof(code));
    x86_cpu_set_intr_ack(tm->cpu, inta_hook, NULL);
    env->rip = k;
    x86_cpu_set_intr(tm->cpu, true);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1), ==, X86_EXIT_LIMIT);
    x86_cpu_set_intr(tm->cpu, false);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_LIMIT);
    g_assert_cmpint(inta_calls, ==, 1);
    g_assert_cmpuint(env->regs[R_R9], ==, 1);
    /* hlt with IF = 1 wakes at the assertion, and the interrupt is taken */
    static const uint8_t idle[] = { 0xfb, 0xf4, 0x49, 0xff, 0xc1, 0xeb, 0xfe };  /* sti; hlt */
    put(tm, k + 0x40, idle, sizeof(idle));
    env->rip = k + 0x40;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_HLT);
    g_assert_true(env->halted);
    x86_cpu_set_intr(tm->cpu, true);
    g_assert_false(env->halted);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_HLT);
    g_assert_cmpint(inta_calls, ==, 2);
    g_assert_cmphex(get64(tm, env->regs[R_ESP]), ==, k + 0x42);
    tm_free(tm);

    /* hlt with IF = 0 sleeps through it */
    tm = nmi_machine();
    env = x86_cpu_env(tm->cpu);
    x86_cpu_set_intr_ack(tm->cpu, inta_hook, NULL);
    env->rip = K_HLT;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_HLT);
    x86_cpu_set_intr(tm->cpu, true);
    g_assert_true(env->halted);
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 50), ==, X86_EXIT_HLT);
    g_assert_cmpint(inta_calls, ==, 2);
    g_assert_cmphex(env->rip, ==, K_HLT + 1);
    tm_free(tm);
}

/* Run code (hlt appended) at CPL 0 in 64-bit mode from a fresh CPU: -1 when it reached the
   hlt, else the vector of the exception that stopped it.  RBX points to a RW data page. */
static int run_k0(TestMachine **tmp, const uint8_t *code, size_t n, uint64_t rax)
{
    TestMachine *tm = tm_new();
    uint8_t buf[64];
    tm_map(tm, 0x100000, 0x2000, TM_PTE_RW);
    tm_enter_long_mode(tm, 0);
    x86_cpu_set_stop_on_exception(tm->cpu, true);
    g_assert_cmpuint(n, <, sizeof(buf));
    memcpy(buf, code, n);
    buf[n] = 0xf4;
    put(tm, 0x100000, buf, n + 1);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->rip = 0x100000;
    env->regs[R_EBX] = 0x101000;
    env->regs[R_EAX] = rax;
    X86ExitReason r = x86_cpu_exec(tm->cpu, 100);
    int v = -1;
    if (r == X86_EXIT_EXCEPTION) {
        uint32_t err;
        bool has_err;
        x86_cpu_last_exception(tm->cpu, &v, &err, &has_err);
    } else {
        g_assert_cmpint(r, ==, X86_EXIT_HLT);
    }
    if (tmp) {
        *tmp = tm;
    } else {
        tm_free(tm);
    }
    return v;
}

#define K0(...) ({ static const uint8_t c_[] = { __VA_ARGS__ }; run_k0(NULL, c_, sizeof(c_), 0); })

/* lock is accepted only on read-modify-write instructions with a memory destination. */
static void test_lock_prefix(void)
{
    /* allowed */
    g_assert_cmpint(K0(0xf0, 0x48, 0x01, 0x03), ==, -1);           /* lock add [rbx], rax */
    g_assert_cmpint(K0(0xf0, 0x80, 0x03, 0x01), ==, -1);           /* lock add byte [rbx], 1 */
    g_assert_cmpint(K0(0xf0, 0x83, 0x33, 0x01), ==, -1);           /* lock xor dword [rbx], 1 */
    g_assert_cmpint(K0(0xf0, 0x87, 0x03), ==, -1);                 /* lock xchg [rbx], eax */
    g_assert_cmpint(K0(0xf0, 0xf6, 0x1b), ==, -1);                 /* lock neg byte [rbx] */
    g_assert_cmpint(K0(0xf0, 0xff, 0x0b), ==, -1);                 /* lock dec dword [rbx] */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xba, 0x2b, 0x01), ==, -1);     /* lock bts [rbx], 1 */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xb3, 0x03), ==, -1);           /* lock btr [rbx], eax */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xb1, 0x0b), ==, -1);           /* lock cmpxchg [rbx], ecx */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xc1, 0x0b), ==, -1);           /* lock xadd [rbx], ecx */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xc7, 0x0b), ==, -1);           /* lock cmpxchg8b [rbx] */
    /* #UD */
    g_assert_cmpint(K0(0xf0, 0x48, 0x01, 0xd8), ==, EXCP_UD);      /* register destination */
    g_assert_cmpint(K0(0xf0, 0x48, 0x39, 0x03), ==, EXCP_UD);      /* cmp */
    g_assert_cmpint(K0(0xf0, 0x80, 0x3b, 0x01), ==, EXCP_UD);      /* cmp byte [rbx], 1 */
    g_assert_cmpint(K0(0xf0, 0x48, 0x8b, 0x03), ==, EXCP_UD);      /* mov */
    g_assert_cmpint(K0(0xf0, 0x90), ==, EXCP_UD);                  /* nop */
    g_assert_cmpint(K0(0xf0, 0xf6, 0x03, 0x01), ==, EXCP_UD);      /* test byte [rbx], 1 */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xba, 0x23, 0x01), ==, EXCP_UD);  /* bt [rbx], 1 */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xa3, 0x03), ==, EXCP_UD);      /* bt [rbx], eax */
    g_assert_cmpint(K0(0xf0, 0xff, 0x23), ==, EXCP_UD);            /* jmp [rbx] */
    g_assert_cmpint(K0(0xf0, 0x0f, 0xc7, 0xc9), ==, EXCP_UD);      /* cmpxchg8b ecx (reg) */
    g_assert_cmpint(K0(0xf0, 0x0f, 0x10, 0x03), ==, EXCP_UD);      /* movups */
}

/* sysenter/sysexit are #UD (SEP is not advertised); CR8 and the debug registers. */
static void test_sysenter_cr8_debug_regs(void)
{
    TestMachine *tm;
    g_assert_cmpint(K0(0x0f, 0x34), ==, EXCP_UD);
    g_assert_cmpint(K0(0x0f, 0x35), ==, EXCP_UD);
    static const uint8_t cpuid1[] = { 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0xa2 };
    g_assert_cmpint(run_k0(&tm, cpuid1, sizeof(cpuid1), 0), ==, -1);
    g_assert_false(x86_cpu_env(tm->cpu)->regs[R_EDX] & (1u << 11));   /* no SEP */
    tm_free(tm);

    /* mov cr8, rax; mov rcx, cr8 */
    static const uint8_t cr8[] = { 0x44, 0x0f, 0x22, 0xc0, 0x44, 0x0f, 0x20, 0xc1 };
    g_assert_cmpint(run_k0(&tm, cr8, sizeof(cr8), 5), ==, -1);
    g_assert_cmphex(x86_cpu_env(tm->cpu)->regs[R_ECX], ==, 5);
    tm_free(tm);
    g_assert_cmpint(run_k0(NULL, cr8, sizeof(cr8), 0x10), ==, EXCP_GP);

    /* reset values: DR6 0xffff0ff0, DR7 0x400; DR4/DR5 alias them without CR4.DE */
    static const uint8_t rd[] = {
        0x0f, 0x21, 0xf0,             /* mov rax, dr6 */
        0x0f, 0x21, 0xf9,             /* mov rcx, dr7 */
        0x0f, 0x21, 0xe2,             /* mov rdx, dr4 */
        0x0f, 0x21, 0xee,             /* mov rsi, dr5 */
        0x48, 0xc7, 0xc7, 0x34, 0x12, 0x00, 0x00,   /* mov rdi, 0x1234 */
        0x0f, 0x23, 0xdf,             /* mov dr3, rdi */
        0x0f, 0x21, 0xdd,             /* mov rbp, dr3 */
    };
    g_assert_cmpint(run_k0(&tm, rd, sizeof(rd), 0), ==, -1);
    CPUX86State *env = x86_cpu_env(tm->cpu);
    g_assert_cmphex(env->regs[R_EAX], ==, 0xffff0ff0);
    g_assert_cmphex(env->regs[R_ECX], ==, 0x400);
    g_assert_cmphex(env->regs[R_EDX], ==, 0xffff0ff0);
    g_assert_cmphex(env->regs[R_ESI], ==, 0x400);
    g_assert_cmphex(env->regs[R_EBP], ==, 0x1234);
    tm_free(tm);
    /* writes keep the fixed bits; upper halves of DR6/DR7 must be 0 */
    static const uint8_t wr[] = {
        0x0f, 0x23, 0xf8, 0x0f, 0x21, 0xf9,   /* mov dr7, rax; mov rcx, dr7 */
        0x0f, 0x23, 0xf0, 0x0f, 0x21, 0xf2,   /* mov dr6, rax; mov rdx, dr6 */
    };
    g_assert_cmpint(run_k0(&tm, wr, sizeof(wr), 0xffffffff), ==, -1);
    env = x86_cpu_env(tm->cpu);
    g_assert_cmphex(env->regs[R_ECX], ==, 0xffff27ff);
    g_assert_cmphex(env->regs[R_EDX], ==, 0xffffefff);
    tm_free(tm);
    g_assert_cmpint(run_k0(NULL, wr, sizeof(wr), 1ull << 32), ==, EXCP_GP);
    /* DR8 does not exist; with CR4.DE, DR4 is #UD */
    g_assert_cmpint(K0(0x44, 0x0f, 0x21, 0xc0), ==, EXCP_UD);
    static const uint8_t de[] = {
        0x0f, 0x20, 0xe0, 0x48, 0x83, 0xc8, 0x08, 0x0f, 0x22, 0xe0,   /* cr4 |= DE */
        0x0f, 0x21, 0xf0,                                             /* mov rax, dr6: fine */
        0x0f, 0x21, 0xe0,                                             /* mov rax, dr4: #UD */
    };
    g_assert_cmpint(run_k0(&tm, de, sizeof(de), 0), ==, EXCP_UD);
    g_assert_cmphex(x86_cpu_env(tm->cpu)->rip, ==, 0x100000 + 13);
    tm_free(tm);
}

/* Run kernel code at KCODE+0x900 (CPL 0) until it halts; no handler may be reached. */
static void run_kernel_at_900(TestMachine *tm, const uint8_t *code, size_t n)
{
    CPUX86State *env = x86_cpu_env(tm->cpu);
    put(tm, KCODE + 0x900, code, n);
    env->rip = KCODE + 0x900;
    g_assert_cmpint(x86_cpu_exec(tm->cpu, 1000), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, KCODE + 0x900 + n);   /* the final hlt, not a handler */
}

/*
 * Linux's return to user mode: swapgs, then verw (the MDS buffer clearing), then iretq.
 * verw was #UD, which entered the kernel's #UD handler with the user GS base.
 */
static void test_swapgs_verw_verr(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->segs[R_GS].base = 0x1111000;
    env->kernel_gs_base = 0x2222000;
    put64(tm, KCODE + 0xf00, 0x10);                     /* the verw operand in memory */
    static const uint8_t code[] = {
        0x0f, 0x01, 0xf8,                               /* swapgs */
        0x0f, 0x00, 0x2d, 0xf6, 0x05, 0x00, 0x00,       /* verw [rip+0x5f6] (KCODE+0xf00) */
        0x41, 0x0f, 0x94, 0xc0,                         /* setz r8b: kernel data writable */
        0x66, 0xb8, 0x33, 0x00, 0x0f, 0x00, 0xe8,       /* mov ax, 0x33; verw ax */
        0x41, 0x0f, 0x94, 0xc1,                         /* setz r9b: code is never writable */
        0x0f, 0x00, 0xe0, 0x41, 0x0f, 0x94, 0xc2,       /* verr ax; setz r10b: readable code */
        0x66, 0xb8, 0x00, 0x00, 0x0f, 0x00, 0xe0,       /* mov ax, 0; verr ax */
        0x41, 0x0f, 0x94, 0xc3,                         /* setz r11b: null */
        0x66, 0xb8, 0x00, 0x10, 0x0f, 0x00, 0xe0,       /* mov ax, 0x1000; verr ax */
        0x41, 0x0f, 0x94, 0xc4,                         /* setz r12b: past the GDT limit */
        0x66, 0xb8, 0x40, 0x00, 0x0f, 0x00, 0xe0,       /* mov ax, 0x40; verr ax */
        0x41, 0x0f, 0x94, 0xc5,                         /* setz r13b: TSS, a system segment */
        0x66, 0xb8, 0x28, 0x00, 0x0f, 0x00, 0xe8,       /* mov ax, 0x28; verw ax */
        0x41, 0x0f, 0x94, 0xc6,                         /* setz r14b: user data, DPL 3 */
        0xf4,
    };
    run_kernel_at_900(tm, code, sizeof(code));
    g_assert_cmphex(env->segs[R_GS].base, ==, 0x2222000);
    g_assert_cmphex(env->kernel_gs_base, ==, 0x1111000);
    g_assert_cmpint(env->regs[8] & 0xff, ==, 1);
    g_assert_cmpint(env->regs[9] & 0xff, ==, 0);
    g_assert_cmpint(env->regs[10] & 0xff, ==, 1);
    g_assert_cmpint(env->regs[11] & 0xff, ==, 0);
    g_assert_cmpint(env->regs[12] & 0xff, ==, 0);
    g_assert_cmpint(env->regs[13] & 0xff, ==, 0);
    g_assert_cmpint(env->regs[14] & 0xff, ==, 1);
    tm_free(tm);
}

/* From ring 3: a DPL 0 segment fails verw; ZF is the only flag changed (CF survives). */
static void test_verw_from_user(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    static const uint8_t code[] = {
        0xf9,                                           /* stc */
        0x66, 0xb8, 0x10, 0x00, 0x0f, 0x00, 0xe8,       /* mov ax, 0x10; verw ax */
        0x41, 0x0f, 0x94, 0xc0, 0x41, 0x0f, 0x92, 0xc3, /* setz r8b; setc r11b */
        0x66, 0xb8, 0x2b, 0x00, 0x0f, 0x00, 0xe8,       /* mov ax, 0x2b; verw ax */
        0x41, 0x0f, 0x94, 0xc1,                         /* setz r9b */
        0xf4,                                           /* hlt: #GP at CPL 3 */
    };
    g_assert_cmpint(run_user(tm, code, sizeof(code)), ==, X86_EXIT_HLT);
    g_assert_cmphex(env->rip, ==, H_GP + 1);
    g_assert_cmphex(get64(tm, env->regs[R_ESP] + 8), ==, UCODE + sizeof(code) - 1);
    g_assert_cmpint(env->regs[8] & 0xff, ==, 0);
    g_assert_cmpint(env->regs[9] & 0xff, ==, 1);
    g_assert_cmpint(env->regs[11] & 0xff, ==, 1);
    tm_free(tm);
}

/* lar/lsl: access rights and scaled limits; failures leave the destination alone. */
static void test_lar_lsl(void)
{
    TestMachine *tm = machine();
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->regs[R_EBX] = 0x5555;
    static const uint8_t code[] = {
        0x66, 0xb8, 0x40, 0x00,                         /* mov ax, 0x40 (TSS) */
        0x48, 0x0f, 0x02, 0xc8, 0x41, 0x0f, 0x94, 0xc0, /* lar rcx, ax; setz r8b */
        0x66, 0xb8, 0x10, 0x00,                         /* mov ax, 0x10 */
        0x0f, 0x03, 0xd0, 0x41, 0x0f, 0x94, 0xc1,       /* lsl edx, ax; setz r9b */
        0x66, 0xb8, 0x00, 0x00,                         /* mov ax, 0 */
        0x48, 0x0f, 0x02, 0xd8, 0x41, 0x0f, 0x94, 0xc2, /* lar rbx, ax; setz r10b */
        0x66, 0xb8, 0x30, 0x00,                         /* mov ax, 0x30 */
        0x0f, 0x02, 0xf0,                               /* lar esi, ax */
        0x66, 0xb8, 0x40, 0x00, 0x0f, 0x03, 0xf8,       /* mov ax, 0x40; lsl edi, ax */
        0xf4,
    };
    run_kernel_at_900(tm, code, sizeof(code));
    g_assert_cmphex(env->regs[R_ECX], ==, 0x8900);
    g_assert_cmpint(env->regs[8] & 0xff, ==, 1);
    g_assert_cmphex(env->regs[R_EDX], ==, 0xffffffff);
    g_assert_cmpint(env->regs[9] & 0xff, ==, 1);
    g_assert_cmphex(env->regs[R_EBX], ==, 0x5555);
    g_assert_cmpint(env->regs[10] & 0xff, ==, 0);
    g_assert_cmphex(env->regs[R_ESI], ==, 0x00a0fa00);
    g_assert_cmphex(env->regs[R_EDI], ==, 0x67);
    tm_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/i386/exec/pf-from-user", test_pf_from_user);
    g_test_add_func("/i386/exec/int3-trap-gate-iretq", test_int3_trap_gate_and_iretq);
    g_test_add_func("/i386/exec/int-dpl-check", test_int_dpl_check);
    g_test_add_func("/i386/exec/double-fault-ist", test_double_fault_ist);
    g_test_add_func("/i386/exec/triple-fault", test_triple_fault);
    g_test_add_func("/i386/exec/syscall-sysret", test_syscall_sysret);
    g_test_add_func("/i386/exec/unimplemented-is-ud", test_unimplemented_is_ud);
    g_test_add_func("/i386/exec/unimplemented-form-is-ud", test_unimplemented_form_is_ud);
    g_test_add_func("/i386/exec/external-interrupt", test_external_interrupt);
    g_test_add_func("/i386/exec/nmi-blocking", test_nmi_blocking);
    g_test_add_func("/i386/exec/nmi-if-clear-priority", test_nmi_if_clear_and_priority);
    g_test_add_func("/i386/exec/int2-no-nmi-blocking", test_int2_does_not_block_nmi);
    g_test_add_func("/i386/exec/far-jump-privilege", test_far_jump_privilege);
    g_test_add_func("/i386/exec/interrupt-after-popf", test_interrupt_after_popf);
    g_test_add_func("/i386/exec/real-mode-interrupt", test_real_mode_interrupt);
    g_test_add_func("/i386/exec/enter-protected-mode", test_enter_protected_mode);
    g_test_add_func("/i386/exec/cpuid-msr-misc", test_cpuid_msr_misc);
    g_test_add_func("/i386/exec/cpuid-apic-msr", test_cpuid_apic_msr);
    g_test_add_func("/i386/exec/cpuid-tsc-deadline", test_cpuid_tsc_deadline);
    g_test_add_func("/i386/exec/intr-pin", test_intr_pin);
    g_test_add_func("/i386/exec/intr-pin-withdraw-hlt", test_intr_pin_withdraw_hlt);
    g_test_add_func("/i386/exec/lock-prefix", test_lock_prefix);
    g_test_add_func("/i386/exec/sysenter-cr8-debug-regs", test_sysenter_cr8_debug_regs);
    g_test_add_func("/i386/exec/swapgs-verw-verr", test_swapgs_verw_verr);
    g_test_add_func("/i386/exec/verw-from-user", test_verw_from_user);
    g_test_add_func("/i386/exec/lar-lsl", test_lar_lsl);
    return g_test_run();
}
