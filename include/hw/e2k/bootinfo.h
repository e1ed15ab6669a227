/* The e2k boot info block: MCST's 4 KiB bootblock_struct_t (boot_info_t + trailer) built byte-for-byte from a plain description of the machine. */
#ifndef NUMBAT_HW_E2K_BOOTINFO_H
#define NUMBAT_HW_E2K_BOOTINFO_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "hw/e2k/e2k-layout.h"

/*
 * Layout of bootblock_struct_t as MCST Linux defines it (arch/l/include/asm/bootinfo.h,
 * BOOTBLOCK_VER 2, 2023; the 2021 "bios" sub-struct layout of qemu-e2k puts the same fields
 * at the same offsets).  Neither header is packed: offsets are natural C alignment on a
 * 64-bit little-endian target.  All multi-byte values are little-endian.  The table with
 * sources is in docs/design/e2k-bootinfo.md; tests/unit/test-e2k-bootinfo.c pins every value.
 */
#define E2K_BOOTBLOCK_SIZE          0x1000  /* BOOTBLOCK_SIZE: the whole block */
#define E2K_BOOT_INFO_SIZE          0xd88   /* sizeof(boot_info_t) */

/* boot_info_t, at offset 0 of the block */
#define E2K_BI_SIGNATURE            0x000   /* u16: E2K_BOOT_SIGNATURE */
#define E2K_BI_TARGET_MDL           0x002   /* u8: target CPU model (0: any) */
#define E2K_BI_VGA_MODE             0x006   /* u8 */
#define E2K_BI_NUM_OF_BANKS         0x007   /* u8: banks on all nodes, end markers not counted */
#define E2K_BI_KERNEL_BASE          0x008   /* u64 */
#define E2K_BI_KERNEL_SIZE          0x010   /* u64 */
#define E2K_BI_RAMDISK_BASE         0x018   /* u64 */
#define E2K_BI_RAMDISK_SIZE         0x020   /* u64 */
#define E2K_BI_NUM_OF_CPUS          0x028   /* u16: started physical CPUs */
#define E2K_BI_MACH_FLAGS           0x02a   /* u16 */
#define E2K_BI_NUM_OF_BUSY          0x02c   /* u16: entries used in busy[] */
#define E2K_BI_NUM_OF_NODES         0x02e   /* u16: online nodes */
#define E2K_BI_MP_TABLE_BASE        0x030   /* u64 */
#define E2K_BI_SERIAL_BASE          0x038   /* u64: Am85c30 UART, 0 = none */
#define E2K_BI_NODES_MAP            0x040   /* u64: bit n = node n online */
#define E2K_BI_MACH_SERIALN         0x048   /* u64 */
#define E2K_BI_MAC_ADDR             0x050   /* u8[6] */
#define E2K_BI_KERNEL_ARGS          0x058   /* char[128], NUL-terminated */
#define E2K_BI_NODES_MEM            0x0d8   /* node_banks_t[8]: 4 bank_info_t per node */
#define E2K_BI_BUSY                 0x2d8   /* bank_info_t[4] */
#define E2K_BI_BIOS_SIGNATURE       0x538   /* char[8] "E2KBIOS" (2021 bios.signature; 2023 reserved5) */
#define E2K_BI_BOOT_VER             0x540   /* u8[128] boot version string */
#define E2K_BI_MB_TYPE              0x5c0   /* u8: motherboard type */
#define E2K_BI_CPU_TYPE             0x5c2   /* u8: E2K_CPU_TYPE_* */
#define E2K_BI_KERNEL_ARGS_EX       0x5c3   /* u8[512] extended command line (unused) */
#define E2K_BI_BANKS_EX             0x968   /* bank_info_t[64]: overflow banks of all nodes */
#define E2K_BI_DEVTREE              0xd68   /* u64: guest-physical address of a DTB, 0 = none */

