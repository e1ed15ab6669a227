/* Opts visitor: reads one option list entry (-numa node,nodeid=0,cpus=0-3) as a QAPI struct. */
#include "qapi/visitor-impl.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "util/cutils.h"
#include "util/opts.h"

/*
 * How it works, following QEMU's OptsVisitor:
 *  - The outermost struct loads every key into `unprocessed` (name -> values in order, plus
 *    the Opts id as a key "id").  Nested structs and flat-union variants share that one flat
 *    namespace, so only the outermost visit_check_struct reports leftovers.
 *  - A scalar takes the last value of its key and marks the key processed.
 *  - A list walks every value of a repeated key; integer elements may be ranges "a-b"
 *    (at most 65536 values) and, as a numbat extension, several items joined by ':'.
 *  - Messages and the order in which leftovers are found match QEMU (same GHashTable walk).
 */
typedef enum OvListMode {
    OV_LIST_NONE,       /* not in a list */
    OV_LIST_ITEM,       /* the current element comes from `seg` */
    OV_LIST_RANGE,      /* the current element comes from range_next */
    OV_LIST_DONE,       /* every value consumed; only visit_end_list may follow */
} OvListMode;

typedef struct OptsVisitor {
    Visitor visitor;
    const Opts *opts;           /* the caller's, must outlive the visitor */
    unsigned depth;
    GHashTable *unprocessed;    /* const char *key -> GPtrArray of const char * values */

    OvListMode list_mode;
    char *list_name;            /* key of the list being walked */
    GPtrArray *repeated;        /* its values (borrowed from unprocessed) */
    guint value_index;          /* which value the current element comes from */
    const char *seg;            /* unparsed rest of that value; NULL once consumed */
    uint64_t range_next, range_last; /* current range (int64 bits when signed) */
} OptsVisitor;

static OptsVisitor *to_ov(Visitor *v)
{
    return (OptsVisitor *)v;
}

static void ov_insert(GHashTable *table, const char *name, const char *value)
{
    GPtrArray *values = g_hash_table_lookup(table, name);

    if (!values) {
        values = g_ptr_array_new();
        g_hash_table_insert(table, (gpointer)name, values);
    }
    g_ptr_array_add(values, (gpointer)(value ? value : ""));
}

static bool ov_start_struct(Visitor *v, const char *name, void **obj, size_t size,
                            GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    size_t n = opts_count(ov->opts);

    if (obj) {
        *obj = g_malloc0(size);
    }
    if (ov->depth++ > 0) {
        return true;
    }
    ov->unprocessed = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify)g_ptr_array_unref);
    for (size_t i = 0; i < n; i++) {
        ov_insert(ov->unprocessed, opts_name_at(ov->opts, i), opts_value_at(ov->opts, i));
    }
    /* The id lives outside the entries; offer it as a member called "id" like QEMU. */
    if (opts_id(ov->opts) && !g_hash_table_contains(ov->unprocessed, "id")) {
        ov_insert(ov->unprocessed, "id", opts_id(ov->opts));
    }
    return true;
}

static bool ov_check_struct(Visitor *v, GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    GHashTableIter iter;
    const char *key;

    if (ov->depth > 1 || !ov->unprocessed) {
        return true;
    }
    g_hash_table_iter_init(&iter, ov->unprocessed);
    if (g_hash_table_iter_next(&iter, (gpointer *)&key, NULL)) {
        error_setg(errp, "Invalid parameter '%s'", key);
        return false;
    }
    return true;
}

static void ov_end_struct(Visitor *v, void **obj)
{
    OptsVisitor *ov = to_ov(v);

    if (ov->depth == 0 || --ov->depth > 0) {
        return;
    }
    g_clear_pointer(&ov->unprocessed, g_hash_table_unref);
}

static GPtrArray *ov_lookup(OptsVisitor *ov, const char *name, GError **errp)
{
    GPtrArray *values = ov->unprocessed && name ?
        g_hash_table_lookup(ov->unprocessed, name) : NULL;

    if (!values) {
        error_setg(errp, "Parameter '%s' is missing", name ? name : "null");
    }
    return values;
}

