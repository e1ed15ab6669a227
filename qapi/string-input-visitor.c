/* String input visitor: one scalar, or one integer list with ranges, parsed from text. */
#include "qapi/visitor-impl.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "util/cutils.h"
#include "util/range-list.h"

typedef enum SivListMode {
    SIV_NONE,        /* not in a list: the whole string is one scalar */
    SIV_UNPARSED,    /* in a list, nothing parsed yet */
    SIV_SIGNED,      /* walking a signed range; unparsed holds the rest of the text */
    SIV_UNSIGNED,    /* walking the values range_list_parse() produced */
    SIV_END,         /* in a list, all elements handed out */
} SivListMode;

typedef struct StringInputVisitor {
    Visitor visitor;
    char *string;
    char *list_name;        /* name given to start_list: elements have none of their own */
    SivListMode lm;
    const char *unparsed;   /* SIV_SIGNED: text after the current range */
    int64_t next, last;     /* SIV_SIGNED: current range */
    bool range_done;        /* SIV_SIGNED: last was handed out */
    GArray *values;         /* SIV_UNSIGNED: uint64_t elements */
    guint index;            /* SIV_UNSIGNED: next element of values */
} StringInputVisitor;

static StringInputVisitor *to_siv(Visitor *v)
{
    return (StringInputVisitor *)v;
}

static const char *siv_name(const char *name)
{
    return name ? name : "null";
}

/* Scalars only make sense outside a list; a struct cannot come from one string. */
static bool siv_start_struct(Visitor *v, const char *name, void **obj, size_t size,
                             GError **errp)
{
    error_setg(errp, "Parameter '%s' cannot be given as a structure here", siv_name(name));
    return false;
}

static void siv_end_struct(Visitor *v, void **obj)
{
}

static bool siv_start_list(Visitor *v, const char *name, GenericList **list, size_t size,
                           GError **errp)
{
    StringInputVisitor *siv = to_siv(v);

    if (siv->lm != SIV_NONE) {
        error_setg(errp, "Parameter '%s' cannot be a list inside a list", siv_name(name));
        return false;
    }
    siv->unparsed = siv->string;
    siv->lm = siv->string[0] ? SIV_UNPARSED : SIV_END;
    g_free(siv->list_name);
    siv->list_name = g_strdup(name);
    if (list && siv->lm == SIV_UNPARSED) {
        *list = g_malloc0(size);
    }
    return true;
}

static bool siv_more(StringInputVisitor *siv)
{
    switch (siv->lm) {
    case SIV_UNPARSED:
        return true;
    case SIV_SIGNED:
        return !siv->range_done || siv->unparsed[0];
    case SIV_UNSIGNED:
        return siv->index < siv->values->len;
    default:
        return false;
    }
}

static GenericList *siv_next_list(Visitor *v, GenericList *tail, size_t size)
{
    if (!siv_more(to_siv(v))) {
        return NULL;
    }
    tail->next = g_malloc0(size);
    return tail->next;
}

static bool siv_check_list(Visitor *v, GError **errp)
{
    if (siv_more(to_siv(v))) {
        error_setg(errp, "Fewer list elements expected");
        return false;
    }
    return true;
}

static void siv_end_list(Visitor *v, void **list)
{
    StringInputVisitor *siv = to_siv(v);

    siv->lm = SIV_NONE;
    siv->unparsed = NULL;
    g_clear_pointer(&siv->list_name, g_free);
    if (siv->values) {
        g_array_unref(siv->values);
        siv->values = NULL;
    }
}

/* Next element of a signed list: "a", "a-b", separated by ',' or ':'. */
static bool siv_next_signed(StringInputVisitor *siv, const char *name, int64_t *obj,
                            GError **errp)
{
    if (siv->lm == SIV_UNPARSED || siv->range_done) {
        uint64_t a, b;
        const char *end;

        if (!visit_parse_range_item(siv->unparsed, true, ",:", &a, &b, &end) ||
            (*end && !end[1])) {
            /* Bad item, or a trailing separator promising an element that is not there. */
            error_setg(errp, "Parameter '%s' expects list of int64 values or ranges",
                       siv_name(name ? name : siv->list_name));
            siv->lm = SIV_END;
            return false;
        }
        siv->unparsed = *end ? end + 1 : end;
        siv->next = (int64_t)a;
        siv->last = (int64_t)b;
        siv->range_done = false;
        siv->lm = SIV_SIGNED;
    }
    *obj = siv->next;
    if (siv->next == siv->last) {
        siv->range_done = true;
        if (!siv->unparsed[0]) {
            siv->lm = SIV_END;
        }
    } else {
        siv->next++;
    }
    return true;
}

static bool siv_type_int64(Visitor *v, const char *name, int64_t *obj, GError **errp)
{
    StringInputVisitor *siv = to_siv(v);

    switch (siv->lm) {
    case SIV_NONE:
        if (qemu_strtoi64(siv->string, NULL, 0, obj) < 0) {
            error_setg(errp, "Parameter '%s' expects int64", siv_name(name));
            return false;
        }
        return true;
    case SIV_UNPARSED:
    case SIV_SIGNED:
        return siv_next_signed(siv, name, obj, errp);
    default:
        error_setg(errp, "Fewer list elements expected");
        return false;
    }
}

