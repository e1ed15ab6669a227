/* Accelerators (AccelOps): how a board's vCPU runs guest code; interp is the target/i386 interpreter. */
#ifndef NUMBAT_SYSEMU_ACCEL_H
#define NUMBAT_SYSEMU_ACCEL_H

#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "sysemu/ioport.h"
#include "sysemu/memory.h"
#include "target/i386/cpu.h"   /* types only (X86Seg, X86DTable): no link dependency */

typedef struct SysEmu SysEmu;

/*
 * The CPU state a board's boot path asks for (PVH: 32-bit protected mode at the ELF note's
 * entry).  valid false: keep the architectural reset state (real mode at 0xfffffff0).
 */
typedef struct X86EntryState {
    bool valid;
    uint64_t rip, rflags;
    uint64_t regs[16];
    uint64_t cr0, cr3, cr4, efer;
    X86Seg segs[X86_NSEGS];
    X86Seg tr;
    X86DTable gdt, idt;
} X86EntryState;

/* What an x86 board hands the accelerator. */
typedef struct AccelBoard {
    MemoryRegion *system_memory;   /* guest-physical space; its flat view is taken at reset */
    IoSpace *io;                   /* port I/O */
    /* Power-on and every guest reset: reset devices, (re)load the kernel, fill *entry. */
    bool (*reset)(void *opaque, X86EntryState *entry, GError **errp);
    void *opaque;
    /* Time and interrupts (issue 7), each optional.  The accelerator's virtual clock
       (sysemu/vclock.h) is what devices read; between slices it calls poll (timers catch up
       to now), and when the CPU can take an interrupt and intr_pending says INTR is up, it
       runs intr_ack (the INTA cycle) and injects the vector. */
    uint64_t (*next_deadline)(void *opaque);  /* virtual ns of the next timer event, or
                                                 UINT64_MAX: slices end there, idle hlt
                                                 skips to it */
    void (*poll)(void *opaque);
    bool (*intr_pending)(void *opaque);
    int (*intr_ack)(void *opaque);
    /* The boot CPU's Local APIC (optional): with has_apic the CPU advertises it in CPUID
       (id apic_id) and passes IA32_APIC_BASE writes to apic_base_write (false: #GP); see
       x86_cpu_set_apic in target/i386/cpu.h. */
    bool has_apic;
    uint8_t apic_id;
    bool (*apic_base_write)(void *opaque, uint64_t val);
    /* The Local APIC's MSRs (IA32_TSC_DEADLINE), with the CPU's TSC at the access; false:
       #GP.  See x86_cpu_set_apic_msr. */
    bool (*apic_msr)(void *opaque, uint32_t msr, bool write, uint64_t *val, uint64_t tsc);
} AccelBoard;

typedef struct AccelVcpu AccelVcpu;

typedef struct AccelOps {
    const char *name;
    /* Create the boot vCPU, reset it through board->reset, and run it from se->main_ctx
     * whenever the run state is "running". */
    AccelVcpu *(*create_vcpu)(SysEmu *se, const AccelBoard *board, GError **errp);
    /* From a device callback: leave the guest after the current instruction. */
    void (*kick)(AccelVcpu *vcpu);
    void (*destroy_vcpu)(AccelVcpu *vcpu);
    /* The virtual clock in ns (interp: retired instructions at VCLOCK_NS_PER_SEC, idle hlt
       included); devices read it through a VClock. */
    uint64_t (*clock_ns)(AccelVcpu *vcpu);
    /* From a device callback (reset register, keyboard controller): the guest asked for a
       reset; handled like a triple fault once the current instruction completes. */
    void (*request_reset)(AccelVcpu *vcpu);
    /* From the board's interrupt logic, whenever its INTR output (intr_pending) changes:
       while level is true the CPU runs intr_ack and takes the vector at the first
       instruction boundary where RFLAGS.IF allows — right after the current instruction
       when a device access raised it.  Optional: without it INTR is sampled between slices. */
    void (*set_intr)(AccelVcpu *vcpu, bool level);
    /* The CPU's NMI input (an edge): taken after the current instruction, whatever IF says,
       then blocked until the handler's iret (x86_cpu_nmi). */
    void (*nmi)(AccelVcpu *vcpu);
} AccelOps;

/* accel/interp (numbat-system-x86_64 only). */
extern const AccelOps accel_interp_ops;

#endif
