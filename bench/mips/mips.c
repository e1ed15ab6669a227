/*
 * bench/mips: guest instructions per second of the target/i386 interpreter on a bare-metal
 * style loop mix (ALU, loads/stores, branches, calls) in 64-bit mode with paging on.
 * Usage: bench-mips [iterations-of-outer-loop]   (default 40000: ~150 M guest instructions)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "../../tests/i386/testmachine.h"

#define CODE 0x100000ull
#define DATA 0x200000ull
#define STACK 0x300000ull

/* The guest program; r8 = outer iterations, rdi = data array of 256 qwords. */
static const uint8_t prog[] = {
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    uint64_t iters = argc > 1 ? strtoull(argv[1], NULL, 0) : 40000;
    TestMachine *tm = tm_new();
    tm_map(tm, CODE, 0x1000, 0);
    tm_map(tm, DATA, 0x1000, TM_PTE_RW | TM_PTE_NX);
    tm_map(tm, STACK, 0x1000, TM_PTE_RW | TM_PTE_NX);
    tm_enter_long_mode(tm, 0);
    tm_write(tm, CODE, prog, sizeof(prog));
    CPUX86State *env = x86_cpu_env(tm->cpu);
    env->rip = CODE;
    env->regs[R_EDI] = DATA;
    env->regs[R_R8] = iters;
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
    uint64_t expect = iters * (4 + 256 * 13 + 192) + 1;   /* inc runs for 3 of 4 */
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