/* Unsigned lists go through range_list_parse(): the element set, sorted and de-duplicated. */
static bool siv_type_uint64(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    StringInputVisitor *siv = to_siv(v);
    GError *err = NULL;

    switch (siv->lm) {
    case SIV_NONE:
        if (qemu_strtou64(siv->string, NULL, 0, obj) < 0) {
            error_setg(errp, "Parameter '%s' expects uint64", siv_name(name));
            return false;
        }
        return true;
    case SIV_UNPARSED:
        siv->values = range_list_parse(siv->string, siv_name(name), UINT64_MAX, &err);
        if (!siv->values) {
            g_clear_error(&err);
            error_setg(errp, "Parameter '%s' expects list of uint64 values or ranges",
                       siv_name(name ? name : siv->list_name));
            siv->lm = SIV_END;
            return false;
        }
        siv->index = 0;
        siv->lm = SIV_UNSIGNED;
        /* fall through */
    case SIV_UNSIGNED:
        if (siv->index < siv->values->len) {
            *obj = g_array_index(siv->values, uint64_t, siv->index++);
            return true;
        }
        /* fall through */
    default:
        error_setg(errp, "Fewer list elements expected");
        return false;
    }
}

static bool siv_type_size(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    StringInputVisitor *siv = to_siv(v);
    int ret;

    if (siv->lm != SIV_NONE) {
        error_setg(errp, "Parameter '%s' cannot be a list of sizes", siv_name(name));
        return false;
    }
    ret = qemu_strtosz(siv->string, NULL, obj);
    if (ret == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'", siv->string,
                   siv_name(name));
        return false;
    }
    if (ret < 0) {
        error_setg(errp, "Parameter '%s' expects a non-negative number below 2^64",
                   siv_name(name));
        return false;
    }
    return true;
}

static bool siv_type_bool(Visitor *v, const char *name, bool *obj, GError **errp)
{
    StringInputVisitor *siv = to_siv(v);
    static const char *const yes[] = { "on", "yes", "true" };
    static const char *const no[] = { "off", "no", "false" };

    for (size_t i = 0; siv->lm == SIV_NONE && i < G_N_ELEMENTS(yes); i++) {
        if (!g_ascii_strcasecmp(siv->string, yes[i])) {
            *obj = true;
            return true;
        }
        if (!g_ascii_strcasecmp(siv->string, no[i])) {
            *obj = false;
            return true;
        }
    }
    error_setg(errp, "Invalid parameter type for '%s', expected: boolean", siv_name(name));
    return false;
}

static bool siv_type_str(Visitor *v, const char *name, char **obj, GError **errp)
{
    StringInputVisitor *siv = to_siv(v);

    if (siv->lm != SIV_NONE) {
        error_setg(errp, "Parameter '%s' cannot be a list of strings", siv_name(name));
        return false;
    }
    *obj = g_strdup(siv->string);
    return true;
}

static bool siv_type_number(Visitor *v, const char *name, double *obj, GError **errp)
{
    StringInputVisitor *siv = to_siv(v);
    char *end = NULL;
    double val = 0;

    if (siv->lm == SIV_NONE && siv->string[0]) {
        errno = 0;
        val = g_ascii_strtod(siv->string, &end);
    }
    if (!end || *end || errno || !isfinite(val)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: number", siv_name(name));
        return false;
    }
    *obj = val;
    return true;
}

static bool siv_type_null(Visitor *v, const char *name, QNull **obj, GError **errp)
{
    StringInputVisitor *siv = to_siv(v);

    *obj = NULL;
    if (siv->lm != SIV_NONE || siv->string[0]) {
        error_setg(errp, "Invalid parameter type for '%s', expected: null", siv_name(name));
        return false;
    }
    *obj = qnull();
    return true;
}

static void siv_free(Visitor *v)
{
    StringInputVisitor *siv = to_siv(v);

    if (siv->values) {
        g_array_unref(siv->values);
    }
    g_free(siv->list_name);
    g_free(siv->string);
    g_free(siv);
}

Visitor *string_input_visitor_new(const char *str)
{
    StringInputVisitor *siv = g_new0(StringInputVisitor, 1);
    Visitor *v = &siv->visitor;

    v->type = VISITOR_INPUT;
    v->start_struct = siv_start_struct;
    v->end_struct = siv_end_struct;
    v->start_list = siv_start_list;
    v->next_list = siv_next_list;
    v->check_list = siv_check_list;
    v->end_list = siv_end_list;
    v->type_int64 = siv_type_int64;
    v->type_uint64 = siv_type_uint64;
    v->type_size = siv_type_size;
    v->type_bool = siv_type_bool;
    v->type_str = siv_type_str;
    v->type_number = siv_type_number;
    v->type_null = siv_type_null;
    v->free = siv_free;
    siv->string = g_strdup(str ? str : "");
    return v;
}
