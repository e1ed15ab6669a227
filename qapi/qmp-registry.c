/* The QMP command table: name -> marshaller and options, kept in registration order. */
#include <string.h>
#include "qapi/qmp-dispatch.h"

struct QmpCommandList {
    GPtrArray *order;     /* QmpCommand *, owned */
    GHashTable *by_name;  /* name -> QmpCommand *, borrowed from order */
};

static void qmp_command_free(gpointer p)
{
    QmpCommand *cmd = p;

    g_free((char *)cmd->name);
    g_free(cmd);
}

QmpCommandList *qmp_command_list_new(void)
{
    QmpCommandList *cmds = g_new0(QmpCommandList, 1);

    cmds->order = g_ptr_array_new_with_free_func(qmp_command_free);
    cmds->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    return cmds;
}

void qmp_command_list_free(QmpCommandList *cmds)
{
    if (!cmds) {
        return;
    }
    g_hash_table_destroy(cmds->by_name);
    g_ptr_array_free(cmds->order, TRUE);
    g_free(cmds);
}

/*
 * Registering a name twice replaces the first registration in place: that lets a
 * program override a generated marshaller (e.g. in tests) without unregistering.
 */
void qmp_register_command(QmpCommandList *cmds, const char *name, QmpCommandFunc *fn,
                          QmpCommandOptions options)
{
    QmpCommand *cmd = g_hash_table_lookup(cmds->by_name, name);

    if (cmd) {
        cmd->fn = fn;
        cmd->options = options;
        return;
    }
    cmd = g_new0(QmpCommand, 1);
    cmd->name = g_strdup(name);
    cmd->fn = fn;
    cmd->options = options;
    g_ptr_array_add(cmds->order, cmd);
    g_hash_table_insert(cmds->by_name, (char *)cmd->name, cmd);
}

const QmpCommand *qmp_find_command(const QmpCommandList *cmds, const char *name)
{
    return g_hash_table_lookup(cmds->by_name, name);
}

size_t qmp_command_count(const QmpCommandList *cmds)
{
    return cmds->order->len;
}

const QmpCommand *qmp_command_at(const QmpCommandList *cmds, size_t i)
{
    return i < cmds->order->len ? g_ptr_array_index(cmds->order, i) : NULL;
}
