/* Bare-metal test guests: polled serial output, a tiny printf, TAP lines, IDT/TSS setup, debug-exit. */
#include "guest.h"

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    while (n--) *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    while (n--) *dp++ = (uint8_t)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++) {
        if (*x != *y) return *x - *y;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

void putc_serial(char c)
{
    while (!(inb(0x3f8 + 5) & 0x20)) {
    }
    outb(0x3f8, (uint8_t)c);
}

void puts_serial(const char *s)
{
    while (*s) putc_serial(*s++);
}

static void put_num(uint64_t v, unsigned base, int width, bool neg)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n < width) buf[n++] = '0';
    if (neg) putc_serial('-');
    while (n) putc_serial(buf[--n]);
}

static void vprint(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') { putc_serial(*fmt); continue; }
        int width = 0, lng = 0;
        fmt++;
        while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') { lng = 1; fmt++; }
        switch (*fmt) {
        case 'd': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, width, v < 0);
            break;
        }
        case 'u': put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, false); break;
        case 'x': put_num(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, false); break;
        case 's': puts_serial(va_arg(ap, const char *)); break;
        case 'c': putc_serial((char)va_arg(ap, int)); break;
        default: putc_serial(*fmt); break;
        }
    }
}

void gprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
}

static int n_checks, n_failed;

bool check(bool cond, const char *fmt, ...)
{
    va_list ap;
    gprintf("%s %d - ", cond ? "ok" : "not ok", ++n_checks);
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    putc_serial('\n');
    n_failed += !cond;
    return cond;
}

int failures(void)
{
    return n_failed;
}

_Noreturn void guest_exit(int code)
{
    gprintf("1..%d\n", n_checks);
    outb(DEBUG_EXIT_PORT, (uint8_t)code);
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

/* ---- IDT and TSS ---- */

struct gate { uint16_t off0, sel; uint8_t ist, attr; uint16_t off1; uint32_t off2, zero; };
static struct gate idt[256] __attribute__((aligned(16)));
static trap_fn *handlers[256];
extern const uint64_t isr_table[256];
extern uint64_t gdt[];

void set_gate(int vec, int ist, int dpl)
{
    uint64_t a = isr_table[vec];
    idt[vec] = (struct gate) {
        .off0 = (uint16_t)a, .sel = SEL_CODE64, .ist = (uint8_t)ist,
        .attr = (uint8_t)(0x8e | (dpl << 5)), .off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32),
    };
}

void idt_init(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } d = { sizeof(idt) - 1, (uint64_t)idt };
    for (int v = 0; v < 256; v++) set_gate(v, 0, 0);
    __asm__ volatile("lidt %0" :: "m"(d));
}

void set_trap(int vec, trap_fn *fn)
{
    handlers[vec] = fn;
}

void trap(struct trap_frame *f)
{
    if (f->vector < 256 && handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    gprintf("not ok - unexpected exception %lu error 0x%lx at rip 0x%lx cr2 0x%lx\n",
            f->vector, f->error, f->rip, read_cr(2));
    guest_exit(0x7f);
}

static uint8_t tss[104] __attribute__((aligned(16)));
static uint8_t rsp0_stack[8192] __attribute__((aligned(16)));
static uint8_t ist1_stack[8192] __attribute__((aligned(16)));
uint64_t tss_rsp0_top, tss_ist1_top;

void tss_init(void)
{
    uint64_t base = (uint64_t)tss;
    tss_rsp0_top = (uint64_t)rsp0_stack + sizeof(rsp0_stack);
    tss_ist1_top = (uint64_t)ist1_stack + sizeof(ist1_stack);
    memcpy(tss + 4, &tss_rsp0_top, 8);
    memcpy(tss + 36, &tss_ist1_top, 8);
    uint16_t iomap = sizeof(tss);
    memcpy(tss + 102, &iomap, 2);
    gdt[7] = (sizeof(tss) - 1) | (base & 0xffffff) << 16 | 0x89ull << 40 | ((base >> 24) & 0xff) << 56;
    gdt[8] = base >> 32;
    __asm__ volatile("ltr %w0" :: "r"(SEL_TSS));
}

void set_gate_attr(int vec, uint8_t attr)
{
    idt[vec].attr = attr;
}
