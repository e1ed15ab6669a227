/* The pc e820 memory map handed to the kernel: RAM where the memory map has it, the BIOS/ACPI area reserved. */
#include "hw/i386/pc.h"

static void add(GArray *t, uint64_t addr, uint64_t size, uint32_t type)
{
    if (size) {
        E820Entry e = { addr, size, type };
        g_array_append_val(t, e);
    }
}

GArray *pc_e820_table(const PcMemMap *map, uint64_t acpi_high_base)
{
    GArray *t = g_array_new(FALSE, FALSE, sizeof(E820Entry));
    uint64_t below = map->below_4g;
    uint64_t low_ram_end = acpi_high_base ? acpi_high_base : below;

    /* These ranges are exactly where pc_numa_memory_ranges puts node memory, so SRAT
     * covers all e820 RAM (Linux drops NUMA when it does not). */
    add(t, 0, MIN(below, PC_HOLE_640K_START), E820_RAM);
    add(t, PC_ACPI_AREA_START, PC_ACPI_AREA_END - PC_ACPI_AREA_START, E820_RESERVED);
    if (low_ram_end > PC_HOLE_640K_END) {
        add(t, PC_HOLE_640K_END, low_ram_end - PC_HOLE_640K_END, E820_RAM);
    }
    if (acpi_high_base) {
        add(t, acpi_high_base, below - acpi_high_base, E820_ACPI);
    }
    add(t, PC_ABOVE_4G_START, map->above_4g, E820_RAM);
    return t;
}

const char *e820_type_name(uint32_t type)
{
    switch (type) {
    case E820_RAM:
        return "usable";
    case E820_RESERVED:
        return "reserved";
    case E820_ACPI:
        return "ACPI data";
    default:
        return "unknown";
    }
}
