/* QMP request dispatch: validate a request object, run its command, build the response. */
#include <string.h>
#include "qapi/qmp-dispatch.h"

/*
 * Check the request's shape the way QEMU 7.2 does, member by member in input order, so
 * the first offending member is the one reported.  Returns the request as a dict.
 */
static QDict *qmp_check_request(QObject *request, GError **errp)
{
    QDict *dict = qobject_to_qdict(request);
    const QDictEntry *ent;
    bool has_execute = false;

    if (!dict) {
        error_setg(errp, "QMP input must be a JSON object");
        return NULL;
    }
    for (ent = qdict_first(dict); ent; ent = qdict_next(dict, ent)) {
        const char *key = qdict_entry_key(ent);
        QObject *val = qdict_entry_value(ent);

        if (!strcmp(key, "execute")) {
            if (qobject_type(val) != QTYPE_QSTRING) {
                error_setg(errp, "QMP input member '%s' must be a string", key);
                return NULL;
            }
            has_execute = true;
        } else if (!strcmp(key, "arguments")) {
            if (qobject_type(val) != QTYPE_QDICT) {
                error_setg(errp, "QMP input member 'arguments' must be an object");
                return NULL;
            }
        } else if (strcmp(key, "id") != 0) {
            /* numbat has no out-of-band execution: "exec-oob" lands here too. */
            error_setg(errp, "QMP input member '%s' is unexpected", key);
            return NULL;
        }
    }
    if (!has_execute) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return NULL;
    }
    return dict;
}

/* Run the command of a well-formed request; returns its result (a new reference). */
static QObject *qmp_run(const QmpCommandList *cmds, QDict *dict, SysEmu *se,
                        bool preconfig, GError **errp)
{
    const char *name = qdict_get_try_str(dict, "execute");
    const QmpCommand *cmd = qmp_find_command(cmds, name);
    QDict *args;
    QObject *ret = NULL;
    GError *err = NULL;

    if (!cmd) {
        error_set(errp, NB_ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (preconfig && !(cmd->options & QCO_ALLOW_PRECONFIG)) {
        error_setg(errp, "The command '%s' is permitted only after machine "
                   "initialization has completed", cmd->name);
        return NULL;
    }
    /* Handlers always get a dict they may keep a reference to: missing means empty. */
    args = qdict_get_qdict(dict, "arguments");
    args = args ? (QDict *)qobject_ref(QOBJECT(args)) : qdict_new();
    cmd->fn(se, args, &ret, &err);
    qobject_unref(QOBJECT(args));
    if (err) {
        qobject_unref(ret);
        error_propagate(errp, err);
        return NULL;
    }
    return ret ? ret : QOBJECT(qdict_new());
}

QDict *qmp_dispatch(const QmpCommandList *cmds, QObject *request, SysEmu *se, bool preconfig)
{
    GError *err = NULL;
    QDict *req = qobject_to_qdict(request);
    /* Even a malformed request gets its id back when it has one (as in QEMU). */
    QObject *id = req ? qdict_get(req, "id") : NULL;
    QObject *ret = NULL;
    QDict *rsp;

    if (qmp_check_request(request, &err)) {
        ret = qmp_run(cmds, req, se, preconfig, &err);
    }
    if (err) {
        rsp = qmp_error_response(err);
    } else {
        rsp = qdict_new();
        qdict_put_obj(rsp, "return", ret);
    }
    if (id) {
        qdict_put_obj(rsp, "id", qobject_ref(id));
    }
    return rsp;
}

QDict *qmp_error_response(GError *err)
{
    QDict *rsp = qdict_new();
    QDict *error = qdict_new();

    qdict_put_str(error, "class", error_class_name(error_get_class(err)));
    qdict_put_str(error, "desc", err->message);
    qdict_put_obj(rsp, "error", QOBJECT(error));
    g_error_free(err);
    return rsp;
}
