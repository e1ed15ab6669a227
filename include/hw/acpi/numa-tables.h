/* SRAT and SLIT builders, fed with plain descriptions of CPU and memory affinity. */
#ifndef NUMBAT_HW_ACPI_NUMA_TABLES_H
#define NUMBAT_HW_ACPI_NUMA_TABLES_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum {
    SRAT_MEM_ENABLED = 1,
    SRAT_MEM_HOTPLUGGABLE = 2,
    SRAT_MEM_NON_VOLATILE = 4,
};

/* One possible CPU: its APIC ID, proximity domain (= NUMA node id) and whether it is
 * plugged now (MADT marks the others as not enabled; SRAT lists all of them). */
typedef struct AcpiCpu {
    uint32_t apic_id;
    uint32_t node;
    bool present;
} AcpiCpu;

/* One guest-physical memory range and its domain. */
typedef struct SratMem {
    uint64_t base;
    uint64_t len;
    uint32_t node;
    uint32_t flags;
} SratMem;

/* The x86 guest-physical layout of RAM: low RAM up to below_4g, the rest from 4 GiB. */
typedef struct PcRamLayout {
    uint64_t below_4g;     /* bytes of RAM mapped below 4 GiB (before the PCI hole) */
    uint64_t above_4g;     /* bytes of RAM mapped from 4 GiB up */
} PcRamLayout;

#define PC_HOLE_640K_START 0xa0000ull
#define PC_HOLE_640K_END   0x100000ull
#define PC_ABOVE_4G_START  0x100000000ull

/*
 * Memory affinity ranges for nodes laid out back to back over RAM (node i owns the
 * RAM bytes after node i-1's), cut where the pc memory map has holes: the 640 KiB
 * hole (its bytes are shadowed, not relocated) and the PCI hole (RAM past below_4g
 * continues at 4 GiB).  Memory-less nodes get none.  Returns a GArray of SratMem.
 */
GArray *pc_numa_memory_ranges(const uint64_t *node_mem, unsigned nb_nodes,
                              const PcRamLayout *layout);

/* SRAT (revision 3): a processor entry per CPU (x2APIC form when apic_id >= 255),
 * then the memory entries in the order given. */
void acpi_build_srat(GByteArray *blob, const AcpiCpu *cpus, size_t nb_cpus,
                     const SratMem *mem, size_t nb_mem);

/* SLIT (revision 1): nb_nodes, then the nb_nodes x nb_nodes matrix row by row. */
void acpi_build_slit(GByteArray *blob, unsigned nb_nodes, const uint8_t *matrix);

#endif
