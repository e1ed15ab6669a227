/* The QMP server: -qmp stdio / unix sockets, one JSON stream and negotiation state per connection. */
#include "monitor/monitor.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib-unix.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "qobject/json.h"
#include "qapi-commands.h"
#include "qapi-introspect.h"

typedef struct QmpServer QmpServer;

/* One connection: a byte stream in, replies out, its own parser and negotiation mode. */
struct Monitor {
    SysEmu *se;
    QmpServer *server;
    int in_fd, out_fd;
    GSocketConnection *conn;     /* keeps a socket's fd open; NULL for stdio */
    GSource *watch;
    JSONStreamParser *parser;
    bool command_mode;           /* qmp_capabilities has succeeded */
    bool dead;                   /* peer gone: close once the current feed returns */
};

/* One -qmp argument: stdio (a single connection) or a listening socket. */
struct QmpServer {
    SysEmu *se;
    char *spec;                  /* as given, for messages */
    GSocketService *service;     /* NULL for stdio */
    char *unlink_path;           /* unix socket file to remove at exit */
    GPtrArray *conns;            /* Monitor * */
    unsigned accepted;
};

/* ---- replies ---- */

/* Write all of buf; false if the peer has gone away. */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            /* a socket's buffer is full: wait for room rather than drop a reply */
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            poll(&pfd, 1, -1);
            continue;
        }
        if (n <= 0) {
            return false;
        }
        buf += n;
        len -= n;
    }
    return true;
}

static void monitor_send(Monitor *mon, QDict *msg)
{
    g_autofree char *json = qobject_to_json(QOBJECT(msg));
    /* QEMU ends every QMP message with CR LF. */
    g_autofree char *line = g_strconcat(json, "\r\n", NULL);

    if (!mon->dead && !write_all(mon->out_fd, line, strlen(line))) {
        mon->dead = true;
    }
}

QDict *qmp_greeting(SysEmu *se)
{
    g_autoptr(VersionInfo) info = qmp_query_version(se, NULL);
    QDict *triple = qdict_new();
    QDict *version = qdict_new();
    QDict *qmp = qdict_new();
    QDict *greeting = qdict_new();

    /* Built by hand to keep QEMU's member order byte for byte (micro first). */
    qdict_put_int(triple, "micro", info->qemu->micro);
    qdict_put_int(triple, "minor", info->qemu->minor);
    qdict_put_int(triple, "major", info->qemu->major);
    qdict_put(version, "qemu", triple);
    qdict_put_str(version, "package", info->package);
    qdict_put(qmp, "version", version);
    qdict_put(qmp, "capabilities", qlist_new());   /* none offered: no out-of-band */
    qdict_put(greeting, "QMP", qmp);
    return greeting;
}

void monitor_qmp_event(SysEmu *se, const char *name, QDict *data)
{
    gint64 now = g_get_real_time();
    QDict *ts = qdict_new();
    QDict *msg = qdict_new();

    qdict_put_int(ts, "seconds", now / G_USEC_PER_SEC);
    qdict_put_int(ts, "microseconds", now % G_USEC_PER_SEC);
    qdict_put(msg, "timestamp", ts);
    qdict_put_str(msg, "event", name);
    if (data) {
        qdict_put(msg, "data", data);
    }
    for (guint i = 0; se->monitors && i < se->monitors->len; i++) {
        QmpServer *srv = g_ptr_array_index(se->monitors, i);

        for (guint j = 0; j < srv->conns->len; j++) {
            Monitor *mon = g_ptr_array_index(srv->conns, j);

            if (mon->command_mode) {
                monitor_send(mon, msg);
            }
        }
    }
    qobject_unref(QOBJECT(msg));
}

/* ---- dispatch ---- */

bool monitor_qmp_in_command_mode(const Monitor *mon)
{
    return mon->command_mode;
}

void monitor_qmp_enter_command_mode(Monitor *mon)
{
    mon->command_mode = true;
}

static void monitor_dispatch(Monitor *mon, QObject *req)
{
    SysEmu *se = mon->se;
    bool negotiating = !mon->command_mode;
    QDict *rsp;

    se->cur_mon = mon;
    rsp = qmp_dispatch(negotiating ? se->qmp_cap_commands : se->qmp_commands, req, se,
                       se->preconfig);
    se->cur_mon = NULL;

    if (negotiating) {
        /* Every command but qmp_capabilities is unknown here: say what is expected. */
        QDict *error = qdict_get_qdict(rsp, "error");
        if (error && g_strcmp0(qdict_get_try_str(error, "class"),
                               error_class_name(NB_ERROR_CLASS_COMMAND_NOT_FOUND)) == 0) {
            qdict_put_str(error, "desc",
                          "Expecting capabilities negotiation with 'qmp_capabilities'");
        }
    }
    monitor_send(mon, rsp);
    qobject_unref(QOBJECT(rsp));
}

