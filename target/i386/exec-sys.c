/* System instructions: segment and descriptor-table loads, control/debug registers, MSRs, syscall, fences. */
#include "target/i386/exec.h"

static void require_cpl0(X86CPU *cpu)
{
    if (cpu->env.cpl != 0) {
        x86_raise_gp(cpu, 0);
    }
}

HANDLER(op_mov_rm_sreg)
{
    int seg = in->reg & 7;
    if (seg >= X86_NSEGS) {
        x86_raise_ud(cpu);
    }
    uint16_t sel = cpu->env.segs[seg].sel;
    store_rm(cpu, in, in->mod == 3 ? in->opsize : 2, sel);
}

HANDLER(op_mov_sreg_rm)
{
    int seg = in->reg & 7;
    if (seg >= X86_NSEGS || seg == R_CS) {
        x86_raise_ud(cpu);
    }
    x86_load_seg(cpu, seg, (uint16_t)load_rm(cpu, in, 2));
    if (seg == R_SS) {
        cpu->env.intr_shadow = true;
        cpu->exit_request = true;
    }
}

/* ZF is the only flag lar, lsl, verr and verw change. */
static void set_zf(CPUX86State *env, bool zf)
{
    uint32_t f = (uint32_t)x86_get_eflags(env) & ~X86_ZF;
    set_flags(env, f | (zf ? X86_ZF : 0));
}

/*
 * The privilege test shared by lar, lsl, verr and verw: a conforming code segment is
 * always visible; anything else needs DPL >= CPL and DPL >= RPL.
 */
static bool desc_visible(const CPUX86State *env, uint16_t sel, uint64_t d)
{
    uint32_t hi = (uint32_t)(d >> 32);
    int dpl = (hi >> 13) & 3;
    bool conforming = (hi & DESC_S) && (hi & (0xcu << DESC_TYPE_SHIFT)) == (0xcu << DESC_TYPE_SHIFT);
    return conforming || (dpl >= env->cpl && dpl >= (sel & 3));
}

/*
 * verr / verw: ZF=1 when the segment could be read (code with R, or data) / written (data
 * with W) at the current privilege; a null or out-of-table selector or a system descriptor
 * clears ZF.  Linux's MDS mitigation (CLEAR_CPU_BUFFERS) runs verw on every return to user
 * mode, right after swapgs, so a #UD here leaves the kernel on the user GS base.
 */
static void op_verx(X86CPU *cpu, const X86Insn *in, bool write)
{
    CPUX86State *env = &cpu->env;
    uint16_t sel = (uint16_t)load_rm(cpu, in, 2);
    uint64_t d;
    if (!x86_probe_desc(cpu, sel, &d)) {
        set_zf(env, false);
        return;
    }
    uint32_t hi = (uint32_t)(d >> 32), type = (hi >> DESC_TYPE_SHIFT) & 0xf;
    bool ok = (hi & DESC_S) && desc_visible(env, sel, d);
    if (type & 8) {
        ok = ok && !write && (type & 2);           /* code: readable, never writable */
    } else {
        ok = ok && (!write || (type & 2));         /* data: always readable */
    }
    set_zf(env, ok);
}

/* 0F 00: sldt, str, lldt, ltr, verr, verw. */
HANDLER(op_grp6)
{
    CPUX86State *env = &cpu->env;
    if (!(env->cr[0] & CR0_PE) || (env->eflags & X86_VM)) {
        x86_raise_ud(cpu);
    }
    switch (in->reg & 7) {
    case 0: store_rm(cpu, in, in->mod == 3 ? in->opsize : 2, env->ldt.sel); return;
    case 1: store_rm(cpu, in, in->mod == 3 ? in->opsize : 2, env->tr.sel); return;
    case 2: case 3:
        require_cpl0(cpu);
        x86_load_sys_seg(cpu, (in->reg & 7) == 3, (uint16_t)load_rm(cpu, in, 2));
        return;
    case 4: op_verx(cpu, in, false); return;
    case 5: op_verx(cpu, in, true); return;
    default:
        x86_raise_ud(cpu);                         /* /6 and /7 are undefined */
    }
}

/*
 * The descriptor lar/lsl may report, or false (ZF=0): system types are limited to LDT and
 * available/busy TSS (both instructions) and call gates (lar only); in long mode only the
 * 64-bit forms (LDT 2, TSS 9/B, call gate C), outside it also the 16-bit TSS/gates (1, 3, 4, 5).
 */
