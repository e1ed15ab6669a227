/* Input visitor that builds C values from a QObject tree (QMP arguments, JSON). */
#include "qapi/visitor-impl.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "util/cutils.h"

/* One open container: a QDict being visited as a struct or a QList as a list. */
typedef struct QivFrame {
    const char *name;       /* the container's name in its parent (caller's string) */
    QObject *obj;           /* borrowed: the root reference keeps it alive */
    GHashTable *unvisited;  /* QDict only: keys not yet visited */
    size_t next;            /* QList only: index of the next element to hand out */
    size_t cur;             /* QList only: index of the element being visited */
} QivFrame;

typedef struct QobjectInputVisitor {
    Visitor visitor;
    QObject *root;
    bool keyval;            /* scalars are strings, as opts_to_qdict() makes them */
    GPtrArray *stack;       /* QivFrame *, top is the last element */
    GString *errname;       /* scratch for full_name() */
} QobjectInputVisitor;

static QobjectInputVisitor *to_qiv(Visitor *v)
{
    return (QobjectInputVisitor *)v;
}

static QivFrame *qiv_top(QobjectInputVisitor *qiv)
{
    return qiv->stack->len ? g_ptr_array_index(qiv->stack, qiv->stack->len - 1) : NULL;
}

/*
 * The path of what is being visited, as QEMU prints it: "a.b[2].c".  With skip = 1 it names
 * the innermost container itself instead of the member called name.  Valid until the next call.
 */
static const char *qiv_full_name_nth(QobjectInputVisitor *qiv, const char *name, unsigned skip)
{
    guint depth = qiv->stack->len - skip;
    const char *root;

    g_string_truncate(qiv->errname, 0);
    if (skip) {
        name = ((QivFrame *)g_ptr_array_index(qiv->stack, depth))->name;
    }
    root = depth ? ((QivFrame *)g_ptr_array_index(qiv->stack, 0))->name : name;
    if (root) {
        g_string_append(qiv->errname, root);
    }
    for (guint i = 0; i < depth; i++) {
        QivFrame *f = g_ptr_array_index(qiv->stack, i);
        const char *child = i + 1 < depth ?
            ((QivFrame *)g_ptr_array_index(qiv->stack, i + 1))->name : name;

        if (qobject_type(f->obj) == QTYPE_QDICT) {
            g_string_append_printf(qiv->errname, ".%s", child ? child : "<anonymous>");
        } else {
            g_string_append_printf(qiv->errname, qiv->keyval ? ".%zu" : "[%zu]", f->cur);
        }
    }
    if (!root && qiv->errname->str[0] == '.') {
        g_string_erase(qiv->errname, 0, 1);
    }
    return qiv->errname->len ? qiv->errname->str : "<anonymous>";
}

static const char *qiv_full_name(QobjectInputVisitor *qiv, const char *name)
{
    return qiv_full_name_nth(qiv, name, 0);
}

/* The value called name in the current container (or the root); consuming marks it visited. */
static QObject *qiv_try_get(QobjectInputVisitor *qiv, const char *name, bool consume)
{
    QivFrame *top = qiv_top(qiv);
    QObject *ret = NULL;

    if (!top) {
        return qiv->root;
    }
    if (qobject_type(top->obj) == QTYPE_QDICT) {
        ret = name ? qdict_get(qobject_to_qdict(top->obj), name) : NULL;
        if (ret && consume) {
            g_hash_table_remove(top->unvisited, name);
        }
        return ret;
    }
    QList *list = qobject_to_qlist(top->obj);
    if (top->next < qlist_size(list)) {
        ret = qlist_get(list, top->next);
    }
    if (consume) {
        top->cur = top->next++;
    }
    return ret;
}

static QObject *qiv_get(QobjectInputVisitor *qiv, const char *name, GError **errp)
{
    QObject *obj = qiv_try_get(qiv, name, true);

    if (!obj) {
        error_setg(errp, "Parameter '%s' is missing", qiv_full_name(qiv, name));
    }
    return obj;
}

static bool qiv_type_error(QobjectInputVisitor *qiv, const char *name, const char *expected,
                           GError **errp)
{
    error_setg(errp, "Invalid parameter type for '%s', expected: %s",
               qiv_full_name(qiv, name), expected);
    return false;
}

static void qiv_push(QobjectInputVisitor *qiv, const char *name, QObject *obj)
{
    QivFrame *f = g_new0(QivFrame, 1);
    QDict *dict = qobject_to_qdict(obj);

    f->name = name;
    f->obj = obj;
    if (dict) {
        f->unvisited = g_hash_table_new(g_str_hash, g_str_equal);
        for (const QDictEntry *e = qdict_first(dict); e; e = qdict_next(dict, e)) {
            g_hash_table_add(f->unvisited, (gpointer)qdict_entry_key(e));
        }
    }
    g_ptr_array_add(qiv->stack, f);
}

static void qiv_frame_free(gpointer p)
{
    QivFrame *f = p;

    if (f->unvisited) {
        g_hash_table_unref(f->unvisited);
    }
    g_free(f);
}

