/* QObject: reference-counted JSON-shaped values (null, number, string, bool, dict, list). */
#ifndef NUMBAT_QOBJECT_H
#define NUMBAT_QOBJECT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum QType {
    QTYPE_NONE,   /* sentinel: no value */
    QTYPE_QNULL,
    QTYPE_QNUM,
    QTYPE_QSTRING,
    QTYPE_QDICT,
    QTYPE_QLIST,
    QTYPE_QBOOL,
    QTYPE__MAX
} QType;

/* Every value starts with this header; cast with qobject_to_*(). */
typedef struct QObject {
    QType type;
    unsigned refcnt;
} QObject;

typedef struct QNull QNull;
typedef struct QNum QNum;
typedef struct QString QString;
typedef struct QDict QDict;
typedef struct QList QList;
typedef struct QBool QBool;

/* Generic */
QType qobject_type(const QObject *obj);
QObject *qobject_ref(QObject *obj);           /* NULL-safe; returns obj */
void qobject_unref(QObject *obj);             /* NULL-safe */
bool qobject_is_equal(const QObject *a, const QObject *b); /* deep; numbers compare by value */
#define QOBJECT(x) ((QObject *)(x))
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QObject, qobject_unref)

/* Checked downcasts: NULL when obj is NULL or of another type. */
QNull *qobject_to_qnull(const QObject *obj);
QNum *qobject_to_qnum(const QObject *obj);
QString *qobject_to_qstring(const QObject *obj);
QDict *qobject_to_qdict(const QObject *obj);
QList *qobject_to_qlist(const QObject *obj);
QBool *qobject_to_qbool(const QObject *obj);

/* null: a shared singleton is fine, but it is still ref-counted by callers */
QNull *qnull(void);

/* Numbers keep their kind: a JSON integer that fits int64 is I64, a larger one up to 2^64-1 is
 * U64, anything with a fraction or exponent (or out of range) is DOUBLE. */
typedef enum QNumKind { QNUM_I64, QNUM_U64, QNUM_DOUBLE } QNumKind;
QNum *qnum_from_int(int64_t value);
QNum *qnum_from_uint(uint64_t value);
QNum *qnum_from_double(double value);
QNumKind qnum_kind(const QNum *qn);
bool qnum_get_try_int(const QNum *qn, int64_t *val);   /* false if not representable */
bool qnum_get_try_uint(const QNum *qn, uint64_t *val); /* false if negative or a double */
double qnum_get_double(const QNum *qn);               /* any kind, converted */
char *qnum_to_string(const QNum *qn);                 /* JSON text; doubles round-trip (%.17g) */

QString *qstring_from_str(const char *str);
QString *qstring_from_len(const char *str, size_t len); /* may contain NUL */
const char *qstring_get_str(const QString *qs);
size_t qstring_get_length(const QString *qs);

QBool *qbool_from_bool(bool value);
bool qbool_get_bool(const QBool *qb);

/* Dict: string keys, iteration in insertion order, qdict_put* replaces an existing key
 * (keeping its position) and takes ownership of the value reference. */
QDict *qdict_new(void);
size_t qdict_size(const QDict *qdict);
void qdict_put_obj(QDict *qdict, const char *key, QObject *value);
void qdict_put_int(QDict *qdict, const char *key, int64_t value);
void qdict_put_uint(QDict *qdict, const char *key, uint64_t value);
void qdict_put_bool(QDict *qdict, const char *key, bool value);
void qdict_put_str(QDict *qdict, const char *key, const char *value);
void qdict_put_null(QDict *qdict, const char *key);
#define qdict_put(qdict, key, obj) qdict_put_obj(qdict, key, QOBJECT(obj))
QObject *qdict_get(const QDict *qdict, const char *key);  /* borrowed, NULL if absent */
bool qdict_haskey(const QDict *qdict, const char *key);
bool qdict_del(QDict *qdict, const char *key);           /* true if it was there */
const char *qdict_get_try_str(const QDict *qdict, const char *key); /* NULL if absent/not str */
QDict *qdict_get_qdict(const QDict *qdict, const char *key);       /* borrowed or NULL */
QList *qdict_get_qlist(const QDict *qdict, const char *key);       /* borrowed or NULL */
QDict *qdict_clone_shallow(const QDict *src);
/* Iteration in insertion order. */
typedef struct QDictEntry QDictEntry;
const QDictEntry *qdict_first(const QDict *qdict);
const QDictEntry *qdict_next(const QDict *qdict, const QDictEntry *entry);
const char *qdict_entry_key(const QDictEntry *entry);
QObject *qdict_entry_value(const QDictEntry *entry);        /* borrowed */

/* List: qlist_append* takes ownership of the value reference. */
QList *qlist_new(void);
void qlist_append_obj(QList *qlist, QObject *value);
void qlist_append_int(QList *qlist, int64_t value);
void qlist_append_str(QList *qlist, const char *value);
void qlist_append_bool(QList *qlist, bool value);
#define qlist_append(qlist, obj) qlist_append_obj(qlist, QOBJECT(obj))
size_t qlist_size(const QList *qlist);
QObject *qlist_peek(const QList *qlist);                /* first element, borrowed, or NULL */
QObject *qlist_pop(QList *qlist);                       /* removes the first, caller owns */
QObject *qlist_get(const QList *qlist, size_t index);  /* borrowed or NULL */
bool qlist_empty(const QList *qlist);

#define QOBJECT_AUTOPTR(T, fn) \
    static inline void fn##_autoptr_unref(T *p) { qobject_unref(QOBJECT(p)); } \
    G_DEFINE_AUTOPTR_CLEANUP_FUNC(T, fn##_autoptr_unref)
QOBJECT_AUTOPTR(QNull, qnull)
QOBJECT_AUTOPTR(QNum, qnum)
QOBJECT_AUTOPTR(QString, qstring)
QOBJECT_AUTOPTR(QDict, qdict)
QOBJECT_AUTOPTR(QList, qlist)
QOBJECT_AUTOPTR(QBool, qbool)

#endif
