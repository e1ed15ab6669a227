/* QMP monitors: servers on stdio or a socket, each connection negotiating and dispatching on its own. */
#ifndef NUMBAT_MONITOR_MONITOR_H
#define NUMBAT_MONITOR_MONITOR_H

#include <stdbool.h>
#include "qapi/error.h"
#include "qobject/qobject.h"
#include "sysemu/sysemu.h"

/*
 * Start a QMP monitor for a -qmp argument:
 *   stdio
 *   unix:PATH[,server=on|off][,wait=on|off]   (also QEMU's bare "server" / "nowait")
 * Only listening sockets are supported (server=on).  A unix socket file is created with mode 0600 and
 * removed again by monitor_cleanup().  With wait=on, this blocks until a client connects.
 * Needs se->qmp_commands and se->qmp_cap_commands filled in (monitor_init_commands()).
 */
bool monitor_qmp_add(SysEmu *se, const char *spec, GError **errp);

/* Fill se->qmp_commands from the generated registration and derive the
 * capabilities-negotiation list (qmp_capabilities only). */
void monitor_init_commands(SysEmu *se);

/* Close every monitor and connection; unlink socket files. */
void monitor_cleanup(SysEmu *se);

/* The greeting sent on connect: {"QMP": {"version": ..., "capabilities": []}}. */
QDict *qmp_greeting(SysEmu *se);

/* For qmp_capabilities: whether mon already left negotiation mode, and leaving it. */
bool monitor_qmp_in_command_mode(const Monitor *mon);
void monitor_qmp_enter_command_mode(Monitor *mon);

/* Send event NAME (with data, or none when NULL; data is consumed) to every connection
 * past capabilities negotiation, with QEMU's timestamp member. */
void monitor_qmp_event(SysEmu *se, const char *name, QDict *data);

#endif
