/* Guest test: NMI sources — ICR NMI IPIs (self, broadcast, logical, others), NMI blocking until iretq, an IOAPIC NMI entry, LINT0 in NMI mode behind the 8259, and with "wait-nmi" on the command line the board's NMI line (LINT1, QMP inject-nmi). */
#include "lapic.h"

static volatile int nmis;
static volatile bool nested, resend;
static volatile int depth, seen_inside;

static void on_nmi(struct trap_frame *f)
{
    nested = nested || depth > 0;
    depth++;
    nmis++;
    if (resend) {
        resend = false;
        lapic_write(LAPIC_ICR_LO, ICR_SELF | DM_NMI);   /* blocked until our iretq */
        for (volatile int i = 0; i < 1000; i++) {
        }
        seen_inside = nmis;
    }
    depth--;
}

/* An ICR write, then `nmis` read after a jmp (QEMU takes the NMI at the next block). */
static int icr_nmi(uint32_t hi, uint32_t lo)
{
    int n;
    lapic_write(LAPIC_ICR_HI, hi);
    __asm__ volatile("movl %[v], (%[r])\n\tjmp 1f\n1:\tmovl %[c], %[n]"
                     : [n] "=r"(n) : [v] "r"(lo | DM_NMI), [r] "r"(lapic_reg(LAPIC_ICR_LO)),
                       [c] "m"(nmis) : "memory");
    return n;
}

static void test_icr(uint8_t id)
{
    int n = nmis;
    check(icr_nmi(0, ICR_SELF) == n + 1, "ICR: NMI to self by shorthand, taken with IF=0");
    check(icr_nmi(0, ICR_ALL) == n + 2, "ICR: NMI to all including self");
    check(icr_nmi(0xffu << 24, 0) == n + 3, "ICR: NMI to the physical broadcast id");
    check(icr_nmi((uint32_t)id << 24, 0) == n + 4, "ICR: NMI to our own physical id");
    lapic_write(LAPIC_DFR, 0xffffffffu);
    lapic_write(LAPIC_LDR, 1u << 25);
    check(icr_nmi(2u << 24, ICR_LOGICAL) == n + 5, "ICR: NMI to our flat logical id");
    check(icr_nmi(1u << 24, ICR_LOGICAL) == n + 5, "ICR: none to another logical id");
    check(icr_nmi(0, ICR_OTHERS) == n + 5, "ICR: none to all excluding self");
    check(!nested, "no NMI handler ran nested");
}

static void test_blocking(void)
{
    int n = nmis;
    resend = true;
    int after = icr_nmi(0, ICR_SELF);
    check(seen_inside == n + 1, "a second NMI waits while the handler runs");
    check(after == n + 2 && !nested, "then comes right after the handler's iretq");
}

/* The UART's line as an NMI: through an IOAPIC NMI entry, then through the 8259 into LINT0
   in NMI mode. */
static void test_device_nmi(uint8_t id)
{
    int n = nmis;
    ioapic_set_rte(4, DM_NMI, id);          /* edge, physical destination: us */
    uart_irq_raise();
    for (volatile int i = 0; i < 100; i++) {
    }
    check(nmis == n + 1, "IOAPIC NMI entry: the UART's rising edge is one NMI");
    uart_irq_ack();
    ioapic_set_rte(4, RTE_MASKED, id);
    n = nmis;
    pic_init_masked();
    lapic_write(LAPIC_LINT0, DM_NMI);
    outb(0x21, 0xfb & ~0x10);               /* 8259: IRQ 4 (and the cascade) unmasked */
    uart_irq_raise();
    for (volatile int i = 0; i < 100; i++) {
    }
    outb(0x21, 0xff);
    lapic_write(LAPIC_LINT0, LVT_MASKED);
    uart_irq_ack();
    check(nmis >= n + 1, "LINT0 in NMI mode: the 8259's INTR became an NMI");
}

/* The board's NMI line: QMP inject-nmi reaches LINT1, which is in NMI mode. */
static void wait_monitor_nmi(void)
{
    int n = nmis;
    puts_serial("waiting for an NMI from the monitor\n");
    while (nmis == n) {
        __asm__ volatile("cli; hlt");       /* only an NMI ends this hlt */
    }
    check(nmis == n + 1, "the monitor's NMI arrived through LINT1 and woke hlt with IF=0");
}

int guest_main(uint32_t si)
{
    const uint32_t *info = (const uint32_t *)(uintptr_t)si;
    const char *cmdline = (const char *)(uintptr_t)*(const uint64_t *)(info + 6);

    __asm__ volatile("cli");
    idt_init();
    set_trap(2, on_nmi);
    apic_map();
    pic_init_masked();
    ioapic_mask_all();
    lapic_setup(LVT_MASKED, DM_NMI);
    uint8_t id = lapic_read(LAPIC_ID) >> 24;
    test_icr(id);
    test_blocking();
    test_device_nmi(id);
    for (const char *p = cmdline; p && *p; p++) {
        if (!memcmp(p, "wait-nmi", 8)) {
            wait_monitor_nmi();
            break;
        }
    }
    return failures();
}
