/* The pc's runtime platform: port I/O, the ISA devices of the command line, -kernel and the boot vCPU. */
#ifndef NUMBAT_HW_I386_PLATFORM_H
#define NUMBAT_HW_I386_PLATFORM_H

#include <stdbool.h>
#include "qapi/error.h"
#include "hw/core/boards.h"
#include "sysemu/memory.h"

/*
 * Called at the end of the pc board init, once system_memory (the guest-physical space)
 * is complete: creates the port-I/O space, the serial ports (-serial; -nographic implies
 * stdio), the -device list (isa-debug-exit), loads -kernel (PVH ELF) and, when the
 * accelerator runs guest code, the boot vCPU.  The state hangs on se->platform.
 * Errors are QEMU's where QEMU has them ("-device foo: 'foo' is not a valid device model
 * name", "could not open kernel file 'X': ...").
 */
bool pc_platform_init(SysEmu *se, MachineState *ms, MemoryRegion *system_memory,
                      GError **errp);

/* The names -device accepts, one per line (for -device help). */
char *pc_device_help(void);

#endif
