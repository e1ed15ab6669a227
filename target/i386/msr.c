/* Model-specific registers the interpreter implements (the set Linux touches on a CPU without extras). */
#include "target/i386/internal.h"

/* MSRs of the board's Local APIC (x86_cpu_set_apic_msr): #GP without one. */
static bool apic_msr(X86CPU *cpu, uint32_t msr, bool write, uint64_t *val)
{
    CPUX86State *env = &cpu->env;

    if (!env->apic_present || !cpu->apic_msr) {
        return false;
    }
    return cpu->apic_msr(cpu->apic_msr_opaque, msr, write, val, env->icount + env->tsc_offset);
}

bool x86_rdmsr(X86CPU *cpu, uint32_t msr, uint64_t *val)
{
    CPUX86State *env = &cpu->env;
    switch (msr) {
    case MSR_IA32_TSC: *val = env->icount + env->tsc_offset; return true;
    case MSR_IA32_APICBASE: *val = env->apic_base; return true;
    case MSR_IA32_PLATFORM_ID: *val = 0; return true;
    case MSR_IA32_UCODE_REV: *val = 0; return true;
    case MSR_IA32_MISC_ENABLE: *val = env->misc_enable; return true;
    case MSR_IA32_PAT: *val = env->pat; return true;
    case MSR_EFER: *val = env->efer; return true;
    case MSR_STAR: *val = env->star; return true;
    case MSR_LSTAR: *val = env->lstar; return true;
    case MSR_CSTAR: *val = env->cstar; return true;
    case MSR_FMASK: *val = env->fmask; return true;
    case MSR_FS_BASE: *val = env->segs[R_FS].base; return true;
    case MSR_GS_BASE: *val = env->segs[R_GS].base; return true;
    case MSR_KERNEL_GS_BASE: *val = env->kernel_gs_base; return true;
    case MSR_TSC_AUX: *val = env->tsc_aux; return true;
    case MSR_IA32_SYSENTER_CS: *val = env->sysenter_cs; return true;
    case MSR_IA32_SYSENTER_ESP: *val = env->sysenter_esp; return true;
    case MSR_IA32_SYSENTER_EIP: *val = env->sysenter_eip; return true;
    case MSR_IA32_TSC_DEADLINE: return apic_msr(cpu, msr, false, val);
    default: return false;
    }
}

static bool canonical(uint64_t v)
{
    return (uint64_t)((int64_t)(v << 16) >> 16) == v;
}

static bool write_efer(X86CPU *cpu, uint64_t val)
{
    CPUX86State *env = &cpu->env;
    uint64_t ok = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
    if (val & ~ok) {
        return false;
    }
    if ((env->cr[0] & CR0_PG) && ((val ^ env->efer) & EFER_LME)) {
        return false;           /* LME may not change while paging is on */
    }
    x86_cpu_set_efer(cpu, val);
    return true;
}

/* IA32_APIC_BASE with a board APIC: base (bits 12-39), EN (11); BSP (8) is read-only;
   x2APIC enable (10) and the rest are reserved. */
static bool write_apic_base(X86CPU *cpu, uint64_t val)
{
    CPUX86State *env = &cpu->env;
    const uint64_t bsp = 1u << 8, writable = 0xfffffff000ull | (1u << 11);

    if (!env->apic_present) {
        env->apic_base = val;               /* no APIC: stored only */
        return true;
    }
    if (val & ~(writable | bsp)) {
        return false;
    }
    val = (val & writable) | (env->apic_base & bsp);
    if (cpu->apic_base_write && !cpu->apic_base_write(cpu->apic_opaque, val)) {
        return false;
    }
    env->apic_base = val;
    return true;
}

bool x86_wrmsr(X86CPU *cpu, uint32_t msr, uint64_t val)
{
    CPUX86State *env = &cpu->env;
    switch (msr) {
    case MSR_IA32_TSC: env->tsc_offset = val - env->icount; return true;
    case MSR_IA32_APICBASE: return write_apic_base(cpu, val);
    case MSR_IA32_UCODE_REV: return true;   /* "load the revision": it stays 0 */
    case MSR_IA32_MISC_ENABLE: env->misc_enable = val; return true;
    case MSR_IA32_PAT: env->pat = val; return true;
    case MSR_EFER: return write_efer(cpu, val);
    case MSR_STAR: env->star = val; return true;
    case MSR_FMASK: env->fmask = (uint32_t)val; return true;
    case MSR_TSC_AUX: env->tsc_aux = (uint32_t)val; return true;
    case MSR_IA32_SYSENTER_CS: env->sysenter_cs = val; return true;
    case MSR_IA32_SYSENTER_ESP: env->sysenter_esp = val; return true;
    case MSR_IA32_SYSENTER_EIP: env->sysenter_eip = val; return true;
    case MSR_IA32_TSC_DEADLINE: return apic_msr(cpu, msr, true, &val);
    default: break;
    }
    if (!canonical(val)) {
        return false;
    }
    switch (msr) {
    case MSR_LSTAR: env->lstar = val; return true;
    case MSR_CSTAR: env->cstar = val; return true;
    case MSR_FS_BASE: env->segs[R_FS].base = val; return true;
    case MSR_GS_BASE: env->segs[R_GS].base = val; return true;
    case MSR_KERNEL_GS_BASE: env->kernel_gs_base = val; return true;
    default: return false;
    }
}
