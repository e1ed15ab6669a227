/* QMP run control: query-status, stop, cont, system_powerdown and inject-nmi, with QEMU's semantics, texts and events. */
#include "monitor/monitor.h"
#include "qapi-commands.h"
#include "qapi/visitor.h"

StatusInfo *qmp_query_status(SysEmu *se, GError **errp)
{
    StatusInfo *info = g_new0(StatusInfo, 1);

    info->running = runstate_is_running(se);
    info->singlestep = false;
    /* numbat's run states carry QEMU's names, so the schema's enum is found by name. */
    info->status = qapi_enum_parse(&RunState_lookup, runstate_name(se->runstate),
                                   RUN_STATE_INTERNAL_ERROR, NULL);
    return info;
}

void qmp_stop(SysEmu *se, GError **errp)
{
    /* As QEMU's vm_stop: only a running guest pauses; in any other state this is a no-op.
       Everything runs on one thread, so the vCPU is already between slices here. */
    if (!runstate_is_running(se)) {
        return;
    }
    if (runstate_set(se, EMU_RUN_STATE_PAUSED, errp)) {
        monitor_qmp_event(se, "STOP", NULL);
    }
}

void qmp_cont(SysEmu *se, GError **errp)
{
    if (runstate_check(se, EMU_RUN_STATE_INTERNAL_ERROR) ||
        runstate_check(se, EMU_RUN_STATE_SHUTDOWN)) {
        error_setg(errp, "Resetting the Virtual Machine is required");
        return;
    }
    if (runstate_is_running(se)) {
        return;                     /* QEMU answers {} and sends no RESUME */
    }
    if (runstate_set(se, EMU_RUN_STATE_RUNNING, errp)) {
        monitor_qmp_event(se, "RESUME", NULL);
        g_main_context_wakeup(se->main_ctx);   /* the vCPU source re-checks its state */
    }
}

void qmp_system_powerdown(SysEmu *se, GError **errp)
{
    /* QEMU emits the event first, then the board reacts (the guest may ignore it). */
    monitor_qmp_event(se, "POWERDOWN", NULL);
    if (se->platform_powerdown && se->platform) {
        se->platform_powerdown(se->platform);
    }
}

void qmp_inject_nmi(SysEmu *se, GError **errp)
{
    /* QEMU: the machine's NMI interface (x86: LINT1 of each CPU's APIC), else
       QERR_UNSUPPORTED.  No event; the guest sees an NMI (or nothing, if LINT1 is masked). */
    if (!se->platform_nmi || !se->platform) {
        error_setg(errp, "this feature or command is not currently supported");
        return;
    }
    se->platform_nmi(se->platform);
}
