/* Operand access helpers shared by the instruction handler files (registers, effective addresses, stack). */
#ifndef TARGET_I386_EXEC_H
#define TARGET_I386_EXEC_H

#include "target/i386/internal.h"

#define HANDLER(name) void name(X86CPU *cpu, const X86Insn *in)

static inline uint64_t reg_read(const CPUX86State *env, const X86Insn *in, int r, int size)
{
    switch (size) {
    case 1:
        if (!(in->pfx & PFX_REX) && r >= 4 && r < 8) {
            return (env->regs[r - 4] >> 8) & 0xff;
        }
        return env->regs[r] & 0xff;
    case 2: return env->regs[r] & 0xffff;
    case 4: return (uint32_t)env->regs[r];
    default: return env->regs[r];
    }
}

static inline void reg_write(CPUX86State *env, const X86Insn *in, int r, int size, uint64_t v)
{
    switch (size) {
    case 1:
        if (!(in->pfx & PFX_REX) && r >= 4 && r < 8) {
            env->regs[r - 4] = (env->regs[r - 4] & ~0xff00ull) | ((v & 0xff) << 8);
        } else {
            env->regs[r] = (env->regs[r] & ~0xffull) | (v & 0xff);
        }
        return;
    case 2: env->regs[r] = (env->regs[r] & ~0xffffull) | (v & 0xffff); return;
    case 4: env->regs[r] = (uint32_t)v; return;
    default: env->regs[r] = v; return;
    }
}

/* Effective address (offset within the segment), truncated to the address size. */
static inline uint64_t insn_ea(X86CPU *cpu, const X86Insn *in)
{
    const CPUX86State *env = &cpu->env;
    uint64_t a = (uint64_t)(int64_t)in->disp;
    if (in->base != X86_NO_REG) {
        a += env->regs[in->base];
    }
    if (in->index != X86_NO_REG) {
        a += env->regs[in->index] << in->scale;
    }
    if (in->riprel) {
        /* env->rip is the current instruction's during its handler (64-bit mode: no wrap);
           sequential instructions are run without next_rip being set. */
        a += env->rip + in->len;
    }
    return in->addrsize == 8 ? a : in->addrsize == 4 ? (uint32_t)a : (uint16_t)a;
}

static inline uint64_t insn_lin(X86CPU *cpu, const X86Insn *in)
{
    return x86_seg_lin(&cpu->env, in->seg, insn_ea(cpu, in));
}

static inline uint64_t load_rm(X86CPU *cpu, const X86Insn *in, int size)
{
    if (in->mod == 3) {
        return reg_read(&cpu->env, in, in->rm, size);
    }
    return x86_ld(cpu, insn_lin(cpu, in), size);
}

static inline void store_rm(X86CPU *cpu, const X86Insn *in, int size, uint64_t v)
{
    if (in->mod == 3) {
        reg_write(&cpu->env, in, in->rm, size, v);
    } else {
        x86_st(cpu, insn_lin(cpu, in), size, v);
    }
}

static inline void set_cc(CPUX86State *env, int op, int size, uint64_t a, uint64_t b, uint64_t r)
{
    env->cc_op = op;
    env->cc_size = size;
    env->cc_src1 = a;
    env->cc_src2 = b;
    env->cc_dst = r;
}

/* CF of the lazy state, inline for the common ops (adc/sbb, inc/dec). */
static inline __attribute__((always_inline)) uint64_t fast_cf(const CPUX86State *env)
{
    switch (env->cc_op) {
    case CC_OP_EFLAGS: case CC_OP_INC: case CC_OP_DEC:     /* inc/dec keep it in eflags */
        return env->eflags & X86_CF;
    case CC_OP_LOGIC: return 0;
    case CC_OP_SUB:
        if (env->cc_size == 8) {
            return env->cc_src1 < env->cc_src2;
        }
        return env->cc_size == 4 ? (uint32_t)env->cc_src1 < (uint32_t)env->cc_src2
                                 : x86_get_cf(env);
    case CC_OP_ADD:
        if (env->cc_size == 8) {
            return env->cc_dst < env->cc_src1;
        }
        return env->cc_size == 4 ? (uint32_t)env->cc_dst < (uint32_t)env->cc_src1
                                 : x86_get_cf(env);
    default: return x86_get_cf(env);
    }
}

