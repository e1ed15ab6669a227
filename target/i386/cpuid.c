/*
 * The CPUID model "numbat-interp-2": advertises exactly what the interpreter implements.
 * Leaves and bits are listed in docs/design/interpreter.md; add a bit only with its instructions.
 */
#include <string.h>
#include "target/i386/internal.h"

#define L1_EDX ((1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) | \
                (1u << 8) | (1u << 13) | (1u << 15) | (1u << 16) | (1u << 17) | (1u << 19) | \
                (1u << 24) | (1u << 25) | (1u << 26))
                /* FPU DE PSE TSC MSR PAE CX8 PGE CMOV PAT PSE36 CLFSH FXSR SSE SSE2 */
#define L1_EDX_APIC (1u << 9)                             /* only with a board APIC */
#define L1_ECX ((1u << 13) | (1u << 23))                  /* CX16 POPCNT */
#define L1_ECX_TSC_DEADLINE (1u << 24)  /* with a board APIC: its LVT timer mode 2 + MSR 0x6e0 */
#define L6_EAX_ARAT (1u << 2)       /* the APIC timer keeps running in every C-state (no C-states) */
/* The TSC runs at the virtual clock's 1 GHz (sysemu/vclock.h): leaf 0x15 says crystal = 1 GHz,
   ratio 1/1 (Linux also takes the crystal as the APIC timer's bus clock, which is right: the
   LAPIC counts the same 1 GHz), leaf 0x16 says 1000 MHz base/max/bus. */
#define TSC_HZ 1000000000u
#define X1_ECX ((1u << 0) | (1u << 5))                    /* LAHF_LM ABM(lzcnt) */
#define X1_EDX ((1u << 11) | (1u << 20) | (1u << 26) | (1u << 27) | (1u << 29))
                                                          /* SYSCALL NX PDPE1GB RDTSCP LM */

static void str_regs(const char *s, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    uint32_t w[4];
    memcpy(w, s, 16);
    *a = w[0]; *b = w[1]; *c = w[2]; *d = w[3];
}

void x86_cpuid(const CPUX86State *env, uint32_t leaf, uint32_t subleaf,
               uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
    static const char brand[49] = "numbat x86-64 interpreter\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
    (void)subleaf;
    *eax = *ebx = *ecx = *edx = 0;
    switch (leaf) {
    case 0:
        /* GenuineIntel, so that Linux uses its Intel paths: CPUID 0x15 for the TSC and APIC
           timer frequency (vendor-gated), Intel cache/topology leaves (all report nothing
           here).  The Intel-only MSRs those paths read are in msr.c or #GP (the _safe ones). */
        *eax = 0x16;
        memcpy(ebx, "Genu", 4);
        memcpy(edx, "ineI", 4);
        memcpy(ecx, "ntel", 4);
        return;
    case 1:
        *eax = 0x000006f1;            /* family 6, model 15, stepping 1 */
        *ebx = (8u << 8) | (1u << 16);  /* clflush 64 bytes, one logical CPU */
        *ecx = L1_ECX;
        *edx = L1_EDX;
        if (env->apic_present) {
            *ebx |= (uint32_t)env->apic_id << 24;
            *edx |= L1_EDX_APIC;
            *ecx |= L1_ECX_TSC_DEADLINE;
        }
        return;
    case 6:
        *eax = env->apic_present ? L6_EAX_ARAT : 0;
        return;
    case 0x15:
        *eax = 1;
        *ebx = 1;
        *ecx = TSC_HZ;
        return;
    case 0x16:
        *eax = *ebx = *ecx = TSC_HZ / 1000000;
        return;
    case 0x80000000:
        *eax = 0x80000008;
        return;
    case 0x80000001:
        *ecx = X1_ECX;
        *edx = X1_EDX;
        return;
    case 0x80000002: case 0x80000003: case 0x80000004:
        str_regs(brand + 16 * (leaf - 0x80000002), eax, ebx, ecx, edx);
        return;
    case 0x80000008:
        *eax = 0x3028;                /* 40 physical, 48 linear address bits */
        return;
    default:
        return;                       /* leaves 2-5, 7-0x14 and the rest: nothing advertised */
    }
}
