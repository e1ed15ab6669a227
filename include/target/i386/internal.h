/* Interpreter-internal types shared by the target/i386 sources: decoded insns, TLB, decode cache, helpers. */
#ifndef TARGET_I386_INTERNAL_H
#define TARGET_I386_INTERNAL_H

#include <glib.h>
#include <setjmp.h>
#include "target/i386/cpu.h"

typedef struct X86Insn X86Insn;
typedef void (*X86Handler)(X86CPU *cpu, const X86Insn *in);

#define X86_MAX_INSN_LEN 15
#define X86_NO_REG 0xff

/* Prefix flags recorded in X86Insn.pfx. */
#define PFX_66   0x01
#define PFX_67   0x02
#define PFX_LOCK 0x04
#define PFX_REPZ 0x08      /* F3 */
#define PFX_REPNZ 0x10     /* F2 */
#define PFX_REX  0x20

/* One decoded instruction; everything the handler needs, computed once. */
struct X86Insn {
    X86Handler fn;
    uint64_t imm;           /* sign-extended unless the form says otherwise */
    int32_t disp;
    uint16_t opc;           /* 0x000-0x0ff one-byte map, 0x100-0x1ff 0F map */
    uint16_t imm2;          /* enter level, far pointer selector */
    uint8_t len;
    uint8_t opsize;         /* 1, 2, 4 or 8 */
    uint8_t addrsize;       /* 2, 4 or 8 */
    uint8_t seg;            /* effective segment of the memory operand */
    uint8_t pfx;
    uint8_t rex;            /* low nibble of REX (WRXB) */
    uint8_t mod, reg, rm;   /* reg and rm already extended by REX */
    uint8_t base, index, scale;
    uint8_t riprel;
    uint8_t segovr;         /* segment-override prefix present */
    uint16_t off;           /* page offset, set when the decode cache stores it */
    uint16_t succ;          /* last non-sequential successor on the page: index + 1, or 0 */
    uint8_t seq;            /* X86_FLOW_*: how a chain may run it (exec-fast.c) */
    uint8_t run;            /* pure: how many pure instructions (this one included) follow
                               each other in the page's array in code order (tbcache.c) */
    uint32_t next;          /* the instruction right after this one on the page, as
                               (index + 1) * sizeof(X86Insn), or 0 while unknown (filled in
                               by the chain): one add from the page's array */
    X86Handler fn_run;      /* what a whole run (2 or more) calls: fn, or fn without its flag
                               update when later ones in the run overwrite those flags before
                               anything can read them (tbcache.c decides; the selector leaves
                               the candidate here) */
    uint8_t fl_r, fl_w;     /* PURE: arithmetic flags read / written (X86_FL_*) */
};

/* Arithmetic flags as X86Insn.fl_r / fl_w bits. */
enum { X86_FL_C = 1, X86_FL_P = 2, X86_FL_A = 4, X86_FL_Z = 8, X86_FL_S = 16, X86_FL_O = 32,
       X86_FL_ALL = 63 };

/*
 * X86Insn.seq.  CTRL: may branch (next_rip), change the mode or flush the TLB: the chain
 * checks everything after it.  SEQ: never branches, changes no mode and no TLB; may fault,
 * touch memory or devices (which may set exit_request), so env->rip/icount are stored before
 * it and exit_request is tested after it.  PURE: registers and flags only, cannot fault and
 * reads neither env->rip nor env->icount: the chain keeps both in registers across it.  MEM:
 * like PURE on its fast path (one access that hits the TLB in RAM); its slow path first sets
 * env->rip/icount from the run it is part of (x86_run_sync) and ends that run after it when
 * exit_request got set.  Runs of PURE and MEM instructions execute back to back.
 */
enum { X86_FLOW_CTRL, X86_FLOW_SEQ, X86_FLOW_PURE, X86_FLOW_MEM };

/* Decoder attribute bits (decode.c). */
#define A_MODRM 0x0001
#define A_BYTE  0x0002
#define A_D64   0x0004      /* default 64-bit operand size in long mode */
#define A_F64   0x0008      /* operand size forced to 64 in long mode */
#define A_I64   0x0010      /* invalid in 64-bit mode */
#define A_SSE   0x0020      /* 0F-map SSE row: handler chosen by the mandatory prefix */
#define A_IMM_SHIFT 8
enum { IMM_NONE, IMM_B, IMM_W, IMM_Z, IMM_V, IMM_WB, IMM_MOFFS, IMM_FAR, IMM_GRP3, IMM_UB };