/* JSONStreamParser callback: one complete value or one syntax error. */
static void monitor_json_emit(void *opaque, QObject *obj, GError *err)
{
    Monitor *mon = opaque;

    if (mon->se->exit_requested || mon->dead) {
        /* after quit nothing more is executed; a dead peer gets no replies */
        qobject_unref(obj);
        if (err) {
            g_error_free(err);
        }
        return;
    }
    if (err) {
        QDict *rsp = qmp_error_response(err);
        g_error_free(err);
        monitor_send(mon, rsp);
        qobject_unref(QOBJECT(rsp));
        return;
    }
    monitor_dispatch(mon, obj);
    qobject_unref(obj);
}

/* ---- connections ---- */

static void monitor_close(Monitor *mon)
{
    if (mon->watch) {
        g_source_destroy(mon->watch);
        g_source_unref(mon->watch);
        mon->watch = NULL;
    }
    /* Input still pending at EOF is dropped silently: nobody is left to answer. */
    json_stream_parser_free(mon->parser);
    mon->parser = NULL;
    if (mon->conn) {
        g_io_stream_close(G_IO_STREAM(mon->conn), NULL, NULL);
        g_object_unref(mon->conn);
    }
    g_free(mon);
}

static void server_drop_conn(QmpServer *srv, Monitor *mon)
{
    g_ptr_array_remove(srv->conns, mon);   /* the array's free function closes it */
}

static gboolean monitor_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    Monitor *mon = opaque;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));

    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return G_SOURCE_CONTINUE;
    }
    if (n > 0) {
        json_stream_parser_feed(mon->parser, buf, n);
    }
    if (n <= 0 || mon->dead) {
        /*
         * End of input.  Like QEMU, the emulator keeps running when a monitor's peer
         * goes away (on stdio too); only this connection ends.
         */
        server_drop_conn(mon->server, mon);
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

static Monitor *monitor_new_conn(QmpServer *srv, int in_fd, int out_fd,
                                 GSocketConnection *conn)
{
    Monitor *mon = g_new0(Monitor, 1);
    g_autoptr(QDict) greeting = NULL;

    mon->se = srv->se;
    mon->server = srv;
    mon->in_fd = in_fd;
    mon->out_fd = out_fd;
    mon->conn = conn ? g_object_ref(conn) : NULL;
    mon->parser = json_stream_parser_new(monitor_json_emit, mon);
    mon->watch = g_unix_fd_source_new(in_fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
    g_source_set_callback(mon->watch, G_SOURCE_FUNC(monitor_readable), mon, NULL);
    g_source_attach(mon->watch, srv->se->main_ctx);
    g_ptr_array_add(srv->conns, mon);
    srv->accepted++;

    greeting = qmp_greeting(srv->se);
    monitor_send(mon, greeting);
    return mon;
}

static gboolean on_incoming(GSocketService *service, GSocketConnection *conn,
                            GObject *source, gpointer opaque)
{
    QmpServer *srv = opaque;
    int fd = g_socket_get_fd(g_socket_connection_get_socket(conn));

    monitor_new_conn(srv, fd, fd, conn);
    return TRUE;
}

/* ---- servers ---- */

static void qmp_server_free(gpointer p)
{
    QmpServer *srv = p;

    g_ptr_array_free(srv->conns, TRUE);
    if (srv->service) {
        g_socket_service_stop(srv->service);
        g_socket_listener_close(G_SOCKET_LISTENER(srv->service));
        g_object_unref(srv->service);
    }
    if (srv->unlink_path) {
        unlink(srv->unlink_path);
        g_free(srv->unlink_path);
    }
    g_free(srv->spec);
    g_free(srv);
}

static QmpServer *qmp_server_new(SysEmu *se, const char *spec)
{
    QmpServer *srv = g_new0(QmpServer, 1);

    srv->se = se;
    srv->spec = g_strdup(spec);
    srv->conns = g_ptr_array_new_with_free_func((GDestroyNotify)monitor_close);
    return srv;
}

/*
 * Bind, restrict the file to its owner, then listen: nobody can connect before the
 * chmod because connecting needs a listening socket.
 */
static GSocket *unix_listen(const char *path, GError **errp)
{
    struct stat st;
    g_autoptr(GSocket) sock = NULL;
    g_autoptr(GSocketAddress) addr = NULL;

    if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return NULL;
    }
    /* A stale socket from an earlier run is replaced, as QEMU does; other files are not. */
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(path);
    }
    sock = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                        G_SOCKET_PROTOCOL_DEFAULT, errp);
    if (!sock) {
        return NULL;
    }
    addr = g_unix_socket_address_new(path);
    if (!g_socket_bind(sock, addr, FALSE, errp)) {
        g_prefix_error(errp, "Failed to bind socket to %s: ", path);
        return NULL;
    }
    if (chmod(path, 0600) < 0) {
        error_setg_errno(errp, errno, "Failed to set permissions of %s", path);
        unlink(path);
        return NULL;
    }
    if (!g_socket_listen(sock, errp)) {
        unlink(path);
        return NULL;
    }
    return g_steal_pointer(&sock);
}

