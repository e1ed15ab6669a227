/* JSON writer: QObject -> compact text with QMP's spacing, or indented text for humans. */
#include "json-internal.h"
#include "qobject-internal.h"

#include <string.h>

/* Length of the valid UTF-8 sequence at s (same rules as the lexer), or 0 if invalid. */
static size_t utf8_valid_len(const unsigned char *s, size_t avail)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t n;

    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (avail < n) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if (s[i] < lo || s[i] > hi) {
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    return n;
}

/*
 * Non-ASCII is copied as UTF-8; bytes that are not valid UTF-8 (possible in a QString
 * built by C code) become U+FFFD so the output is always valid JSON.
 */
static void append_string(GString *out, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;

    g_string_append_c(out, '"');
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default: break;
        }
        if (esc) {
            g_string_append(out, esc);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            g_string_append_printf(out, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            g_string_append_c(out, c);
            i++;
        } else {
            size_t n = utf8_valid_len(s + i, len - i);
            if (n) {
                g_string_append_len(out, str + i, n);
                i += n;
            } else {
                g_string_append(out, "\\ufffd");
                i++;
            }
        }
    }
    g_string_append_c(out, '"');
}

static void newline_indent(GString *out, int indent)
{
    if (indent >= 0) {
        g_string_append_c(out, '\n');
        for (int i = 0; i < indent; i++) {
            g_string_append(out, "  ");
        }
    }
}

static void append_value(GString *out, const QObject *obj, int indent);

/* indent < 0: compact form; otherwise the current indentation level of the pretty form. */
static void append_dict(GString *out, const QDict *d, int indent)
{
    int inner = indent < 0 ? -1 : indent + 1;

    if (!qdict_first(d)) {
        g_string_append(out, "{}");
        return;
    }
    g_string_append_c(out, '{');
    for (const QDictEntry *e = qdict_first(d); e; e = qdict_next(d, e)) {
        newline_indent(out, inner);
        append_string(out, e->key, strlen(e->key));
        g_string_append(out, ": ");
        append_value(out, e->value, inner);
        if (e->next) {
            g_string_append(out, indent < 0 ? ", " : ",");
        }
    }
    newline_indent(out, indent);
    g_string_append_c(out, '}');
}

static void append_list(GString *out, const QList *l, int indent)
{
    int inner = indent < 0 ? -1 : indent + 1;
    size_t n = qlist_size(l);

    if (n == 0) {
        g_string_append(out, "[]");
        return;
    }
    g_string_append_c(out, '[');
    for (size_t i = 0; i < n; i++) {
        newline_indent(out, inner);
        append_value(out, qlist_get(l, i), inner);
        if (i + 1 < n) {
            g_string_append(out, indent < 0 ? ", " : ",");
        }
    }
    newline_indent(out, indent);
    g_string_append_c(out, ']');
}

static void append_value(GString *out, const QObject *obj, int indent)
{
    switch (qobject_type(obj)) {
    case QTYPE_QNUM:
        qnum_append_json(out, (const QNum *)obj);
        break;
    case QTYPE_QSTRING: {
        const QString *qs = (const QString *)obj;
        append_string(out, qs->str, qs->len);
        break;
    }
    case QTYPE_QBOOL:
        g_string_append(out, ((const QBool *)obj)->value ? "true" : "false");
        break;
    case QTYPE_QDICT:
        append_dict(out, (const QDict *)obj, indent);
        break;
    case QTYPE_QLIST:
        append_list(out, (const QList *)obj, indent);
        break;
    default: /* QNULL, and a NULL pointer */
        g_string_append(out, "null");
        break;
    }
}

char *qobject_to_json(const QObject *obj)
{
    GString *out = g_string_new(NULL);
    append_value(out, obj, -1);
    return g_string_free(out, FALSE);
}

char *qobject_to_json_pretty(const QObject *obj)
{
    GString *out = g_string_new(NULL);
    append_value(out, obj, 0);
    return g_string_free(out, FALSE);
}
