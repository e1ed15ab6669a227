/* Run states of one SysEmu (QEMU's names and transitions), shutdown requests and the main loop. */
#include "sysemu/sysemu.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

static const char *const runstate_names[EMU_RUN_STATE__MAX] = {
    [EMU_RUN_STATE_DEBUG] = "debug",
    [EMU_RUN_STATE_PRELAUNCH] = "prelaunch",
    [EMU_RUN_STATE_RUNNING] = "running",
    [EMU_RUN_STATE_PAUSED] = "paused",
    [EMU_RUN_STATE_SHUTDOWN] = "shutdown",
    [EMU_RUN_STATE_INTERNAL_ERROR] = "internal-error",
    [EMU_RUN_STATE_GUEST_PANICKED] = "guest-panicked",
};

/* Allowed transitions, a subset of QEMU's table (numbat has no migration). */
static const struct {
    EmuRunState from, to;
} runstate_transitions[] = {
    { EMU_RUN_STATE_DEBUG, EMU_RUN_STATE_RUNNING },
    { EMU_RUN_STATE_DEBUG, EMU_RUN_STATE_PAUSED },
    { EMU_RUN_STATE_PRELAUNCH, EMU_RUN_STATE_RUNNING },
    { EMU_RUN_STATE_RUNNING, EMU_RUN_STATE_DEBUG },
    { EMU_RUN_STATE_RUNNING, EMU_RUN_STATE_PAUSED },
    { EMU_RUN_STATE_RUNNING, EMU_RUN_STATE_SHUTDOWN },
    { EMU_RUN_STATE_RUNNING, EMU_RUN_STATE_INTERNAL_ERROR },
    { EMU_RUN_STATE_RUNNING, EMU_RUN_STATE_GUEST_PANICKED },
    { EMU_RUN_STATE_PAUSED, EMU_RUN_STATE_RUNNING },
    { EMU_RUN_STATE_SHUTDOWN, EMU_RUN_STATE_PAUSED },
    { EMU_RUN_STATE_SHUTDOWN, EMU_RUN_STATE_PRELAUNCH },
    { EMU_RUN_STATE_INTERNAL_ERROR, EMU_RUN_STATE_PAUSED },
    { EMU_RUN_STATE_INTERNAL_ERROR, EMU_RUN_STATE_PRELAUNCH },
    { EMU_RUN_STATE_GUEST_PANICKED, EMU_RUN_STATE_RUNNING },
    { EMU_RUN_STATE_GUEST_PANICKED, EMU_RUN_STATE_PAUSED },
    { EMU_RUN_STATE_GUEST_PANICKED, EMU_RUN_STATE_PRELAUNCH },
};

const char *runstate_name(EmuRunState state)
{
    if (state < 0 || state >= EMU_RUN_STATE__MAX) {
        return "unknown";
    }
    return runstate_names[state];
}

bool runstate_check(const SysEmu *se, EmuRunState state)
{
    return se->runstate == state;
}

bool runstate_is_running(const SysEmu *se)
{
    return se->runstate == EMU_RUN_STATE_RUNNING;
}

bool runstate_set(SysEmu *se, EmuRunState new_state, GError **errp)
{
    if (new_state == se->runstate) {
        return true;   /* as in QEMU, staying put is not a transition */
    }
    for (size_t i = 0; i < G_N_ELEMENTS(runstate_transitions); i++) {
        if (runstate_transitions[i].from == se->runstate &&
            runstate_transitions[i].to == new_state) {
            se->runstate = new_state;
            return true;
        }
    }
    error_setg(errp, "invalid runstate transition: '%s' -> '%s'",
               runstate_name(se->runstate), runstate_name(new_state));
    return false;
}

void sysemu_request_shutdown(SysEmu *se, ShutdownCause cause, int status)
{
    /* The first request decides the exit status: later ones are consequences. */
    if (se->exit_requested) {
        return;
    }
    se->exit_requested = true;
    se->shutdown_cause = cause;
    se->exit_status = status;
    g_main_context_wakeup(se->main_ctx);
}

typedef struct SignalWatch {
    SysEmu *se;
    int signum;
} SignalWatch;

static gboolean on_terminate_signal(gpointer opaque)
{
    SignalWatch *w = opaque;

    error_report("terminating on signal %d", w->signum);
    sysemu_request_shutdown(w->se, SHUTDOWN_CAUSE_HOST_SIGNAL, 0);
    return G_SOURCE_CONTINUE;
}

static GSource *add_signal_watch(SysEmu *se, int signum)
{
    GSource *src = g_unix_signal_source_new(signum);
    SignalWatch *w = g_new(SignalWatch, 1);

    *w = (SignalWatch) { .se = se, .signum = signum };
    g_source_set_callback(src, on_terminate_signal, w, g_free);
    g_source_attach(src, se->main_ctx);
    return src;
}

int sysemu_main_loop(SysEmu *se)
{
    /* QEMU exits cleanly (status 0) on SIGINT, SIGTERM and SIGHUP. */
    GSource *sigs[] = {
        add_signal_watch(se, SIGINT), add_signal_watch(se, SIGTERM),
        add_signal_watch(se, SIGHUP),
    };

    while (!se->exit_requested) {
        g_main_context_iteration(se->main_ctx, TRUE);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
        g_source_destroy(sigs[i]);
        g_source_unref(sigs[i]);
    }
    return se->exit_status;
}