typedef struct SocketSpec {
    char *path;
    bool server;
    bool wait;
} SocketSpec;

/* Split "PATH,key=val,..." (",," is a literal comma) into the path and its options. */
static bool parse_unix_spec(const char *text, SocketSpec *out, GError **errp)
{
    GString *path = g_string_new(NULL);
    const char *p = text;

    for (; *p && !(*p == ',' && p[1] != ','); p++) {
        g_string_append_c(path, *p);
        p += (*p == ',');   /* skip the second comma of ",," */
    }
    out->path = g_string_free(path, FALSE);
    out->server = false;
    out->wait = true;       /* QEMU's defaults */
    g_auto(GStrv) opts = *p ? g_strsplit(p + 1, ",", -1) : g_new0(char *, 1);
    for (size_t i = 0; opts[i]; i++) {
        const char *o = opts[i];
        if (!strcmp(o, "server") || !strcmp(o, "server=on")) {
            out->server = true;
        } else if (!strcmp(o, "server=off")) {
            out->server = false;
        } else if (!strcmp(o, "nowait") || !strcmp(o, "wait=off")) {
            out->wait = false;
        } else if (!strcmp(o, "wait=on")) {
            out->wait = true;
        } else {
            error_setg(errp, "Invalid parameter '%.*s'", (int)strcspn(o, "="), o);
            return false;
        }
    }
    if (!*out->path) {
        error_setg(errp, "chardev: socket: no path given");
        return false;
    }
    return true;
}

static bool qmp_add_unix(SysEmu *se, QmpServer *srv, const char *rest, GError **errp)
{
    SocketSpec ss = { 0 };
    GSocket *sock;
    bool ok = false;

    if (!parse_unix_spec(rest, &ss, errp)) {
        goto out;
    }
    if (!ss.server) {
        error_setg(errp, "QMP client sockets are not supported: add server=on");
        goto out;
    }
    sock = unix_listen(ss.path, errp);
    if (!sock) {
        goto out;
    }
    srv->unlink_path = g_strdup(ss.path);
    srv->service = g_socket_service_new();
    g_signal_connect(srv->service, "incoming", G_CALLBACK(on_incoming), srv);
    ok = g_socket_listener_add_socket(G_SOCKET_LISTENER(srv->service), sock, NULL, errp);
    g_object_unref(sock);
    if (ok && ss.wait) {
        fprintf(stderr, "%s: info: numbat waiting for connection on: unix:%s,server=on\n",
                error_get_progname(), ss.path);
        while (srv->accepted == 0 && !se->exit_requested) {
            g_main_context_iteration(se->main_ctx, TRUE);
        }
    }
out:
    g_free(ss.path);
    return ok;
}

bool monitor_qmp_add(SysEmu *se, const char *spec, GError **errp)
{
    QmpServer *srv = qmp_server_new(se, spec);
    bool ok;

    if (!se->monitors) {
        se->monitors = g_ptr_array_new_with_free_func(qmp_server_free);
    }
    /* Register first so that a blocking wait=on accept already has a home. */
    g_ptr_array_add(se->monitors, srv);
    if (strcmp(spec, "stdio") == 0 || g_str_has_prefix(spec, "stdio,")) {
        monitor_new_conn(srv, STDIN_FILENO, STDOUT_FILENO, NULL);
        ok = true;
    } else if (g_str_has_prefix(spec, "unix:")) {
        ok = qmp_add_unix(se, srv, spec + strlen("unix:"), errp);
    } else {
        error_setg(errp, "'%s' is not a valid char driver", spec);
        ok = false;
    }
    if (!ok) {
        g_ptr_array_remove(se->monitors, srv);
    }
    return ok;
}

void monitor_init_commands(SysEmu *se)
{
    const QmpCommand *cap;

    se->qmp_commands = qmp_command_list_new();
    qmp_init_marshal(se->qmp_commands);
    /* 'gen': false in the schema: the introspection module supplies the marshaller. */
    qmp_register_command(se->qmp_commands, "query-qmp-schema", qmp_marshal_query_qmp_schema,
                         QCO_ALLOW_PRECONFIG);
    /* Negotiation mode knows a single command, with the same marshaller. */
    se->qmp_cap_commands = qmp_command_list_new();
    cap = qmp_find_command(se->qmp_commands, "qmp_capabilities");
    if (cap) {
        qmp_register_command(se->qmp_cap_commands, cap->name, cap->fn, cap->options);
    }
}

void monitor_cleanup(SysEmu *se)
{
    if (se->monitors) {
        g_ptr_array_free(se->monitors, TRUE);
        se->monitors = NULL;
    }
    se->cur_mon = NULL;
}
