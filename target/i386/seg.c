/* Segment register loading from the GDT/LDT (protected and long mode) and from selectors (real mode). */
#include "target/i386/internal.h"

/* Read the 8-byte descriptor for sel; raises #GP(sel) when outside the table. */
static uint64_t read_desc(X86CPU *cpu, uint16_t sel, uint64_t *addr)
{
    CPUX86State *env = &cpu->env;
    uint64_t base = (sel & 4) ? env->ldt.base : env->gdt.base;
    uint32_t limit = (sel & 4) ? env->ldt.limit : env->gdt.limit;
    if ((uint32_t)(sel & ~7) + 7 > limit) {
        x86_raise_gp(cpu, sel & 0xfffc);
    }
    *addr = base + (sel & ~7);
    return x86_ld_idx(cpu, *addr, 8, 0);
}

static void desc_to_seg(X86Seg *s, uint16_t sel, uint64_t d)
{
    uint32_t lo = (uint32_t)d, hi = (uint32_t)(d >> 32);
    s->sel = sel;
    s->base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
    s->limit = (lo & 0xffff) | (hi & 0xf0000);
    if (hi & DESC_G) {
        s->limit = (s->limit << 12) | 0xfff;
    }
    s->flags = hi & 0x00f0ff00;
}

void x86_load_seg_real(CPUX86State *env, int seg, uint16_t sel)
{
    env->segs[seg].sel = sel;
    env->segs[seg].base = (uint32_t)sel << 4;
    if (seg == R_CS || seg == R_SS) {
        x86_update_mode(env);
    }
}

static void set_accessed(X86CPU *cpu, uint64_t addr, uint64_t d)
{
    if (!(d & (1ull << 40))) {
        x86_st_idx(cpu, addr + 5, 1, (d >> 40) | 1, 0);
    }
}

/* Load a data or stack segment register (mov/pop sreg, lds...) with protection checks. */
void x86_load_seg(X86CPU *cpu, int seg, uint16_t sel)
{
    CPUX86State *env = &cpu->env;
    if (!(env->cr[0] & CR0_PE) || (env->eflags & X86_VM)) {
        x86_load_seg_real(env, seg, sel);
        return;
    }
    if ((sel & 0xfffc) == 0) {
        if (seg == R_SS && !(env->code_size == 8 && env->cpl != 3)) {
            x86_raise_gp(cpu, 0);
        }
        env->segs[seg].sel = sel;
        env->segs[seg].base = 0;
        env->segs[seg].limit = 0;
        env->segs[seg].flags = 0;      /* unusable */
        return;
    }
    uint64_t addr, d = read_desc(cpu, sel, &addr);
    uint32_t hi = (uint32_t)(d >> 32);
    int type = (hi >> 8) & 0xf, dpl = (hi >> 13) & 3, rpl = sel & 3;
    if (!(hi & DESC_S)) {
        x86_raise_gp(cpu, sel & 0xfffc);
    }
    if (seg == R_SS) {
        if ((type & 0xa) != 2 || rpl != env->cpl || dpl != env->cpl) {
            x86_raise_gp(cpu, sel & 0xfffc);
        }
    } else if ((type & 0xa) == 8) {  /* execute-only code */
        x86_raise_gp(cpu, sel & 0xfffc);
    }
    if (!(hi & DESC_P)) {
        x86_raise(cpu, seg == R_SS ? EXCP_SS : EXCP_NP, sel & 0xfffc, true);
    }
    set_accessed(cpu, addr, d);
    desc_to_seg(&env->segs[seg], sel, d);
    if (seg == R_SS) {
        x86_update_mode(env);
    }
}

/* Load CS for a far transfer to privilege level of the target (non-conforming code only). */
static void load_cs(X86CPU *cpu, uint16_t sel, int new_cpl)
{
    CPUX86State *env = &cpu->env;
    if ((sel & 0xfffc) == 0) {
        x86_raise_gp(cpu, 0);
    }
    uint64_t addr, d = read_desc(cpu, sel, &addr);
    uint32_t hi = (uint32_t)(d >> 32);
    if (!(hi & DESC_S) || !(hi & (8u << DESC_TYPE_SHIFT))) {
        x86_raise_gp(cpu, sel & 0xfffc);
    }
    if (!(hi & DESC_P)) {
        x86_raise(cpu, EXCP_NP, sel & 0xfffc, true);
    }
    set_accessed(cpu, addr, d);
    desc_to_seg(&env->segs[R_CS], (sel & 0xfffc) | new_cpl, d);
    x86_update_mode(env);
}

