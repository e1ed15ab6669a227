/* Guest test: ring 3 through iretq, syscall/sysretq round trips, int 0x80 from ring 3 on the RSP0 stack. */
#include "guest.h"

uint64_t run_user(uint64_t user_stack);
extern void syscall_entry(void);
extern volatile uint64_t syscall_count;
static volatile uint64_t int80_cs, int80_frame;
static uint8_t user_stack[4096] __attribute__((aligned(16)));

static void int80(struct trap_frame *f)
{
    int80_cs = f->cs;
    int80_frame = (uint64_t)f;
}

int guest_main(uint32_t si)
{
    idt_init();
    tss_init();
    set_gate(0x80, 0, 3);
    set_trap(0x80, int80);
    wrmsr(0xc0000081, (uint64_t)(SEL_UCODE32 | 3) << 48 | (uint64_t)SEL_CODE64 << 32);
    wrmsr(0xc0000082, (uint64_t)syscall_entry);
    wrmsr(0xc0000084, 0x200);
    wrmsr(0xc0000080, rdmsr(0xc0000080) | 1);
    uint64_t r = run_user((uint64_t)user_stack + sizeof(user_stack));
    check((r & 0xffffffff) == 84, "two syscall/sysretq round trips computed %lu", r & 0xffffffff);
    check((r >> 32) == (SEL_UCODE64 | 3), "user code ran with CS 0x%lx (CPL 3)", r >> 32);
    check(syscall_count == 3, "3 syscalls reached LSTAR");
    check(int80_cs == (SEL_UCODE64 | 3), "int 0x80 from ring 3 through a DPL3 gate");
    check(int80_frame >= tss_rsp0_top - 8192 && int80_frame < tss_rsp0_top,
          "the interrupt switched to RSP0");
    return failures();
}