static bool lar_lsl_desc(X86CPU *cpu, const X86Insn *in, bool is_lar, uint64_t *d)
{
    CPUX86State *env = &cpu->env;
    if (!(env->cr[0] & CR0_PE) || (env->eflags & X86_VM)) {
        x86_raise_ud(cpu);
    }
    uint16_t sel = (uint16_t)load_rm(cpu, in, 2);
    if (!x86_probe_desc(cpu, sel, d)) {
        return false;
    }
    uint32_t hi = (uint32_t)(*d >> 32), type = (hi >> DESC_TYPE_SHIFT) & 0xf;
    if (!(hi & DESC_S)) {
        uint32_t ok = env->long_mode ? (1u << 2) | (1u << 9) | (1u << 0xb)
                                     : (1u << 1) | (1u << 2) | (1u << 3) | (1u << 9) | (1u << 0xb);
        if (is_lar) {
            ok |= env->long_mode ? (1u << 0xc) : (1u << 4) | (1u << 5) | (1u << 0xc);
        }
        if (!(ok & (1u << type))) {
            return false;
        }
    }
    return desc_visible(env, sel, *d);
}

/* 0F 02: lar — the access-rights bytes of a descriptor (type, DPL, P, AVL, L, D/B, G). */
HANDLER(op_lar)
{
    uint64_t d;
    bool ok = lar_lsl_desc(cpu, in, true, &d);
    if (ok) {
        reg_write(&cpu->env, in, in->reg, in->opsize, (d >> 32) & 0x00f0ff00);
    }
    set_zf(&cpu->env, ok);
}

/* 0F 03: lsl — the segment limit in bytes (scaled by G). */
HANDLER(op_lsl)
{
    uint64_t d;
    bool ok = lar_lsl_desc(cpu, in, false, &d);
    if (ok) {
        uint32_t lo = (uint32_t)d, hi = (uint32_t)(d >> 32);
        uint32_t limit = (lo & 0xffff) | (hi & 0xf0000);
        if (hi & DESC_G) {
            limit = (limit << 12) | 0xfff;
        }
        reg_write(&cpu->env, in, in->reg, in->opsize, limit);
    }
    set_zf(&cpu->env, ok);
}

static void store_dtable(X86CPU *cpu, const X86Insn *in, const X86DTable *t)
{
    uint64_t lin = insn_lin(cpu, in);
    int bsize = cpu->env.code_size == 8 ? 8 : 4;
    x86_probe_write(cpu, lin, 2 + bsize);
    x86_st(cpu, lin, 2, t->limit);
    x86_st(cpu, lin + 2, bsize, t->base);
}

static void load_dtable(X86CPU *cpu, const X86Insn *in, X86DTable *t)
{
    require_cpl0(cpu);
    uint64_t lin = insn_lin(cpu, in);
    uint32_t limit = (uint32_t)x86_ld(cpu, lin, 2);
    uint64_t base = x86_ld(cpu, lin + 2, cpu->env.code_size == 8 ? 8 : 4);
    if (cpu->env.code_size != 8 && in->opsize == 2) {
        base &= 0xffffff;
    }
    t->limit = limit;
    t->base = base;
}

static void grp7_reg(X86CPU *cpu, const X86Insn *in)
{
    CPUX86State *env = &cpu->env;
    int rm = in->rm & 7;
    switch (in->reg & 7) {
    case 4: reg_write(env, in, in->rm, in->opsize, env->cr[0] & 0xffff); return;
    case 6:
        require_cpl0(cpu);
        x86_cpu_set_cr(cpu, 0, (env->cr[0] & ~0xeull) | (reg_read(env, in, in->rm, 2) & 0xf) |
                               (env->cr[0] & CR0_PE));
        return;
    case 7:
        if (rm == 0 && env->code_size == 8) {      /* swapgs */
            require_cpl0(cpu);
            uint64_t t = env->segs[R_GS].base;
            env->segs[R_GS].base = env->kernel_gs_base;
            env->kernel_gs_base = t;
            return;
        }
        if (rm == 1) {                             /* rdtscp */
            op_rdtsc(cpu, in);
            env->regs[R_ECX] = (uint32_t)env->tsc_aux;
            return;
        }
        break;
    }
    x86_raise_ud(cpu);
}

