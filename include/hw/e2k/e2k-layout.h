/* The e2k board's physical memory map and CPU numbering: where each NUMA node's RAM lands and which Elbrus CPU id each vCPU gets. */
#ifndef NUMBAT_HW_E2K_E2K_LAYOUT_H
#define NUMBAT_HW_E2K_E2K_LAYOUT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"

/*
 * The memory map of the public e2k prototype board (qemu-e2k include/hw/e2k/memmap.h,
 * see docs/design/e2k-bootinfo.md).  RAM lives in two windows: low RAM from 0 up to the
 * 2 GiB line, and high RAM from 16 GiB upwards; everything between is I/O.
 */
#define E2K_MLO_BASE            UINT64_C(0)                 /* low RAM window */
#define E2K_MLO_SIZE            UINT64_C(0x80000000)        /* 2 GiB */
#define E2K_PCI_MEM_BASE        UINT64_C(0x80000000)
#define E2K_BIOS_AREA_BASE      UINT64_C(0x100000000)
#define E2K_BIOS_AREA_SIZE      UINT64_C(0x1000000)         /* 16 MiB */
#define E2K_IO_AREA_BASE        UINT64_C(0x101000000)
#define E2K_IO_AREA_SIZE        UINT64_C(0x10000)           /* 64 KiB */
#define E2K_SICREGS_BASE        UINT64_C(0x110000000)       /* + node * E2K_SICREGS_SIZE */
#define E2K_SICREGS_SIZE        UINT64_C(0x100000)          /* 1 MiB per node */
#define E2K_PCICFG_BASE         UINT64_C(0x200000000)
#define E2K_PCICFG_SIZE         UINT64_C(0x10000000)        /* 256 MiB */
#define E2K_PCI_PREFMEM_BASE    UINT64_C(0x210000000)
#define E2K_HIMEM_BASE          UINT64_C(0x400000000)       /* high RAM window, to the end */

#define E2K_PAGE_SIZE           UINT64_C(0x1000)            /* banks are whole 4 KiB pages */

/* boot_info_t describes at most 8 nodes (L_MAX_MEM_NUMNODES). */
#define E2K_MAX_NODES           8
/* e8c numbering: node n owns CPU ids 16n .. 16n+15 (E8C_MAX_NR_NODE_CPUS). */
#define E2K_NODE_CPU_IDS        16
#define E2K_MAX_CPUS            (E2K_MAX_NODES * E2K_NODE_CPU_IDS)
/*
 * Banks one node may have.  MCST's readers walk at most 64 (L_MAX_NODE_PHYS_BANKS) and
 * need the 64th to be the size-0 end marker, so 63 real banks is the usable maximum.
 */
#define E2K_NODE_MAX_BANKS      63

/* One contiguous guest-physical RAM range. */
typedef struct E2kBank {
    uint64_t addr;
    uint64_t size;
} E2kBank;

/* The RAM of one NUMA node as the firmware reports it. */
typedef struct E2kNodeRam {
    bool present;               /* node exists (it may still have no memory) */
    unsigned nb_banks;          /* 0 = memory-less node */
    E2kBank banks[E2K_NODE_MAX_BANKS];
} E2kNodeRam;

/*
 * Place nodes 0..nb_nodes-1 (sizes in bytes) one after the other in the RAM windows:
 * the first 2 GiB of RAM at 0, the rest from E2K_HIMEM_BASE.  A node whose range
 * crosses the 2 GiB line gets two banks; a 0-byte node gets none.  nodes[] must have
 * E2K_MAX_NODES entries; all are overwritten (nodes >= nb_nodes become absent).
 */
bool e2k_layout_ram(const uint64_t *node_mem, unsigned nb_nodes, E2kNodeRam *nodes,
                    GError **errp);

/* Guest address of RAM offset `off` (offsets count low RAM first, then high RAM). */
uint64_t e2k_ram_offset_to_addr(uint64_t off);

/*
 * Elbrus CPU ids: the k-th CPU index (in ascending order) of node n gets 16n + k.
 * cpu_node[i] is the node of CPU index i; ids[] receives nb_cpus ids.  Fails for a CPU in
 * no node (cpu_node >= nb_nodes) or a node with more than 16 CPUs.
 */
bool e2k_layout_cpu_ids(const uint32_t *cpu_node, unsigned nb_cpus, unsigned nb_nodes,
                        uint32_t *ids, GError **errp);

#endif
