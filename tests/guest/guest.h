/* Bare-metal test guests: the runtime's interface (serial output, TAP lines, IDT, TSS, ports, exit). */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEL_CODE32 0x08
#define SEL_CODE64 0x10
#define SEL_DATA   0x18
#define SEL_UCODE32 0x20
#define SEL_UDATA  0x28
#define SEL_UCODE64 0x30
#define SEL_TSS    0x38
#define SEL_CODE16 0x48
#define SEL_DATA16 0x50
#define DEBUG_EXIT_PORT 0xf4

struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rdx, rcx, rbx, rax;
    uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

typedef void trap_fn(struct trap_frame *f);

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint64_t read_cr(int n)
{
    uint64_t v = 0;
    switch (n) {
    case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
    case 2: __asm__ volatile("mov %%cr2, %0" : "=r"(v)); break;
    case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
    case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
    }
    return v;
}
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void invlpg(const void *p) { __asm__ volatile("invlpg (%0)" :: "r"(p) : "memory"); }
static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return lo | (uint64_t)hi << 32;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
/* CMOS/RTC register access through the index port 0x70 and the data port 0x71. */
static inline uint8_t cmos_read(uint8_t reg) { outb(0x70, reg); return inb(0x71); }
static inline void cmos_write(uint8_t reg, uint8_t v) { outb(0x70, reg); outb(0x71, v); }

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

void putc_serial(char c);
void puts_serial(const char *s);
void gprintf(const char *fmt, ...);
/* TAP-style line "ok N - ..." / "not ok N - ..."; returns cond. */
bool check(bool cond, const char *fmt, ...);
int failures(void);
_Noreturn void guest_exit(int code);

/* IDT with every vector routed to trap(); set_trap installs the C handler of one vector. */
void idt_init(void);
void set_gate(int vec, int ist, int dpl);
void set_trap(int vec, trap_fn *fn);
void set_gate_attr(int vec, uint8_t attr);
extern uint64_t boot_pml4[512], boot_pdpt[512];
/* 64-bit TSS with RSP0 and IST1 stacks; loads TR. */
void tss_init(void);
extern uint64_t tss_rsp0_top, tss_ist1_top;
/* Called by isr.S; unhandled vectors print and exit with failure. */
void trap(struct trap_frame *f);

int guest_main(uint32_t start_info);

#endif
