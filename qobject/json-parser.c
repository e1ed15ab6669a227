/* Push parser: consumes JSON tokens one at a time and builds QObjects with an explicit stack. */
#include "json-internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

/* What the innermost open container expects next. */
typedef enum {
    F_LIST_FIRST,   /* after '[': value or ']' */
    F_LIST_VALUE,   /* after ',': value */
    F_LIST_NEXT,    /* after a value: ',' or ']' */
    F_DICT_FIRST,   /* after '{': key or '}' */
    F_DICT_KEY,     /* after ',': key */
    F_DICT_COLON,   /* after a key: ':' */
    F_DICT_VALUE,   /* after ':': value */
    F_DICT_NEXT,    /* after a value: ',' or '}' */
} FrameState;

typedef struct Frame {
    QObject *container;
    FrameState state;
    char *key;          /* pending key between the key and its value */
} Frame;

struct JSONParser {
    GArray *stack;      /* of Frame; empty between top-level values */
};

JSONParser *json_parser_new(void)
{
    JSONParser *ps = g_new0(JSONParser, 1);
    ps->stack = g_array_new(FALSE, FALSE, sizeof(Frame));
    return ps;
}

void json_parser_reset(JSONParser *ps)
{
    for (guint i = 0; i < ps->stack->len; i++) {
        Frame *f = &g_array_index(ps->stack, Frame, i);
        qobject_unref(f->container);
        g_free(f->key);
    }
    g_array_set_size(ps->stack, 0);
}

void json_parser_free(JSONParser *ps)
{
    if (ps) {
        json_parser_reset(ps);
        g_array_free(ps->stack, TRUE);
        g_free(ps);
    }
}

unsigned json_parser_depth(const JSONParser *ps)
{
    return ps->stack->len;
}

