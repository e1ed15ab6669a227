/* QDict: string-keyed dictionary with O(1) lookup and iteration in insertion order. */
#include "qobject-internal.h"

#include <string.h>

QDict *qdict_new(void)
{
    QDict *qdict = g_new0(QDict, 1);
    qobject_init(&qdict->base, QTYPE_QDICT);
    qdict->table = g_hash_table_new(g_str_hash, g_str_equal);
    return qdict;
}

size_t qdict_size(const QDict *qdict)
{
    return qdict->size;
}

static QDictEntry *qdict_find(const QDict *qdict, const char *key)
{
    return g_hash_table_lookup(qdict->table, key);
}

/* Replacing keeps the entry (and so its position); only the value changes. */
void qdict_put_obj(QDict *qdict, const char *key, QObject *value)
{
    g_return_if_fail(key && value);
    QDictEntry *e = qdict_find(qdict, key);
    if (e) {
        QObject *old = e->value;
        e->value = value;
        qobject_unref(old);
        return;
    }
    e = g_new(QDictEntry, 1);
    e->key = g_strdup(key);
    e->value = value;
    e->next = NULL;
    e->prev = qdict->tail;
    if (qdict->tail) {
        qdict->tail->next = e;
    } else {
        qdict->head = e;
    }
    qdict->tail = e;
    qdict->size++;
    g_hash_table_insert(qdict->table, e->key, e);
}

void qdict_put_int(QDict *qdict, const char *key, int64_t value)
{
    qdict_put(qdict, key, qnum_from_int(value));
}

void qdict_put_uint(QDict *qdict, const char *key, uint64_t value)
{
    qdict_put(qdict, key, qnum_from_uint(value));
}

void qdict_put_bool(QDict *qdict, const char *key, bool value)
{
    qdict_put(qdict, key, qbool_from_bool(value));
}

void qdict_put_str(QDict *qdict, const char *key, const char *value)
{
    qdict_put(qdict, key, qstring_from_str(value));
}

void qdict_put_null(QDict *qdict, const char *key)
{
    qdict_put(qdict, key, qnull());
}

QObject *qdict_get(const QDict *qdict, const char *key)
{
    QDictEntry *e = qdict_find(qdict, key);
    return e ? e->value : NULL;
}

bool qdict_haskey(const QDict *qdict, const char *key)
{
    return qdict_find(qdict, key) != NULL;
}

static void qdict_entry_free(QDictEntry *e)
{
    qobject_unref(e->value);
    g_free(e->key);
    g_free(e);
}

bool qdict_del(QDict *qdict, const char *key)
{
    QDictEntry *e = qdict_find(qdict, key);
    if (!e) {
        return false;
    }
    g_hash_table_remove(qdict->table, e->key);
    if (e->prev) {
        e->prev->next = e->next;
    } else {
        qdict->head = e->next;
    }
    if (e->next) {
        e->next->prev = e->prev;
    } else {
        qdict->tail = e->prev;
    }
    qdict->size--;
    qdict_entry_free(e);
    return true;
}

const char *qdict_get_try_str(const QDict *qdict, const char *key)
{
    QString *qs = qobject_to_qstring(qdict_get(qdict, key));
    return qs ? qstring_get_str(qs) : NULL;
}

QDict *qdict_get_qdict(const QDict *qdict, const char *key)
{
    return qobject_to_qdict(qdict_get(qdict, key));
}

QList *qdict_get_qlist(const QDict *qdict, const char *key)
{
    return qobject_to_qlist(qdict_get(qdict, key));
}

QDict *qdict_clone_shallow(const QDict *src)
{
    QDict *dst = qdict_new();
    for (const QDictEntry *e = src->head; e; e = e->next) {
        qdict_put_obj(dst, e->key, qobject_ref(e->value));
    }
    return dst;
}

const QDictEntry *qdict_first(const QDict *qdict)
{
    return qdict->head;
}

const QDictEntry *qdict_next(const QDict *qdict, const QDictEntry *entry)
{
    return entry->next;
}

const char *qdict_entry_key(const QDictEntry *entry)
{
    return entry->key;
}

QObject *qdict_entry_value(const QDictEntry *entry)
{
    return entry->value;
}

void qdict_destroy(QDict *qdict)
{
    QDictEntry *e = qdict->head;
    while (e) {
        QDictEntry *next = e->next;
        qdict_entry_free(e);
        e = next;
    }
    g_hash_table_destroy(qdict->table);
    g_free(qdict);
}

/* Same keys with equal values; order does not matter, as for JSON objects. */
bool qdict_is_equal(const QDict *a, const QDict *b)
{
    if (a->size != b->size) {
        return false;
    }
    for (const QDictEntry *e = a->head; e; e = e->next) {
        QDictEntry *other = qdict_find(b, e->key);
        if (!other || !qobject_is_equal(e->value, other->value)) {
            return false;
        }
    }
    return true;
}
