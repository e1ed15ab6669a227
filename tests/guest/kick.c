/* Guest test: an interrupt made deliverable in the middle of running code is taken right after the instruction that allowed it — a self-IPI, a TPR write, an EOI uncovering a lower vector, sti, popf, a UART port write through the IOAPIC, an IOAPIC unmask of a pending level line, an 8259 unmask — and on numbat within a few instructions (TSC = instructions). */
#include "lapic.h"

static volatile uint32_t seen;              /* vector of the last interrupt */
static volatile uint64_t tsc_seen;          /* TSC at its handler */
static volatile bool eoi_in_handler;
static volatile int device_irqs;
static uint64_t worst;                      /* largest TSC distance trigger -> handler */
static bool numbat;

static void on_ipi(struct trap_frame *f)
{
    tsc_seen = rdtsc();
    seen = (uint32_t)f->vector;
    if (eoi_in_handler) {
        lapic_write(LAPIC_EOI, 0);
    }
}

/* The UART: acknowledge at the device, then at the controller that delivered it. */
static void on_uart_apic(struct trap_frame *f)
{
    tsc_seen = rdtsc();
    seen = (uint32_t)f->vector;
    device_irqs++;
    uart_irq_ack();
    lapic_write(LAPIC_EOI, 0);
}

static void on_uart_pic(struct trap_frame *f)
{
    tsc_seen = rdtsc();
    seen = (uint32_t)f->vector;
    device_irqs++;
    uart_irq_ack();
    outb(0x20, 0x20);
}

/* Distance from t0 to the handler, for the numbat-only bound. */
static void note(uint64_t t0)
{
    uint64_t d = tsc_seen - t0;
    worst = d > worst ? d : worst;
}

/* A 32-bit MMIO write, then `seen` sampled after a jmp: numbat takes the interrupt right
   after the write, QEMU TCG at the start of the next translation block (the jmp's target). */
static uint32_t after_mmio(uint32_t off, uint32_t val, uint64_t *t0)
{
    uint32_t s;
    *t0 = rdtsc();
    __asm__ volatile("movl %[v], (%[r])\n\tjmp 1f\n1:\tmovl %[seen], %[s]"
                     : [s] "=r"(s) : [v] "r"(val), [r] "r"(lapic_reg(off)), [seen] "m"(seen)
                     : "memory");
    return s;
}

static uint32_t after_ioapic(uint8_t reg, uint32_t val, uint64_t *t0)
{
    uint32_t s;
    *(volatile uint32_t *)(uintptr_t)IOAPIC_BASE = reg;
    *t0 = rdtsc();
    __asm__ volatile("movl %[v], (%[r])\n\tjmp 1f\n1:\tmovl %[seen], %[s]"
                     : [s] "=r"(s)
                     : [v] "r"(val), [r] "r"((volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + 0x10)),
                       [seen] "m"(seen) : "memory");
    return s;
}

static uint32_t after_outb(uint16_t port, uint8_t val, uint64_t *t0)
{
    uint32_t s;
    *t0 = rdtsc();
    __asm__ volatile("outb %b[v], %w[p]\n\tjmp 1f\n1:\tmovl %[seen], %[s]"
                     : [s] "=r"(s) : [v] "a"(val), [p] "d"(port), [seen] "m"(seen) : "memory");
    return s;
}

static void test_lapic(void)
{
    uint64_t t0;
    eoi_in_handler = true;
    seen = 0;
    check(after_mmio(LAPIC_ICR_LO, ICR_SELF | 0x50, &t0) == 0x50,
          "self-IPI: taken right after the ICR write");
    note(t0);
    /* a TPR write that lowers the priority */
    lapic_write(LAPIC_TPR, 0xf0);
    seen = 0;
    uint32_t s = after_mmio(LAPIC_ICR_LO, ICR_SELF | 0x51, &t0);
    check(s == 0 && (lapic_read(LAPIC_IRR + 0x20) & (1u << 17)), "TPR 0xf0 holds vector 0x51 in IRR");
    check(after_mmio(LAPIC_TPR, 0, &t0) == 0x51, "TPR write: taken right after it");
    note(t0);
    /* an EOI that uncovers a lower vector: 0x60 stays in service (no EOI in its handler) */
    eoi_in_handler = false;
    lapic_write(LAPIC_ICR_LO, ICR_SELF | 0x60);
    while (seen != 0x60) {
    }
    eoi_in_handler = true;
    seen = 0;
    s = after_mmio(LAPIC_ICR_LO, ICR_SELF | 0x52, &t0);
    check(s == 0 && (lapic_read(LAPIC_ISR + 0x30) & 1), "0x52 waits while 0x60 is in service");
    check(after_mmio(LAPIC_EOI, 0, &t0) == 0x52, "EOI: the uncovered vector right after it");
    note(t0);
}

