/* String instructions (movs, cmps, stos, lods, scas, ins, outs) with rep prefixes, and port I/O. */
#include <string.h>
#include "target/i386/exec.h"

/* At most this many iterations per dispatch, so interrupts and limits are honoured. */
#define REP_CHUNK 4096

typedef struct StrCtx {
    uint64_t am;        /* address-size mask */
    int64_t step;
    bool rep;
    uint64_t n;
} StrCtx;

static bool str_begin(X86CPU *cpu, const X86Insn *in, StrCtx *c)
{
    CPUX86State *env = &cpu->env;
    c->am = x86_mask(in->addrsize);
    c->step = (env->eflags & X86_DF) ? -(int64_t)in->opsize : in->opsize;
    c->rep = (in->pfx & (PFX_REPZ | PFX_REPNZ)) != 0;
    c->n = c->rep ? env->regs[R_ECX] & c->am : 1;
    return c->n != 0;
}

static void adv(CPUX86State *env, const X86Insn *in, int r, const StrCtx *c)
{
    reg_write(env, in, r, in->addrsize, (env->regs[r] + c->step) & c->am);
}

/* After one iteration: returns true to continue. cond: 0 none, 1 check ZF per prefix. */
static bool str_next(X86CPU *cpu, const X86Insn *in, StrCtx *c, unsigned it, bool cond)
{
    CPUX86State *env = &cpu->env;
    if (!c->rep) {
        return false;
    }
    reg_write(env, in, R_ECX, in->addrsize, (env->regs[R_ECX] - 1) & c->am);
    if (--c->n == 0) {
        return false;
    }
    if (cond) {
        bool zf = x86_cond(env, 4);
        if ((in->pfx & PFX_REPZ) ? !zf : zf) {
            return false;
        }
    }
    if (it >= REP_CHUNK) {
        cpu->next_rip = env->rip;      /* resume the same instruction later */
        return false;
    }
    return true;
}

static uint64_t src_lin(CPUX86State *env, const X86Insn *in, const StrCtx *c)
{
    return x86_seg_lin(env, in->seg, env->regs[R_ESI] & c->am);
}

static uint64_t dst_lin(CPUX86State *env, const StrCtx *c)
{
    return x86_seg_lin(env, R_ES, env->regs[R_EDI] & c->am);
}

/*
 * Bulk rep movs/stos: how many whole elements at lin are in one RAM page the TLB already
 * maps for this access (for a write: dirty, and no cached code on it), up to max; 0 sends
 * the caller to the one-element path, which fills the TLB, takes faults and reaches MMIO
 * and self-modifying-code handling exactly as before.
 */
static uint64_t host_room(X86CPU *cpu, uint64_t lin, int size, uint64_t max, bool write,
                          uint8_t **p)
{
    const X86TLBEntry *e = &cpu->tlb[x86_mmu_idx(&cpu->env)][X86_TLB_INDEX(lin)];
    uint64_t page = lin & ~0xfffull;
    if (write ? e->tag_w != page || !e->host_w : e->tag_r != page || !e->host) {
        return 0;
    }
    uint64_t room = (4096 - (lin & 0xfff)) / (unsigned)size;
    *p = e->host + (lin & 0xfff);
    return room < max ? room : max;
}

/* Elements a bulk step may do: forward, 64-bit addresses (no wrap), within the chunk. */
static uint64_t bulk_max(const X86Insn *in, const StrCtx *c, unsigned it)
{
    if (!c->rep || c->step < 0 || in->addrsize != 8) {
        return 0;
    }
    uint64_t left = REP_CHUNK - it + 1;
    return c->n < left ? c->n : left;
}

/* After k elements done in bulk from iteration it: false when the instruction is finished
   or the chunk is used up (then it resumes later), as str_next does for one. */
static bool bulk_next(X86CPU *cpu, const X86Insn *in, StrCtx *c, unsigned *it, uint64_t k)
{
    CPUX86State *env = &cpu->env;
    env->regs[R_ECX] -= k;
    c->n -= k;
    if (c->n == 0) {
        return false;
    }
    *it += (unsigned)k - 1;
    if (*it >= REP_CHUNK) {
        cpu->next_rip = env->rip;
        return false;
    }
    return true;
}

