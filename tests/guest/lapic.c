/* Bare-metal test guests: APIC page mapping, LAPIC/IOAPIC setup, the 8259 masked, the UART's THR-empty interrupt, and a numbat check. */
#include "lapic.h"

static uint64_t apic_pd[512] __attribute__((aligned(4096)));

void apic_map(void)
{
    const uint64_t flags = 0x9b;            /* P | W | PWT | PCD | PS (2 MiB) */
    apic_pd[(IOAPIC_BASE - 0xc0000000u) >> 21] = (IOAPIC_BASE & ~0x1fffffu) | flags;
    apic_pd[(LAPIC_BASE - 0xc0000000u) >> 21] = (LAPIC_BASE & ~0x1fffffu) | flags;
    boot_pdpt[3] = (uint64_t)(uintptr_t)apic_pd | 3;
    write_cr3(read_cr(3));
}

void lapic_setup(uint32_t lint0, uint32_t lint1)
{
    lapic_write(LAPIC_SVR, 0x1ff);
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
    lapic_write(LAPIC_LINT0, lint0);
    lapic_write(LAPIC_LINT1, lint1);
}

uint32_t ioapic_read(uint8_t reg)
{
    *(volatile uint32_t *)(uintptr_t)IOAPIC_BASE = reg;
    return *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + 0x10);
}

void ioapic_write(uint8_t reg, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)IOAPIC_BASE = reg;
    *(volatile uint32_t *)(uintptr_t)(IOAPIC_BASE + 0x10) = v;
}

void ioapic_set_rte(int pin, uint32_t low, uint8_t dest)
{
    ioapic_write(0x10 + 2 * pin, RTE_MASKED);
    ioapic_write(0x11 + 2 * pin, (uint32_t)dest << 24);
    ioapic_write(0x10 + 2 * pin, low);
}

void ioapic_mask_all(void)
{
    for (int pin = 0; pin < 24; pin++) {
        ioapic_write(0x10 + 2 * pin, RTE_MASKED);
    }
}

void pic_init_masked(void)
{
    outb(0x21, 0xff); outb(0xa1, 0xff);
    outb(0x20, 0x11); outb(0x21, 0x20); outb(0x21, 0x04); outb(0x21, 0x01);
    outb(0xa0, 0x11); outb(0xa1, 0x28); outb(0xa1, 0x02); outb(0xa1, 0x01);
    outb(0x21, 0xff); outb(0xa1, 0xff);
}

void uart_irq_raise(void)
{
    while (!(inb(0x3fd) & 0x20)) {
    }
    outb(0x3f9, 0x02);                      /* IER: THR empty */
}

void uart_irq_ack(void)
{
    outb(0x3f9, 0x00);
    (void)inb(0x3fa);                       /* IIR read acknowledges THR empty */
}

bool on_numbat(void)
{
    uint32_t r[4];
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(0x80000002));
    return !memcmp(r, "numbat", 6);
}