/* 0F 01: sgdt, sidt, lgdt, lidt, smsw, lmsw, invlpg, swapgs, rdtscp. */
HANDLER(op_grp7)
{
    CPUX86State *env = &cpu->env;
    if (in->mod == 3) {
        grp7_reg(cpu, in);
        return;
    }
    switch (in->reg & 7) {
    case 0: store_dtable(cpu, in, &env->gdt); return;
    case 1: store_dtable(cpu, in, &env->idt); return;
    case 2: load_dtable(cpu, in, &env->gdt); return;
    case 3: load_dtable(cpu, in, &env->idt); return;
    case 4: x86_st(cpu, insn_lin(cpu, in), 2, env->cr[0] & 0xffff); return;
    case 6:
        require_cpl0(cpu);
        x86_cpu_set_cr(cpu, 0, (env->cr[0] & ~0xeull) |
                               (x86_ld(cpu, insn_lin(cpu, in), 2) & 0xf) | (env->cr[0] & CR0_PE));
        return;
    case 7:
        require_cpl0(cpu);
        x86_tlb_flush_page(cpu, insn_lin(cpu, in));
        return;
    default:
        x86_raise_ud(cpu);
    }
}

/* Reserved-bit and consistency checks for mov to CR0/CR4. */
static void write_cr(X86CPU *cpu, int n, uint64_t v)
{
    CPUX86State *env = &cpu->env;
    if (n == 0) {
        if ((v >> 32) || ((v & CR0_PG) && !(v & CR0_PE)) ||
            ((v & CR0_PG) && (env->efer & EFER_LME) && !(env->cr[4] & CR4_PAE))) {
            x86_raise_gp(cpu, 0);
        }
    } else if (n == 4) {
        uint64_t ok = CR4_PSE | CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT |
                      (1u << 2) | (1u << 3) | (1u << 8);   /* TSD, DE, PCE */
        if ((v & ~ok) || (env->long_mode && !(v & CR4_PAE))) {
            x86_raise_gp(cpu, 0);
        }
    } else if (n == 8) {
        if (v & ~0xfull) {
            x86_raise_gp(cpu, 0);
        }
        env->cr[8] = v;
        return;
    }
    x86_cpu_set_cr(cpu, n, v);
}

HANDLER(op_mov_cr)
{
    CPUX86State *env = &cpu->env;
    int n = in->reg, r = in->rm;
    /* CR8 (the TPR) exists only in 64-bit mode; elsewhere REX cannot name it. */
    if (n != 0 && n != 2 && n != 3 && n != 4 && (n != 8 || env->code_size != 8)) {
        x86_raise_ud(cpu);
    }
    require_cpl0(cpu);
    int size = env->code_size == 8 ? 8 : 4;
    if (in->opc == 0x120) {
        reg_write(env, in, r, size, env->cr[n]);
    } else {
        uint64_t v = reg_read(env, in, r, size);
        if (n == 2) {
            env->cr[2] = v;
        } else {
            write_cr(cpu, n, v);
        }
    }
    (void)in->mod;
}

HANDLER(op_mov_dr)
{
    CPUX86State *env = &cpu->env;
    int n = in->reg;
    if (n > 7) {
        x86_raise_ud(cpu);
    }
    require_cpl0(cpu);
    if (n == 4 || n == 5) {
        if (env->cr[4] & (1u << 3)) {
            x86_raise_ud(cpu);       /* CR4.DE: DR4/DR5 are reserved, no longer aliases */
        }
        n += 2;
    }
    int size = env->code_size == 8 ? 8 : 4;
    if (in->opc == 0x121) {
        reg_write(env, in, in->rm, size, env->dr[n]);
        return;
    }
    uint64_t v = reg_read(env, in, in->rm, size);
    if (n >= 6 && (v >> 32)) {
        x86_raise_gp(cpu, 0);        /* the upper halves of DR6/DR7 are reserved (must be 0) */
    }
    /* Reserved bits keep their power-on values (DR6 0xffff0ff0: bits 4-11 and 16-31 set,
       12 clear; DR7: bit 10 set, 11, 12, 14 and 15 clear).  Breakpoints are stored, not
       acted on (#DB is not implemented). */
    env->dr[n] = n == 6 ? (v & 0xe00f) | 0xffff0ff0 : n == 7 ? (v & 0xffff23ff) | 0x400 : v;
}

