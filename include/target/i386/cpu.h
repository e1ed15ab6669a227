/* Architectural state of one x86-64 CPU and the interface the machine supplies for memory and ports. */
#ifndef TARGET_I386_CPU_H
#define TARGET_I386_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* General register numbers (ModRM/REX order). */
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI,
       R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15 };

/* Segment register numbers (ModRM sreg order). */
enum { R_ES, R_CS, R_SS, R_DS, R_FS, R_GS, X86_NSEGS };

/* RFLAGS bits. */
#define X86_CF   0x0001u
#define X86_PF   0x0004u
#define X86_AF   0x0010u
#define X86_ZF   0x0040u
#define X86_SF   0x0080u
#define X86_TF   0x0100u
#define X86_IF   0x0200u
#define X86_DF   0x0400u
#define X86_OF   0x0800u
#define X86_IOPL 0x3000u
#define X86_NT   0x4000u
#define X86_RF   0x10000u
#define X86_VM   0x20000u
#define X86_AC   0x40000u
#define X86_ID   0x200000u
#define X86_ARITH_FLAGS (X86_CF | X86_PF | X86_AF | X86_ZF | X86_SF | X86_OF)

/* Control register bits used by the interpreter. */
#define CR0_PE (1u << 0)
#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_ET (1u << 4)
#define CR0_NE (1u << 5)
#define CR0_WP (1u << 16)
#define CR0_AM (1u << 18)
#define CR0_NW (1u << 29)
#define CR0_CD (1u << 30)
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define CR4_PAE (1u << 5)
#define CR4_PGE (1u << 7)
#define CR4_OSFXSR (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define EFER_SCE (1u << 0)
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define EFER_NXE (1u << 11)

/* Cached descriptor flags: the descriptor's high dword masked with 0x00f0ff00. */
#define DESC_TYPE_SHIFT 8
#define DESC_S   (1u << 12)
#define DESC_DPL_SHIFT 13
#define DESC_P   (1u << 15)
#define DESC_L   (1u << 21)
#define DESC_B   (1u << 22)
#define DESC_G   (1u << 23)

/* Exception vectors. */
enum { EXCP_DE = 0, EXCP_DB = 1, EXCP_NMI = 2, EXCP_BP = 3, EXCP_OF = 4, EXCP_BR = 5,
       EXCP_UD = 6, EXCP_NM = 7, EXCP_DF = 8, EXCP_TS = 10, EXCP_NP = 11, EXCP_SS = 12,
       EXCP_GP = 13, EXCP_PF = 14, EXCP_MF = 16, EXCP_AC = 17, EXCP_MC = 18, EXCP_XM = 19 };

/* #PF error code bits. */
#define PF_P    (1u << 0)
#define PF_W    (1u << 1)
#define PF_U    (1u << 2)
#define PF_RSVD (1u << 3)
#define PF_I    (1u << 4)

/* MSR numbers the interpreter implements. */
#define MSR_IA32_TSC            0x10
#define MSR_IA32_PLATFORM_ID    0x17    /* Intel: read as 0 (Linux's microcode code reads it) */
#define MSR_IA32_APICBASE       0x1b
#define MSR_IA32_TSC_DEADLINE   0x6e0   /* the board's Local APIC (x86_cpu_set_apic_msr) */
#define MSR_IA32_UCODE_REV      0x8b    /* Intel: revision 0, writes ignored */
#define MSR_IA32_MISC_ENABLE    0x1a0
#define MSR_IA32_SYSENTER_CS    0x174
#define MSR_IA32_SYSENTER_ESP   0x175
#define MSR_IA32_SYSENTER_EIP   0x176
#define MSR_IA32_PAT            0x277
#define MSR_EFER                0xc0000080
#define MSR_STAR                0xc0000081
#define MSR_LSTAR               0xc0000082
#define MSR_CSTAR               0xc0000083
#define MSR_FMASK               0xc0000084
#define MSR_FS_BASE             0xc0000100
#define MSR_GS_BASE             0xc0000101
#define MSR_KERNEL_GS_BASE      0xc0000102
#define MSR_TSC_AUX             0xc0000103