/*
 * Privilege rules of a direct far jmp/call (and a same-privilege retf, whose RPL is the CPL):
 * a conforming code segment needs DPL <= CPL, a non-conforming one DPL == CPL and
 * RPL <= CPL; else #GP(selector).  Gates (system descriptors) fail in load_cs: call gates
 * are not implemented.
 */
static void check_same_priv_cs(X86CPU *cpu, uint16_t sel)
{
    const CPUX86State *env = &cpu->env;
    if ((sel & 0xfffc) == 0) {
        x86_raise_gp(cpu, 0);
    }
    uint64_t addr, d = read_desc(cpu, sel, &addr);
    uint32_t hi = (uint32_t)(d >> 32);
    int dpl = (hi >> 13) & 3, rpl = sel & 3;
    if (!(hi & DESC_S) || !(hi & (8u << DESC_TYPE_SHIFT))) {
        return;                              /* load_cs raises #GP(sel) */
    }
    bool conforming = hi & (4u << DESC_TYPE_SHIFT);
    if (conforming ? dpl > env->cpl : (dpl != env->cpl || rpl > env->cpl)) {
        x86_raise_gp(cpu, sel & 0xfffc);
    }
}

void x86_far_jump(X86CPU *cpu, uint16_t sel, uint64_t off)
{
    CPUX86State *env = &cpu->env;
    if (!(env->cr[0] & CR0_PE) || (env->eflags & X86_VM)) {
        x86_load_seg_real(env, R_CS, sel);
        cpu->next_rip = (uint32_t)off;
        return;
    }
    check_same_priv_cs(cpu, sel);
    load_cs(cpu, sel, env->cpl);
    cpu->next_rip = env->code_size == 8 ? off : (uint32_t)off;
}

/* Public wrapper for exception delivery and iret (excp.c). */
void x86_load_cs_cpl(X86CPU *cpu, uint16_t sel, int cpl)
{
    load_cs(cpu, sel, cpl);
}

/* The DPL of the code segment sel (target privilege of a gate). */
int x86_code_dpl(X86CPU *cpu, uint16_t sel)
{
    if ((sel & 0xfffc) == 0) {
        x86_raise_gp(cpu, 0);
    }
    uint64_t addr, d = read_desc(cpu, sel, &addr);
    return (int)((d >> 45) & 3);
}

/*
 * The descriptor lar/lsl/verr/verw examine: false for a null selector or one past the
 * GDT/LDT limit (those clear ZF instead of faulting); the table read itself may #PF.
 */
bool x86_probe_desc(X86CPU *cpu, uint16_t sel, uint64_t *desc)
{
    CPUX86State *env = &cpu->env;
    uint64_t base = (sel & 4) ? env->ldt.base : env->gdt.base;
    uint32_t limit = (sel & 4) ? env->ldt.limit : env->gdt.limit;
    if ((sel & 0xfffc) == 0 || (uint32_t)(sel & ~7) + 7 > limit) {
        return false;
    }
    *desc = x86_ld_idx(cpu, base + (sel & ~7), 8, 0);
    return true;
}

/* lldt / ltr: system descriptors, 16 bytes in long mode. */
void x86_load_sys_seg(X86CPU *cpu, bool is_tr, uint16_t sel)
{
    CPUX86State *env = &cpu->env;
    X86Seg *s = is_tr ? &env->tr : &env->ldt;
    if ((sel & 0xfffc) == 0 && !is_tr) {
        s->sel = sel;
        s->base = 0;
        s->limit = 0;
        return;
    }
    if ((sel & 0xfffc) == 0 || (sel & 4)) {
        x86_raise_gp(cpu, sel & 0xfffc);
    }
    uint64_t addr, d = read_desc(cpu, sel, &addr);
    uint32_t hi = (uint32_t)(d >> 32);
    int type = (hi >> 8) & 0xf;
    if ((hi & DESC_S) || (is_tr ? (type != 9 && type != 1) : type != 2)) {
        x86_raise_gp(cpu, sel & 0xfffc);
    }
    if (!(hi & DESC_P)) {
        x86_raise(cpu, EXCP_NP, sel & 0xfffc, true);
    }
    desc_to_seg(s, sel, d);
    if (env->long_mode) {
        s->base |= x86_ld_idx(cpu, addr + 8, 4, 0) << 32;
    }
    if (is_tr) {
        x86_st_idx(cpu, addr + 5, 1, ((d >> 40) & 0xff) | 2, 0);   /* mark busy */
    }
}