/* The trailer after boot_info_t and its padding */
#define E2K_BB_BOOTBLOCK_VER        0xf5b   /* u8 */
#define E2K_BB_BOOT_TIMES           0xf60   /* boot_times_t, 16 x u64 */
#define E2K_BB_KERNEL_FLAGS         0xfe0   /* u16 */
#define E2K_BB_BOOT_FLAGS           0xffc   /* u16: RECOVERY_BB_FLAG etc., 0 for a cold boot */
#define E2K_BB_MARKER               0xffe   /* u16: E2K_BOOTBLOCK_MARKER */

/* Sizes inside the block */
#define E2K_BANK_INFO_SIZE          16      /* bank_info_t: u64 address, u64 size */
#define E2K_NODE_BANKS_FUSTY        4       /* L_MAX_NODE_PHYS_BANKS_FUSTY: banks in nodes_mem */
#define E2K_BANKS_EX_MAX            64      /* L_MAX_PHYS_BANKS_EX */
#define E2K_NODE_BANKS_SIZE         (E2K_NODE_BANKS_FUSTY * E2K_BANK_INFO_SIZE)
#define E2K_KERNEL_ARGS_SIZE        128     /* KSTRMAX_SIZE, including the NUL */
#define E2K_BUSY_MAX                4       /* L_MAX_BUSY_AREAS: entries of busy[] */
#define E2K_BIOS_SIGNATURE_SIZE     8

/* Values */
#define E2K_BOOT_SIGNATURE          0x8086  /* BOOTBLOCK_BOOT_SIGNATURE ("x86 loader") */
#define E2K_BOOTBLOCK_MARKER        0xaa55
#define E2K_BOOTBLOCK_VER           1       /* as qemu-e2k: 128-byte command line, no pointer */
#define E2K_BIOS_SIGNATURE          "E2KBIOS"

/* CPU types (the cpu_type byte; MCST arch/e2k/include/asm/bootinfo.h CPU_TYPE_*) */
#define E2K_CPU_TYPE_E8C            0x07
#define E2K_CPU_TYPE_E8C2           0x09
#define E2K_CPU_TYPE_E16C           0x0b

/* What the block says; every address is guest-physical. */
typedef struct E2kBootInfoInput {
    E2kNodeRam nodes[E2K_MAX_NODES];  /* presence and banks (e2k_layout_ram fills them) */
    unsigned nb_cpus;                 /* started CPUs */
    uint8_t cpu_type;                 /* E2K_CPU_TYPE_* */
    uint64_t kernel_base, kernel_size;
    uint64_t ramdisk_base, ramdisk_size;
    const char *cmdline;              /* NULL = empty; at most 127 bytes */
    uint64_t devtree;                 /* DTB address, 0 = none */
    uint64_t serial_base;             /* Am85c30 base, 0 = none */
    unsigned nb_busy;                 /* entries of busy[] used (num_of_busy) */
    E2kBank busy[E2K_BUSY_MAX];       /* RAM the firmware keeps: the bootblock, the DTB */
} E2kBootInfoInput;

/*
 * Fill `in` for nodes 0..nb_nodes-1 with the given memory sizes (bytes) placed by
 * e2k_layout_ram; the rest of `in` is zeroed, with cpu_type e8c.
 */
bool e2k_bootinfo_input_init(E2kBootInfoInput *in, const uint64_t *node_mem,
                             unsigned nb_nodes, unsigned nb_cpus, GError **errp);

/*
 * Write the E2K_BOOTBLOCK_SIZE-byte block into out[].  Banks beyond the 4 of nodes_mem go
 * to banks_ex following the rule in docs/design/e2k-bootinfo.md; a layout MCST's readers
 * would read differently, an over-long command line or an inconsistent node is an error
 * (out[] is then unspecified).
 */
bool e2k_bootinfo_build(const E2kBootInfoInput *in, uint8_t *out, GError **errp);

#endif
