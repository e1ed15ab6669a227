/*
 * bench/mips: guest instructions per second of the target/i386 interpreter on bare-metal
 * loops in 64-bit mode with paging on: "loop" (default) mixes ALU, loads/stores, branches and
 * calls; "mul" is a bignum multiply-and-subtract inner loop (64-bit limbs multiplied in
 * 32-bit halves with imul, shifts, movsxd, cmov, setcc, movzx, adc), the kind of integer
 * code that dominates Linux's boot on numbat (its RSA self-tests).
 * Usage: bench-mips [--mix loop|mul] [iterations-of-outer-loop]
 * (default 40000 for loop, ~141 M guest instructions; 15000 for mul, ~146 M)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../../tests/i386/testmachine.h"

#define CODE 0x100000ull
#define DATA 0x200000ull
#define STACK 0x300000ull

/* The "loop" program; r8 = outer iterations, rdi = data array of 256 qwords. */
static const uint8_t prog_loop[] = {
    /* outer: */
    0xb9, 0x00, 0x01, 0x00, 0x00,             /* mov ecx, 256 */
    0x31, 0xc0,                               /* xor eax, eax */
    /* inner: */
    0x48, 0x8b, 0x54, 0xcf, 0xf8,             /* mov rdx, [rdi+rcx*8-8] */
    0x48, 0x01, 0xd0,                         /* add rax, rdx */
    0x48, 0x31, 0xca,                         /* xor rdx, rcx */
    0x48, 0x6b, 0xd2, 0x03,                   /* imul rdx, rdx, 3 */
    0x48, 0x89, 0x54, 0xcf, 0xf8,             /* mov [rdi+rcx*8-8], rdx */
    0xe8, 0x12, 0x00, 0x00, 0x00,             /* call func */
    0xf6, 0xc1, 0x03,                         /* test cl, 3 */
    0x74, 0x03,                               /* jz skip */
    0x48, 0xff, 0xc3,                         /* inc rbx */
    /* skip: */
    0xff, 0xc9,                               /* dec ecx */
    0x75, 0xdb,                               /* jnz inner */
    0x49, 0xff, 0xc8,                         /* dec r8 */
    0x75, 0xcf,                               /* jnz outer */
    0xf4,                                     /* hlt */
    /* func: */
    0x48, 0x8d, 0x34, 0x50,                   /* lea rsi, [rax+rdx*2] */
    0x48, 0xd1, 0xe6,                         /* shl rsi, 1 */
    0xc3,                                     /* ret */
};

/* The "mul" program; r14 = outer iterations, rdi = 256 source limbs, rdi+2048 = 256
   destination limbs, r9/r10 = the multiplier's halves.  38 instructions per limb. */