/* Store fully computed arithmetic flags (all six are replaced, so the lazy ones need not be). */
static inline void set_flags(CPUX86State *env, uint32_t f)
{
    env->eflags = (env->eflags & ~(uint64_t)X86_ARITH_FLAGS) | (f & X86_ARITH_FLAGS);
    env->cc_op = CC_OP_EFLAGS;
}

static inline uint64_t sp_mask(const CPUX86State *env)
{
    return env->stack_size == 8 ? ~0ull : env->stack_size == 4 ? 0xffffffffull : 0xffffull;
}

static inline void set_sp(CPUX86State *env, uint64_t v)
{
    uint64_t m = sp_mask(env);
    env->regs[R_ESP] = (env->regs[R_ESP] & ~m) | (v & m);
}

static inline void push(X86CPU *cpu, int size, uint64_t v)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = (env->regs[R_ESP] - size) & sp_mask(env);
    x86_st(cpu, x86_seg_lin(env, R_SS, sp), size, v);
    set_sp(env, sp);
}

static inline uint64_t pop(X86CPU *cpu, int size)
{
    CPUX86State *env = &cpu->env;
    uint64_t sp = env->regs[R_ESP] & sp_mask(env);
    uint64_t v = x86_ld(cpu, x86_seg_lin(env, R_SS, sp), size);
    set_sp(env, sp + size);
    return v;
}

/* Mask a branch target to the operand size outside 64-bit mode. */
static inline uint64_t branch_target(const CPUX86State *env, int opsize, uint64_t t)
{
    if (env->code_size == 8) {
        return t;
    }
    return opsize == 2 ? (uint16_t)t : (uint32_t)t;
}

static inline int cc_size_bits(int size) { return size * 8; }

/*
 * Forms of a memory operand the specialised 64-bit handlers are compiled for (exec-fast*.c):
 * base + disp, base + index * scale + disp, index * scale + disp and RIP-relative with
 * 64-bit addressing and no segment base (not FS/GS), or anything else through insn_lin.
 */
enum { EA_BD, EA_BISD, EA_ISD, EA_RIP, EA_GEN, EA_FORMS };
int x86_ea_form(const X86Insn *in);

static inline __attribute__((always_inline)) uint64_t ea_lin(X86CPU *cpu, const X86Insn *in,
                                                             const int form)
{
    const CPUX86State *env = &cpu->env;
    uint64_t d = (uint64_t)(int64_t)in->disp;
    switch (form) {
    case EA_BD: return env->regs[in->base] + d;
    case EA_BISD: return env->regs[in->base] + (env->regs[in->index] << in->scale) + d;
    case EA_ISD: return (env->regs[in->index] << in->scale) + d;
    case EA_RIP: return env->rip + in->len + d;
    default: return insn_lin(cpu, in);
    }
}

/*
 * Direct host access for the specialised handlers: a hit in the data TLB of the current
 * privilege (cpu->dtlb, set before every chain), RAM, within one page; false otherwise (the
 * caller then takes the full path: x86_ld/x86_st fill the TLB, fault, reach MMIO and catch
 * writes to cached code).
 */
