/* The machine's NUMA flow: state and -numa options before --preconfig, completion at board init. */
#ifndef NUMBAT_NUMA_NUMA_MACHINE_H
#define NUMBAT_NUMA_NUMA_MACHINE_H

#include "numa/numa.h"

typedef struct SysEmu SysEmu;

/*
 * After -m/-smp and the memory backends, before --preconfig waits: create ms->numa,
 * -machine hmat=on, the memdev resolver over /objects, then every -numa in command-line
 * order.  An option's error comes back prefixed with the option ("-numa node,nodeid=128: ").
 */
bool numa_machine_setup(SysEmu *se, MachineState *ms, GError **errp);
/* At board init: QEMU's implicit node with memory hotplug, then numa_complete_configuration. */
bool numa_machine_complete(MachineState *ms, GError **errp);
/* "-numa help" (every type) or "-numa TYPE,help" (one type): options, one per line. */
char *numa_help_text(const char *type);

/* numa/numa-qmp.c: "info numa" as QEMU 7.2 prints it, lines ending in '\n'. */
char *numa_info_text(const MachineState *ms);

#endif
