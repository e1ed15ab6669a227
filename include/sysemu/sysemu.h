/* SysEmu: the whole emulator instance (machine, objects, options, run state, main loop, monitors). */
#ifndef NUMBAT_SYSEMU_SYSEMU_H
#define NUMBAT_SYSEMU_SYSEMU_H

#include <glib.h>
#include <stdbool.h>
#include "qapi/error.h"
#include "qapi/qmp-dispatch.h"   /* typedef struct SysEmu SysEmu */
#include "hw/core/boards.h"

typedef struct OptsStore OptsStore;
typedef struct Object Object;
typedef struct TypeRegistry TypeRegistry;
typedef struct Monitor Monitor;

/*
 * Run states, named as QEMU's query-status reports them.  Allowed transitions are
 * listed in sysemu/runstate.c; anything else is a programming error reported as such.
 */
typedef enum EmuRunState {
    EMU_RUN_STATE_DEBUG,
    EMU_RUN_STATE_PRELAUNCH,      /* machine built (or being configured), guest not started */
    EMU_RUN_STATE_RUNNING,
    EMU_RUN_STATE_PAUSED,
    EMU_RUN_STATE_SHUTDOWN,
    EMU_RUN_STATE_INTERNAL_ERROR,
    EMU_RUN_STATE_GUEST_PANICKED,
    EMU_RUN_STATE__MAX
} EmuRunState;

/* Why the emulator stops: QEMU's shutdown causes that numbat can produce. */
typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,     /* e.g. a fatal host-side failure */
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,  /* the quit command */
    SHUTDOWN_CAUSE_HOST_SIGNAL,    /* SIGINT/SIGTERM/SIGHUP */
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN, /* ACPI poweroff */
    SHUTDOWN_CAUSE_GUEST_RESET,    /* reset with -no-reboot */
} ShutdownCause;

struct SysEmu {
    const char *target;            /* "x86_64" / "e2k": which machine table applies */
    OptsStore *opts;               /* every parsed option, in command-line order */

    const MachineClass *machine_class;
    MachineState *machine;
    TypeRegistry *types;           /* every QOM type this binary knows */
    Object *qom_root;              /* "/" of the object tree; "/objects" holds -object ones */

    const char *accel;             /* "qtest", "interp" */
    /* How guest code runs (include/sysemu/accel.h); NULL: none runs (qtest, or no CPU). */
    const struct AccelOps *accel_ops;
    /* The board's runtime platform (x86: port I/O, devices, -kernel, vCPU:
     * hw/i386/platform.c); freed by sysemu_free before the machine. */
    void *platform;
    void (*platform_free)(void *platform);
    /* QMP system_powerdown: the board presses its power button (NULL: it has none). */
    void (*platform_powerdown)(void *platform);
    /* QMP inject-nmi: the board's NMI line (NULL: it has none). */
    void (*platform_nmi)(void *platform);
    /* The board's PCI root bus for query-pci / info pci (NULL: no PCI); the platform owns it. */
    struct PciBus *pci_bus;
    bool start_paused;             /* -S */
    bool preconfig;                /* --preconfig and the machine not yet initialised */
    bool machine_initialized;
    bool no_reboot;
    bool nographic;
    bool nodefaults;
    char *display;                 /* "none" */
    GPtrArray *serial;             /* char *: each -serial argument */
    char *kernel, *initrd, *append;
    char *log_items;               /* -d */
    GPtrArray *qmp_specs;          /* char *: each -qmp argument */

    EmuRunState runstate;
    GMainContext *main_ctx;        /* everything runs from this context, one thread */
    QmpCommandList *qmp_commands;  /* all commands (generated registration) */
    QmpCommandList *qmp_cap_commands; /* capabilities-negotiation mode: qmp_capabilities only */
    GPtrArray *monitors;           /* QmpServer * (monitor/qmp.c): one per -qmp */
    Monitor *cur_mon;              /* the connection whose command is being dispatched */

    bool exit_requested;
    ShutdownCause shutdown_cause;
    int exit_status;
};

SysEmu *sysemu_new(const char *target);
void sysemu_free(SysEmu *se);

/*
 * Before --preconfig waits (after the memory backends): apply -m and -smp, create the NUMA
 * state and apply every -numa (hw/core/machine-*.c, numa/numa-machine.c).  Errors of a
 * -numa option carry the option as location ("-numa node,nodeid=128: ...").
 */
bool sysemu_machine_setup(SysEmu *se, GError **errp);

/*
 * Initialise the board (after -object creation, or when --preconfig ends) and start the
 * guest unless -S: run state prelaunch -> running.  Once only.
 */
bool sysemu_start(SysEmu *se, GError **errp);

/* Run states (sysemu/runstate.c). */
const char *runstate_name(EmuRunState state);
bool runstate_check(const SysEmu *se, EmuRunState state);
bool runstate_is_running(const SysEmu *se);
/* Move to new_state; an impossible transition fails with
 * "invalid runstate transition: 'A' -> 'B'" and leaves the state alone. */
bool runstate_set(SysEmu *se, EmuRunState new_state, GError **errp);

/* Ask the main loop to stop after the current event: the process exits with status. */
void sysemu_request_shutdown(SysEmu *se, ShutdownCause cause, int status);
/* Iterate the main context until an exit is requested; returns the exit status. */
int sysemu_main_loop(SysEmu *se);

#endif