static bool ov_start_list(Visitor *v, const char *name, GenericList **list, size_t size,
                          GError **errp)
{
    OptsVisitor *ov = to_ov(v);

    if (ov->list_mode != OV_LIST_NONE) {
        error_setg(errp, "Parameter '%s' cannot be a list inside a list", name ? name : "null");
        return false;
    }
    ov->repeated = ov_lookup(ov, name, errp);
    if (!ov->repeated) {
        return false;
    }
    ov->list_mode = OV_LIST_ITEM;
    ov->list_name = g_strdup(name);
    ov->value_index = 0;
    ov->seg = g_ptr_array_index(ov->repeated, 0);
    if (list) {
        *list = g_malloc0(size);
    }
    return true;
}

/* Move to the next element: the rest of a range, the rest of a "a:b" value, or the next value. */
static GenericList *ov_next_list(Visitor *v, GenericList *tail, size_t size)
{
    OptsVisitor *ov = to_ov(v);

    if (ov->list_mode == OV_LIST_RANGE) {
        if (ov->range_next != ov->range_last) {
            ov->range_next++;
            goto more;
        }
        ov->list_mode = OV_LIST_ITEM;
    }
    if (ov->list_mode != OV_LIST_ITEM) {
        return NULL;
    }
    if (ov->seg) {
        goto more;
    }
    if (++ov->value_index < ov->repeated->len) {
        ov->seg = g_ptr_array_index(ov->repeated, ov->value_index);
        goto more;
    }
    /* Every value was consumed: the key counts as processed. */
    g_hash_table_remove(ov->unprocessed, ov->list_name);
    ov->repeated = NULL;
    ov->list_mode = OV_LIST_DONE;
    return NULL;

more:
    tail->next = g_malloc0(size);
    return tail->next;
}

static void ov_end_list(Visitor *v, void **list)
{
    OptsVisitor *ov = to_ov(v);

    ov->list_mode = OV_LIST_NONE;
    ov->repeated = NULL;
    ov->seg = NULL;
    g_clear_pointer(&ov->list_name, g_free);
}

/*
 * The text a scalar visit reads: inside a list the current element's whole value, else the
 * last value of the key.  *key is the name to use in messages.
 */
static bool ov_scalar_text(OptsVisitor *ov, const char *name, const char **text,
                           const char **key, GError **errp)
{
    GPtrArray *values;

    if (ov->list_mode == OV_LIST_ITEM) {
        *key = ov->list_name;
        *text = ov->seg ? ov->seg : "";
        return true;
    }
    values = ov_lookup(ov, name, errp);
    if (!values) {
        return false;
    }
    *key = name;
    *text = g_ptr_array_index(values, values->len - 1);
    return true;
}

/* A scalar visit succeeded: outside a list its key is done; inside, the element is used up. */
static void ov_processed(OptsVisitor *ov, const char *name)
{
    if (ov->list_mode == OV_LIST_NONE) {
        g_hash_table_remove(ov->unprocessed, name);
    } else if (ov->list_mode == OV_LIST_ITEM) {
        ov->seg = NULL;
    }
}

static bool ov_type_str(Visitor *v, const char *name, char **obj, GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    const char *text, *key;

    if (!ov_scalar_text(ov, name, &text, &key, errp)) {
        return false;
    }
    /*
     * Consumed even if an enum visit then rejects the value; harmless, because the
     * leftover check only matters when nothing else failed.
     */
    *obj = g_strdup(text);
    ov_processed(ov, name);
    return true;
}

static bool ov_type_bool(Visitor *v, const char *name, bool *obj, GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    const char *text, *key;

    if (!ov_scalar_text(ov, name, &text, &key, errp)) {
        return false;
    }
    if (!visit_parse_bool_text(text, obj)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return false;
    }
    ov_processed(ov, name);
    return true;
}

/* Integer element of a list: a number or a range, possibly followed by ":more". */
static bool ov_list_int(OptsVisitor *ov, bool is_signed, uint64_t *obj, GError **errp)
{
    uint64_t a, b;
    const char *end;

    if (ov->list_mode == OV_LIST_RANGE) {
        *obj = ov->range_next;
        return true;
    }
    if (!ov->seg || !visit_parse_range_item(ov->seg, is_signed, ":", &a, &b, &end)) {
        error_setg(errp, "Parameter '%s' expects %s", ov->list_name,
                   is_signed ? "an int64 value or range" : "a uint64 value or range");
        return false;
    }
    ov->seg = *end ? end + 1 : NULL;
    if (a != b) {
        ov->list_mode = OV_LIST_RANGE;
        ov->range_next = a;
        ov->range_last = b;
    }
    *obj = a;
    return true;
}

