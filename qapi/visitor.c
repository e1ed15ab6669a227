/* The visitor core: dispatches each visit_* call through the concrete visitor's vtable. */
#include "qapi/visitor-impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *qapi_enum_lookup(const QEnumLookup *lookup, int val)
{
    if (!lookup || val < 0 || val >= lookup->size) {
        return NULL;
    }
    return lookup->array[val];
}

int qapi_enum_parse(const QEnumLookup *lookup, const char *buf, int def, GError **errp)
{
    if (!buf) {
        return def;
    }
    for (int i = 0; i < lookup->size; i++) {
        if (lookup->array[i] && !strcmp(buf, lookup->array[i])) {
            return i;
        }
    }
    error_setg(errp, "invalid parameter value: %s", buf);
    return def;
}

VisitorType visit_get_type(Visitor *v)
{
    return v->type;
}

bool visit_is_input(Visitor *v)
{
    return v->type == VISITOR_INPUT;
}

bool visit_is_dealloc(Visitor *v)
{
    return v->type == VISITOR_DEALLOC;
}

/* A visitor whose source cannot express a type says so instead of crashing. */
static bool visit_unsupported(const char *name, const char *what, GError **errp)
{
    error_setg(errp, "Parameter '%s' cannot be given as %s here", name ? name : "null", what);
    return false;
}

bool visit_start_struct(Visitor *v, const char *name, void **obj, size_t size, GError **errp)
{
    GError *err = NULL;
    bool ok;

    if (obj && v->type == VISITOR_INPUT) {
        *obj = NULL; /* input overwrites; a failed start leaves nothing to free */
    }
    ok = v->start_struct(v, name, obj, size, &err);
    if (err) {
        error_propagate(errp, err);
        ok = false;
    }
    return ok;
}

bool visit_check_struct(Visitor *v, GError **errp)
{
    return v->check_struct ? v->check_struct(v, errp) : true;
}

void visit_end_struct(Visitor *v, void **obj)
{
    v->end_struct(v, obj);
}

bool visit_start_list(Visitor *v, const char *name, GenericList **list, size_t size,
                      GError **errp)
{
    GError *err = NULL;
    bool ok;

    if (list && v->type == VISITOR_INPUT) {
        *list = NULL;
    }
    ok = v->start_list(v, name, list, size, &err);
    if (err) {
        error_propagate(errp, err);
        ok = false;
    }
    return ok;
}

GenericList *visit_next_list(Visitor *v, GenericList *tail, size_t size)
{
    return v->next_list(v, tail, size);
}

bool visit_check_list(Visitor *v, GError **errp)
{
    return v->check_list ? v->check_list(v, errp) : true;
}

void visit_end_list(Visitor *v, void **list)
{
    v->end_list(v, list);
}

bool visit_optional(Visitor *v, const char *name, bool *present)
{
    if (v->optional) {
        v->optional(v, name, present);
    }
    return *present;
}

bool visit_type_int(Visitor *v, const char *name, int64_t *obj, GError **errp)
{
    return visit_type_int64(v, name, obj, errp);
}

bool visit_type_int64(Visitor *v, const char *name, int64_t *obj, GError **errp)
{
    if (!v->type_int64) {
        return visit_unsupported(name, "an integer", errp);
    }
    return v->type_int64(v, name, obj, errp);
}

bool visit_type_uint64(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    if (!v->type_uint64) {
        return visit_unsupported(name, "an integer", errp);
    }
    return v->type_uint64(v, name, obj, errp);
}

/*
 * Narrow types travel as 64-bit values; only input can be out of range.  The message uses
 * the plain member name (not the full path) and 'null' for list elements, as QEMU does.
 */
static bool visit_type_intN(Visitor *v, const char *name, int64_t *value, int64_t min,
                            int64_t max, const char *type, GError **errp)
{
    if (!visit_type_int64(v, name, value, errp)) {
        return false;
    }
    if (v->type == VISITOR_INPUT && (*value < min || *value > max)) {
        error_setg(errp, "Parameter '%s' expects %s", name ? name : "null", type);
        return false;
    }
    return true;
}

