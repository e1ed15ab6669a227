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

/* cpu_index_to_socket_id for e2k: sockets are chips, so socket = node by default. */
int e2k_cpu_index_to_socket_id(const MachineState *ms, unsigned cpu_index);

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
/*
 * -machine e2k,dumpbootinfo=FILE / dumpdtb=FILE: write the images (either path may be
 * NULL).  The boot info's devtree field points at where the DTB would be loaded.
 */
bool e2k_firmware_dump(const MachineState *ms, const char *cmdline, const char *bootinfo_path,
                       const char *dtb_path, GError **errp);

#endif
