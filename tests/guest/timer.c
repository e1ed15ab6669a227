/* Guest test: the 8259 pair and the 8254 deliver timer interrupts, channel 2 counts on port 0x61, the ACPI PM timer runs, and PM1 powers off (exit 0). */
#include "guest.h"
#include "lapic.h"

static volatile int ticks;
static volatile bool in_service_seen, spurious;

/* The FADT's PM ports, found through the RSDP (numbat: 0x600 block; QEMU pc: 0xb000). */
static uint16_t pm1_cnt, pm_tmr;
static uint32_t pm_mask;

static void tick(struct trap_frame *f)
{
    outb(0x20, 0x0b);                       /* OCW3: read ISR */
    in_service_seen = in_service_seen || (inb(0x20) & 1);
    outb(0x20, 0x0a);
    /* Mask IRQ 0 at the fifth: under QEMU (wall-clock time) a stalled host could otherwise
       deliver a sixth before the waiting loop's cli. */
    if (++ticks == 5) {
        outb(0x21, 0xff);
    }
    outb(0x20, 0x20);                       /* non-specific EOI */
}

static void note_spurious(struct trap_frame *f)
{
    spurious = true;
}

static const uint8_t *find_fadt(const uint8_t *rsdp)
{
    bool x = rsdp[15] >= 2 && *(const uint64_t *)(rsdp + 24);
    const uint8_t *sdt = x ? (const uint8_t *)(uintptr_t)*(const uint64_t *)(rsdp + 24)
                           : (const uint8_t *)(uintptr_t)*(const uint32_t *)(rsdp + 16);
    uint32_t len = *(const uint32_t *)(sdt + 4), esz = x ? 8 : 4;
    for (uint32_t off = 36; off + esz <= len; off += esz) {
        uint64_t p = x ? *(const uint64_t *)(sdt + off) : *(const uint32_t *)(sdt + off);
        const uint8_t *t = (const uint8_t *)(uintptr_t)p;
        if (!memcmp(t, "FACP", 4)) {
            return t;
        }
    }
    return NULL;
}

static uint32_t pm_read(void)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(pm_tmr));
    return v & pm_mask;
}

/* PM timer ticks (3.579545 MHz) between two reads, across one wrap. */
static uint32_t pm_delta(uint32_t a, uint32_t b)
{
    return (b - a) & pm_mask;
}

#define PM_MS(ms) ((uint32_t)(3579545ull * (ms) / 1000))

static void init_pic(void)
{
    pic_init_masked();
    outb(0x21, 0xfe);                       /* only IRQ 0 */
}

static void test_periodic_ticks(void)
{
    outb(0x43, 0x34);                       /* channel 0, LSB/MSB, mode 2 */
    outb(0x40, 11932 & 0xff);               /* 100 Hz */
    outb(0x40, 11932 >> 8);
    uint32_t t0 = pm_read();
    __asm__ volatile("sti");
    while (ticks < 5) {
        __asm__ volatile("hlt");
    }
    __asm__ volatile("cli");
    uint32_t d = pm_delta(t0, pm_read());
    check(ticks == 5, "five timer interrupts through IRQ 0, vector 0x20");
    check(in_service_seen, "IRQ 0 in service (ISR bit 0) inside the handler");
    check(!spurious, "no spurious IRQ 7");
    check(d >= PM_MS(38) && d < PM_MS(2000), "five 10 ms periods took 40-50 ms of PM timer");
    outb(0x43, 0x00);                       /* latch channel 0 */
    uint16_t c = inb(0x40);
    c |= inb(0x40) << 8;
    check(c >= 1 && c <= 11932, "latched channel 0 count within the period");
    outb(0x21, 0xff);
}

/* Linux's PIT calibration: channel 2 in mode 0 with the gate on port 0x61, poll OUT2. */
static void test_channel2_oneshot(void)
{
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);
    outb(0x43, 0xb0);
    outb(0x42, 11932 & 0xff);               /* 10 ms */
    outb(0x42, 11932 >> 8);
    uint32_t t0 = pm_read();
    bool early = (inb(0x61) & 0x20) != 0;
    uint32_t n = 0;
    while (!(inb(0x61) & 0x20) && n < 100000000) {
        n++;
    }
    uint32_t d = pm_delta(t0, pm_read());
    check(!early, "OUT2 low right after the count is written");
    check(n < 100000000 && d >= PM_MS(9) && d < PM_MS(1000), "OUT2 rose after 10 ms");
    outb(0x61, inb(0x61) & ~0x03);
}

static void test_pm_timer(void)
{
    uint32_t last = pm_read(), back = 0;
    for (int i = 0; i < 2000; i++) {
        uint32_t t = pm_read();
        back += pm_delta(last, t) > pm_mask / 2;
        last = t;
    }
    check(back == 0, "PM timer never runs backwards");
}

int guest_main(uint32_t si)
{
    const uint32_t *info = (const uint32_t *)(uintptr_t)si;
    const uint8_t *rsdp = (const uint8_t *)(uintptr_t)*(const uint64_t *)(info + 8);
    const uint8_t *fadt = rsdp ? find_fadt(rsdp) : NULL;

    idt_init();
    set_trap(0x20, tick);
    set_trap(0x27, note_spurious);
    if (!check(fadt != NULL, "FADT found through the start info's RSDP")) {
        return failures();
    }
    pm1_cnt = *(const uint32_t *)(fadt + 64);
    pm_tmr = *(const uint32_t *)(fadt + 76);
    pm_mask = (*(const uint32_t *)(fadt + 112) & (1u << 8)) ? 0xffffffffu : 0xffffffu;
    init_pic();
    check(inb(0x21) == 0xfe && inb(0xa1) == 0xff, "8259 masks read back");
    test_periodic_ticks();
    test_channel2_oneshot();
    test_pm_timer();
    if (failures()) {
        return failures();
    }
    outw(pm1_cnt, 0 << 10 | 1u << 13);      /* \_S5: SLP_TYP 0 | SLP_EN */
    for (int i = 0; i < 1000000; i++) {
        __asm__ volatile("pause");
    }
    check(false, "still running after the PM1 poweroff");
    return failures();
}
