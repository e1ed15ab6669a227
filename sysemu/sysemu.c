/* Creating and tearing down the SysEmu instance: everything the emulator owns hangs off it. */
#include "sysemu/sysemu.h"

#include "monitor/monitor.h"
#include "numa/numa-machine.h"
#include "qapi-commands.h"
#include "qom/object.h"
#include "util/opts.h"

SysEmu *sysemu_new(const char *target)
{
    SysEmu *se = g_new0(SysEmu, 1);

    se->target = target;
    se->opts = opts_store_new();
    se->serial = g_ptr_array_new_with_free_func(g_free);
    se->qmp_specs = g_ptr_array_new_with_free_func(g_free);
    se->runstate = EMU_RUN_STATE_PRELAUNCH;
    se->main_ctx = g_main_context_ref(g_main_context_default());
    return se;
}

void sysemu_free(SysEmu *se)
{
    if (!se) {
        return;
    }
    /* Monitors first: their connections refer to the rest. */
    monitor_cleanup(se);
    if (se->qmp_commands) {
        qmp_command_list_free(se->qmp_commands);
    }
    if (se->qmp_cap_commands) {
        qmp_command_list_free(se->qmp_cap_commands);
    }
    /* The platform (devices, vCPU) refers to the machine's memory: it goes first. */
    if (se->platform_free) {
        se->platform_free(se->platform);
    }
    if (se->machine) {
        machine_free(se->machine);
    }
    /* Objects before the registry that holds their classes. */
    object_unref(se->qom_root);
    type_registry_free(se->types);
    opts_store_free(se->opts);
    g_ptr_array_free(se->serial, TRUE);
    g_ptr_array_free(se->qmp_specs, TRUE);
    g_free(se->display);
    g_free(se->kernel);
    g_free(se->initrd);
    g_free(se->append);
    g_free(se->log_items);
    g_main_context_unref(se->main_ctx);
    g_free(se);
}

bool sysemu_machine_setup(SysEmu *se, GError **errp)
{
    MachineState *ms = se->machine;

    if (!ms) {
        error_setg(errp, "no machine selected");
        return false;
    }
    Opts *mem = opts_store_find(se->opts, "memory");

    return machine_parse_memory(ms, mem, errp) &&
           machine_resolve_ram_memdev(se, ms, mem && opt_has(mem, "size"), errp) &&
           machine_parse_smp(ms, opts_store_find(se->opts, "smp-opts"), errp) &&
           numa_machine_setup(se, ms, errp);
}

/*
 * Board initialisation: NUMA is completed, system RAM is built from the memory backends
 * (machine_create_ram), then the board maps it and builds the rest (mc->init).
 */
static bool sysemu_board_init(SysEmu *se, GError **errp)
{
    MachineState *ms = se->machine;

    if (!ms) {
        error_setg(errp, "no machine selected");
        return false;
    }
    return numa_machine_complete(ms, errp) && machine_create_ram(se, ms, errp) &&
           (!ms->mc->init || ms->mc->init(se, ms, errp));
}

bool sysemu_start(SysEmu *se, GError **errp)
{
    if (se->machine_initialized) {
        error_setg(errp, "The command is permitted only before machine initialization");
        return false;
    }
    if (!sysemu_board_init(se, errp)) {
        return false;
    }
    se->machine_initialized = true;
    se->preconfig = false;
    /* A dump option (dumpacpi=) was served by the board: exit 0 without running. */
    if (se->machine->exit_after_init) {
        sysemu_request_shutdown(se, SHUTDOWN_CAUSE_NONE, 0);
        return true;
    }
    /* -S keeps the guest in prelaunch until a cont; otherwise it starts now. */
    if (se->start_paused) {
        return true;
    }
    if (!runstate_set(se, EMU_RUN_STATE_RUNNING, errp)) {
        return false;
    }
    monitor_qmp_event(se, "RESUME", NULL);
    return true;
}

void qmp_x_exit_preconfig(SysEmu *se, GError **errp)
{
    if (!se->preconfig) {
        error_setg(errp, "The command is permitted only before machine initialization");
        return;
    }
    /* As in QEMU, a machine that cannot be built is fatal: there is no way back. */
    if (!sysemu_start(se, errp)) {
        error_report("%s", (*errp)->message);
        sysemu_request_shutdown(se, SHUTDOWN_CAUSE_HOST_ERROR, 1);
    }
}
