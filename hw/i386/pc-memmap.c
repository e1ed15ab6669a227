/* The pc guest memory map: RAM below and above 4 GiB, the memory-hotplug range, and the system address space over it. */
#include "hw/i386/pc.h"

#include <inttypes.h>

#define PC_PAGE_SIZE 4096ull

static uint64_t round_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) / align * align;
}

bool pc_memmap_compute(uint64_t ram_size, uint64_t maxram_size, uint64_t slots,
                       PcMemMap *map, GError **errp)
{
    /* QEMU pc: max-ram-below-4g defaults to 0xe0000000; with that much RAM, low RAM is
     * cut at 3 GiB instead so that the part above 4 GiB stays gigabyte aligned. */
    uint64_t lowmem = PC_MAX_RAM_BELOW_4G;
    if (ram_size >= lowmem) {
        lowmem = PC_LOWMEM_GB_ALIGNED;
    }
    *map = (PcMemMap) { .ram_size = ram_size };
    map->below_4g = MIN(ram_size, lowmem);
    map->above_4g = ram_size - map->below_4g;

    if (slots > PC_MAX_RAM_SLOTS) {
        error_setg(errp, "unsupported amount of memory slots: %" PRIu64, slots);
        return false;
    }
    if (maxram_size <= ram_size) {
        return true;
    }
    if (maxram_size % PC_PAGE_SIZE) {
        error_setg(errp, "maximum memory size must by aligned to multiple of %llu bytes",
                   PC_PAGE_SIZE);
        return false;
    }
    map->device_mem_base = round_up(PC_ABOVE_4G_START + map->above_4g, PC_GiB);
    map->device_mem_size = maxram_size - ram_size + slots * PC_GiB;
    if (map->device_mem_base + map->device_mem_size < map->device_mem_size) {
        error_setg(errp, "unsupported amount of maximum memory: 0x%" PRIx64, maxram_size);
        return false;
    }
    return true;
}

PcMachineState *pc_machine(const MachineState *ms)
{
    return ms->board_free == pc_machine_state_free ? ms->board : NULL;
}

void pc_machine_update_view(PcMachineState *pcms)
{
    flatview_free(pcms->system_view);
    pcms->system_view = flatview_new(&pcms->system);
}

PcMachineState *pc_machine_state_new(MachineState *ms, const PcMemMap *map)
{
    PcMachineState *pcms = g_new0(PcMachineState, 1);
    pcms->map = *map;
    memory_region_init_container(&pcms->system, "system", UINT64_MAX);
    /* ms->ram holds the RAM bytes back to back (the node backends at running offsets):
     * its first below_4g bytes appear at 0, the rest at 4 GiB. */
    memory_region_init_alias(&pcms->ram_below_4g, "ram-below-4g", ms->ram, 0, map->below_4g);
    memory_region_add_subregion(&pcms->system, 0, &pcms->ram_below_4g);
    if (map->above_4g) {
        memory_region_init_alias(&pcms->ram_above_4g, "ram-above-4g", ms->ram,
                                 map->below_4g, map->above_4g);
        memory_region_add_subregion(&pcms->system, PC_ABOVE_4G_START, &pcms->ram_above_4g);
    }
    /* The BIOS area is its own RAM over the 640K-1M window: the ACPI tables there do not
     * take bytes of any node's memory, whatever the RAM size. */
    memory_region_init_ram_ptr(&pcms->bios_area, "pc.bios-area",
                               PC_ACPI_AREA_END - PC_ACPI_AREA_START,
                               g_malloc0(PC_ACPI_AREA_END - PC_ACPI_AREA_START));
    memory_region_add_subregion_overlap(&pcms->system, PC_ACPI_AREA_START, &pcms->bios_area, 1);
    if (map->device_mem_size) {
        memory_region_init_container(&pcms->device_memory, "device-memory",
                                     map->device_mem_size);
        memory_region_add_subregion(&pcms->system, map->device_mem_base, &pcms->device_memory);
    }
    pc_machine_update_view(pcms);
    return pcms;
}

void pc_machine_state_free(void *opaque)
{
    PcMachineState *pcms = opaque;
    if (!pcms) {
        return;
    }
    flatview_free(pcms->system_view);
    if (pcms->map.device_mem_size) {
        memory_region_destroy(&pcms->device_memory);
    }
    g_free(pcms->bios_area.host);
    memory_region_destroy(&pcms->bios_area);
    if (pcms->map.above_4g) {
        memory_region_destroy(&pcms->ram_above_4g);
    }
    memory_region_destroy(&pcms->ram_below_4g);
    memory_region_destroy(&pcms->system);
    if (pcms->e820) {
        g_array_unref(pcms->e820);
    }
    acpi_tables_free(pcms->acpi);
    g_free(pcms);
}
