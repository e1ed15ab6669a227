/* isa-debug-exit: a guest write of V to its ports exits the emulator with status (V << 1) | 1. */
#include "hw/misc/debug-exit.h"

static uint64_t debug_exit_read(void *opaque, uint64_t addr, unsigned size)
{
    return ~0ull;   /* write-only: reads float like an unassigned port */
}

static void debug_exit_write(void *opaque, uint64_t addr, uint64_t val, unsigned size)
{
    DebugExitState *d = opaque;

    /* The shift keeps every guest value distinguishable from a clean exit 0 (odd status);
       the host truncates it to 8 bits as usual. */
    d->exit(d->exit_opaque, (int)(((uint32_t)val << 1) | 1));
}

static const MemoryRegionOps debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
};

DebugExitState *debug_exit_new(uint32_t iobase, uint32_t iosize, DebugExitFn *exit,
                               void *opaque)
{
    DebugExitState *d = g_new0(DebugExitState, 1);

    d->iobase = iobase;
    d->iosize = iosize;
    d->exit = exit;
    d->exit_opaque = opaque;
    memory_region_init_io(&d->io, "isa-debug-exit", &debug_exit_ops, d, iosize);
    return d;
}

void debug_exit_free(DebugExitState *d)
{
    if (d) {
        memory_region_destroy(&d->io);
        g_free(d);
    }
}
