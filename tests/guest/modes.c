/* Guest test: long mode -> 32-bit protected -> 16-bit protected -> real mode (int through the IVT) -> back. */
#include "guest.h"

static void bp(struct trap_frame *f)
{
    check(true, "64-bit IDT restored after the round trip");
}

extern uint8_t __low_lma[], __low_start[], __low_end[];
uint32_t mode_roundtrip(void);

int guest_main(uint32_t si)
{
    idt_init();
    set_trap(3, bp);
    /* The real-mode code runs at 0x8000: copy it there (the loaders put it after the image). */
    memcpy(__low_start, __low_lma, __low_end - __low_start);
    puts_serial("modes: ");
    uint32_t r = mode_roundtrip();
    putc_serial('\n');
    check((r & 0xff) == 0x5a, "real-mode int 0x30 handler ran (0x%x)", r);
    check(!((r >> 8) & 1), "CR0.PE was clear in real mode (cr0 low byte 0x%x)",
          (r >> 8) & 0xff);
    uint64_t efer = rdmsr(0xc0000080);
    check((efer & 0x500) == 0x500, "back in long mode (EFER 0x%lx)", efer);
    __asm__ volatile("int $3" ::: "memory");   /* the 64-bit IDT is back */
    return failures();
}