static inline __attribute__((always_inline)) bool ld_probe(X86CPU *cpu, uint64_t lin, int size,
                                                           uint64_t *v)
{
    const X86TLBEntry *e = &cpu->dtlb[X86_TLB_INDEX(lin)];
    if (__builtin_expect(e->tag_r == (lin & ~0xfffull) && e->host &&
                         (lin & 0xfff) <= 4096u - (unsigned)size, 1)) {
        const uint8_t *p = e->host + (lin & 0xfff);
        switch (size) {
        case 1: *v = *p; break;
        case 2: { uint16_t t; __builtin_memcpy(&t, p, 2); *v = t; break; }
        case 4: { uint32_t t; __builtin_memcpy(&t, p, 4); *v = t; break; }
        default: __builtin_memcpy(v, p, 8); break;
        }
        return true;
    }
    return false;
}

static inline __attribute__((always_inline)) bool st_probe(X86CPU *cpu, uint64_t lin, int size,
                                                           uint64_t v)
{
    const X86TLBEntry *e = &cpu->dtlb[X86_TLB_INDEX(lin)];
    if (__builtin_expect(e->tag_w == (lin & ~0xfffull) && e->host_w &&
                         (lin & 0xfff) <= 4096u - (unsigned)size, 1)) {
        uint8_t *p = e->host + (lin & 0xfff);
        switch (size) {
        case 1: *p = (uint8_t)v; break;
        case 2: { uint16_t t = (uint16_t)v; __builtin_memcpy(p, &t, 2); break; }
        case 4: { uint32_t t = (uint32_t)v; __builtin_memcpy(p, &t, 4); break; }
        default: __builtin_memcpy(p, &v, 8); break;
        }
        return true;
    }
    return false;
}

static inline __attribute__((always_inline)) uint64_t host_ld(const uint8_t *p, int size)
{
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t t; __builtin_memcpy(&t, p, 2); return t; }
    case 4: { uint32_t t; __builtin_memcpy(&t, p, 4); return t; }
    default: { uint64_t t; __builtin_memcpy(&t, p, 8); return t; }
    }
}

static inline __attribute__((always_inline)) void host_st(uint8_t *p, int size, uint64_t v)
{
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t t = (uint16_t)v; __builtin_memcpy(p, &t, 2); break; }
    case 4: { uint32_t t = (uint32_t)v; __builtin_memcpy(p, &t, 4); break; }
    default: __builtin_memcpy(p, &v, 8); break;
    }
}

/* The host bytes of a location that may be read and then written directly, or NULL. */
static inline __attribute__((always_inline)) uint8_t *rmw_probe(X86CPU *cpu, uint64_t lin,
                                                                int size)
{
    const X86TLBEntry *e = &cpu->dtlb[X86_TLB_INDEX(lin)];
    if (__builtin_expect(e->tag_w == (lin & ~0xfffull) && e->host_w &&
                         (lin & 0xfff) <= 4096u - (unsigned)size, 1)) {
        return e->host + (lin & 0xfff);
    }
    return NULL;
}

/*
 * One handler per memory form from a body using `lin`, LD(size) and ST(size, value), and the
 * table name[EA_FORMS].  Each form is compiled twice: the handler, whose access only probes
 * the TLB (a body makes one access, before any other side effect, so on a miss it can hand
 * the whole instruction over), and a slow twin with x86_ld/x86_st that it tail-calls then;
 * the handler thus makes no call on its fast path and needs no stack frame.  The slow twin
 * of a form that runs hold (X86_FLOW_MEM) first sets env->rip/icount, and ends the run after
 * its instruction when the access made exit_request set (a device, a write to cached code).
 */
#define LD(size)                                                                       \
    (fast_ ? ({ uint64_t v_;                                                           \
                if (!ld_probe(cpu, lin, (size), &v_)) { slow_(cpu, in); return; }      \
                v_; })                                                                 \
           : x86_ld(cpu, lin, (size)))
#define ST(size, val)                                                                  \
    do {                                                                               \
        if (!fast_) {                                                                  \
            x86_st(cpu, lin, (size), (val));                                           \
        } else if (!st_probe(cpu, lin, (size), (val))) {                               \
            slow_(cpu, in);                                                            \
            return;                                                                    \
        }                                                                              \
    } while (0)
