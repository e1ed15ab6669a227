/* QMP command registry and dispatch: request QDict in, response QDict out. */
#ifndef NUMBAT_QAPI_QMP_DISPATCH_H
#define NUMBAT_QAPI_QMP_DISPATCH_H

#include <stdbool.h>
#include "qapi/error.h"
#include "qobject/qobject.h"

/* The whole emulator instance (machine, objects, run state); defined in sysemu/sysemu.h.
 * Command handlers receive it instead of reaching for globals. */
typedef struct SysEmu SysEmu;

/* Generated marshallers have this type: unpack args, call qmp_NAME(se, ...), pack *ret. */
typedef void QmpCommandFunc(SysEmu *se, QDict *args, QObject **ret, GError **errp);

typedef enum QmpCommandOptions {
    QCO_NO_OPTIONS = 0,
    QCO_ALLOW_PRECONFIG = 1 << 0,  /* schema: 'allow-preconfig': true */
} QmpCommandOptions;

typedef struct QmpCommand {
    const char *name;
    QmpCommandFunc *fn;
    QmpCommandOptions options;
} QmpCommand;

typedef struct QmpCommandList QmpCommandList;

QmpCommandList *qmp_command_list_new(void);
void qmp_command_list_free(QmpCommandList *cmds);
void qmp_register_command(QmpCommandList *cmds, const char *name, QmpCommandFunc *fn,
                          QmpCommandOptions options);
const QmpCommand *qmp_find_command(const QmpCommandList *cmds, const char *name);
/* Registered commands in registration order. */
size_t qmp_command_count(const QmpCommandList *cmds);
const QmpCommand *qmp_command_at(const QmpCommandList *cmds, size_t i);

/*
 * Run one request ({"execute": NAME, "arguments": {...}, "id": ANY}) and build the
 * response: {"return": ...} or {"error": {"class": ..., "desc": ...}}, with "id" copied.
 * Malformed requests get QEMU's messages ("QMP input must be a JSON object",
 * "QMP input lacks member 'execute'", "The command NAME has not been found", ...).
 * preconfig: only QCO_ALLOW_PRECONFIG commands may run.
 */
QDict *qmp_dispatch(const QmpCommandList *cmds, QObject *request, SysEmu *se, bool preconfig);
/* Response for a parse error or other failure that has no request.
 * Takes ownership of err (frees it), as QEMU's does. */
QDict *qmp_error_response(GError *err);

#endif