static void qiv_pop(QobjectInputVisitor *qiv)
{
    if (qiv->stack->len) {
        g_ptr_array_remove_index(qiv->stack, qiv->stack->len - 1);
    }
}

static bool qiv_start_struct(Visitor *v, const char *name, void **obj, size_t size,
                             GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);

    if (!qobj) {
        return false;
    }
    if (qobject_type(qobj) != QTYPE_QDICT) {
        return qiv_type_error(qiv, name, "object", errp);
    }
    qiv_push(qiv, name, qobj);
    if (obj) {
        *obj = g_malloc0(size);
    }
    return true;
}

/* Report the first unvisited key in the dict's own order, so the message is deterministic. */
static bool qiv_check_struct(Visitor *v, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QivFrame *top = qiv_top(qiv);
    QDict *dict = top ? qobject_to_qdict(top->obj) : NULL;

    if (!dict || !g_hash_table_size(top->unvisited)) {
        return true;
    }
    for (const QDictEntry *e = qdict_first(dict); e; e = qdict_next(dict, e)) {
        const char *key = qdict_entry_key(e);
        if (g_hash_table_contains(top->unvisited, key)) {
            error_setg(errp, "Parameter '%s' is unexpected", qiv_full_name(qiv, key));
            return false;
        }
    }
    return true;
}

static void qiv_end_struct(Visitor *v, void **obj)
{
    qiv_pop(to_qiv(v));
}

static bool qiv_start_list(Visitor *v, const char *name, GenericList **list, size_t size,
                           GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);

    if (!qobj) {
        return false;
    }
    if (qobject_type(qobj) != QTYPE_QLIST) {
        return qiv_type_error(qiv, name, "array", errp);
    }
    qiv_push(qiv, name, qobj);
    if (list && !qlist_empty(qobject_to_qlist(qobj))) {
        *list = g_malloc0(size);
    }
    return true;
}

static GenericList *qiv_next_list(Visitor *v, GenericList *tail, size_t size)
{
    QivFrame *top = qiv_top(to_qiv(v));
    QList *list = top ? qobject_to_qlist(top->obj) : NULL;

    if (!list || top->next >= qlist_size(list)) {
        return NULL;
    }
    tail->next = g_malloc0(size);
    return tail->next;
}

static bool qiv_check_list(Visitor *v, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QivFrame *top = qiv_top(qiv);
    QList *list = top ? qobject_to_qlist(top->obj) : NULL;

    if (list && top->next < qlist_size(list)) {
        error_setg(errp, "Only %zu list elements expected in %s", top->next,
                   qiv_full_name_nth(qiv, NULL, 1));
        return false;
    }
    return true;
}

static void qiv_end_list(Visitor *v, void **list)
{
    qiv_pop(to_qiv(v));
}

static void qiv_optional(Visitor *v, const char *name, bool *present)
{
    *present = qiv_try_get(to_qiv(v), name, false) != NULL;
}

static bool qiv_type_int64(Visitor *v, const char *name, int64_t *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QNum *qn = qobject_to_qnum(qobj);

    if (!qobj) {
        return false;
    }
    if (!qn || !qnum_get_try_int(qn, obj)) {
        return qiv_type_error(qiv, name, "integer", errp);
    }
    return true;
}

/* Negative integers are accepted and wrap, as QEMU does for backward compatibility. */
static bool qiv_type_uint64(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QNum *qn = qobject_to_qnum(qobj);
    int64_t sval;

    if (!qobj) {
        return false;
    }
    if (qn && qnum_get_try_uint(qn, obj)) {
        return true;
    }
    if (qn && qnum_get_try_int(qn, &sval)) {
        *obj = (uint64_t)sval;
        return true;
    }
    error_setg(errp, "Parameter '%s' expects uint64", qiv_full_name(qiv, name));
    return false;
}

static bool qiv_type_bool(Visitor *v, const char *name, bool *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QBool *qb = qobject_to_qbool(qobj);

    if (!qobj) {
        return false;
    }
    if (!qb) {
        return qiv_type_error(qiv, name, "boolean", errp);
    }
    *obj = qbool_get_bool(qb);
    return true;
}

static bool qiv_type_str(Visitor *v, const char *name, char **obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QString *qs = qobject_to_qstring(qobj);

    *obj = NULL;
    if (!qobj) {
        return false;
    }
    if (!qs) {
        return qiv_type_error(qiv, name, "string", errp);
    }
    *obj = g_strdup(qstring_get_str(qs));
    return true;
}

static bool qiv_type_number(Visitor *v, const char *name, double *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);
    QNum *qn = qobject_to_qnum(qobj);

    if (!qobj) {
        return false;
    }
    if (!qn) {
        return qiv_type_error(qiv, name, "number", errp);
    }
    *obj = qnum_get_double(qn);
    return true;
}

static bool qiv_type_any(Visitor *v, const char *name, QObject **obj, GError **errp)
{
    QObject *qobj = qiv_get(to_qiv(v), name, errp);

    *obj = qobject_ref(qobj);
    return qobj != NULL;
}

