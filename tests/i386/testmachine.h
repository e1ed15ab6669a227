/* A tiny machine for interpreter tests: flat RAM, identity page tables, 64-bit setup helpers. */
#ifndef TESTS_I386_TESTMACHINE_H
#define TESTS_I386_TESTMACHINE_H

#include "target/i386/cpu.h"

#define TM_RAM_SIZE   (8u << 20)
#define TM_PT_BASE    0x10000u      /* page tables live at 0x10000..0x1ffff */
#define TM_PTE_USER   (1u << 2)
#define TM_PTE_RW     (1u << 1)
#define TM_PTE_NX     (1ull << 63)

typedef struct TestMachine {
    uint8_t *ram;
    X86CPU *cpu;
    uint64_t pt_next;              /* next free page-table page */
    uint32_t port_last;            /* last value written with out */
    int port_writes;
} TestMachine;

TestMachine *tm_new(void);
void tm_free(TestMachine *tm);
/* Map [lin, lin+len) to the same physical addresses with 4 KiB pages and flags (P implied). */
void tm_map(TestMachine *tm, uint64_t lin, uint64_t len, uint64_t flags);
/* Return the PTE's physical address for lin (after tm_map). */
uint64_t tm_pte_addr(TestMachine *tm, uint64_t lin);
/* Enter 64-bit long mode with paging at the given CPL (0 or 3), flat segments. */
void tm_enter_long_mode(TestMachine *tm, int cpl);
void tm_write(TestMachine *tm, uint64_t pa, const void *p, size_t n);

#endif