typedef enum X86DecodeResult {
    X86_DEC_OK,
    X86_DEC_UD,            /* unknown or invalid encoding */
    X86_DEC_TOO_LONG,      /* over 15 bytes: #GP(0) */
    X86_DEC_SHORT,         /* ran out of bytes (caller must supply more) */
} X86DecodeResult;

/* Decode one instruction from buf (avail bytes) in a mode with the given code size. */
X86DecodeResult x86_decode(const uint8_t *buf, int avail, int code_size, X86Insn *in);
extern const X86Handler x86_handlers[512];
/* Handler of an SSE row of the 0F map for the given prefixes (exec-sse.c); NULL = #UD. */
X86Handler x86_sse_handler(int opc, int pfx);
/* A specialised handler for a hot form of a decoded instruction, or in->fn; also sets
   in->seq (exec-fast.c). */
X86Handler x86_fast_handler(X86Insn *in, int code_size);

/* Software TLB: direct mapped, one array per privilege (0 = supervisor, 1 = user). */
#define X86_TLB_BITS 8
#define X86_TLB_SIZE (1u << X86_TLB_BITS)
#define X86_TLB_INVALID 1ull   /* never a page-aligned address */
/* Fold higher address bits in so regions 1 MiB / 1 GiB apart do not share a slot. */
#define X86_TLB_INDEX(lin) ((unsigned)(((lin) >> 12) ^ ((lin) >> 20) ^ ((lin) >> 30)) & (X86_TLB_SIZE - 1))
typedef struct X86TLBEntry {
    uint64_t tag_r, tag_w, tag_x;  /* linear page or X86_TLB_INVALID */
    uint8_t *host;                 /* host page for RAM, NULL for MMIO */
    uint64_t ppage;
    bool host_w;                   /* host writes allowed (RAM and no cached code) */
    bool global;
} X86TLBEntry;

/* Decode cache of one guest-physical page. */
#define X86_CODE_PAGES 4096
typedef struct X86CodePage {
    uint64_t ppage;                /* tag; X86_TLB_INVALID when empty */
    uint16_t *slot;                /* 4096 entries: 0 = not decoded, else index + 1 */
    X86Insn *insns;
    uint32_t n, cap;
    int mode;                      /* code size the page was decoded with */
} X86CodePage;

struct X86CPU {
    CPUX86State env;
    X86MemOps ops;
    void *opaque;
    X86TLBEntry tlb[2][X86_TLB_SIZE];      /* data accesses */
    X86TLBEntry *dtlb;             /* tlb[x86_mmu_idx]: set by x86_cpu_exec before it runs
                                      anything, for the specialised handlers (exec-fast*.c) */
    /* The run of PURE/MEM instructions being executed (cpu.c): its first instruction, RIP and
       icount, and its last (a MEM slow path makes it end early when exit_request is set). */
    const X86Insn *run_first, *run_last;
    uint64_t run_rip, run_count;
    /* Host pointers of guest-physical pages (NULL: not RAM) for page walks and TLB fills
       (mmu.c), direct mapped: the board's memory layout changes only at a reset, and
       x86_cpu_reset empties it. */
    struct { uint64_t ppage; uint8_t *host; } ram_cache[64];
    X86TLBEntry itlb[2][X86_TLB_SIZE];     /* instruction fetches (tag_x only) */
    X86CodePage code[X86_CODE_PAGES];
    uint64_t next_rip;             /* set by the decoder loop, changed by branches */
    /* Last code page fetched from: skips the iTLB and page lookup while execution stays
       on one page.  Reset by every TLB flush and code invalidation. */
    uint64_t fetch_vpage;
    int fetch_idx, fetch_mode;
    X86CodePage *fetch_page;
    jmp_buf jmp;                   /* exceptions unwind to x86_cpu_exec */
    int exc_vector;
    uint32_t exc_error;
    bool exc_has_error;
    bool exc_is_soft;              /* int n / int3 / into: DPL check, rip after insn */
    bool stop_on_exception;
    bool break_enabled;
    uint64_t break_rip;
    bool stop_loop;                /* hlt and friends ask the loop to return */
    /* Set by whatever needs the outer loop's checks before the next instruction (hlt, an
       interrupt shadow, a pending interrupt, stop_loop): instruction chains test only this. */
    bool exit_request;
    bool exc_is_ext;               /* external interrupt (EXT bit in error codes) */
    int pending_irq;               /* external interrupt waiting for IF, or -1 */
    int deliv_vector;              /* event being delivered while exc_depth > 0 */
    int deliv_class;               /* its class: 0 benign, 1 contributory, 2 #PF */
    X86ExitReason stop_reason;
    X86UnimpLog unimp_log;
    void *unimp_opaque;
    X86ApicBaseWrite apic_base_write;   /* x86_cpu_set_apic */
    void *apic_opaque;
    X86ApicMsr apic_msr;           /* x86_cpu_set_apic_msr */
    void *apic_msr_opaque;
    X86IntrAck intr_ack;           /* x86_cpu_set_intr_ack: the INTA cycle, when the CPU takes */
    void *intr_ack_opaque;         /* INTR (pending_irq == X86_PENDING_INTA) */
    GHashTable *unimp_seen;        /* uint64_t * linear addresses already logged */
    uint64_t cache_hits, cache_misses, cache_invals;
    /* x86_cpu_set_profile: the next sample is due at icount prof_next (kept relative to
       the icount at the last return, prof_icount, so skips outside the loop do not count). */
    uint64_t prof_period, prof_next, prof_icount;
    X86ProfileHook prof_hook;
    void *prof_opaque;
};

