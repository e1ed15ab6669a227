/* The pc machine (i440FX-era PC): its class, NUMA hooks and board init. */
#include "hw/core/boards.h"
#include "hw/i386/pc.h"
#include "hw/i386/platform.h"
#include "hw/i386/pc-cpus.h"
#include "numa/numa.h"
#include "util/opts.h"

#define MiB (1024ull * 1024)

/* -machine dumpacpi=DIR: write every table and the RSDP there, then exit 0 after init. */
static bool pc_dump_acpi(MachineState *ms, const AcpiTables *t, GError **errp)
{
    const char *dir = ms->opts ? opt_get(ms->opts, "dumpacpi") : NULL;
    if (!dir) {
        return true;
    }
    if (!*dir) {
        error_setg(errp, "dumpacpi needs a directory: -machine dumpacpi=DIR");
        return false;
    }
    if (!acpi_tables_dump(t, dir, errp)) {
        return false;
    }
    ms->exit_after_init = true;
    return true;
}

/*
 * Board init: the memory map over ms->ram (built by hw/core from the node backends
 * before this runs), the system address space, the ACPI tables in guest memory and the
 * e820 table that agrees with them.  The board state goes to ms->board.
 */
static bool pc_init(SysEmu *se, MachineState *ms, GError **errp)
{
    PcMemMap map;
    uint64_t high_base;

    if (!pc_memmap_compute(ms->ram_size, ms->maxram_size, ms->ram_slots, &map, errp)) {
        return false;
    }
    if (!ms->ram) {
        error_setg(errp, "pc: guest RAM was not created");
        return false;
    }
    if (!ms->possible_cpus && ms->mc->possible_cpu_arch_ids) {
        ms->mc->possible_cpu_arch_ids(ms);
    }
    PcMachineState *pcms = pc_machine_state_new(ms, &map);
    ms->board = pcms;
    ms->board_free = pc_machine_state_free;
    pcms->acpi = pc_acpi_build(ms, &map, &high_base, errp);
    if (!pcms->acpi) {
        return false;
    }
    pcms->rsdp_addr = PC_ACPI_RSDP_ADDR;
    pcms->e820 = pc_e820_table(&map, high_base);
    if (!pc_acpi_install(pcms->acpi, pcms->system_view, errp) ||
        !pc_dump_acpi(ms, pcms->acpi, errp)) {
        return false;
    }
    /* issue 6: port I/O, -serial/-device, -kernel (PVH) and the vCPU (hw/i386/platform.c);
       not for a dump-and-exit run. */
    return ms->exit_after_init || pc_platform_init(se, ms, &pcms->system, errp);
}

static const char *const pc_properties[] = { "hmat", "dumpacpi", NULL };

static const MachineClass pc_machine_class = {
    .name = "pc",
    .desc = "Standard PC (i440FX + PIIX, 1996)",
    .is_default = true,
    .max_cpus = 255,
    .default_ram_size = 128 * MiB,
    .default_ram_id = "pc.ram",
    .properties = pc_properties,
    .init = pc_init,
    /* NUMA and CPU topology hooks (hw/i386/pc-cpus.c) */
    .possible_cpu_arch_ids = pc_possible_cpu_arch_ids,
    .cpu_index_to_instance_props = pc_cpu_index_to_props,
    .get_default_cpu_node_id = pc_get_default_cpu_node_id,
    .numa_auto_assign_ram = numa_default_auto_assign_ram,
    .numa_mem_align_shift = PC_NUMA_MEM_ALIGN_SHIFT,
    .smp_dies_supported = true,
    .auto_enable_numa_with_memhp = true,
    .cpu_type = PC_CPU_TYPE,
};

static const MachineClass *const pc_machines[] = { &pc_machine_class, NULL };

const MachineClass *const *target_machine_classes(void)
{
    return pc_machines;
}