static bool visit_type_uintN(Visitor *v, const char *name, uint64_t *value, uint64_t max,
                             const char *type, GError **errp)
{
    if (!visit_type_uint64(v, name, value, errp)) {
        return false;
    }
    if (v->type == VISITOR_INPUT && *value > max) {
        error_setg(errp, "Parameter '%s' expects %s", name ? name : "null", type);
        return false;
    }
    return true;
}

bool visit_type_int8(Visitor *v, const char *name, int8_t *obj, GError **errp)
{
    int64_t value = *obj;
    bool ok = visit_type_intN(v, name, &value, INT8_MIN, INT8_MAX, "int8_t", errp);
    if (ok) {
        *obj = (int8_t)value;
    }
    return ok;
}

bool visit_type_int16(Visitor *v, const char *name, int16_t *obj, GError **errp)
{
    int64_t value = *obj;
    bool ok = visit_type_intN(v, name, &value, INT16_MIN, INT16_MAX, "int16_t", errp);
    if (ok) {
        *obj = (int16_t)value;
    }
    return ok;
}

bool visit_type_int32(Visitor *v, const char *name, int32_t *obj, GError **errp)
{
    int64_t value = *obj;
    bool ok = visit_type_intN(v, name, &value, INT32_MIN, INT32_MAX, "int32_t", errp);
    if (ok) {
        *obj = (int32_t)value;
    }
    return ok;
}

bool visit_type_uint8(Visitor *v, const char *name, uint8_t *obj, GError **errp)
{
    uint64_t value = *obj;
    bool ok = visit_type_uintN(v, name, &value, UINT8_MAX, "uint8_t", errp);
    if (ok) {
        *obj = (uint8_t)value;
    }
    return ok;
}

bool visit_type_uint16(Visitor *v, const char *name, uint16_t *obj, GError **errp)
{
    uint64_t value = *obj;
    bool ok = visit_type_uintN(v, name, &value, UINT16_MAX, "uint16_t", errp);
    if (ok) {
        *obj = (uint16_t)value;
    }
    return ok;
}

bool visit_type_uint32(Visitor *v, const char *name, uint32_t *obj, GError **errp)
{
    uint64_t value = *obj;
    bool ok = visit_type_uintN(v, name, &value, UINT32_MAX, "uint32_t", errp);
    if (ok) {
        *obj = (uint32_t)value;
    }
    return ok;
}

bool visit_type_size(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    if (v->type_size) {
        return v->type_size(v, name, obj, errp);
    }
    return visit_type_uint64(v, name, obj, errp);
}

bool visit_type_bool(Visitor *v, const char *name, bool *obj, GError **errp)
{
    if (!v->type_bool) {
        return visit_unsupported(name, "a boolean", errp);
    }
    return v->type_bool(v, name, obj, errp);
}

bool visit_type_str(Visitor *v, const char *name, char **obj, GError **errp)
{
    GError *err = NULL;
    bool ok;

    if (!v->type_str) {
        return visit_unsupported(name, "a string", errp);
    }
    if (v->type == VISITOR_INPUT) {
        *obj = NULL; /* visitors allocate only on success */
    }
    ok = v->type_str(v, name, obj, &err);
    if (err) {
        ok = false;
        error_propagate(errp, err);
    }
    return ok;
}

bool visit_type_number(Visitor *v, const char *name, double *obj, GError **errp)
{
    if (!v->type_number) {
        return visit_unsupported(name, "a number", errp);
    }
    return v->type_number(v, name, obj, errp);
}

bool visit_type_any(Visitor *v, const char *name, QObject **obj, GError **errp)
{
    if (!v->type_any) {
        if (v->type == VISITOR_INPUT) {
            *obj = NULL;
        }
        return visit_unsupported(name, "an arbitrary value", errp);
    }
    return v->type_any(v, name, obj, errp);
}