static JSONParseResult parse_error(JSONParser *ps, GError **errp, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static JSONParseResult parse_error(JSONParser *ps, GError **errp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(errp, "JSON parse error, %s", msg);
    json_parser_reset(ps);
    return JSON_PARSE_ERROR;
}

static const char *token_name(JSONTokenType type)
{
    static const char *const names[] = {
        [JSON_LCURLY] = "'{'", [JSON_RCURLY] = "'}'", [JSON_LSQUARE] = "'['",
        [JSON_RSQUARE] = "']'", [JSON_COLON] = "':'", [JSON_COMMA] = "','",
        [JSON_STRING] = "string", [JSON_INTEGER] = "number", [JSON_FLOAT] = "number",
        [JSON_TRUE] = "'true'", [JSON_FALSE] = "'false'", [JSON_NULL] = "'null'",
    };
    return names[type];
}

static Frame *top_frame(JSONParser *ps)
{
    return ps->stack->len ? &g_array_index(ps->stack, Frame, ps->stack->len - 1) : NULL;
}

/*
 * Integers keep their exact value: int64 if they fit, else uint64 if non-negative and
 * below 2^64, else double.  Only a magnitude past the double range is an error.
 */
static QObject *parse_number(const JSONToken *tok, GError **errp)
{
    char *end;

    if (tok->type == JSON_INTEGER) {
        errno = 0;
        if (tok->text[0] == '-') {
            long long v = strtoll(tok->text, &end, 10);
            if (errno == 0) {
                return QOBJECT(qnum_from_int(v));
            }
        } else {
            unsigned long long v = strtoull(tok->text, &end, 10);
            if (errno == 0) {
                return v <= INT64_MAX ? QOBJECT(qnum_from_int((int64_t)v))
                                      : QOBJECT(qnum_from_uint(v));
            }
        }
    }
    double d = g_ascii_strtod(tok->text, &end);
    if (isinf(d)) {
        error_setg(errp, "JSON parse error, number '%.40s' out of range", tok->text);
        return NULL;
    }
    return QOBJECT(qnum_from_double(d));
}

static QObject *scalar_value(const JSONToken *tok, GError **errp)
{
    switch (tok->type) {
    case JSON_STRING:
        return QOBJECT(qstring_from_len(tok->text, tok->len));
    case JSON_INTEGER:
    case JSON_FLOAT:
        return parse_number(tok, errp);
    case JSON_TRUE:
    case JSON_FALSE:
        return QOBJECT(qbool_from_bool(tok->type == JSON_TRUE));
    default:
        return QOBJECT(qnull());
    }
}

/* Store a finished value into the innermost container, or report the top-level value. */
static JSONParseResult attach(JSONParser *ps, QObject *value, QObject **out)
{
    Frame *f = top_frame(ps);
    if (!f) {
        *out = value;
        return JSON_PARSE_DONE;
    }
    if (f->state == F_DICT_VALUE) {
        qdict_put_obj((QDict *)f->container, f->key, value);
        g_free(f->key);
        f->key = NULL;
        f->state = F_DICT_NEXT;
    } else {
        qlist_append_obj((QList *)f->container, value);
        f->state = F_LIST_NEXT;
    }
    return JSON_PARSE_MORE;
}

static JSONParseResult open_container(JSONParser *ps, JSONTokenType type, GError **errp)
{
    if (ps->stack->len >= JSON_MAX_NESTING) {
        return parse_error(ps, errp, "nesting too deep (more than %d levels)", JSON_MAX_NESTING);
    }
    Frame f = { .key = NULL };
    if (type == JSON_LCURLY) {
        f.container = QOBJECT(qdict_new());
        f.state = F_DICT_FIRST;
    } else {
        f.container = QOBJECT(qlist_new());
        f.state = F_LIST_FIRST;
    }
    g_array_append_val(ps->stack, f);
    return JSON_PARSE_MORE;
}

static JSONParseResult close_container(JSONParser *ps, QObject **out)
{
    Frame *f = top_frame(ps);
    QObject *done = f->container;
    g_free(f->key);
    g_array_set_size(ps->stack, ps->stack->len - 1);
    return attach(ps, done, out);
}

/* A value is expected (top level, after '[', ',' in a list, or ':'). */
static JSONParseResult parse_value(JSONParser *ps, const JSONToken *tok, QObject **out,
                                   GError **errp)
{
    switch (tok->type) {
    case JSON_LCURLY:
    case JSON_LSQUARE:
        return open_container(ps, tok->type, errp);
    case JSON_RCURLY:
    case JSON_RSQUARE:
    case JSON_COLON:
    case JSON_COMMA:
        return parse_error(ps, errp, "expecting value, got %s", token_name(tok->type));
    default: {
        GError *err = NULL;
        QObject *v = scalar_value(tok, &err);
        if (!v) {
            json_parser_reset(ps);
            error_propagate(errp, err);
            return JSON_PARSE_ERROR;
        }
        return attach(ps, v, out);
    }
    }
}

static JSONParseResult parse_in_dict(JSONParser *ps, Frame *f, const JSONToken *tok,
                                     QObject **out, GError **errp)
{
    switch (f->state) {
    case F_DICT_FIRST:
    case F_DICT_KEY:
        if (tok->type == JSON_RCURLY && f->state == F_DICT_FIRST) {
            return close_container(ps, out);
        }
        if (tok->type != JSON_STRING) {
            return parse_error(ps, errp, "expecting object key, got %s", token_name(tok->type));
        }
        if (qdict_haskey((QDict *)f->container, tok->text)) {
            return parse_error(ps, errp, "duplicate key '%.64s'", tok->text);
        }
        f->key = g_strndup(tok->text, tok->len);
        f->state = F_DICT_COLON;
        return JSON_PARSE_MORE;
    case F_DICT_COLON:
        if (tok->type != JSON_COLON) {
            return parse_error(ps, errp, "expecting ':', got %s", token_name(tok->type));
        }
        f->state = F_DICT_VALUE;
        return JSON_PARSE_MORE;
    case F_DICT_VALUE:
        return parse_value(ps, tok, out, errp);
    default: /* F_DICT_NEXT */
        if (tok->type == JSON_COMMA) {
            f->state = F_DICT_KEY;
            return JSON_PARSE_MORE;
        }
        if (tok->type == JSON_RCURLY) {
            return close_container(ps, out);
        }
        return parse_error(ps, errp, "expecting ',' or '}', got %s", token_name(tok->type));
    }
}

static JSONParseResult parse_in_list(JSONParser *ps, Frame *f, const JSONToken *tok,
                                     QObject **out, GError **errp)
{
    switch (f->state) {
    case F_LIST_FIRST:
        if (tok->type == JSON_RSQUARE) {
            return close_container(ps, out);
        }
        return parse_value(ps, tok, out, errp);
    case F_LIST_VALUE:
        return parse_value(ps, tok, out, errp);
    default: /* F_LIST_NEXT */
        if (tok->type == JSON_COMMA) {
            f->state = F_LIST_VALUE;
            return JSON_PARSE_MORE;
        }
        if (tok->type == JSON_RSQUARE) {
            return close_container(ps, out);
        }
        return parse_error(ps, errp, "expecting ',' or ']', got %s", token_name(tok->type));
    }
}

JSONParseResult json_parser_feed_token(JSONParser *ps, const JSONToken *tok, QObject **out,
                                       GError **errp)
{
    Frame *f = top_frame(ps);

    *out = NULL;
    if (!f) {
        return parse_value(ps, tok, out, errp);
    }
    if (f->state >= F_DICT_FIRST) {
        return parse_in_dict(ps, f, tok, out, errp);
    }
    return parse_in_list(ps, f, tok, out, errp);
}
