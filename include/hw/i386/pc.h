/* The pc board's state: its guest memory map, system address space, e820 table and ACPI tables. */
#ifndef NUMBAT_HW_I386_PC_H
#define NUMBAT_HW_I386_PC_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "hw/core/boards.h"
#include "hw/acpi/pc-tables.h"
#include "sysemu/memory.h"

#define PC_GiB (1ull << 30)

/*
 * Where guest RAM and the memory-hotplug range sit (QEMU pc's layout):
 *   below_4g = min(ram, 0xe0000000), capped to 3 GiB when ram >= 0xe0000000 (gigabyte
 *   alignment), RAM [0, below_4g) with the 640K-1M window shadowed;
 *   above_4g = the rest, from 4 GiB;
 *   with maxmem > ram: device memory at ROUND_UP(4 GiB + above_4g, 1 GiB), size
 *   maxmem - ram + slots x 1 GiB (one GiB of alignment slack per slot).
 */
typedef struct PcMemMap {
    uint64_t ram_size;
    uint64_t below_4g;
    uint64_t above_4g;
    uint64_t device_mem_base;
    uint64_t device_mem_size;       /* 0: no -m maxmem, no hotplug range */
} PcMemMap;

#define PC_MAX_RAM_BELOW_4G   0xe0000000ull
#define PC_LOWMEM_GB_ALIGNED  0xc0000000ull
#define PC_MAX_RAM_SLOTS      256        /* QEMU's ACPI_MAX_RAM_SLOTS */

/*
 * Compute the map for -m size[,slots=,maxmem=].  Errors (QEMU's words):
 * "unsupported amount of memory slots: N", "maximum memory size must by aligned to multiple
 * of 4096 bytes", "unsupported amount of maximum memory: 0x...".
 */
bool pc_memmap_compute(uint64_t ram_size, uint64_t maxram_size, uint64_t slots,
                       PcMemMap *map, GError **errp);

/*
 * The guest-physical window of the ACPI tables: the BIOS area 0xE0000-0xFFFFF, inside the
 * 640K-1M hole (no RAM of any node, so e820 RAM and SRAT stay equal).  The RSDP sits at its
 * start (where Linux's legacy scan also finds it), the other tables from PC_ACPI_TABLES_ADDR.
 * Table sets too big for it (large HMATs) go to the top of RAM below 4 GiB instead, which the
 * e820 then marks as ACPI data.
 */
#define PC_ACPI_AREA_START    0xe0000ull
#define PC_ACPI_AREA_END      0x100000ull
#define PC_ACPI_RSDP_ADDR     PC_ACPI_AREA_START
#define PC_ACPI_TABLES_ADDR   (PC_ACPI_AREA_START + 64)
#define PC_ACPI_HIGH_ALIGN    0x10000ull  /* the overflow window starts 64 KiB aligned */

/* e820 entry types (the boot protocol's numbers). */
enum {
    E820_RAM = 1,
    E820_RESERVED = 2,
    E820_ACPI = 3,
};

typedef struct E820Entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} E820Entry;

/*
 * The e820 table for map, sorted by address: RAM [0, 640K), [1M, below_4g) and [4G, 4G +
 * above_4g); the BIOS area [0xE0000, 1M) reserved (ACPI tables, RSDP); when the tables
 * live high, [acpi_high_base, below_4g) is ACPI data and low RAM ends at acpi_high_base.
 * acpi_high_base 0 = tables in the BIOS area.  Returns a GArray of E820Entry.
 */
GArray *pc_e820_table(const PcMemMap *map, uint64_t acpi_high_base);
const char *e820_type_name(uint32_t type);

/* What pc-acpi.c derives from the machine: the table configuration and its storage. */
typedef struct PcAcpiSetup {
    AcpiPcConfig cfg;
    AcpiCpu *cpus;
    uint64_t *node_mem;
    uint8_t *distance;
    GByteArray *hmat;
} PcAcpiSetup;

/*
 * Fill setup from the machine: every possible CPU (APIC ID from arch_id, node from props,
 * 0 without NUMA; present when its index < smp.cpus), node sizes, the distance matrix only
 * when -numa dist was given (completed to N x N), HMAT when hmat=on, the ram layout and
 * hotplug range from map.
 */
bool pc_acpi_setup_init(PcAcpiSetup *setup, const MachineState *ms, const PcMemMap *map,
                        GError **errp);
void pc_acpi_setup_clear(PcAcpiSetup *setup);
/*
 * Build and place the tables: in the BIOS area when they fit, else at the top of low RAM
 * (*high_base set, else 0).  Fails when even that is impossible.
 */
AcpiTables *pc_acpi_build(const MachineState *ms, const PcMemMap *map, uint64_t *high_base,
                          GError **errp);
/* Copy the tables and the RSDP into guest memory through the system view. */
bool pc_acpi_install(const AcpiTables *t, const FlatView *fv, GError **errp);

/*
 * The board state, hung on MachineState.board (freed through MachineState.board_free).
 * system is the guest-physical address space (a container named "system"): RAM aliases
 * below and above 4 GiB, the BIOS-area RAM holding the ACPI tables, an empty
 * "device-memory" container for -m maxmem; system_view is its flat view (rebuild it with
 * pc_machine_update_view after adding regions).
 */
typedef struct PcMachineState {
    PcMemMap map;
    MemoryRegion system;
    MemoryRegion ram_below_4g;
    MemoryRegion ram_above_4g;
    MemoryRegion bios_area;          /* 0xE0000-0xFFFFF: ACPI tables and RSDP */
    MemoryRegion device_memory;      /* only initialised when map.device_mem_size */
    FlatView *system_view;
    GArray *e820;                    /* E820Entry */
    AcpiTables *acpi;
    uint64_t rsdp_addr;
} PcMachineState;

PcMachineState *pc_machine(const MachineState *ms);
void pc_machine_update_view(PcMachineState *pcms);
/* Build the address space over ms->ram for map (exposed for unit tests). */
PcMachineState *pc_machine_state_new(MachineState *ms, const PcMemMap *map);
void pc_machine_state_free(void *pcms);

#endif
