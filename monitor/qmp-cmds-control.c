/* QMP control commands: qmp_capabilities, query-version, query-commands, quit (query-qmp-schema is generated). */
#include <stdlib.h>

#include "monitor/monitor.h"
#include "qapi-commands.h"

void qmp_qmp_capabilities(SysEmu *se, bool has_enable, QMPCapabilityList *enable,
                          GError **errp)
{
    Monitor *mon = se->cur_mon;

    if (!mon) {
        error_setg(errp, "qmp_capabilities is only meaningful on a QMP connection");
        return;
    }
    if (monitor_qmp_in_command_mode(mon)) {
        /* QEMU answers a second negotiation as an unknown command would be. */
        error_set(errp, NB_ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Capabilities negotiation is already complete, command ignored");
        return;
    }
    /* The greeting offers no capabilities, so every requested one is unavailable. */
    if (has_enable && enable) {
        g_autoptr(GString) names = g_string_new(NULL);
        for (QMPCapabilityList *l = enable; l; l = l->next) {
            g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                                   QMPCapability_str(l->value));
        }
        error_setg(errp, "Capability %s not available", names->str);
        return;
    }
    monitor_qmp_enter_command_mode(mon);
}

/* "0.1.0" -> 0, 1, 0; missing parts are 0. */
static VersionTriple *parse_version(const char *text)
{
    VersionTriple *v = g_new0(VersionTriple, 1);
    char *end;

    v->major = strtoll(text, &end, 10);
    if (*end == '.') {
        v->minor = strtoll(end + 1, &end, 10);
    }
    if (*end == '.') {
        v->micro = strtoll(end + 1, &end, 10);
    }
    return v;
}

VersionInfo *qmp_query_version(SysEmu *se, GError **errp)
{
    VersionInfo *info = g_new0(VersionInfo, 1);

    /* QEMU's shape: numbat's own version goes where QEMU puts its own. */
    info->qemu = parse_version(NUMBAT_VERSION);
    info->package = g_strdup("numbat");
    return info;
}

CommandInfoList *qmp_query_commands(SysEmu *se, GError **errp)
{
    CommandInfoList *head = NULL, **tail = &head;
    size_t n = qmp_command_count(se->qmp_commands);

    for (size_t i = 0; i < n; i++) {
        CommandInfoList *node = g_new0(CommandInfoList, 1);
        node->value = g_new0(CommandInfo, 1);
        node->value->name = g_strdup(qmp_command_at(se->qmp_commands, i)->name);
        *tail = node;
        tail = &node->next;
    }
    return head;
}

void qmp_quit(SysEmu *se, GError **errp)
{
    /* The reply goes out first: the main loop only stops after this dispatch returns. */
    sysemu_request_shutdown(se, SHUTDOWN_CAUSE_HOST_QMP_QUIT, 0);
}
