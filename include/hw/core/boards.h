/* Machine classes (the boards a binary offers) and the machine state built from one of them. */
#ifndef NUMBAT_HW_CORE_BOARDS_H
#define NUMBAT_HW_CORE_BOARDS_H

#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "qapi-types.h"   /* CpuInstanceProperties (generated from qapi/machine.json) */

/* Owned by other modules; forward declarations keep this header light. */
typedef struct NumaState NumaState;
typedef struct MemoryRegion MemoryRegion;
typedef struct NodeInfo NodeInfo;
typedef struct CPUArchIdList CPUArchIdList;
typedef struct CpuInstanceProperties CpuInstanceProperties;

typedef struct MachineState MachineState;
typedef struct MachineClass MachineClass;
typedef struct SysEmu SysEmu;
typedef struct Opts Opts;

/*
 * One possible CPU slot (x86 layer; also what query-hotpluggable-cpus lists).  props holds
 * the slot's topology ids (has_* for the ones the board has) and, once NUMA placed the
 * CPU, node_id.  Built by the board's possible_cpu_arch_ids hook into ms->possible_cpus.
 */
typedef struct CPUArchId {
    uint64_t arch_id;                /* x86: APIC ID */
    int64_t vcpus_count;
    unsigned cpu_index;
    const char *type;                /* CPU type name, or NULL */
    CpuInstanceProperties props;
} CPUArchId;

struct CPUArchIdList {
    int len;
    CPUArchId cpus[];
};

/*
 * What a board is: a constant description plus hooks.  The NUMA hooks (DESIGN §3) are
 * filled in by the boards once the NUMA layers land; NULL means "not provided".
 */
struct MachineClass {
    const char *name;        /* -machine type=NAME */
    const char *desc;        /* one line for -machine help */
    const char *alias;       /* another accepted name, or NULL */
    bool is_default;         /* chosen when -machine gives no type */
    unsigned max_cpus;
    uint64_t default_ram_size;
    const char *default_ram_id;      /* name of the RAM region / default backend: "pc.ram" */
    const char *const *properties;   /* -machine keys this board adds (NULL-terminated) */
    /*
     * Board init, after -m/-smp/-numa are complete and after machine_create_ram() built
     * ms->ram (sysemu_board_init calls it first: a container of the nodes' memdevs, or the
     * one default backend named default_ram_id).  The board only maps ms->ram into its
     * address space (aliases below/above its holes), then builds firmware tables and
     * devices.  May set ms->exit_after_init (dump options).
     */
    bool (*init)(SysEmu *se, MachineState *ms, GError **errp);

    /* x86 layer: CPU -> node through possible_cpus[i].props */
    const CPUArchIdList *(*possible_cpu_arch_ids)(MachineState *ms);
    CpuInstanceProperties *(*cpu_index_to_instance_props)(MachineState *ms, unsigned cpu_index);
    int64_t (*get_default_cpu_node_id)(const MachineState *ms, int idx);
    /* shared: split RAM among nodes that were given none */
    void (*numa_auto_assign_ram)(const MachineClass *mc, NodeInfo *nodes, int nb_nodes,
                                 uint64_t size);
    int numa_mem_align_shift;
    /* e2k layer: socket of a CPU, used to group CPUs into nodes */
    int (*cpu_index_to_socket_id)(const MachineState *ms, unsigned cpu_index);
    /* -smp: whether dies= may exceed 1 (x86 yes); clusters are never supported */
    bool smp_dies_supported;
    /* -m slots=/maxmem= without -numa gives an implicit node 0 (QEMU's pc since 2.11) */
    bool auto_enable_numa_with_memhp;
    /* CPU type name query-hotpluggable-cpus reports ("qemu64-x86_64-cpu"), or NULL */
    const char *cpu_type;
};

typedef struct SmpTopology {
    unsigned cpus;
    unsigned sockets;
    unsigned dies;
    unsigned cores;
    unsigned threads;
    unsigned max_cpus;
} SmpTopology;

/* One machine instance; owned by SysEmu, never global. */
struct MachineState {
    const MachineClass *mc;
    uint64_t ram_size;
    uint64_t maxram_size;
    uint64_t ram_slots;  /* -m slots= (memory hotplug slots), 0 = none */
    SmpTopology smp;
    NumaState *numa;     /* set up by numa/ */
    CPUArchIdList *possible_cpus;  /* filled by mc->possible_cpu_arch_ids; g_free'd with ms */
    MemoryRegion *ram;   /* system memory, built by machine_create_ram before mc->init */
    MemoryRegion *ram_container;  /* ms->ram when it is the memdev container (owned) */
    void *ram_memdev;    /* -machine memory-backend=ID: its HostMemoryBackend (/objects owns it) */
    const Opts *opts;    /* the merged -machine options (board properties like dumpacpi) */
    bool exit_after_init;  /* a dump option was served: exit 0 instead of running */
    /* Board-private state (pc: PcMachineState, include/hw/i386/pc.h: memory map, system
     * address space and its flat view, e820, ACPI tables); machine_free calls board_free
     * on it first, before RAM and NUMA state go away. */
    void *board;
    void (*board_free)(void *board);
};

/*
 * The machine classes of this binary, NULL-terminated: provided by the boards linked into
 * it (hw/i386/ for numbat-system-x86_64, hw/e2k/ for numbat-system-e2k).
 */
const MachineClass *const *target_machine_classes(void);
/*
 * Class called name (or its alias) in list; name NULL picks the default class.
 * Unknown names fail with "unsupported machine type" and a hint line
 * "Use -machine help to list supported machines".
 */
const MachineClass *machine_class_find(const MachineClass *const *list, const char *name,
                                       GError **errp);
/* The -machine help text: "Supported machines are:" and one line per class. */
char *machine_class_help(const MachineClass *const *list);

/* Fresh machine state with the class defaults (RAM size, one CPU). */
MachineState *machine_new(const MachineClass *mc);
void machine_free(MachineState *ms);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MachineState, machine_free)

/* Whether key is a -machine property numbat knows; else "Property 'pc-machine.KEY' not found". */
bool machine_check_property(const MachineClass *mc, const char *key, GError **errp);

/*
 * hw/core/machine-mem.c: apply -m [size=]SIZE[,slots=N,maxmem=SIZE] (opts may be NULL) to
 * ram_size, ram_slots and maxram_size, with QEMU 7.2's rules and messages.
 */
bool machine_parse_memory(MachineState *ms, const Opts *opts, GError **errp);
/*
 * hw/core/machine-smp.c: apply -smp [cpus=]N[,sockets=,dies=,clusters=,cores=,threads=,
 * maxcpus=] (opts may be NULL) with QEMU 7.2's completion (cores preferred over sockets)
 * and consistency checks.
 */
bool machine_parse_smp(MachineState *ms, const Opts *opts, GError **errp);
/*
 * hw/core/machine-ram.c: build ms->ram before the board's init: a container named
 * mc->default_ram_id whose subregions are the nodes' memdevs at running offsets (each
 * backend claimed), or one default backend of ram_size under /objects (root).
 */
bool machine_create_ram(SysEmu *se, MachineState *ms, GError **errp);
/*
 * -machine memory-backend=ID (before -numa): the backend becomes system RAM; without -m
 * its size is the RAM size, with -m the two must agree (QEMU 7.2's messages).
 */
bool machine_resolve_ram_memdev(SysEmu *se, MachineState *ms, bool size_given,
                                GError **errp);

#endif
