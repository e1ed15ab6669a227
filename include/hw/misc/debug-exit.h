/* isa-debug-exit: a port that ends the emulator with a status the guest chooses (QEMU's test device). */
#ifndef NUMBAT_HW_MISC_DEBUG_EXIT_H
#define NUMBAT_HW_MISC_DEBUG_EXIT_H

#include <stdint.h>
#include "sysemu/memory.h"

/* Asks the machine to exit with status; called from inside a guest port write. */
typedef void DebugExitFn(void *opaque, int status);

typedef struct DebugExitState {
    MemoryRegion io;
    uint32_t iobase, iosize;
    DebugExitFn *exit;
    void *exit_opaque;
} DebugExitState;

/* QEMU's defaults: iobase=0x501, iosize=2. */
#define DEBUG_EXIT_DEFAULT_IOBASE 0x501u
#define DEBUG_EXIT_DEFAULT_IOSIZE 0x02u

/* A write of V to any of its ports calls exit(opaque, (V << 1) | 1), as QEMU's device does. */
DebugExitState *debug_exit_new(uint32_t iobase, uint32_t iosize, DebugExitFn *exit,
                               void *opaque);
void debug_exit_free(DebugExitState *d);

#endif