bool visit_type_null(Visitor *v, const char *name, QNull **obj, GError **errp)
{
    if (!v->type_null) {
        if (v->type == VISITOR_INPUT) {
            *obj = NULL;
        }
        return visit_unsupported(name, "null", errp);
    }
    return v->type_null(v, name, obj, errp);
}

static bool input_type_enum(Visitor *v, const char *name, int *obj, const QEnumLookup *lookup,
                            GError **errp)
{
    char *str = NULL;
    int value;

    if (!visit_type_str(v, name, &str, errp)) {
        return false;
    }
    value = qapi_enum_parse(lookup, str, -1, NULL);
    if (value < 0) {
        error_setg(errp, "Parameter '%s' does not accept value '%s'", name ? name : "null", str);
        g_free(str);
        return false;
    }
    g_free(str);
    *obj = value;
    return true;
}

static bool output_type_enum(Visitor *v, const char *name, int *obj, const QEnumLookup *lookup,
                             GError **errp)
{
    const char *str = qapi_enum_lookup(lookup, *obj);

    if (!str) {
        /* A C value outside the enum is a caller bug; report it rather than crash. */
        error_setg(errp, "Parameter '%s' has invalid enum value %d", name ? name : "null", *obj);
        return false;
    }
    return visit_type_str(v, name, (char **)&str, errp);
}

bool visit_type_enum(Visitor *v, const char *name, int *obj, const QEnumLookup *lookup,
                     GError **errp)
{
    switch (v->type) {
    case VISITOR_INPUT:
        return input_type_enum(v, name, obj, lookup, errp);
    case VISITOR_OUTPUT:
        return output_type_enum(v, name, obj, lookup, errp);
    default:
        return true; /* dealloc: nothing owned by a scalar */
    }
}

void visit_complete(Visitor *v, void *result)
{
    if (v->complete) {
        v->complete(v, result);
    }
}

void visit_free(Visitor *v)
{
    if (v) {
        v->free(v);
    }
}

/* One number in base 0; unsigned text may not carry a sign. */
static bool parse_one_number(const char *text, bool is_signed, uint64_t *out, const char **end)
{
    char *e;

    if (!(isdigit((unsigned char)text[0]) ||
          (is_signed && text[0] == '-' && isdigit((unsigned char)text[1])))) {
        return false;
    }
    errno = 0;
    if (is_signed) {
        long long sv = strtoll(text, &e, 0);
        *out = (uint64_t)(int64_t)sv;
    } else {
        unsigned long long uv = strtoull(text, &e, 0);
        *out = uv;
    }
    if (errno || e == text) {
        return false;
    }
    *end = e;
    return true;
}

bool visit_parse_number_text(const char *text, bool is_signed, uint64_t *value)
{
    const char *end;

    return text && parse_one_number(text, is_signed, value, &end) && !*end;
}

bool visit_parse_range_item(const char *text, bool is_signed, const char *seps,
                            uint64_t *first, uint64_t *last, const char **end)
{
    const char *p;
    uint64_t a, b;

    if (!text || !parse_one_number(text, is_signed, &a, &p)) {
        return false;
    }
    b = a;
    if (*p == '-') {
        if (!parse_one_number(p + 1, is_signed, &b, &p)) {
            return false;
        }
        /* Ordered and at most VISIT_RANGE_MAX_ELEMENTS values (difference taken unsigned). */
        if (is_signed ? (int64_t)a > (int64_t)b : a > b) {
            return false;
        }
        if (b - a >= VISIT_RANGE_MAX_ELEMENTS) {
            return false;
        }
    }
    if (*p && !(seps && strchr(seps, *p))) {
        return false;
    }
    *first = a;
    *last = b;
    *end = p;
    return true;
}

bool visit_parse_bool_text(const char *text, bool *value)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };

    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (!strcmp(text, yes[i])) {
            *value = true;
            return true;
        }
        if (!strcmp(text, no[i])) {
            *value = false;
            return true;
        }
    }
    return false;
}
