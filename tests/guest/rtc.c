/* Guest test: the CMOS RTC's registers A-D as firmware leaves them, UF set without UIE, update-ended/alarm/periodic interrupts on IRQ 8 through the 8259 slave, alarm compare with don't-care bytes, reading C acknowledging, SET clearing UIE; on numbat also the periodic interval (TSC = instructions). */
#include "lapic.h"

enum { REG_SEC = 0, REG_SEC_ALARM = 1, REG_MIN = 2, REG_MIN_ALARM = 3, REG_HOUR_ALARM = 5,
       REG_A = 0x0a, REG_B = 0x0b, REG_C = 0x0c, REG_D = 0x0d };
#define IRQF 0x80
#define PF   0x40
#define AF   0x20
#define UF   0x10
#define PIE  0x40
#define AIE  0x20
#define UIE  0x10
#define SET  0x80

static volatile int rtc_irqs, pit_ticks;
static volatile uint8_t rtc_c;
static volatile uint64_t rtc_tsc[8];
static bool numbat;

static void on_rtc(struct trap_frame *f)
{
    if (rtc_irqs < 8) {
        rtc_tsc[rtc_irqs] = rdtsc();
    }
    rtc_c = cmos_read(REG_C);
    rtc_irqs++;
    outb(0xa0, 0x20);
    outb(0x20, 0x20);
}

/* The PIT's 1 kHz tick only wakes hlt in the polling loops below. */
static void on_pit(struct trap_frame *f)
{
    pit_ticks++;
    outb(0x20, 0x20);
}

/* Sleep until the RTC interrupt count reaches n, at most ms PIT ticks; true if it did. */
static bool wait_rtc_irqs(int n, int ms)
{
    int start = pit_ticks;
    while (rtc_irqs < n && pit_ticks - start < ms) {
        __asm__ volatile("sti; hlt; cli");
    }
    return rtc_irqs >= n;
}

/* Poll register C once a PIT tick until one of `flags` shows; returns the value (0 on timeout). */
static uint8_t poll_c(uint8_t flags, int ms)
{
    int start = pit_ticks;
    while (pit_ticks - start < ms) {
        uint8_t c = cmos_read(REG_C);
        if (c & flags) {
            return c;
        }
        __asm__ volatile("sti; hlt; cli");
    }
    return 0;
}

static uint8_t bcd_inc(uint8_t v, int mod)
{
    int n = (v >> 4) * 10 + (v & 15);
    n = (n + 1) % mod;
    return (uint8_t)((n / 10) << 4 | n % 10);
}

/* PIT channel 0 in mode 2 with the given count (1193: 1 kHz). */
static void pit_periodic(uint16_t count)
{
    outb(0x43, 0x34);
    outb(0x40, count & 0xff);
    outb(0x40, count >> 8);
}

static void init_timers(void)
{
    pic_init_masked();
    outb(0x21, 0xfa);                       /* IRQ 0 and the cascade */
    outb(0xa1, 0xfe);                       /* IRQ 8 */
    pit_periodic(1193);
}

static void test_registers(void)
{
    check((cmos_read(REG_A) & 0x7f) == 0x26, "register A: 32.768 kHz divider, 1024 Hz rate");
    check(cmos_read(REG_B) == 0x02, "register B: 24-hour BCD, no interrupts");
    check(cmos_read(REG_D) == 0x80, "register D: VRT");
    /* SET clears UIE; writing without SET leaves the enables as written */
    cmos_write(REG_B, 0x02 | SET | UIE);
    check(cmos_read(REG_B) == (0x02 | SET), "setting SET clears UIE");
    cmos_write(REG_B, 0x02);
}

