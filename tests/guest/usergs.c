/* Guest test: GS bases across ring 3 entries and exits done the way Linux does them (swapgs, iretq, sysretq, #PF). */
#include "guest.h"

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

/* Per-CPU areas: marker at 0, scratch user RSP at 8, kernel stack top at 16. */
struct percpu { uint64_t marker, scratch, stack_top; };
static struct percpu kern_area = { 0x4b45524e, 0, 0 };
static struct percpu user_area = { 0x55534552, 0, 0 };
static struct percpu fs_area = { 0x46534653, 0, 0 };
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint8_t sys_stack[4096] __attribute__((aligned(16)));

uint64_t ug_run_user(uint64_t user_stack);
extern void ug_syscall_entry(void), ug_pf_entry(void);
extern volatile uint8_t ug_verw_zf;
extern volatile uint64_t ug_fixup, ug_user_gs0, ug_user_gs1, ug_user_gs2, ug_user_gs3, ug_user_fs0;

struct hw_frame { uint64_t error, rip, cs, rflags, rsp, ss; };
struct pf_rec { uint64_t gs0, kgs, error, cs, ss, rsp, frame, cr2; };
static volatile struct pf_rec pf[4];
static volatile int npf;
static volatile uint64_t sys_gs0[4], sys_kgs[4];
static volatile int nsys;

static uint64_t gs_marker(void)
{
    uint64_t v;
    __asm__ volatile("mov %%gs:0, %0" : "=r"(v));
    return v;
}

void ug_syscall_c(uint64_t nr);
void ug_syscall_c(uint64_t nr)
{
    (void)nr;
    if (nsys < 4) {
        sys_gs0[nsys] = gs_marker();
        sys_kgs[nsys] = rdmsr(MSR_KERNEL_GS_BASE);
        nsys++;
    }
}

void ug_pf_c(struct hw_frame *f);
void ug_pf_c(struct hw_frame *f)
{
    if (npf < 4) {
        volatile struct pf_rec *r = &pf[npf++];
        r->gs0 = gs_marker();
        r->kgs = rdmsr(MSR_KERNEL_GS_BASE);
        r->error = f->error;
        r->cs = f->cs;
        r->ss = f->ss;
        r->rsp = f->rsp;
        r->frame = (uint64_t)f;
        r->cr2 = read_cr(2);
    }
    f->rip = ug_fixup;
}

/* Point vector 14 at the Linux-style entry stub instead of the runtime's. */
static void install_pf_gate(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } d;
    __asm__ volatile("sidt %0" : "=m"(d));
    uint64_t a = (uint64_t)ug_pf_entry;
    uint64_t *g = (uint64_t *)(d.base + 14 * 16);
    g[0] = (a & 0xffff) | (uint64_t)SEL_CODE64 << 16 | 0x8eull << 40 | ((a >> 16) & 0xffff) << 48;
    g[1] = a >> 32;
}

/* Linux's load_gs_index(0): swapgs; mov gs, 0; swapgs. */
static void load_gs_index0(void)
{
    __asm__ volatile("swapgs; mov %0, %%gs; swapgs" :: "r"(0) : "memory");
}

static void kernel_fault(void)
{
    __asm__ volatile("lea 1f(%%rip), %%rax; mov %%rax, ug_fixup(%%rip); mov $0x40000010, %%rbx;"
                     "mov (%%rbx), %%rax; 1:" ::: "rax", "rbx", "memory");
}

/* lar/lsl/verr/verw on the runtime's GDT: ZF and the reported rights/limits. */
static void check_descriptor_probes(void)
{
    uint64_t ar = 0x5555, lim = 0x5555;
    uint8_t zf_lar, zf_lsl, zf_bad, zf_verr, zf_verw;
    __asm__ volatile("lar %2, %0; setz %1" : "+r"(ar), "=q"(zf_lar) : "r"((uint64_t)(SEL_UCODE64 | 3)));
    __asm__ volatile("lsl %2, %0; setz %1" : "+r"(lim), "=q"(zf_lsl) : "r"((uint64_t)SEL_TSS));
    check(zf_lar && ar == 0xa0fa00, "lar of the user code64 selector: 0x%lx", ar);
    check(zf_lsl && lim == 103, "lsl of the TSS: %lu", lim);
    uint64_t keep = 0x7777;
    __asm__ volatile("lar %2, %0; setz %1" : "+r"(keep), "=q"(zf_bad) : "r"((uint64_t)0x1000));
    check(!zf_bad && keep == 0x7777, "lar past the GDT limit clears ZF, keeps the register");
    __asm__ volatile("verr %w1; setz %0" : "=q"(zf_verr) : "r"(SEL_UCODE64 | 3));
    __asm__ volatile("verw %w1; setz %0" : "=q"(zf_verw) : "r"(SEL_UCODE64 | 3));
    check(zf_verr && !zf_verw, "verr/verw of user code from ring 0: readable, not writable");
}

