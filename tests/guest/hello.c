/* Guest test: the PVH start info, the command line, and port I/O to the 8250 checked from the host. */
#include "guest.h"

int guest_main(uint32_t si)
{
    const uint32_t *info = (const uint32_t *)(uintptr_t)si;
    const char *cmdline = (const char *)(uintptr_t)*(const uint64_t *)(info + 6);
    const uint8_t *mm = (const uint8_t *)(uintptr_t)*(const uint64_t *)(info + 10);
    static const char msg[] = "rep outsb reached the serial port\n";

    puts_serial("hello from a numbat bare-metal guest\n");
    check(info[0] == 0x336ec578, "hvm_start_info magic 0x%x", info[0]);
    check(info[1] == 1, "start info version %u", info[1]);
    check(info[3] == 0, "no modules");
    check(cmdline && !memcmp(cmdline, "guest-cmdline x=1", 18), "command line '%s'", cmdline);
    check(info[12] > 0 && *(const uint64_t *)mm == 0 && *(const uint32_t *)(mm + 16) == 1,
          "memory map starts with RAM at 0");
    check((inb(0x3fd) & 0x60) == 0x60, "LSR reports THRE|TEMT");
    outb(0x3ff, 0x5a);
    check(inb(0x3ff) == 0x5a, "scratch register round trip");
    outb(0x3fb, 0x83);                      /* DLAB: divisor latch (no output meanwhile) */
    outb(0x3f8, 0x01);
    outb(0x3f9, 0x00);
    bool dl_ok = inb(0x3f8) == 0x01 && inb(0x3f9) == 0x00;
    outb(0x3fb, 0x03);                      /* 8N1 */
    check(dl_ok, "divisor latch 115200 baud");
    check(inb(0x3fb) == 0x03, "LCR 8N1");
    __asm__ volatile("cld; rep outsb" : : "S"(msg), "c"(sizeof(msg) - 1), "d"(0x3f8) : "memory");
    return failures();
}