/* Read-modify-write of one location: RMW_LD checks (on the fast path) that the page is
   writable in RAM before reading, RMW_ST then writes the same bytes (it cannot fault). */
#define RMW_LD(size)                                                                   \
    (fast_ ? ({ if (!(rmw_ = rmw_probe(cpu, lin, (size)))) { slow_(cpu, in); return; }  \
                host_ld(rmw_, (size)); })                                              \
           : x86_ld(cpu, lin, (size)))
#define RMW_ST(size, val)                                                              \
    do {                                                                               \
        if (fast_) {                                                                   \
            host_st(rmw_, (size), (val));                                              \
        } else {                                                                       \
            x86_st(cpu, lin, (size), (val));                                           \
        }                                                                              \
    } while (0)
#define MEM_VARIANT(name, form, fast, slow, ...)                                       \
    {                                                                                  \
        CPUX86State *env = &cpu->env;                                                  \
        const bool fast_ = (fast), in_run_ = (form) <= EA_ISD;                         \
        void (*const slow_)(X86CPU *, const X86Insn *) = (slow);                       \
        uint8_t *rmw_ = NULL;                                                          \
        (void)rmw_;                                                                    \
        if (!fast_ && in_run_) {                                                       \
            x86_run_sync(cpu, in);                                                     \
        }                                                                              \
        const uint64_t lin = ea_lin(cpu, in, form);                                    \
        (void)env;                                                                     \
        (void)slow_;                                                                   \
        __VA_ARGS__                                                                    \
        if (!fast_ && in_run_ && cpu->exit_request) {                                  \
            cpu->run_last = in;                 /* the chain must look now */          \
        }                                                                              \
    }