static void check_user_pf(int i, uint64_t cr2, uint64_t err)
{
    volatile struct pf_rec *r = &pf[i];
    check(r->cs == (SEL_UCODE64 | 3) && r->ss == (SEL_UDATA | 3),
          "user #PF %d: frame CS 0x%lx SS 0x%lx (old selectors, RPL 3)", i, r->cs, r->ss);
    check(r->gs0 == kern_area.marker && r->kgs == (uint64_t)&user_area,
          "user #PF %d: handler runs with the kernel GS (gs:0 0x%lx), user base parked", i, r->gs0);
    check(r->frame == tss_rsp0_top - 48, "user #PF %d: frame on RSP0, error code at top-48", i);
    check(r->rsp == (uint64_t)user_stack + sizeof(user_stack),
          "user #PF %d: saved user RSP", i);
    check(r->cr2 == cr2 && r->error == err, "user #PF %d: CR2 0x%lx error 0x%lx", i, r->cr2,
          r->error);
}

int guest_main(uint32_t si)
{
    (void)si;
    idt_init();
    tss_init();
    install_pf_gate();
    kern_area.stack_top = (uint64_t)sys_stack + sizeof(sys_stack);
    wrmsr(MSR_GS_BASE, (uint64_t)&kern_area);
    wrmsr(MSR_KERNEL_GS_BASE, 0x1234000);
    check(rdmsr(MSR_GS_BASE) == (uint64_t)&kern_area, "wrmsr/rdmsr GS_BASE");
    check(gs_marker() == kern_area.marker, "gs:0 reads through GS_BASE");
    load_gs_index0();
    check(rdmsr(MSR_GS_BASE) == (uint64_t)&kern_area, "load_gs_index(0) keeps the kernel GS base");
    check(rdmsr(MSR_KERNEL_GS_BASE) == 0, "load_gs_index(0) zeroes the parked user GS base "
          "(0x%lx)", rdmsr(MSR_KERNEL_GS_BASE));
    __asm__ volatile("mov %0, %%fs" :: "r"(0));
    wrmsr(MSR_FS_BASE, (uint64_t)&fs_area);
    wrmsr(MSR_KERNEL_GS_BASE, (uint64_t)&user_area);

    check_descriptor_probes();
    kernel_fault();
    check(npf == 1 && pf[0].cs == SEL_CODE64 && pf[0].gs0 == kern_area.marker,
          "kernel #PF: frame CS 0x%lx, no swapgs, kernel GS", pf[0].cs);
    check(pf[0].kgs == (uint64_t)&user_area, "kernel #PF: KERNEL_GS_BASE untouched");

    wrmsr(0xc0000081, (uint64_t)(SEL_UCODE32 | 3) << 48 | (uint64_t)SEL_CODE64 << 32);
    wrmsr(0xc0000082, (uint64_t)ug_syscall_entry);
    wrmsr(0xc0000084, 0x200);
    wrmsr(0xc0000080, rdmsr(0xc0000080) | 1);
    ug_run_user((uint64_t)user_stack + sizeof(user_stack));

    check(ug_verw_zf == 1, "verw of the kernel data selector between swapgs and iretq: ZF=1");
    check(ug_user_gs0 == user_area.marker, "ring 3 after swapgs+iretq sees the user GS (0x%lx)",
          ug_user_gs0);
    check(ug_user_fs0 == fs_area.marker, "iretq to ring 3 keeps the FS base (0x%lx)", ug_user_fs0);
    check(nsys == 2 && sys_gs0[0] == kern_area.marker && sys_kgs[0] == (uint64_t)&user_area,
          "syscall entry swapgs gives the kernel GS (0x%lx)", sys_gs0[0]);
    check(ug_user_gs1 == user_area.marker, "after swapgs+sysretq ring 3 sees the user GS (0x%lx)",
          ug_user_gs1);
    check(npf == 3, "two #PF from ring 3 (%d faults in all)", npf);
    check_user_pf(1, 0x40000000, 0x4);
    check(ug_user_gs2 == user_area.marker, "after swapgs+iretq from #PF: user GS (0x%lx)",
          ug_user_gs2);
    check_user_pf(2, 0x40000008, 0x6);
    check(ug_user_gs3 == user_area.marker, "after the second #PF: user GS (0x%lx)", ug_user_gs3);
    check(sys_gs0[1] == kern_area.marker && sys_kgs[1] == 0,
          "mov gs, 0 in ring 3 zeroed the user GS base (parked 0x%lx)", sys_kgs[1]);
    check(rdmsr(MSR_GS_BASE) == (uint64_t)&kern_area && rdmsr(MSR_FS_BASE) == (uint64_t)&fs_area,
          "back in the kernel: GS and FS bases");
    return failures();
}
