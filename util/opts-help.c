/* Presenting option lists: help lines in QEMU's layout and the QDict view of one Opts. */
#include "util/opts.h"

#include <string.h>

const char *opt_type_name(OptType type)
{
    switch (type) {
    case OPT_BOOL:
        return "bool (on/off)";
    case OPT_NUMBER:
        return "num";
    case OPT_SIZE:
        return "size";
    case OPT_STRING:
    default:
        return "str";
    }
}

char *opts_help_line(const char *name, const char *type_name, const char *help)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "  %s=<%s>", name, type_name);
    if (help) {
        /* QEMU pads the "  name=<type>" column to 24 characters before " - help". */
        if (s->len < 24) {
            g_string_append_printf(s, "%*s", (int)(24 - s->len), "");
        }
        g_string_append_printf(s, " - %s", help);
    }
    return g_string_free(s, FALSE);
}

static gint cmp_str_ptr(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *opts_list_help(const OptsList *list)
{
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    GString *out = g_string_new(NULL);

    for (const OptDesc *d = list ? list->desc : NULL; d && d->name; d++) {
        g_ptr_array_add(lines, opts_help_line(d->name, opt_type_name(d->type), d->help));
    }
    /* Sorted by name, as QEMU prints them. */
    g_ptr_array_sort(lines, cmp_str_ptr);
    for (guint i = 0; i < lines->len; i++) {
        g_string_append_printf(out, "%s\n", (char *)lines->pdata[i]);
    }
    return g_string_free(out, FALSE);
}

QDict *opts_to_qdict(const Opts *opts)
{
    QDict *d = qdict_new();

    if (opts_id(opts)) {
        qdict_put_str(d, "id", opts_id(opts));
    }
    /* qdict_put_str replaces in place, so the last of repeated keys wins. */
    for (size_t i = 0; i < opts_count(opts); i++) {
        qdict_put_str(d, opts_name_at(opts, i), opts_value_at(opts, i));
    }
    return d;
}
