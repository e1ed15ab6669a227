/* The e2k board's NUMA-facing glue: its class constants and hooks, and the firmware images built from a configured MachineState. */
#ifndef NUMBAT_HW_E2K_E2K_MACHINE_H
#define NUMBAT_HW_E2K_E2K_MACHINE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"
#include "hw/core/boards.h"
#include "hw/e2k/bootinfo.h"
#include "hw/e2k/e2k-fdt.h"

#define E2K_DEFAULT_CPU_MODEL       "e8c"
/* Automatic node split granularity: 8 MiB, a multiple of both e2k large pages (2 and 4 MiB). */
#define E2K_NUMA_MEM_ALIGN_SHIFT    23
/* Where the DTB goes: the top of low RAM, on this alignment (docs/design/e2k-bootinfo.md). */
#define E2K_DTB_ALIGN               UINT64_C(0x10000)

/*
 * Sockets are chips and a chip is a NUMA node, so on e2k the socket count defaults to the
 * node count: when -smp describes a single socket (what a bare "-smp N" gives) and -numa
 * declares N > 1 nodes that divide maxcpus evenly, the board counts N sockets of
 * maxcpus / N CPUs each.  Returns that N, or 0 when the -smp topology stands as given.
 */
unsigned e2k_default_sockets(const MachineState *ms);
/*
 * cpu_index_to_socket_id for e2k: the socket of the -smp topology, or of the default above.
 * The NUMA layer's default grouping (socket % nodes) then gives node n the CPUs of socket n.
 * With one socket and a node count that does not divide maxcpus it answers -1: the NUMA
 * layer then deals the CPUs out round-robin instead of putting all of them on node 0.
 */
int e2k_cpu_index_to_socket_id(const MachineState *ms, unsigned cpu_index);

/*
 * numa_complete_memory registered node n's range at its RAM offset; on e2k RAM past
 * 2 GiB lives at 16 GiB, so the board re-registers each node's banks at their guest
 * addresses for numa_get_node().  Called at board init, after NUMA completion.
 */
bool e2k_numa_remap_ranges(MachineState *ms, GError **errp);

/* Everything both images need, taken from a machine after numa_complete_configuration. */
typedef struct E2kFirmware {
    E2kBootInfoInput bootinfo;               /* nodes, CPUs, kernel, command line */
    unsigned nb_nodes;
    uint32_t cpu_node[E2K_MAX_CPUS];         /* node of each started CPU index */
    bool have_distance;
    uint8_t distance[E2K_MAX_NODES * E2K_MAX_NODES];
} E2kFirmware;

/*
 * Fill fw from ms: without -numa one node with all RAM and CPUs; with it, the NUMA state's
 * node sizes, distances (when given) and CPU bitmaps.  CPUs the NUMA layer left in no node
 * go to node 0 (it only warned about them).  cmdline may be NULL.
 */
bool e2k_firmware_init(E2kFirmware *fw, const MachineState *ms, const char *cmdline,
                       GError **errp);
/* The DTB for fw (g_free it). */
void *e2k_firmware_dtb(const E2kFirmware *fw, size_t *size, GError **errp);
/* Guest address for a DTB of `size` bytes: the top of low RAM, E2K_DTB_ALIGN-aligned. */
bool e2k_firmware_dtb_addr(const E2kFirmware *fw, size_t size, uint64_t *addr, GError **errp);
/* Both images and where they go in guest memory (e2k_firmware_build). */
typedef struct E2kFirmwareImages {
    uint8_t block[E2K_BOOTBLOCK_SIZE];       /* the bootblock (boot_info_t + trailer) */
    uint64_t block_addr;                     /* just below the DTB, 4 KiB aligned */
    void *dtb;                               /* g_malloc'd; e2k_firmware_images_free */
    size_t dtb_size;
    uint64_t dtb_addr;                       /* e2k_firmware_dtb_addr; also the devtree field */
} E2kFirmwareImages;

/*
 * Build both images for ms: the DTB at the top of low RAM, the bootblock below it, and
 * both listed in the bootblock's busy[] so that the decompressor keeps them.
 */
E2kFirmwareImages *e2k_firmware_build(const MachineState *ms, const char *cmdline,
                                      GError **errp);
void e2k_firmware_images_free(E2kFirmwareImages *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(E2kFirmwareImages, e2k_firmware_images_free)
/* Write the boot info block and/or the DTB to files (either path may be NULL). */
bool e2k_firmware_images_write(const E2kFirmwareImages *img, const char *bootinfo_path,
                               const char *dtb_path, GError **errp);

/*
 * -machine e2k,dumpbootinfo=FILE / dumpdtb=FILE: write the images (either path may be
 * NULL).  The images are e2k_firmware_build's: devtree and busy[] say where the board
 * loads them.
 */
bool e2k_firmware_dump(const MachineState *ms, const char *cmdline, const char *bootinfo_path,
                       const char *dtb_path, GError **errp);

#endif