HANDLER(op_rdmsr)
{
    CPUX86State *env = &cpu->env;
    uint64_t v;
    require_cpl0(cpu);
    if (!x86_rdmsr(cpu, (uint32_t)env->regs[R_ECX], &v)) {
        x86_raise_gp(cpu, 0);
    }
    env->regs[R_EAX] = (uint32_t)v;
    env->regs[R_EDX] = v >> 32;
}

HANDLER(op_wrmsr)
{
    CPUX86State *env = &cpu->env;
    require_cpl0(cpu);
    uint64_t v = (uint32_t)env->regs[R_EAX] | (env->regs[R_EDX] << 32);
    if (!x86_wrmsr(cpu, (uint32_t)env->regs[R_ECX], v)) {
        x86_raise_gp(cpu, 0);
    }
}

/* The TSC is the retired-instruction count plus an offset: deterministic by design. */
HANDLER(op_rdtsc)
{
    CPUX86State *env = &cpu->env;
    if ((env->cr[4] & (1u << 2)) && env->cpl != 0) {
        x86_raise_gp(cpu, 0);
    }
    uint64_t t = env->icount + env->tsc_offset;
    env->regs[R_EAX] = (uint32_t)t;
    env->regs[R_EDX] = t >> 32;
}

HANDLER(op_cpuid)
{
    CPUX86State *env = &cpu->env;
    uint32_t a, b, c, d;
    x86_cpuid(env, (uint32_t)env->regs[R_EAX], (uint32_t)env->regs[R_ECX], &a, &b, &c, &d);
    env->regs[R_EAX] = a;
    env->regs[R_EBX] = b;
    env->regs[R_ECX] = c;
    env->regs[R_EDX] = d;
}

static void set_fixed_seg(X86Seg *s, uint16_t sel, uint32_t flags)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffff;
    s->flags = flags | DESC_P | DESC_S | DESC_G;
}

HANDLER(op_syscall)
{
    CPUX86State *env = &cpu->env;
    if (!(env->efer & EFER_SCE) || !env->long_mode) {
        x86_raise_ud(cpu);           /* legacy-mode syscall is not implemented */
    }
    uint16_t sel = (env->star >> 32) & 0xfffc;
    env->regs[R_ECX] = cpu->next_rip;
    env->regs[R_R11] = x86_get_eflags(env) & ~(uint64_t)X86_RF;
    x86_set_eflags(env, env->eflags & ~env->fmask & ~(uint64_t)X86_RF);
    set_fixed_seg(&env->segs[R_CS], sel, DESC_L | (0xbu << DESC_TYPE_SHIFT));
    set_fixed_seg(&env->segs[R_SS], sel + 8, DESC_B | (3u << DESC_TYPE_SHIFT));
    x86_update_mode(env);
    cpu->next_rip = env->code_size == 8 ? env->lstar : (uint32_t)env->cstar;
}

HANDLER(op_sysret)
{
    CPUX86State *env = &cpu->env;
    if (!(env->efer & EFER_SCE) || !env->long_mode) {
        x86_raise_ud(cpu);
    }
    require_cpl0(cpu);
    uint16_t base = (env->star >> 48) & 0xfffc;
    bool to64 = in->opsize == 8;
    uint64_t rip = to64 ? env->regs[R_ECX] : (uint32_t)env->regs[R_ECX];
    if (to64 && (uint64_t)((int64_t)(rip << 16) >> 16) != rip) {
        x86_raise_gp(cpu, 0);
    }
    uint32_t dpl3 = 3u << DESC_DPL_SHIFT;
    if (to64) {
        set_fixed_seg(&env->segs[R_CS], (base + 16) | 3, DESC_L | dpl3 | (0xbu << DESC_TYPE_SHIFT));
    } else {
        set_fixed_seg(&env->segs[R_CS], base | 3, DESC_B | dpl3 | (0xbu << DESC_TYPE_SHIFT));
    }
    set_fixed_seg(&env->segs[R_SS], (base + 8) | 3, DESC_B | dpl3 | (3u << DESC_TYPE_SHIFT));
    x86_set_eflags(env, (env->regs[R_R11] & 0x3c7fd7) | 2);
    x86_update_mode(env);
    cpu->next_rip = rip;
}

HANDLER(op_clts)
{
    require_cpl0(cpu);
    cpu->env.cr[0] &= ~(uint64_t)CR0_TS;
}

/* wbinvd / invd: there are no caches to write back. */
HANDLER(op_wbinvd)
{
    require_cpl0(cpu);
}
