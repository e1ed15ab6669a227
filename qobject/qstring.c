/* QString: an immutable byte string (normally UTF-8) with an explicit length. */
#include "qobject-internal.h"

#include <string.h>

QString *qstring_from_len(const char *str, size_t len)
{
    QString *qs = g_new(QString, 1);
    qobject_init(&qs->base, QTYPE_QSTRING);
    qs->str = g_malloc(len + 1);
    if (len) {
        memcpy(qs->str, str, len);
    }
    qs->str[len] = '\0';
    qs->len = len;
    return qs;
}

QString *qstring_from_str(const char *str)
{
    return qstring_from_len(str, strlen(str));
}

const char *qstring_get_str(const QString *qs)
{
    return qs->str;
}

size_t qstring_get_length(const QString *qs)
{
    return qs->len;
}

void qstring_destroy(QString *qs)
{
    g_free(qs->str);
    g_free(qs);
}