typedef struct X86Seg {
    uint16_t sel;
    uint64_t base;
    uint32_t limit;         /* byte-granular (G already applied) */
    uint32_t flags;         /* DESC_* bits */
} X86Seg;

typedef struct X86DTable {
    uint64_t base;
    uint32_t limit;
} X86DTable;

/* An 80-bit x87 register kept as raw bytes until the FPU is implemented. */
typedef struct X86FpReg {
    uint64_t mant;
    uint16_t exp;
} X86FpReg;

typedef struct X86XmmReg {
    uint64_t q[2];
} X86XmmReg;

/*
 * Lazy flags: after most ALU ops only the operands and the result are stored; the
 * arithmetic RFLAGS bits are computed when somebody reads them (x86_get_eflags).
 */
enum X86CCOp { CC_OP_EFLAGS, CC_OP_ADD, CC_OP_ADC, CC_OP_SUB, CC_OP_SBB,
               CC_OP_LOGIC, CC_OP_INC, CC_OP_DEC,
               /* shl/shr/sar with a non-zero count: cc_src1 = operand, cc_src2 = count */
               CC_OP_SHL, CC_OP_SHR, CC_OP_SAR,
               /* imul: cc_dst = the result, cc_src2 = 1 when it overflowed (CF = OF) */
               CC_OP_IMUL,
               /* rol/ror by a constant: CF and OF in cc_rot, the other four still those of
                  the op before (cc_rot_prev, with its operands left in place) */
               CC_OP_ROT };

typedef struct CPUX86State {
    uint64_t regs[16];
    uint64_t rip;
    uint64_t eflags;        /* arithmetic bits valid only when cc_op == CC_OP_EFLAGS */
    uint32_t cc_op;
    uint32_t cc_size;       /* operand size in bytes of the lazy op */
    uint64_t cc_src1, cc_src2, cc_dst;
    uint32_t cc_rot_prev, cc_rot;   /* CC_OP_ROT: the op under it, its CF and OF */

    X86Seg segs[X86_NSEGS];
    X86Seg ldt, tr;
    X86DTable gdt, idt;
    uint64_t cr[9];         /* cr[0], cr[2], cr[3], cr[4], cr[8] are meaningful */
    uint64_t efer;
    uint64_t dr[8];

    uint64_t star, lstar, cstar, fmask, kernel_gs_base, tsc_aux;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t apic_base, pat, misc_enable;
    uint64_t tsc_offset;
    /* The CPU model's board-given part (x86_cpu_set_apic), kept across x86_cpu_reset. */
    bool apic_present;      /* CPUID.1:EDX.APIC, IA32_APIC_BASE checked and forwarded */
    uint8_t apic_id;        /* CPUID.1:EBX[31:24] (the initial APIC id) */

    /* x87 / SSE state, kept for fxsave/fxrstor (not executed yet). */
    X86FpReg fpregs[8];
    uint16_t fcw, fsw, ftw, fop;
    uint64_t fip, fdp;
    uint32_t mxcsr;
    X86XmmReg xmm[16];

    /* Derived mode, recomputed by x86_update_mode() whenever CR0/EFER/CS change. */
    int cpl;
    int code_size;          /* 2, 4 or 8 */
    int stack_size;         /* 2, 4 or 8 */
    bool long_mode;         /* EFER.LMA */
    uint32_t mode_epoch;    /* bumped by every x86_update_mode() */

    bool halted;
    bool intr_shadow;       /* after mov ss / sti: no interrupt before the next insn */
    bool nmi_pending;       /* an NMI was raised and not delivered yet (at most one waits) */
    bool nmi_blocked;       /* from NMI delivery until the next iret */
    int exc_depth;          /* nesting of exception delivery, for #DF / triple fault */
    uint64_t icount;        /* retired instructions: the virtual clock */
} CPUX86State;