#define MEM_FORM(name, sfx, form, ...)                                                 \
    static __attribute__((noinline, cold)) void name##_##sfx##_slow(X86CPU *cpu,       \
                                                                    const X86Insn *in) \
        MEM_VARIANT(name, form, false, NULL, __VA_ARGS__)                              \
    static HANDLER(name##_##sfx)                                                       \
        MEM_VARIANT(name, form, true, name##_##sfx##_slow, __VA_ARGS__)
/* The handler of a table for a form: runs can hold the forms without RIP or segment base
   (X86_FLOW_MEM; the others read env->rip or take the general path: X86_FLOW_SEQ). */
static inline X86Handler mem_sel(X86Insn *in, const X86Handler *tab, int form)
{
    if (form <= EA_ISD) {
        in->seq = X86_FLOW_MEM;
    }
    return tab[form];
}

#define MEM_HANDLERS(name, ...)                                                        \
    MEM_FORM(name, bd, EA_BD, __VA_ARGS__)                                             \
    MEM_FORM(name, bisd, EA_BISD, __VA_ARGS__)                                         \
    MEM_FORM(name, isd, EA_ISD, __VA_ARGS__)                                           \
    MEM_FORM(name, rip, EA_RIP, __VA_ARGS__)                                           \
    MEM_FORM(name, gen, EA_GEN, __VA_ARGS__)                                           \
    static const X86Handler name[EA_FORMS] = { name##_bd, name##_bisd, name##_isd,     \
                                               name##_rip, name##_gen };

/*
 * A PURE handler (X86_FLOW_PURE) with the arithmetic flags it reads and writes (X86_FL_*) and
 * its variant without the flag update (NULL: none): runs use that one where the flags are
 * dead.  A handler that reads flags must say so, or an earlier update could be dropped.
 */
static inline X86Handler pure_fl(X86Insn *in, X86Handler f, X86Handler nf, unsigned r,
                                 unsigned w)
{
    if (f) {
        in->seq = X86_FLOW_PURE;
        in->fl_r = (uint8_t)r;
        in->fl_w = (uint8_t)w;
        in->fn_run = nf ? nf : f;
    }
    return f;
}

/* A PURE handler that neither reads nor writes the arithmetic flags. */
static inline X86Handler pure(X86Insn *in, X86Handler f)
{
    return pure_fl(in, f, NULL, 0, 0);
}

/* The flags condition code cc reads. */
static inline unsigned cc_fl_reads(int cc)
{
    static const uint8_t r[8] = { X86_FL_O, X86_FL_C, X86_FL_Z, X86_FL_C | X86_FL_Z, X86_FL_S,
                                  X86_FL_P, X86_FL_S | X86_FL_O, X86_FL_Z | X86_FL_S | X86_FL_O };
    return r[(cc >> 1) & 7];
}

/* The specialised integer handler for a 64-bit-mode form, or NULL (exec-fast-alu.c). */
X86Handler x86_fast_alu(X86Insn *in);

/* Handlers (one group per file). */
HANDLER(op_alu); HANDLER(op_grp1); HANDLER(op_test); HANDLER(op_incdec_r); HANDLER(op_grp3);
HANDLER(op_grp4); HANDLER(op_grp5); HANDLER(op_grp2); HANDLER(op_shld); HANDLER(op_shrd);
HANDLER(op_imul_rm_imm); HANDLER(op_imul_r_rm); HANDLER(op_bt_r); HANDLER(op_bt_imm);
HANDLER(op_bsf); HANDLER(op_bsr); HANDLER(op_popcnt); HANDLER(op_movzx); HANDLER(op_movsx);
HANDLER(op_movsxd); HANDLER(op_lea); HANDLER(op_xchg); HANDLER(op_xchg_ax); HANDLER(op_cmpxchg);
HANDLER(op_xadd); HANDLER(op_grp9); HANDLER(op_bswap); HANDLER(op_setcc); HANDLER(op_cmovcc);
HANDLER(op_cbw); HANDLER(op_cwd); HANDLER(op_lahf); HANDLER(op_sahf); HANDLER(op_flagop);
HANDLER(op_mov_rm_r); HANDLER(op_mov_r_rm); HANDLER(op_mov_rm_imm); HANDLER(op_mov_r_imm);
HANDLER(op_mov_moffs); HANDLER(op_xlat);
HANDLER(op_push_r); HANDLER(op_pop_r); HANDLER(op_push_imm); HANDLER(op_pop_rm);
HANDLER(op_push_seg); HANDLER(op_pop_seg); HANDLER(op_pushf); HANDLER(op_popf);
HANDLER(op_pusha); HANDLER(op_popa);
HANDLER(op_jcc); HANDLER(op_jmp_rel); HANDLER(op_call_rel); HANDLER(op_ret); HANDLER(op_retf);
HANDLER(op_loop); HANDLER(op_enter); HANDLER(op_leave); HANDLER(op_int3); HANDLER(op_int);
HANDLER(op_into); HANDLER(op_int1); HANDLER(op_iret); HANDLER(op_hlt); HANDLER(op_jmpf);
HANDLER(op_callf); HANDLER(op_nop); HANDLER(op_ud);
HANDLER(op_movs); HANDLER(op_cmps); HANDLER(op_stos); HANDLER(op_lods); HANDLER(op_scas);
HANDLER(op_ins); HANDLER(op_outs); HANDLER(op_in); HANDLER(op_out);
HANDLER(op_mov_rm_sreg); HANDLER(op_mov_sreg_rm); HANDLER(op_grp6); HANDLER(op_grp7);
HANDLER(op_lar); HANDLER(op_lsl);
HANDLER(op_mov_cr); HANDLER(op_mov_dr); HANDLER(op_rdmsr); HANDLER(op_wrmsr); HANDLER(op_rdtsc);
HANDLER(op_cpuid); HANDLER(op_syscall); HANDLER(op_sysret); HANDLER(op_clts); HANDLER(op_wbinvd);
HANDLER(op_grp15); HANDLER(op_fpu); HANDLER(op_fwait);

#endif