/* rep movs forward through host memory, element by element (exact for overlaps). */
static uint64_t movs_bulk(X86CPU *cpu, const X86Insn *in, StrCtx *c, unsigned it)
{
    CPUX86State *env = &cpu->env;
    uint8_t *s, *d;
    int size = in->opsize;
    uint64_t k = bulk_max(in, c, it);
    k = k ? host_room(cpu, src_lin(env, in, c), size, k, false, &s) : 0;
    k = k ? host_room(cpu, dst_lin(env, c), size, k, true, &d) : 0;
    if (!k) {
        return 0;
    }
    for (uint64_t i = 0; i < k * (unsigned)size; i += (unsigned)size) {
        uint64_t v;
        memcpy(&v, s + i, (size_t)size);
        memcpy(d + i, &v, (size_t)size);
    }
    env->regs[R_ESI] += k * (unsigned)size;
    env->regs[R_EDI] += k * (unsigned)size;
    return k;
}

static uint64_t stos_bulk(X86CPU *cpu, const X86Insn *in, StrCtx *c, unsigned it, uint64_t v)
{
    CPUX86State *env = &cpu->env;
    uint8_t *d;
    int size = in->opsize;
    uint64_t k = bulk_max(in, c, it);
    k = k ? host_room(cpu, dst_lin(env, c), size, k, true, &d) : 0;
    if (!k) {
        return 0;
    }
    if (size == 1) {
        memset(d, (int)(v & 0xff), k);
    } else {
        for (uint64_t i = 0; i < k * (unsigned)size; i += (unsigned)size) {
            memcpy(d + i, &v, (size_t)size);
        }
    }
    env->regs[R_EDI] += k * (unsigned)size;
    return k;
}

HANDLER(op_movs)
{
    CPUX86State *env = &cpu->env;
    StrCtx c;
    if (!str_begin(cpu, in, &c)) {
        return;
    }
    for (unsigned it = 1;; it++) {
        uint64_t k = movs_bulk(cpu, in, &c, it);
        if (k) {
            if (!bulk_next(cpu, in, &c, &it, k)) {
                return;
            }
            continue;
        }
        uint64_t v = x86_ld(cpu, src_lin(env, in, &c), in->opsize);
        x86_st(cpu, dst_lin(env, &c), in->opsize, v);
        adv(env, in, R_ESI, &c);
        adv(env, in, R_EDI, &c);
        if (!str_next(cpu, in, &c, it, false)) {
            return;
        }
    }
}

HANDLER(op_stos)
{
    CPUX86State *env = &cpu->env;
    StrCtx c;
    if (!str_begin(cpu, in, &c)) {
        return;
    }
    uint64_t v = reg_read(env, in, R_EAX, in->opsize);
    for (unsigned it = 1;; it++) {
        uint64_t k = stos_bulk(cpu, in, &c, it, v);
        if (k) {
            if (!bulk_next(cpu, in, &c, &it, k)) {
                return;
            }
            continue;
        }
        x86_st(cpu, dst_lin(env, &c), in->opsize, v);
        adv(env, in, R_EDI, &c);
        if (!str_next(cpu, in, &c, it, false)) {
            return;
        }
    }
}

HANDLER(op_lods)
{
    CPUX86State *env = &cpu->env;
    StrCtx c;
    if (!str_begin(cpu, in, &c)) {
        return;
    }
    for (unsigned it = 1;; it++) {
        reg_write(env, in, R_EAX, in->opsize, x86_ld(cpu, src_lin(env, in, &c), in->opsize));
        adv(env, in, R_ESI, &c);
        if (!str_next(cpu, in, &c, it, false)) {
            return;
        }
    }
}