/*
 * How the CPU reaches the machine.  All callbacks take the machine's opaque pointer.
 * ram_ptr returns a host pointer to the start of the 4 KiB guest-physical page that
 * contains paddr when it is plain RAM (the fast path), or NULL for MMIO / holes.
 */
typedef struct X86MemOps {
    uint64_t (*read)(void *opaque, uint64_t paddr, unsigned size);
    void (*write)(void *opaque, uint64_t paddr, uint64_t val, unsigned size);
    uint8_t *(*ram_ptr)(void *opaque, uint64_t paddr);
    uint32_t (*pio_in)(void *opaque, uint16_t port, unsigned size);
    void (*pio_out)(void *opaque, uint16_t port, uint32_t val, unsigned size);
} X86MemOps;

/* Why x86_cpu_exec returned. */
typedef enum X86ExitReason {
    X86_EXIT_LIMIT,         /* executed the requested number of instructions */
    X86_EXIT_HLT,           /* hlt with interrupts that cannot arrive here */
    X86_EXIT_EXCEPTION,     /* stop_on_exception set and an exception was raised */
    X86_EXIT_TRIPLE_FAULT,
    X86_EXIT_BREAK,         /* rip reached cpu->break_rip */
    X86_EXIT_STOP,          /* x86_cpu_stop was called (a device asked to leave the loop) */
} X86ExitReason;

typedef struct X86CPU X86CPU;

/* Optional hook for unimplemented opcodes ("-d unimp"). */
typedef void (*X86UnimpLog)(void *opaque, uint64_t rip, const uint8_t *bytes, int len);

X86CPU *x86_cpu_new(const X86MemOps *ops, void *opaque);
void x86_cpu_free(X86CPU *cpu);
CPUX86State *x86_cpu_env(X86CPU *cpu);
void x86_cpu_reset(X86CPU *cpu);
void x86_cpu_set_unimp_log(X86CPU *cpu, X86UnimpLog fn, void *opaque);
/* When set, exceptions stop execution (rip at the faulting insn) instead of using the IDT. */
void x86_cpu_set_stop_on_exception(X86CPU *cpu, bool stop);
void x86_cpu_set_break(X86CPU *cpu, bool enable, uint64_t rip);
/* From a memory/port callback during x86_cpu_exec: return X86_EXIT_STOP after the current
   instruction completes (a device's exit request must not let the guest run on). */
void x86_cpu_stop(X86CPU *cpu);
/* Run up to max_insns instructions. */
X86ExitReason x86_cpu_exec(X86CPU *cpu, uint64_t max_insns);
/* Last exception raised (vector, error code, and whether it had one). */
void x86_cpu_last_exception(X86CPU *cpu, int *vector, uint32_t *error_code, bool *has_error);
/* Queue an external interrupt, taken at the next boundary when RFLAGS.IF allows (returns
   whether IF is set now); it wakes hlt only then: hlt with IF=0 sleeps through it. */
bool x86_cpu_interrupt(X86CPU *cpu, int vector);
/* Raise an NMI (vector 2): taken before external interrupts regardless of RFLAGS.IF, wakes
   hlt, then blocked until the handler's iret; a second NMI raised meanwhile waits. */
void x86_cpu_nmi(X86CPU *cpu);
/*
 * The board's Local APIC, as the CPU sees it.  With present, CPUID.1 advertises the APIC
 * (EDX bit 9) with id in EBX[31:24], and a wrmsr to IA32_APIC_BASE (0x1b) is checked
 * (reserved bits and x2APIC enable, bit 10, are #GP; the BSP bit, 8, is read-only) and then
 * handed to write(opaque, new value): false from it means #GP (e.g. a relocation the board
 * cannot do), true stores the value.  write may be NULL (store only).  Without present
 * (the default: a bare CPU in tests) IA32_APIC_BASE is stored only, as before.  The setting
 * survives x86_cpu_reset; the MSR itself resets to 0xfee00000 | EN | BSP.
 */
