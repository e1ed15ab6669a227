/* Test-side decoder of the e2k bootblock: reads every field back from its documented offset and walks the banks the way MCST's readers do. */
#ifndef NUMBAT_TESTS_E2K_BOOTINFO_DECODE_H
#define NUMBAT_TESTS_E2K_BOOTINFO_DECODE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "hw/e2k/bootinfo.h"

typedef struct E2kBootInfoDecoded {
    uint16_t signature;
    uint8_t num_of_banks;
    uint64_t kernel_base, kernel_size, ramdisk_base, ramdisk_size;
    uint16_t num_of_cpus, num_of_nodes;
    uint64_t mp_table_base, serial_base, nodes_map;
    char cmdline[E2K_KERNEL_ARGS_SIZE + 1];
    char bios_signature[E2K_BIOS_SIGNATURE_SIZE + 1];
    uint8_t cpu_type;
    uint64_t devtree;
    uint16_t num_of_busy;
    E2kBank busy[E2K_BUSY_MAX];     /* the first num_of_busy entries */
    uint8_t bootblock_ver;
    uint16_t boot_flags, marker;
    /* Banks per node as the decompressor (shared banks_ex cursor) reads them. */
    E2kNodeRam nodes[E2K_MAX_NODES];
    unsigned banks_ex_used;         /* entries consumed, end markers included */
} E2kBootInfoDecoded;

/*
 * Decode `len` bytes.  Fails (with a message naming the field) when the block is not
 * E2K_BOOTBLOCK_SIZE long, a signature/marker is wrong, the command line is not
 * terminated, a byte outside the fields numbat writes is non-zero, num_of_banks or
 * num_of_nodes disagree with the banks and the map, or the decompressor's and the
 * kernel's bank walks disagree.
 */
bool e2k_bootinfo_decode(const uint8_t *buf, size_t len, E2kBootInfoDecoded *out,
                         GError **errp);

#endif