HANDLER(op_cmps)
{
    CPUX86State *env = &cpu->env;
    StrCtx c;
    if (!str_begin(cpu, in, &c)) {
        return;
    }
    for (unsigned it = 1;; it++) {
        uint64_t a = x86_ld(cpu, src_lin(env, in, &c), in->opsize);
        uint64_t b = x86_ld(cpu, dst_lin(env, &c), in->opsize);
        set_cc(env, CC_OP_SUB, in->opsize, a, b, a - b);
        adv(env, in, R_ESI, &c);
        adv(env, in, R_EDI, &c);
        if (!str_next(cpu, in, &c, it, true)) {
            return;
        }
    }
}

HANDLER(op_scas)
{
    CPUX86State *env = &cpu->env;
    StrCtx c;
    if (!str_begin(cpu, in, &c)) {
        return;
    }
    uint64_t a = reg_read(env, in, R_EAX, in->opsize);
    for (unsigned it = 1;; it++) {
        uint64_t b = x86_ld(cpu, dst_lin(env, &c), in->opsize);
        set_cc(env, CC_OP_SUB, in->opsize, a, b, a - b);
        adv(env, in, R_EDI, &c);
        if (!str_next(cpu, in, &c, it, true)) {
            return;
        }
    }
}

/* I/O privilege: CPL <= IOPL in protected mode (the TSS I/O bitmap is not consulted). */
static void io_check(X86CPU *cpu)
{
    CPUX86State *env = &cpu->env;
    if ((env->cr[0] & CR0_PE) &&
        (env->cpl > (int)((env->eflags & X86_IOPL) >> 12) || (env->eflags & X86_VM))) {
        x86_raise_gp(cpu, 0);
    }
}

static uint32_t port_in(X86CPU *cpu, uint16_t port, int size)
{
    if (!cpu->ops.pio_in) {
        return (uint32_t)x86_mask(size);
    }
    return cpu->ops.pio_in(cpu->opaque, port, (unsigned)size) & (uint32_t)x86_mask(size);
}

static void port_out(X86CPU *cpu, uint16_t port, int size, uint32_t v)
{
    if (cpu->ops.pio_out) {
        cpu->ops.pio_out(cpu->opaque, port, v & (uint32_t)x86_mask(size), (unsigned)size);
    }
}

HANDLER(op_in)
{
    int size = in->opsize == 8 ? 4 : in->opsize;
    uint16_t port = (in->opc & 8) ? (uint16_t)cpu->env.regs[R_EDX] : (uint16_t)in->imm;
    io_check(cpu);
    reg_write(&cpu->env, in, R_EAX, size, port_in(cpu, port, size));
}

HANDLER(op_out)
{
    int size = in->opsize == 8 ? 4 : in->opsize;
    uint16_t port = (in->opc & 8) ? (uint16_t)cpu->env.regs[R_EDX] : (uint16_t)in->imm;
    io_check(cpu);
    port_out(cpu, port, size, (uint32_t)reg_read(&cpu->env, in, R_EAX, size));
}

HANDLER(op_ins)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize == 8 ? 4 : in->opsize;
    StrCtx c;
    io_check(cpu);
    if (!str_begin(cpu, in, &c)) {
        return;
    }
    c.step = (env->eflags & X86_DF) ? -size : size;
    for (unsigned it = 1;; it++) {
        uint64_t lin = dst_lin(env, &c);
        x86_probe_write(cpu, lin, size);
        x86_st(cpu, lin, size, port_in(cpu, (uint16_t)env->regs[R_EDX], size));
        adv(env, in, R_EDI, &c);
        if (!str_next(cpu, in, &c, it, false)) {
            return;
        }
    }
}

HANDLER(op_outs)
{
    CPUX86State *env = &cpu->env;
    int size = in->opsize == 8 ? 4 : in->opsize;
    StrCtx c;
    io_check(cpu);
    if (!str_begin(cpu, in, &c)) {
        return;
    }
    c.step = (env->eflags & X86_DF) ? -size : size;
    for (unsigned it = 1;; it++) {
        uint32_t v = (uint32_t)x86_ld(cpu, src_lin(env, in, &c), size);
        port_out(cpu, (uint16_t)env->regs[R_EDX], size, v);
        adv(env, in, R_ESI, &c);
        if (!str_next(cpu, in, &c, it, false)) {
            return;
        }
    }
}
