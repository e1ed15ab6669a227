/* Private layout of the QObject value types, shared by the files of qobject/ only. */
#ifndef NUMBAT_QOBJECT_INTERNAL_H
#define NUMBAT_QOBJECT_INTERNAL_H

#include "qobject/qobject.h"

struct QNull {
    QObject base;
};

struct QBool {
    QObject base;
    bool value;
};

struct QNum {
    QObject base;
    QNumKind kind;
    union {
        int64_t i64;
        uint64_t u64;
        double dbl;
    } u;
};

struct QString {
    QObject base;
    char *str;      /* always NUL-terminated, may contain NUL before len */
    size_t len;
};

/* Entries form a doubly-linked list in insertion order; the hash table maps key -> entry. */
struct QDictEntry {
    char *key;
    QObject *value;
    QDictEntry *prev, *next;
};

struct QDict {
    QObject base;
    GHashTable *table;  /* borrowed key -> QDictEntry */
    QDictEntry *head, *tail;
    size_t size;
};

/* items[start..len) are live; popping from the front only advances start (O(1)). */
struct QList {
    QObject base;
    GPtrArray *items;
    guint start;
};

void qobject_init(QObject *obj, QType type);
void qdict_destroy(QDict *qdict);
void qlist_destroy(QList *qlist);
void qstring_destroy(QString *qs);
bool qnum_is_equal(const QNum *a, const QNum *b);
void qnum_append_json(GString *out, const QNum *qn);
bool qdict_is_equal(const QDict *a, const QDict *b);
bool qlist_is_equal(const QList *a, const QList *b);

#endif