static void test_if(void)
{
    uint32_t a, b;
    __asm__ volatile("cli");
    seen = 0;
    lapic_write(LAPIC_ICR_LO, ICR_SELF | 0x53);
    for (volatile int i = 0; i < 100; i++) {
    }
    check(seen == 0, "with IF=0 the self-IPI waits");
    uint64_t t0 = rdtsc();
    __asm__ volatile("sti\n\tmovl %[seen], %[a]\n\tmovl %[seen], %[b]"
                     : [a] "=&r"(a), [b] "=r"(b) : [seen] "m"(seen) : "memory");
    check(a == 0 && b == 0x53, "sti: after the shadowed instruction, before the next");
    note(t0);
    __asm__ volatile("cli");
    seen = 0;
    lapic_write(LAPIC_ICR_LO, ICR_SELF | 0x54);
    t0 = rdtsc();
    __asm__ volatile("pushfq\n\torq $0x200, (%%rsp)\n\tpopfq\n\tmovl %[seen], %[a]"
                     : [a] "=r"(a) : [seen] "m"(seen) : "memory", "cc");
    check(a == 0x54, "popf setting IF: taken right after it");
    note(t0);
}

static void test_devices(uint8_t id)
{
    uint64_t t0;
    /* the UART raises IRQ 4 from a port write; the IOAPIC sends it at once (edge) */
    ioapic_set_rte(4, 0x44, id);
    while (!(inb(0x3fd) & 0x20)) {
    }
    seen = 0;
    check(after_outb(0x3f9, 0x02, &t0) == 0x44, "UART IER write: IRQ 4 via the IOAPIC right after it");
    note(t0);
    /* a level line held while masked, delivered at the unmask */
    ioapic_set_rte(4, RTE_LEVEL | RTE_MASKED | 0x45, id);
    seen = 0;
    outb(0x3f9, 0x02);
    for (volatile int i = 0; i < 100; i++) {
    }
    check(seen == 0, "masked level IRQ 4 waits in the IOAPIC");
    check(after_ioapic(0x10 + 2 * 4, RTE_LEVEL | 0x45, &t0) == 0x45,
          "IOAPIC unmask of the pending level line: right after it");
    note(t0);
    ioapic_set_rte(4, RTE_MASKED, id);
    /* the 8259 through LINT0 (virtual wire): a request latched while masked, then unmasked */
    lapic_write(LAPIC_LINT0, DM_EXTINT);
    pic_init_masked();
    seen = 0;
    outb(0x3f9, 0x02);
    for (volatile int i = 0; i < 100; i++) {
    }
    check(seen == 0, "masked IRQ 4 waits in the 8259");
    check(after_outb(0x21, 0xef, &t0) == 0x24, "8259 unmask: IRQ 4 right after the OCW1 write");
    note(t0);
    outb(0x21, 0xff);
    lapic_write(LAPIC_LINT0, LVT_MASKED);
    check(device_irqs == 3, "three UART interrupts in all");
}

int guest_main(uint32_t si)
{
    __asm__ volatile("cli");
    idt_init();
    for (int v = 0x50; v <= 0x60; v++) {
        set_trap(v, on_ipi);
    }
    set_trap(0x44, on_uart_apic);
    set_trap(0x45, on_uart_apic);
    set_trap(0x24, on_uart_pic);
    apic_map();
    pic_init_masked();
    ioapic_mask_all();
    lapic_setup(LVT_MASKED, DM_NMI);
    numbat = on_numbat();
    uint8_t id = lapic_read(LAPIC_ID) >> 24;
    __asm__ volatile("sti");
    test_lapic();
    test_if();
    test_devices(id);
    __asm__ volatile("cli");
    /* The handler's own entry path (stub, register saves, trap()) is most of the distance;
       without the kick it would be up to a whole slice (2^20 instructions). */
    check(!numbat || worst < 200, "on numbat: every handler ran within 200 instructions "
          "of its trigger (not measured elsewhere)");
    return failures();
}