static bool qiv_type_null(Visitor *v, const char *name, QNull **obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    QObject *qobj = qiv_get(qiv, name, errp);

    *obj = NULL;
    if (!qobj) {
        return false;
    }
    if (qobject_type(qobj) != QTYPE_QNULL) {
        return qiv_type_error(qiv, name, "null", errp);
    }
    *obj = qnull();
    return true;
}

/* ---- keyval flavour: every scalar arrives as a string ---- */

static const char *qiv_get_keyval(QobjectInputVisitor *qiv, const char *name, GError **errp)
{
    QObject *qobj = qiv_get(qiv, name, errp);
    QString *qs = qobject_to_qstring(qobj);

    if (!qobj) {
        return NULL;
    }
    if (!qs) {
        if (qobject_type(qobj) == QTYPE_QDICT || qobject_type(qobj) == QTYPE_QLIST) {
            error_setg(errp, "Parameters '%s.*' are unexpected", qiv_full_name(qiv, name));
        } else {
            error_setg(errp, "Internal error: parameter %s invalid", qiv_full_name(qiv, name));
        }
        return NULL;
    }
    return qstring_get_str(qs);
}

static bool qiv_kv_int64(Visitor *v, const char *name, int64_t *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    if (!str) {
        return false;
    }
    if (qemu_strtoi64(str, NULL, 0, obj) < 0) {
        error_setg(errp, "Parameter '%s' expects integer", qiv_full_name(qiv, name));
        return false;
    }
    return true;
}

static bool qiv_kv_uint64(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    if (!str) {
        return false;
    }
    if (qemu_strtou64(str, NULL, 0, obj) < 0) {
        error_setg(errp, "Parameter '%s' expects integer", qiv_full_name(qiv, name));
        return false;
    }
    return true;
}

static bool qiv_kv_size(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    if (!str) {
        return false;
    }
    if (qemu_strtosz(str, NULL, obj) < 0) {
        error_setg(errp, "Parameter '%s' expects size", qiv_full_name(qiv, name));
        return false;
    }
    return true;
}

static bool qiv_kv_bool(Visitor *v, const char *name, bool *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);

    if (!str) {
        return false;
    }
    if (!visit_parse_bool_text(str, obj)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", qiv_full_name(qiv, name));
        return false;
    }
    return true;
}

static bool qiv_kv_str(Visitor *v, const char *name, char **obj, GError **errp)
{
    const char *str = qiv_get_keyval(to_qiv(v), name, errp);

    *obj = g_strdup(str);
    return str != NULL;
}

static bool qiv_kv_number(Visitor *v, const char *name, double *obj, GError **errp)
{
    QobjectInputVisitor *qiv = to_qiv(v);
    const char *str = qiv_get_keyval(qiv, name, errp);
    char *end = NULL;
    double val = 0;

    if (!str) {
        return false;
    }
    if (str[0]) {
        errno = 0;
        val = g_ascii_strtod(str, &end);
    }
    if (!end || *end || errno || !isfinite(val)) {
        return qiv_type_error(qiv, name, "number", errp);
    }
    *obj = val;
    return true;
}

static void qiv_free(Visitor *v)
{
    QobjectInputVisitor *qiv = to_qiv(v);

    g_ptr_array_unref(qiv->stack);
    g_string_free(qiv->errname, TRUE);
    qobject_unref(qiv->root);
    g_free(qiv);
}

static QobjectInputVisitor *qiv_new(QObject *obj)
{
    QobjectInputVisitor *qiv = g_new0(QobjectInputVisitor, 1);
    Visitor *v = &qiv->visitor;

    v->type = VISITOR_INPUT;
    v->start_struct = qiv_start_struct;
    v->check_struct = qiv_check_struct;
    v->end_struct = qiv_end_struct;
    v->start_list = qiv_start_list;
    v->next_list = qiv_next_list;
    v->check_list = qiv_check_list;
    v->end_list = qiv_end_list;
    v->optional = qiv_optional;
    v->type_int64 = qiv_type_int64;
    v->type_uint64 = qiv_type_uint64;
    v->type_bool = qiv_type_bool;
    v->type_str = qiv_type_str;
    v->type_number = qiv_type_number;
    v->type_any = qiv_type_any;
    v->type_null = qiv_type_null;
    v->free = qiv_free;
    qiv->root = qobject_ref(obj);
    qiv->stack = g_ptr_array_new_with_free_func(qiv_frame_free);
    qiv->errname = g_string_new(NULL);
    return qiv;
}

Visitor *qobject_input_visitor_new(QObject *obj)
{
    return &qiv_new(obj)->visitor;
}

Visitor *qobject_input_visitor_new_keyval(QObject *obj)
{
    QobjectInputVisitor *qiv = qiv_new(obj);
    Visitor *v = &qiv->visitor;

    qiv->keyval = true;
    v->type_int64 = qiv_kv_int64;
    v->type_uint64 = qiv_kv_uint64;
    v->type_size = qiv_kv_size;
    v->type_bool = qiv_kv_bool;
    v->type_str = qiv_kv_str;
    v->type_number = qiv_kv_number;
    return v;
}