typedef bool (*X86ApicBaseWrite)(void *opaque, uint64_t val);
void x86_cpu_set_apic(X86CPU *cpu, bool present, uint8_t id, X86ApicBaseWrite write,
                      void *opaque);
/*
 * MSRs the board's Local APIC implements: IA32_TSC_DEADLINE (0x6e0).  With a board APIC
 * (x86_cpu_set_apic present) and this hook, rdmsr/wrmsr of them call fn(opaque, msr, write,
 * &value, tsc) with the CPU's TSC at the access; false means #GP.  Without the hook (or
 * without a board APIC) they #GP.  CPUID.1:ECX.TSC_DEADLINE (bit 24) is advertised with a
 * board APIC.  Survives x86_cpu_reset.
 */
typedef bool (*X86ApicMsr)(void *opaque, uint32_t msr, bool write, uint64_t *val,
                           uint64_t tsc);
void x86_cpu_set_apic_msr(X86CPU *cpu, X86ApicMsr fn, void *opaque);
/*
 * The INTR pin, as the board drives it (level).  While it is asserted, at the first
 * instruction boundary where RFLAGS.IF = 1 and no sti/mov ss shadow is active, the CPU runs
 * the interrupt-acknowledge cycle ack(opaque) set by x86_cpu_set_intr_ack, and delivers the
 * vector it returns — so the board decides the vector when the CPU really takes it, and an
 * interrupt raised by a device access in the middle of x86_cpu_exec is taken right after
 * that instruction.  Asserting it with IF = 1 wakes hlt.  Deasserting it withdraws the
 * request if it was not taken yet.  A vector queued with x86_cpu_interrupt goes first.
 * Without an ack function the pin is ignored.
 */
typedef int (*X86IntrAck)(void *opaque);
void x86_cpu_set_intr_ack(X86CPU *cpu, X86IntrAck ack, void *opaque);
void x86_cpu_set_intr(X86CPU *cpu, bool level);
/* Tell the CPU that guest-physical memory changed behind its back (DMA, loaders). */
void x86_cpu_invalidate_phys(X86CPU *cpu, uint64_t paddr, uint64_t len);
void x86_cpu_tlb_flush(X86CPU *cpu);

/* State helpers usable by the machine and tests. */
uint64_t x86_get_eflags(CPUX86State *env);
void x86_set_eflags(CPUX86State *env, uint64_t val);
void x86_set_seg_flat(CPUX86State *env, int seg, uint16_t sel, uint32_t flags);
void x86_update_mode(CPUX86State *env);
/* Set CR0/CR3/CR4/EFER with the side effects (mode, TLB flush). */
void x86_cpu_set_cr(X86CPU *cpu, int n, uint64_t val);
void x86_cpu_set_efer(X86CPU *cpu, uint64_t val);
/* Translate a linear address for debugging; returns false when unmapped. */
bool x86_cpu_debug_translate(X86CPU *cpu, uint64_t lin, uint64_t *paddr);
/*
 * Guest profiling: hook(opaque, linear address) is called with the address of the next
 * instruction to execute every `period` retired instructions (exactly; time skipped while
 * idle outside x86_cpu_exec does not count).  period 0 turns it off.
 */
typedef void (*X86ProfileHook)(void *opaque, uint64_t lin);
void x86_cpu_set_profile(X86CPU *cpu, uint64_t period, X86ProfileHook hook, void *opaque);
/* Decode-cache statistics (for tests and the benchmark). */
void x86_cpu_cache_stats(X86CPU *cpu, uint64_t *hits, uint64_t *misses, uint64_t *invalidations);

/* CPUID model (cpuid.c). */
void x86_cpuid(const CPUX86State *env, uint32_t leaf, uint32_t subleaf,
               uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx);

#endif
