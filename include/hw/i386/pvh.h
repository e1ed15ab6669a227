/* Loading an ELF kernel with a PVH note (XEN_ELFNOTE_PHYS32_ENTRY) and entering it as the PVH boot ABI says. */
#ifndef NUMBAT_HW_I386_PVH_H
#define NUMBAT_HW_I386_PVH_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"
#include "sysemu/accel.h"
#include "sysemu/memory.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define HVM_START_MAGIC 0x336ec578u

/*
 * Low-memory layout written by the loader (below any sane link address and outside the
 * IVT/BDA, so a test may still drop to real mode):
 *   0x6000 hvm_start_info (version 1, 56 bytes)
 *   0x6040 GDT: null, null, 0x10 flat 32-bit code, 0x18 flat data (QEMU's PVH ROM selectors)
 *   0x6080 memory map (hvm_memmap_table_entry, 24 bytes each, at most PVH_MEMMAP_MAX)
 *   0x7000 command line, NUL-terminated, at most PVH_CMDLINE_MAX bytes with the NUL
 * A PT_LOAD segment overlapping [0x6000, 0x8000) is refused.
 */
#define PVH_START_INFO_ADDR 0x6000u
#define PVH_GDT_ADDR        0x6040u
#define PVH_MEMMAP_ADDR     0x6080u
#define PVH_MEMMAP_MAX      128u
#define PVH_MODLIST_ADDR    0x6fe0u   /* one hvm_modlist_entry (32 bytes): the initrd */
#define PVH_CMDLINE_ADDR    0x7000u
#define PVH_CMDLINE_MAX     0x1000u
#define PVH_RESERVED_END    0x8000u
#define PVH_CODE_SEL        0x10
#define PVH_DATA_SEL        0x18

typedef struct PvhSegment {
    uint64_t paddr;      /* p_paddr, as QEMU's loader uses (vmlinux: physical load address) */
    uint64_t offset;
    uint64_t filesz;
    uint64_t memsz;      /* the rest after filesz is zeroed */
} PvhSegment;

typedef struct PvhKernel {
    char *path;
    uint8_t *data;
    size_t size;
    bool is64;           /* ELFCLASS64 */
    GArray *segs;        /* PvhSegment, PT_LOAD with memsz > 0 */
    uint32_t entry;      /* the PVH note's 32-bit entry */
} PvhKernel;

/* One memory-map entry for the start info (the e820 types). */
typedef struct PvhMemmapEntry {
    uint64_t addr, size;
    uint32_t type;
} PvhMemmapEntry;

/*
 * Parse an ELF32/ELF64 little-endian x86 image held in data (not copied; k->data is
 * not set).  Errors name what is wrong ("not an ELF file", "truncated ELF file: ...",
 * "no PVH entry point: no XEN_ELFNOTE_PHYS32_ENTRY note in a PT_NOTE segment", ...).
 */
bool pvh_elf_parse(PvhKernel *k, const uint8_t *data, size_t size, GError **errp);
/* Read and parse path: "could not open kernel file 'PATH': <strerror>" or
 * "could not load kernel 'PATH': <parse error>". */
PvhKernel *pvh_kernel_open(const char *path, GError **errp);
void pvh_kernel_free(PvhKernel *k);

/*
 * Copy the segments into guest memory (through fv; every byte must land in RAM), write
 * the start info, GDT, memory map and cmdline (NULL: empty) and fill *entry: 32-bit
 * protected mode, paging off, flat CS=0x10 and DS/ES/FS/GS/SS=0x18, EBX = start info,
 * every other register 0, EFLAGS 0x2.  rsdp 0 = no ACPI tables.
 */
bool pvh_load(const PvhKernel *k, const FlatView *fv, const char *cmdline, uint64_t rsdp,
              const PvhMemmapEntry *memmap, size_t memmap_len, X86EntryState *entry,
              GError **errp);

/*
 * -initrd (issue 7): copy the image to the top of the highest e820 RAM range below 4 GiB
 * (4 KiB aligned, as QEMU places it), clear of the kernel's segments, and describe it in
 * the start info (nr_modules = 1, modlist_paddr = PVH_MODLIST_ADDR).  Call after pvh_load.
 * No e820 change is needed: Linux reserves the module itself (early_reserve_initrd).
 * *addr (may be NULL) receives the load address.
 */
bool pvh_load_initrd(const PvhKernel *k, const FlatView *fv, const uint8_t *data, size_t size,
                     const PvhMemmapEntry *memmap, size_t memmap_len, uint64_t *addr,
                     GError **errp);

#endif