static bool ov_type_int64(Visitor *v, const char *name, int64_t *obj, GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    const char *text, *key;
    uint64_t val;

    if (ov->list_mode == OV_LIST_ITEM || ov->list_mode == OV_LIST_RANGE) {
        bool ok = ov_list_int(ov, true, &val, errp);
        if (ok) {
            *obj = (int64_t)val;
        }
        return ok;
    }
    if (!ov_scalar_text(ov, name, &text, &key, errp)) {
        return false;
    }
    if (!visit_parse_number_text(text, true, &val)) {
        error_setg(errp, "Parameter '%s' expects an int64 value", key);
        return false;
    }
    *obj = (int64_t)val;
    ov_processed(ov, name);
    return true;
}

static bool ov_type_uint64(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    const char *text, *key;
    uint64_t val;

    if (ov->list_mode == OV_LIST_ITEM || ov->list_mode == OV_LIST_RANGE) {
        return ov_list_int(ov, false, obj, errp);
    }
    if (!ov_scalar_text(ov, name, &text, &key, errp)) {
        return false;
    }
    if (!visit_parse_number_text(text, false, &val)) {
        error_setg(errp, "Parameter '%s' expects a uint64 value", key);
        return false;
    }
    *obj = val;
    ov_processed(ov, name);
    return true;
}

static bool ov_type_size(Visitor *v, const char *name, uint64_t *obj, GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    const char *text, *key;

    if (!ov_scalar_text(ov, name, &text, &key, errp)) {
        return false;
    }
    if (qemu_strtosz(text, NULL, obj) < 0) {
        error_setg(errp, "Parameter '%s' expects a size value", key);
        return false;
    }
    ov_processed(ov, name);
    return true;
}

/* QEMU's OptsVisitor has no numbers; numbat accepts plain decimal text. */
static bool ov_type_number(Visitor *v, const char *name, double *obj, GError **errp)
{
    OptsVisitor *ov = to_ov(v);
    const char *text, *key;
    char *end = NULL;
    double val = 0;

    if (!ov_scalar_text(ov, name, &text, &key, errp)) {
        return false;
    }
    if (text[0]) {
        errno = 0;
        val = g_ascii_strtod(text, &end);
    }
    if (!end || *end || errno || !isfinite(val)) {
        error_setg(errp, "Parameter '%s' expects a number", key);
        return false;
    }
    *obj = val;
    ov_processed(ov, name);
    return true;
}

static void ov_optional(Visitor *v, const char *name, bool *present)
{
    OptsVisitor *ov = to_ov(v);

    *present = ov->list_mode == OV_LIST_NONE && ov->unprocessed && name &&
               g_hash_table_contains(ov->unprocessed, name);
}

static void ov_free(Visitor *v)
{
    OptsVisitor *ov = to_ov(v);

    if (ov->unprocessed) {
        g_hash_table_unref(ov->unprocessed);
    }
    g_free(ov->list_name);
    g_free(ov);
}

Visitor *opts_visitor_new(const Opts *opts)
{
    OptsVisitor *ov = g_new0(OptsVisitor, 1);
    Visitor *v = &ov->visitor;

    v->type = VISITOR_INPUT;
    v->start_struct = ov_start_struct;
    v->check_struct = ov_check_struct;
    v->end_struct = ov_end_struct;
    v->start_list = ov_start_list;
    v->next_list = ov_next_list;
    v->end_list = ov_end_list;
    v->optional = ov_optional;
    v->type_int64 = ov_type_int64;
    v->type_uint64 = ov_type_uint64;
    v->type_size = ov_type_size;
    v->type_bool = ov_type_bool;
    v->type_str = ov_type_str;
    v->type_number = ov_type_number;
    v->free = ov_free;
    ov->opts = opts;
    return v;
}