static const uint8_t prog_mul[] = {
    /* outer: */
    0xb9, 0x00, 0x01, 0x00, 0x00,             /* mov ecx, 256 */
    0x31, 0xf6,                               /* xor esi, esi */
    0x31, 0xed,                               /* xor ebp, ebp */
    /* inner: */
    0x48, 0x63, 0xc1,                         /* movsxd rax, ecx */
    0x48, 0xf7, 0xd8,                         /* neg rax */
    0x48, 0x8b, 0x94, 0xc7, 0x00, 0x08, 0x00, 0x00,   /* mov rdx, [rdi+rax*8+0x800] */
    0x4c, 0x8d, 0x1c, 0xc5, 0x00, 0x00, 0x00, 0x00,   /* lea r11, [rax*8] */
    0x49, 0x89, 0xd0,                         /* mov r8, rdx */
    0x89, 0xd2,                               /* mov edx, edx */
    0x49, 0xc1, 0xe8, 0x20,                   /* shr r8, 32 */
    0x48, 0x89, 0xd0,                         /* mov rax, rdx */
    0x49, 0x0f, 0xaf, 0xc1,                   /* imul rax, r9 */
    0x4d, 0x89, 0xc4,                         /* mov r12, r8 */
    0x4d, 0x0f, 0xaf, 0xe1,                   /* imul r12, r9 */
    0x49, 0x0f, 0xaf, 0xd2,                   /* imul rdx, r10 */
    0x4d, 0x0f, 0xaf, 0xc2,                   /* imul r8, r10 */
    0x49, 0x89, 0xc5,                         /* mov r13, rax */
    0x89, 0xc0,                               /* mov eax, eax */
    0x49, 0xc1, 0xed, 0x20,                   /* shr r13, 32 */
    0x4c, 0x01, 0xe2,                         /* add rdx, r12 */
    0x4c, 0x01, 0xea,                         /* add rdx, r13 */
    0x4d, 0x89, 0xc5,                         /* mov r13, r8 */
    0x49, 0x01, 0xe8,                         /* add r8, rbp */
    0x4c, 0x39, 0xe2,                         /* cmp rdx, r12 */
    0x49, 0x89, 0xd4,                         /* mov r12, rdx */
    0x4d, 0x0f, 0x43, 0xc5,                   /* cmovae r8, r13 */
    0x48, 0x01, 0xf0,                         /* add rax, rsi */
    0x49, 0xc1, 0xe4, 0x20,                   /* shl r12, 32 */
    0x4c, 0x01, 0xe0,                         /* add rax, r12 */
    0x48, 0x39, 0xf0,                         /* cmp rax, rsi */
    0x40, 0x0f, 0x92, 0xc6,                   /* setb sil */
    0x49, 0x01, 0xfb,                         /* add r11, rdi */
    0x48, 0xc1, 0xea, 0x20,                   /* shr rdx, 32 */
    0x4d, 0x8b, 0xa3, 0x00, 0x08, 0x00, 0x00, /* mov r12, [r11+0x800] */
    0x40, 0x0f, 0xb6, 0xf6,                   /* movzx esi, sil */
    0x49, 0x29, 0xc4,                         /* sub r12, rax */
    0x48, 0x11, 0xd6,                         /* adc rsi, rdx */
    0x4d, 0x89, 0xa3, 0x00, 0x08, 0x00, 0x00, /* mov [r11+0x800], r12 */
    0x4c, 0x01, 0xc6,                         /* add rsi, r8 */
    0x83, 0xe9, 0x01,                         /* sub ecx, 1 */
    0x0f, 0x85, 0x70, 0xff, 0xff, 0xff,       /* jne inner */
    0x49, 0xff, 0xce,                         /* dec r14 */
    0x0f, 0x85, 0x5e, 0xff, 0xff, 0xff,       /* jne outer */
    0xf4,                                     /* hlt */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    bool mul = argc > 2 && !strcmp(argv[1], "--mix") && !strcmp(argv[2], "mul");
    if (argc > 2 && !strcmp(argv[1], "--mix")) {
        if (!mul && strcmp(argv[2], "loop")) {
            fprintf(stderr, "bench-mips: unknown mix '%s' (loop or mul)\n", argv[2]);
            return 2;
        }
        argc -= 2;
        argv += 2;
    }
    uint64_t iters = argc > 1 ? strtoull(argv[1], NULL, 0) : mul ? 15000 : 40000;
    TestMachine *tm = tm_new();
    tm_map(tm, CODE, 0x1000, 0);
    tm_map(tm, DATA, 0x1000, TM_PTE_RW | TM_PTE_NX);
    tm_map(tm, STACK, 0x1000, TM_PTE_RW | TM_PTE_NX);
    tm_enter_long_mode(tm, 0);
    if (mul) {
        tm_write(tm, CODE, prog_mul, sizeof(prog_mul));
    } else {
        tm_write(tm, CODE, prog_loop, sizeof(prog_loop));
    }
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->rip = CODE;
    env->regs[R_EDI] = DATA;
    env->regs[R_R8] = iters;
    env->regs[R_R14] = iters;
    env->regs[R_R9] = 0x9e3779b9;
    env->regs[R_R10] = 0x7f4a7c15;
    env->regs[R_ESP] = STACK + 0x1000;
    double t0 = now();
    X86ExitReason r = x86_cpu_exec(tm->cpu, UINT64_MAX / 2);
    double dt = now() - t0;
    if (r != X86_EXIT_HLT) {
        fprintf(stderr, "bench-mips: guest did not finish (exit reason %d at rip %#llx)\n", r,
                (unsigned long long)env->rip);
        return 1;
    }
    uint64_t n = env->icount;
    uint64_t expect = mul ? iters * (3 + 256 * 38 + 2) + 1
                          : iters * (4 + 256 * 13 + 192) + 1;   /* inc runs for 3 of 4 */
    printf("guest instructions: %llu%s\n", (unsigned long long)n, n == expect ? "" : " (UNEXPECTED)");
    printf("time: %.3f s\n", dt);
    printf("speed: %.1f M guest instructions/s\n", n / dt / 1e6);
    uint64_t hits, misses, invals;
    x86_cpu_cache_stats(tm->cpu, &hits, &misses, &invals);
    printf("decode cache: %llu hits, %llu misses, %llu invalidations\n",
           (unsigned long long)hits, (unsigned long long)misses, (unsigned long long)invals);
    printf("QEMU TCG comparison: not run (needs the platform's -kernel loader; see docs/design/interpreter.md)\n");
    tm_free(tm);
    return n == expect ? 0 : 1;
}