/* UF is set at each update whether or not UIE asks for the interrupt; no IRQF then. */
static void test_update_flag(void)
{
    cmos_write(REG_A, 0x20);                /* RS 0: no PF in the way */
    (void)cmos_read(REG_C);
    uint8_t c = poll_c(UF, 1500);
    check((c & (UF | IRQF)) == UF, "UF set by an update with UIE off, IRQF clear");
    check(rtc_irqs == 0, "no IRQ 8 without an enable");
    cmos_write(REG_B, 0x02 | UIE);
    check(wait_rtc_irqs(1, 1500) && (rtc_c & (IRQF | UF)) == (IRQF | UF),
          "update-ended interrupt: IRQ 8 with IRQF and UF");
    cmos_write(REG_B, 0x02);
}

/* Right after an update (the update-ended interrupt above, so a whole second to go): an
   alarm with the wrong minute does not fire at the next update, one for the next second with
   don't-care minute/hour does. */
static void test_alarm(void)
{
    (void)cmos_read(REG_C);
    uint8_t sec = cmos_read(REG_SEC), min = cmos_read(REG_MIN);
    cmos_write(REG_HOUR_ALARM, 0xc0);
    cmos_write(REG_MIN_ALARM, bcd_inc(bcd_inc(min, 60), 60));
    cmos_write(REG_SEC_ALARM, bcd_inc(sec, 60));
    uint8_t c = poll_c(UF, 1500);
    check((c & (UF | AF)) == UF, "alarm with another minute: UF but no AF at the update");
    sec = cmos_read(REG_SEC);
    cmos_write(REG_MIN_ALARM, 0xff);
    cmos_write(REG_SEC_ALARM, bcd_inc(sec, 60));
    int before = rtc_irqs;
    cmos_write(REG_B, 0x02 | AIE);
    check(wait_rtc_irqs(before + 1, 1500) && (rtc_c & (IRQF | AF)) == (IRQF | AF),
          "alarm at the next second (minute and hour don't care): IRQ 8 with IRQF and AF");
    check(cmos_read(REG_SEC) == bcd_inc(sec, 60), "the alarm came with the matching second");
    cmos_write(REG_B, 0x02);
    cmos_write(REG_HOUR_ALARM, 0x30);       /* never: no AF in the way below */
}

/* Eight periodic interrupts at 8192 Hz; reading C acknowledged each one.  The PIT slows to
   50 ms meanwhile, so its tick does not delay one of them. */
static void test_periodic(void)
{
    int before = rtc_irqs;
    rtc_irqs = 0;
    pit_periodic(59659);
    cmos_write(REG_A, 0x23);
    (void)cmos_read(REG_C);
    cmos_write(REG_B, 0x02 | PIE);
    bool ok = wait_rtc_irqs(8, 4);
    cmos_write(REG_B, 0x02);
    pit_periodic(1193);
    check(ok && (rtc_c & (IRQF | PF)) == (IRQF | PF), "8192 Hz periodic: eight IRQ 8 with PF");
    uint64_t lo = ~0ull, hi = 0;
    for (int i = 1; i < 8; i++) {
        uint64_t d = rtc_tsc[i] - rtc_tsc[i - 1];
        lo = d < lo ? d : lo;
        hi = d > hi ? d : hi;
    }
    if (numbat && (lo < 122070 - 100 || hi > 122071 + 100)) {
        gprintf("# periodic intervals %lu-%lu instructions\n", lo, hi);
    }
    check(!numbat || (lo >= 122070 - 100 && hi <= 122071 + 100),
          "on numbat: 122.07 us between them (not measured elsewhere)");
    (void)cmos_read(REG_C);
    check((cmos_read(REG_C) & (IRQF | PF)) == 0, "reading C cleared IRQF and PF");
    rtc_irqs += before;
    cmos_write(REG_A, 0x26);
}

int guest_main(uint32_t si)
{
    __asm__ volatile("cli");
    idt_init();
    set_trap(0x20, on_pit);
    set_trap(0x28, on_rtc);
    numbat = on_numbat();
    init_timers();
    test_registers();
    test_update_flag();
    test_alarm();
    test_periodic();
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    return failures();
}
