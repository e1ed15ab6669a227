/* QList: an ordered list of QObjects with O(1) append, pop-front and indexed access. */
#include "qobject-internal.h"

QList *qlist_new(void)
{
    QList *qlist = g_new(QList, 1);
    qobject_init(&qlist->base, QTYPE_QLIST);
    qlist->items = g_ptr_array_new();
    qlist->start = 0;
    return qlist;
}

void qlist_append_obj(QList *qlist, QObject *value)
{
    g_return_if_fail(value);
    g_ptr_array_add(qlist->items, value);
}

void qlist_append_int(QList *qlist, int64_t value)
{
    qlist_append(qlist, qnum_from_int(value));
}

void qlist_append_str(QList *qlist, const char *value)
{
    qlist_append(qlist, qstring_from_str(value));
}

void qlist_append_bool(QList *qlist, bool value)
{
    qlist_append(qlist, qbool_from_bool(value));
}

size_t qlist_size(const QList *qlist)
{
    return qlist->items->len - qlist->start;
}

bool qlist_empty(const QList *qlist)
{
    return qlist_size(qlist) == 0;
}

QObject *qlist_get(const QList *qlist, size_t index)
{
    if (index >= qlist_size(qlist)) {
        return NULL;
    }
    return g_ptr_array_index(qlist->items, qlist->start + index);
}

QObject *qlist_peek(const QList *qlist)
{
    return qlist_get(qlist, 0);
}

/* Popping advances `start`; the dead prefix is dropped once it is half the array (amortised O(1)). */
QObject *qlist_pop(QList *qlist)
{
    if (qlist_empty(qlist)) {
        return NULL;
    }
    QObject *obj = g_ptr_array_index(qlist->items, qlist->start);
    g_ptr_array_index(qlist->items, qlist->start) = NULL;
    qlist->start++;
    if (qlist->start == qlist->items->len) {
        g_ptr_array_set_size(qlist->items, 0);
        qlist->start = 0;
    } else if (qlist->start * 2 >= qlist->items->len) {
        g_ptr_array_remove_range(qlist->items, 0, qlist->start);
        qlist->start = 0;
    }
    return obj;
}

void qlist_destroy(QList *qlist)
{
    for (guint i = qlist->start; i < qlist->items->len; i++) {
        qobject_unref(g_ptr_array_index(qlist->items, i));
    }
    g_ptr_array_free(qlist->items, TRUE);
    g_free(qlist);
}

bool qlist_is_equal(const QList *a, const QList *b)
{
    size_t n = qlist_size(a);
    if (n != qlist_size(b)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!qobject_is_equal(qlist_get(a, i), qlist_get(b, i))) {
            return false;
        }
    }
    return true;
}