/* pending_irq value for "the INTR pin is asserted": x86_deliver runs the board's INTA
   (cpu->intr_ack) for the vector when the interrupt is taken (x86_cpu_set_intr). */
#define X86_PENDING_INTA 256

/* Exceptions (excp.c). Raising never returns: it unwinds to the exec loop. */
_Noreturn void x86_raise(X86CPU *cpu, int vector, uint32_t err, bool has_err);
_Noreturn void x86_raise_soft(X86CPU *cpu, int vector);
_Noreturn void x86_raise_ud(X86CPU *cpu);
#define x86_raise_gp(cpu, e) x86_raise((cpu), EXCP_GP, (e), true)
bool x86_deliver(X86CPU *cpu);
void x86_iret(X86CPU *cpu, int opsize);

/* MMU (mmu.c). Accesses take linear addresses; "sup" forces a supervisor access. */
enum { ACC_R, ACC_W, ACC_X };
X86TLBEntry *x86_tlb_fill(X86CPU *cpu, uint64_t lin, int acc, int mmu_idx);
uint64_t x86_ld_slow(X86CPU *cpu, uint64_t lin, int size, int mmu_idx);
void x86_st_slow(X86CPU *cpu, uint64_t lin, int size, uint64_t val, int mmu_idx);
void x86_tlb_flush_all(X86CPU *cpu, bool keep_global);
void x86_tlb_flush_page(X86CPU *cpu, uint64_t lin);
void x86_tlb_protect_code(X86CPU *cpu, uint64_t ppage);

/* A MEM handler's slow path, before anything that may fault or reach a device: the state
   of its instruction, from the run's start (runs are 64-bit code on one page). */
static inline void x86_run_sync(X86CPU *cpu, const X86Insn *in)
{
    cpu->env.rip = cpu->run_rip + (uint16_t)(in->off - cpu->run_first->off);
    cpu->env.icount = cpu->run_count + (uint64_t)(in - cpu->run_first);
}

/* Decode cache (tbcache.c). */
const X86Insn *x86_fetch_insn(X86CPU *cpu, X86Insn *scratch);
/* The cached decode at a linear address on another page, when its iTLB entry and decoded
   page are already there (remembering that page); NULL otherwise.  Never faults. */
const X86Insn *x86_fetch_cached(X86CPU *cpu, uint64_t lin);
void x86_code_invalidate(X86CPU *cpu, uint64_t ppage);
bool x86_code_page_cached(X86CPU *cpu, uint64_t ppage);
/* #UD for an implemented opcode's unimplemented form, logged like a decode failure. */
_Noreturn void x86_raise_unimp(X86CPU *cpu, const X86Insn *in);
void x86_unimp_forget(X86CPU *cpu);

