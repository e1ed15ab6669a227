/* Output visitor that turns C values into a QObject tree (QMP replies, qom-get). */
#include "qapi/visitor-impl.h"

typedef struct QobjectOutputVisitor {
    Visitor visitor;
    QObject *root;          /* owned; the first value visited at depth 0 */
    GPtrArray *stack;       /* QObject * containers being filled (borrowed from root) */
    QObject **result;       /* where visit_complete stores a new reference */
} QobjectOutputVisitor;

static QobjectOutputVisitor *to_qov(Visitor *v)
{
    return (QobjectOutputVisitor *)v;
}

/* Put value (a new reference) where name says: the root, a dict member or the next element. */
static void qov_add(QobjectOutputVisitor *qov, const char *name, QObject *value)
{
    QObject *top;

    if (!qov->stack->len) {
        /* A second top-level value replaces the first; the walk defines a single root. */
        qobject_unref(qov->root);
        qov->root = value;
        return;
    }
    top = g_ptr_array_index(qov->stack, qov->stack->len - 1);
    if (qobject_type(top) == QTYPE_QDICT) {
        qdict_put_obj(qobject_to_qdict(top), name ? name : "", value);
    } else {
        qlist_append_obj(qobject_to_qlist(top), value);
    }
}

static bool qov_start_struct(Visitor *v, const char *name, void **obj, size_t size,
                             GError **errp)
{
    QobjectOutputVisitor *qov = to_qov(v);
    QDict *dict = qdict_new();

    qov_add(qov, name, QOBJECT(dict));
    g_ptr_array_add(qov->stack, dict);
    return true;
}

static void qov_end_container(Visitor *v, void **obj)
{
    QobjectOutputVisitor *qov = to_qov(v);

    if (qov->stack->len) {
        g_ptr_array_set_size(qov->stack, qov->stack->len - 1);
    }
}

static bool qov_start_list(Visitor *v, const char *name, GenericList **list, size_t size,
                           GError **errp)
{
    QobjectOutputVisitor *qov = to_qov(v);
    QList *qlist = qlist_new();

    qov_add(qov, name, QOBJECT(qlist));
    g_ptr_array_add(qov->stack, qlist);
    return true;
}

static GenericList *qov_next_list(Visitor *v, GenericList *tail, size_t size)
{
    return tail->next;
}

static bool qov_type_int64(Visitor *v, const char *name, int64_t *obj, GError **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnum_from_int(*obj)));
    return true;
}

static bool qov_type_uint64(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnum_from_uint(*obj)));
    return true;
}

static bool qov_type_bool(Visitor *v, const char *name, bool *obj, GError **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qbool_from_bool(*obj)));
    return true;
}

static bool qov_type_str(Visitor *v, const char *name, char **obj, GError **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qstring_from_str(*obj ? *obj : "")));
    return true;
}

static bool qov_type_number(Visitor *v, const char *name, double *obj, GError **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnum_from_double(*obj)));
    return true;
}

static bool qov_type_any(Visitor *v, const char *name, QObject **obj, GError **errp)
{
    qov_add(to_qov(v), name, *obj ? qobject_ref(*obj) : QOBJECT(qnull()));
    return true;
}

static bool qov_type_null(Visitor *v, const char *name, QNull **obj, GError **errp)
{
    qov_add(to_qov(v), name, QOBJECT(qnull()));
    return true;
}

static void qov_complete(Visitor *v, void *opaque)
{
    QobjectOutputVisitor *qov = to_qov(v);
    QObject **result = opaque ? opaque : qov->result;

    if (result) {
        *result = qobject_ref(qov->root);
    }
}

static void qov_free(Visitor *v)
{
    QobjectOutputVisitor *qov = to_qov(v);

    g_ptr_array_unref(qov->stack);
    qobject_unref(qov->root);
    g_free(qov);
}

Visitor *qobject_output_visitor_new(QObject **result)
{
    QobjectOutputVisitor *qov = g_new0(QobjectOutputVisitor, 1);
    Visitor *v = &qov->visitor;

    v->type = VISITOR_OUTPUT;
    v->start_struct = qov_start_struct;
    v->end_struct = qov_end_container;
    v->start_list = qov_start_list;
    v->next_list = qov_next_list;
    v->end_list = qov_end_container;
    v->type_int64 = qov_type_int64;
    v->type_uint64 = qov_type_uint64;
    v->type_bool = qov_type_bool;
    v->type_str = qov_type_str;
    v->type_number = qov_type_number;
    v->type_any = qov_type_any;
    v->type_null = qov_type_null;
    v->complete = qov_complete;
    v->free = qov_free;
    qov->stack = g_ptr_array_new();
    qov->result = result;
    if (result) {
        *result = NULL;
    }
    return v;
}
