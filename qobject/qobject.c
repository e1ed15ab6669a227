/* Generic QObject operations: reference counting, type checks, deep equality, null and bool. */
#include "qobject-internal.h"

#include <string.h>

/*
 * Reference counts are plain integers: a QObject tree belongs to one thread at a time
 * (the QMP reader hands finished values to the dispatcher), as in QEMU.
 */
void qobject_init(QObject *obj, QType type)
{
    obj->type = type;
    obj->refcnt = 1;
}

QType qobject_type(const QObject *obj)
{
    return obj ? obj->type : QTYPE_NONE;
}

QObject *qobject_ref(QObject *obj)
{
    if (obj) {
        g_assert(obj->refcnt > 0);
        obj->refcnt++;
    }
    return obj;
}

static void qobject_destroy(QObject *obj)
{
    switch (obj->type) {
    case QTYPE_QDICT:
        qdict_destroy((QDict *)obj);
        break;
    case QTYPE_QLIST:
        qlist_destroy((QList *)obj);
        break;
    case QTYPE_QSTRING:
        qstring_destroy((QString *)obj);
        break;
    case QTYPE_QNULL:
    case QTYPE_QNUM:
    case QTYPE_QBOOL:
        g_free(obj);
        break;
    default:
        g_assert_not_reached();
    }
}

void qobject_unref(QObject *obj)
{
    if (!obj) {
        return;
    }
    g_assert(obj->refcnt > 0);
    if (--obj->refcnt == 0) {
        qobject_destroy(obj);
    }
}

bool qobject_is_equal(const QObject *a, const QObject *b)
{
    if (a == b) {
        return true;
    }
    if (!a || !b || a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case QTYPE_QNULL:
        return true;
    case QTYPE_QBOOL:
        return ((const QBool *)a)->value == ((const QBool *)b)->value;
    case QTYPE_QNUM:
        return qnum_is_equal((const QNum *)a, (const QNum *)b);
    case QTYPE_QSTRING: {
        const QString *sa = (const QString *)a, *sb = (const QString *)b;
        return sa->len == sb->len && memcmp(sa->str, sb->str, sa->len) == 0;
    }
    case QTYPE_QDICT:
        return qdict_is_equal((const QDict *)a, (const QDict *)b);
    case QTYPE_QLIST:
        return qlist_is_equal((const QList *)a, (const QList *)b);
    default:
        g_assert_not_reached();
    }
}

#define DEFINE_DOWNCAST(T, fn, qtype) \
    T *fn(const QObject *obj) \
    { \
        return obj && obj->type == (qtype) ? (T *)obj : NULL; \
    }

DEFINE_DOWNCAST(QNull, qobject_to_qnull, QTYPE_QNULL)
DEFINE_DOWNCAST(QNum, qobject_to_qnum, QTYPE_QNUM)
DEFINE_DOWNCAST(QString, qobject_to_qstring, QTYPE_QSTRING)
DEFINE_DOWNCAST(QDict, qobject_to_qdict, QTYPE_QDICT)
DEFINE_DOWNCAST(QList, qobject_to_qlist, QTYPE_QLIST)
DEFINE_DOWNCAST(QBool, qobject_to_qbool, QTYPE_QBOOL)

/* A fresh object per call rather than a shared singleton: no cross-thread refcount races. */
QNull *qnull(void)
{
    QNull *qn = g_new(QNull, 1);
    qobject_init(&qn->base, QTYPE_QNULL);
    return qn;
}

QBool *qbool_from_bool(bool value)
{
    QBool *qb = g_new(QBool, 1);
    qobject_init(&qb->base, QTYPE_QBOOL);
    qb->value = value;
    return qb;
}

bool qbool_get_bool(const QBool *qb)
{
    return qb->value;
}