/* Flags (flags.c). */
uint32_t x86_compute_flags(const CPUX86State *env);
bool x86_cond(CPUX86State *env, int cc);
uint32_t x86_get_cf(const CPUX86State *env);
static inline uint32_t x86_parity(uint64_t v)
{
    return __builtin_parity((unsigned)(v & 0xff)) ? 0 : X86_PF;
}

/* Segments and system registers (seg.c, msr.c). */
void x86_load_seg(X86CPU *cpu, int seg, uint16_t sel);
void x86_load_seg_real(CPUX86State *env, int seg, uint16_t sel);
void x86_far_jump(X86CPU *cpu, uint16_t sel, uint64_t off);
void x86_load_cs_cpl(X86CPU *cpu, uint16_t sel, int cpl);
int x86_code_dpl(X86CPU *cpu, uint16_t sel);
void x86_load_sys_seg(X86CPU *cpu, bool is_tr, uint16_t sel);
bool x86_probe_desc(X86CPU *cpu, uint16_t sel, uint64_t *desc);
bool x86_rdmsr(X86CPU *cpu, uint32_t msr, uint64_t *val);
bool x86_wrmsr(X86CPU *cpu, uint32_t msr, uint64_t val);

static inline int x86_mmu_idx(const CPUX86State *env) { return env->cpl == 3; }

static inline uint64_t x86_mask(int size)
{
    return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static inline uint64_t x86_sext(uint64_t v, int size)
{
    switch (size) {
    case 1: return (uint64_t)(int64_t)(int8_t)v;
    case 2: return (uint64_t)(int64_t)(int16_t)v;
    case 4: return (uint64_t)(int64_t)(int32_t)v;
    default: return v;
    }
}

/* Memory access with the TLB fast path inlined. */
static inline uint64_t x86_ld_idx(X86CPU *cpu, uint64_t lin, int size, int idx)
{
    X86TLBEntry *e = &cpu->tlb[idx][X86_TLB_INDEX(lin)];
    if (__builtin_expect(e->tag_r == (lin & ~0xfffull) && e->host &&
                         (lin & 0xfff) + size <= 4096, 1)) {
        const uint8_t *p = e->host + (lin & 0xfff);
        switch (size) {
        case 1: return *p;
        case 2: { uint16_t v; __builtin_memcpy(&v, p, 2); return v; }
        case 4: { uint32_t v; __builtin_memcpy(&v, p, 4); return v; }
        default: { uint64_t v; __builtin_memcpy(&v, p, 8); return v; }
        }
    }
    return x86_ld_slow(cpu, lin, size, idx);
}

static inline void x86_st_idx(X86CPU *cpu, uint64_t lin, int size, uint64_t val, int idx)
{
    X86TLBEntry *e = &cpu->tlb[idx][X86_TLB_INDEX(lin)];
    if (__builtin_expect(e->tag_w == (lin & ~0xfffull) && e->host_w &&
                         (lin & 0xfff) + size <= 4096, 1)) {
        uint8_t *p = e->host + (lin & 0xfff);
        switch (size) {
        case 1: *p = (uint8_t)val; return;
        case 2: { uint16_t v = (uint16_t)val; __builtin_memcpy(p, &v, 2); return; }
        case 4: { uint32_t v = (uint32_t)val; __builtin_memcpy(p, &v, 4); return; }
        default: __builtin_memcpy(p, &val, 8); return;
        }
    }
    x86_st_slow(cpu, lin, size, val, idx);
}

static inline uint64_t x86_ld(X86CPU *cpu, uint64_t lin, int size)
{
    return x86_ld_idx(cpu, lin, size, x86_mmu_idx(&cpu->env));
}

static inline void x86_st(X86CPU *cpu, uint64_t lin, int size, uint64_t val)
{
    x86_st_idx(cpu, lin, size, val, x86_mmu_idx(&cpu->env));
}

/* Check a write would succeed before any state changes (for multi-part stores). */
void x86_probe_write(X86CPU *cpu, uint64_t lin, int size);

/* Segment base applied to an offset, truncated as the mode requires. */
static inline uint64_t x86_seg_lin(const CPUX86State *env, int seg, uint64_t off)
{
    if (env->code_size == 8) {
        return seg >= R_FS ? off + env->segs[seg].base : off;
    }
    return (uint32_t)(off + env->segs[seg].base);
}

#endif
