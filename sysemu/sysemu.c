/* Creating and tearing down the SysEmu instance: everything the emulator owns hangs off it. */
#include "sysemu/sysemu.h"

#include "monitor/monitor.h"
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

/*
 * Board initialisation: where -m / -smp are applied, NUMA is completed
 * (numa_complete_configuration) and system RAM is built from the memory backends.
 * The skeleton has nothing to build yet.
 */
static bool sysemu_board_init(SysEmu *se, GError **errp)
{
    if (!se->machine) {
        error_setg(errp, "no machine selected");
        return false;
    }
    const MachineClass *mc = se->machine->mc;
    return !mc->init || mc->init(se, se->machine, errp);
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
    /* -S keeps the guest in prelaunch until a cont; otherwise it starts now. */
    if (se->start_paused) {
        return true;
    }
    return runstate_set(se, EMU_RUN_STATE_RUNNING, errp);
}
