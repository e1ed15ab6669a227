/* Unit tests for the QAPI visitor runtime: qobject in/out, dealloc, string input, opts visitor. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qapi/visitor.h"
#include "qobject/json.h"
#include "util/opts.h"

/* ---- Hand-written types and visit functions in the shape the generator emits ---- */

typedef enum Color { COLOR_RED, COLOR_GREEN, COLOR_BLUE, COLOR__MAX } Color;
static const char *const color_names[] = { "red", "green", "blue" };
static const QEnumLookup Color_lookup = { color_names, COLOR__MAX };

typedef enum NumaType { NUMA_TYPE_NODE, NUMA_TYPE_DIST, NUMA_TYPE__MAX } NumaType;
static const char *const numa_type_names[] = { "node", "dist" };
static const QEnumLookup NumaType_lookup = { numa_type_names, NUMA_TYPE__MAX };

typedef struct Inner {
    int64_t a;
    char *s;
} Inner;

typedef struct Item {
    uint16_t id;
    bool has_name;
    char *name;
} Item;

typedef struct ItemList {
    struct ItemList *next;
    Item *value;
} ItemList;

typedef struct uint16List {
    struct uint16List *next;
    uint16_t value;
} uint16List;

typedef struct int64List {
    struct int64List *next;
    int64_t value;
} int64List;

typedef struct strList {
    struct strList *next;
    char *value;
} strList;

typedef struct Outer {
    int64_t i;
    int8_t i8;
    int16_t i16;
    int32_t i32;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    uint64_t sz;
    bool b;
    char *str;
    double num;
    Color color;
    bool has_opt;
    int64_t opt;
    Inner *inner;
    bool has_items;
    ItemList *items;
    bool has_nums;
    uint16List *nums;
    bool has_any;
    QObject *any;
    bool has_nothing;
    QNull *nothing;
} Outer;

typedef struct NodeOpts {
    bool has_nodeid;
    uint16_t nodeid;
    bool has_cpus;
    uint16List *cpus;
    bool has_mem;
    uint64_t mem;
    bool has_memdev;
    char *memdev;
} NodeOpts;

typedef struct DistOpts {
    uint16_t src;
    uint16_t dst;
    uint8_t val;
} DistOpts;

typedef struct NumaOpts {
    NumaType type;
    union {
        NodeOpts node;
        DistOpts dist;
    } u;
} NumaOpts;

/* Option-list shaped struct for the opts visitor's other scalar kinds. */
typedef struct Misc {
    bool has_id;
    char *id;
    bool has_flag;
    bool flag;
    bool has_level;
    int64_t level;
    bool has_ratio;
    double ratio;
    bool has_color;
    Color color;
    bool has_offs;
    int64List *offs;
    bool has_names;
    strList *names;
    bool has_sz;
    uint64_t sz;
} Misc;

static bool visit_type_Color(Visitor *v, const char *name, Color *obj, GError **errp)
{
    int value = *obj;
    bool ok = visit_type_enum(v, name, &value, &Color_lookup, errp);
    *obj = value;
    return ok;
}

static bool visit_type_NumaType(Visitor *v, const char *name, NumaType *obj, GError **errp)
{
    int value = *obj;
    bool ok = visit_type_enum(v, name, &value, &NumaType_lookup, errp);
    *obj = value;
    return ok;
}

/* visit_type_T + qapi_free_T for a struct with visit_type_T_members. */
#define DEFINE_STRUCT_VISIT(T)                                                          \
    static void qapi_free_##T(T *obj);                                                  \
    static bool visit_type_##T(Visitor *v, const char *name, T **obj, GError **errp)    \
    {                                                                                   \
        bool ok = false;                                                                \
        if (!visit_start_struct(v, name, (void **)obj, sizeof(T), errp)) {              \
            return false;                                                               \
        }                                                                               \
        if (!*obj) {                                                                    \
            g_assert(visit_is_dealloc(v));                                              \
            ok = true;                                                                  \
            goto out_obj;                                                               \
        }                                                                               \
        if (!visit_type_##T##_members(v, *obj, errp)) {                                 \
            goto out_obj;                                                               \
        }                                                                               \
        ok = visit_check_struct(v, errp);                                               \
    out_obj:                                                                            \
        visit_end_struct(v, (void **)obj);                                              \
        if (!ok && visit_is_input(v)) {                                                 \
            qapi_free_##T(*obj);                                                        \
            *obj = NULL;                                                                \
        }                                                                               \
        return ok;                                                                      \
    }                                                                                   \
    static void qapi_free_##T(T *obj)                                                   \
    {                                                                                   \
        if (!obj) {                                                                     \
            return;                                                                     \
        }                                                                               \
        Visitor *v = qapi_dealloc_visitor_new();                                        \
        visit_type_##T(v, NULL, &obj, NULL);                                            \
        visit_free(v);                                                                  \
    }

/* visit_type_L + qapi_free_L for a list whose element visit is elem(v, NULL, &value, errp). */
#define DEFINE_LIST_VISIT(L, elem)                                                      \
    static void qapi_free_##L(L *obj);                                                  \
    static bool visit_type_##L(Visitor *v, const char *name, L **obj, GError **errp)    \
    {                                                                                   \
        bool ok = false;                                                                \
        L *tail;                                                                        \
        if (!visit_start_list(v, name, (GenericList **)obj, sizeof(L), errp)) {         \
            return false;                                                               \
        }                                                                               \
        for (tail = *obj; tail;                                                         \
             tail = (L *)visit_next_list(v, (GenericList *)tail, sizeof(L))) {          \
            if (!elem(v, NULL, &tail->value, errp)) {                                   \
                goto out_obj;                                                           \
            }                                                                           \
        }                                                                               \
        ok = visit_check_list(v, errp);                                                 \
    out_obj:                                                                            \
        visit_end_list(v, (void **)obj);                                                \
        if (!ok && visit_is_input(v)) {                                                 \
            qapi_free_##L(*obj);                                                        \
            *obj = NULL;                                                                \
        }                                                                               \
        return ok;                                                                      \
    }                                                                                   \
    static void qapi_free_##L(L *obj)                                                   \
    {                                                                                   \
        if (!obj) {                                                                     \
            return;                                                                     \
        }                                                                               \
        Visitor *v = qapi_dealloc_visitor_new();                                        \
        visit_type_##L(v, NULL, &obj, NULL);                                            \
        visit_free(v);                                                                  \
    }

static bool visit_type_Inner_members(Visitor *v, Inner *obj, GError **errp)
{
    return visit_type_int(v, "a", &obj->a, errp) && visit_type_str(v, "s", &obj->s, errp);
}
DEFINE_STRUCT_VISIT(Inner)

static bool visit_type_Item_members(Visitor *v, Item *obj, GError **errp)
{
    if (!visit_type_uint16(v, "id", &obj->id, errp)) {
        return false;
    }
    if (visit_optional(v, "name", &obj->has_name)) {
        if (!visit_type_str(v, "name", &obj->name, errp)) {
            return false;
        }
    }
    return true;
}
DEFINE_STRUCT_VISIT(Item)
DEFINE_LIST_VISIT(ItemList, visit_type_Item)
DEFINE_LIST_VISIT(uint16List, visit_type_uint16)
DEFINE_LIST_VISIT(int64List, visit_type_int)
DEFINE_LIST_VISIT(strList, visit_type_str)

static bool visit_type_Outer_members(Visitor *v, Outer *obj, GError **errp)
{
    if (!visit_type_int(v, "i", &obj->i, errp) || !visit_type_int8(v, "i8", &obj->i8, errp) ||
        !visit_type_int16(v, "i16", &obj->i16, errp) ||
        !visit_type_int32(v, "i32", &obj->i32, errp) ||
        !visit_type_uint8(v, "u8", &obj->u8, errp) ||
        !visit_type_uint16(v, "u16", &obj->u16, errp) ||
        !visit_type_uint32(v, "u32", &obj->u32, errp) ||
        !visit_type_uint64(v, "u64", &obj->u64, errp) ||
        !visit_type_size(v, "sz", &obj->sz, errp) || !visit_type_bool(v, "b", &obj->b, errp) ||
        !visit_type_str(v, "str", &obj->str, errp) ||
        !visit_type_number(v, "num", &obj->num, errp) ||
        !visit_type_Color(v, "color", &obj->color, errp)) {
        return false;
    }
    if (visit_optional(v, "opt", &obj->has_opt) && !visit_type_int(v, "opt", &obj->opt, errp)) {
        return false;
    }
    if (!visit_type_Inner(v, "inner", &obj->inner, errp)) {
        return false;
    }
    if (visit_optional(v, "items", &obj->has_items) &&
        !visit_type_ItemList(v, "items", &obj->items, errp)) {
        return false;
    }
    if (visit_optional(v, "nums", &obj->has_nums) &&
        !visit_type_uint16List(v, "nums", &obj->nums, errp)) {
        return false;
    }
    if (visit_optional(v, "any", &obj->has_any) && !visit_type_any(v, "any", &obj->any, errp)) {
        return false;
    }
    if (visit_optional(v, "nothing", &obj->has_nothing) &&
        !visit_type_null(v, "nothing", &obj->nothing, errp)) {
        return false;
    }
    return true;
}
DEFINE_STRUCT_VISIT(Outer)

static bool visit_type_NodeOpts_members(Visitor *v, NodeOpts *obj, GError **errp)
{
    if (visit_optional(v, "nodeid", &obj->has_nodeid) &&
        !visit_type_uint16(v, "nodeid", &obj->nodeid, errp)) {
        return false;
    }
    if (visit_optional(v, "cpus", &obj->has_cpus) &&
        !visit_type_uint16List(v, "cpus", &obj->cpus, errp)) {
        return false;
    }
    if (visit_optional(v, "mem", &obj->has_mem) && !visit_type_size(v, "mem", &obj->mem, errp)) {
        return false;
    }
    if (visit_optional(v, "memdev", &obj->has_memdev) &&
        !visit_type_str(v, "memdev", &obj->memdev, errp)) {
        return false;
    }
    return true;
}

static bool visit_type_DistOpts_members(Visitor *v, DistOpts *obj, GError **errp)
{
    return visit_type_uint16(v, "src", &obj->src, errp) &&
           visit_type_uint16(v, "dst", &obj->dst, errp) &&
           visit_type_uint8(v, "val", &obj->val, errp);
}

static bool visit_type_NumaOpts_members(Visitor *v, NumaOpts *obj, GError **errp)
{
    if (!visit_type_NumaType(v, "type", &obj->type, errp)) {
        return false;
    }
    switch (obj->type) {
    case NUMA_TYPE_NODE:
        return visit_type_NodeOpts_members(v, &obj->u.node, errp);
    case NUMA_TYPE_DIST:
        return visit_type_DistOpts_members(v, &obj->u.dist, errp);
    default:
        abort();
    }
}
DEFINE_STRUCT_VISIT(NumaOpts)

static bool visit_type_Misc_members(Visitor *v, Misc *obj, GError **errp)
{
    if (visit_optional(v, "id", &obj->has_id) && !visit_type_str(v, "id", &obj->id, errp)) {
        return false;
    }
    if (visit_optional(v, "flag", &obj->has_flag) &&
        !visit_type_bool(v, "flag", &obj->flag, errp)) {
        return false;
    }
    if (visit_optional(v, "level", &obj->has_level) &&
        !visit_type_int(v, "level", &obj->level, errp)) {
        return false;
    }
    if (visit_optional(v, "ratio", &obj->has_ratio) &&
        !visit_type_number(v, "ratio", &obj->ratio, errp)) {
        return false;
    }
    if (visit_optional(v, "color", &obj->has_color) &&
        !visit_type_Color(v, "color", &obj->color, errp)) {
        return false;
    }
    if (visit_optional(v, "offs", &obj->has_offs) &&
        !visit_type_int64List(v, "offs", &obj->offs, errp)) {
        return false;
    }
    if (visit_optional(v, "names", &obj->has_names) &&
        !visit_type_strList(v, "names", &obj->names, errp)) {
        return false;
    }
    if (visit_optional(v, "sz", &obj->has_sz) && !visit_type_size(v, "sz", &obj->sz, errp)) {
        return false;
    }
    return true;
}
DEFINE_STRUCT_VISIT(Misc)

/* ---- helpers ---- */

static QObject *json(const char *text)
{
    GError *err = NULL;
    QObject *obj = qobject_from_json(text, &err);

    g_assert_no_error(err);
    g_assert_nonnull(obj);
    return obj;
}

static Outer *outer_from_json(const char *text, GError **errp)
{
    QObject *obj = json(text);
    Visitor *v = qobject_input_visitor_new(obj);
    Outer *out = NULL;

    qobject_unref(obj); /* the visitor holds its own reference */
    visit_type_Outer(v, NULL, &out, errp);
    visit_free(v);
    return out;
}

#define OUTER_BASE \
    "\"i\": -5, \"i8\": -128, \"i16\": 32767, \"i32\": -2147483648, \"u8\": 255, " \
    "\"u16\": 65535, \"u32\": 4294967295, \"u64\": 18446744073709551615, \"sz\": 4096, " \
    "\"b\": true, \"str\": \"hello\", \"num\": 1.5, \"color\": \"blue\", " \
    "\"inner\": {\"a\": 7, \"s\": \"in\"}"

/* Replace the member `key` of the full valid document with raw JSON `value` (or drop it). */
static char *outer_with(const char *key, const char *value)
{
    QObject *doc = json("{" OUTER_BASE "}");
    QDict *dict = qobject_to_qdict(doc);
    char *text;

    if (value) {
        qdict_put_obj(dict, key, json(value));
    } else {
        qdict_del(dict, key);
    }
    text = qobject_to_json(doc);
    qobject_unref(doc);
    return text;
}

static void check_outer_error(const char *text, const char *message)
{
    GError *err = NULL;
    Outer *out = outer_from_json(text, &err);

    g_assert_null(out);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_error_free(err);
}

static void check_member_error(const char *key, const char *value, const char *message)
{
    char *text = outer_with(key, value);
    check_outer_error(text, message);
    g_free(text);
}

/* ---- qobject input ---- */

static void test_qiv_all_scalars(void)
{
    GError *err = NULL;
    Outer *out = outer_from_json("{" OUTER_BASE ", \"opt\": 3, \"any\": [1, {\"x\": null}],"
                                 " \"nothing\": null}", &err);

    g_assert_no_error(err);
    g_assert_nonnull(out);
    g_assert_cmpint(out->i, ==, -5);
    g_assert_cmpint(out->i8, ==, INT8_MIN);
    g_assert_cmpint(out->i16, ==, INT16_MAX);
    g_assert_cmpint(out->i32, ==, INT32_MIN);
    g_assert_cmpuint(out->u8, ==, UINT8_MAX);
    g_assert_cmpuint(out->u16, ==, UINT16_MAX);
    g_assert_cmpuint(out->u32, ==, UINT32_MAX);
    g_assert_cmpuint(out->u64, ==, UINT64_MAX);
    g_assert_cmpuint(out->sz, ==, 4096);
    g_assert_true(out->b);
    g_assert_cmpstr(out->str, ==, "hello");
    g_assert_cmpfloat(out->num, ==, 1.5);
    g_assert_cmpint(out->color, ==, COLOR_BLUE);
    g_assert_true(out->has_opt);
    g_assert_cmpint(out->opt, ==, 3);
    g_assert_cmpint(out->inner->a, ==, 7);
    g_assert_cmpstr(out->inner->s, ==, "in");
    g_assert_false(out->has_items);
    g_assert_false(out->has_nums);
    g_assert_true(out->has_any);
    g_assert_cmpint(qobject_type(out->any), ==, QTYPE_QLIST);
    g_assert_true(out->has_nothing);
    g_assert_nonnull(out->nothing);
    qapi_free_Outer(out);
}

static void test_qiv_optional_absent(void)
{
    GError *err = NULL;
    Outer *out = outer_from_json("{" OUTER_BASE "}", &err);

    g_assert_no_error(err);
    g_assert_false(out->has_opt);
    g_assert_false(out->has_any);
    g_assert_null(out->any);
    qapi_free_Outer(out);
}

static void test_qiv_lists(void)
{
    GError *err = NULL;
    Outer *out = outer_from_json("{" OUTER_BASE ", \"items\": [{\"id\": 1, \"name\": \"one\"},"
                                 " {\"id\": 2}], \"nums\": [5, 6, 7]}", &err);
    ItemList *it;
    uint16List *n;
    int count = 0;

    g_assert_no_error(err);
    g_assert_true(out->has_items);
    it = out->items;
    g_assert_cmpuint(it->value->id, ==, 1);
    g_assert_true(it->value->has_name);
    g_assert_cmpstr(it->value->name, ==, "one");
    it = it->next;
    g_assert_cmpuint(it->value->id, ==, 2);
    g_assert_false(it->value->has_name);
    g_assert_null(it->next);
    for (n = out->nums; n; n = n->next) {
        g_assert_cmpuint(n->value, ==, 5 + count++);
    }
    g_assert_cmpint(count, ==, 3);
    qapi_free_Outer(out);

    /* An empty list is a NULL head with has_ = true. */
    out = outer_from_json("{" OUTER_BASE ", \"nums\": []}", &err);
    g_assert_no_error(err);
    g_assert_true(out->has_nums);
    g_assert_null(out->nums);
    qapi_free_Outer(out);
}

static void test_qiv_type_errors(void)
{
    check_member_error("i", "\"x\"", "Invalid parameter type for 'i', expected: integer");
    check_member_error("i", "1.5", "Invalid parameter type for 'i', expected: integer");
    check_member_error("i", "18446744073709551615",
                       "Invalid parameter type for 'i', expected: integer");
    check_member_error("num", "true", "Invalid parameter type for 'num', expected: number");
    check_member_error("str", "1", "Invalid parameter type for 'str', expected: string");
    check_member_error("b", "\"yes\"", "Invalid parameter type for 'b', expected: boolean");
    check_member_error("inner", "[]", "Invalid parameter type for 'inner', expected: object");
    check_member_error("color", "2", "Invalid parameter type for 'color', expected: string");
    check_outer_error("{" OUTER_BASE ", \"nums\": {}}",
                      "Invalid parameter type for 'nums', expected: array");
    check_outer_error("{" OUTER_BASE ", \"nothing\": 0}",
                      "Invalid parameter type for 'nothing', expected: null");
    check_outer_error("{" OUTER_BASE ", \"items\": [{\"id\": 1, \"name\": 5}]}",
                      "Invalid parameter type for 'items[0].name', expected: string");
    check_member_error("inner", "{\"a\": \"x\", \"s\": \"\"}",
                       "Invalid parameter type for 'inner.a', expected: integer");
}

static void test_qiv_range_errors(void)
{
    check_member_error("u16", "65536", "Parameter 'u16' expects uint16_t");
    check_member_error("u8", "256", "Parameter 'u8' expects uint8_t");
    check_member_error("u8", "-1", "Parameter 'u8' expects uint8_t");
    check_member_error("u32", "4294967296", "Parameter 'u32' expects uint32_t");
    check_member_error("i8", "128", "Parameter 'i8' expects int8_t");
    check_member_error("i16", "-32769", "Parameter 'i16' expects int16_t");
    check_member_error("i32", "2147483648", "Parameter 'i32' expects int32_t");
    check_member_error("u64", "\"1\"", "Parameter 'u64' expects uint64");
    check_member_error("u64", "1.5", "Parameter 'u64' expects uint64");
    check_member_error("sz", "18446744073709551616", "Parameter 'sz' expects uint64");
    /* List elements have no name; QEMU prints 'null' for them. */
    check_outer_error("{" OUTER_BASE ", \"nums\": [1, 70000]}", "Parameter 'null' expects uint16_t");
    check_outer_error("{" OUTER_BASE ", \"items\": [{\"id\": 1}, {\"id\": 65536}]}",
                      "Parameter 'id' expects uint16_t");
}

static void test_qiv_uint64_negative_wraps(void)
{
    GError *err = NULL;
    char *text = outer_with("u64", "-1");
    Outer *out = outer_from_json(text, &err);

    /* QEMU accepts negative numbers for uint64 for backward compatibility. */
    g_assert_no_error(err);
    g_assert_cmpuint(out->u64, ==, UINT64_MAX);
    qapi_free_Outer(out);
    g_free(text);
}

static void test_qiv_missing_and_unexpected(void)
{
    check_member_error("str", NULL, "Parameter 'str' is missing");
    check_member_error("inner", "{\"a\": 1}", "Parameter 'inner.s' is missing");
    check_outer_error("{" OUTER_BASE ", \"items\": [{\"id\": 1}, {\"name\": \"x\"}]}",
                      "Parameter 'items[1].id' is missing");
    check_outer_error("{" OUTER_BASE ", \"bogus\": 1, \"zz\": 2}",
                      "Parameter 'bogus' is unexpected");
    check_member_error("inner", "{\"a\": 1, \"s\": \"\", \"extra\": true}",
                       "Parameter 'inner.extra' is unexpected");
    check_outer_error("{" OUTER_BASE ", \"items\": [{\"id\": 1, \"zork\": 1}]}",
                      "Parameter 'items[0].zork' is unexpected");
    check_member_error("color", "\"purple\"", "Parameter 'color' does not accept value 'purple'");
    check_outer_error("[1]", "Invalid parameter type for '<anonymous>', expected: object");
}

static void test_qiv_root_scalar_and_names(void)
{
    GError *err = NULL;
    QObject *obj = json("[1, \"x\"]");
    Visitor *v = qobject_input_visitor_new(obj);
    int64List *list = NULL;

    /* A named root: paths start with that name. */
    g_assert_false(visit_type_int64List(v, "vals", &list, &err));
    g_assert_cmpstr(err->message, ==, "Invalid parameter type for 'vals[1]', expected: integer");
    g_assert_null(list);
    g_clear_error(&err);
    visit_free(v);

    /* A fixed-size walk that stops early gets check_list's message. */
    v = qobject_input_visitor_new(obj);
    GenericList *head = NULL;
    int64_t first;
    g_assert_true(visit_start_list(v, "pair", &head, sizeof(int64List), &err));
    g_assert_true(visit_type_int(v, NULL, &first, &err));
    g_assert_false(visit_check_list(v, &err));
    g_assert_cmpstr(err->message, ==, "Only 1 list elements expected in pair");
    visit_end_list(v, (void **)&head);
    g_free(head);
    g_clear_error(&err);
    visit_free(v);
    qobject_unref(obj);

    obj = QOBJECT(qnum_from_int(300));
    v = qobject_input_visitor_new(obj);
    uint8_t u8 = 0;
    g_assert_false(visit_type_uint8(v, "small", &u8, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'small' expects uint8_t");
    g_assert_cmpuint(u8, ==, 0);
    g_clear_error(&err);
    visit_free(v);
    qobject_unref(obj);
}

/* Failures at every depth leave nothing leaked (checked under the sanitizer build). */
static void test_qiv_partial_free(void)
{
    static const char *const bad[] = {
        "{" OUTER_BASE ", \"items\": [{\"id\": 1, \"name\": \"a\"}, {\"id\": 2, \"name\": \"b\"},"
        " {\"id\": \"x\"}]}",
        "{" OUTER_BASE ", \"items\": [{\"id\": 1, \"name\": \"a\"}], \"nums\": [1, 2, -3]}",
        "{" OUTER_BASE ", \"any\": {\"deep\": [1, 2]}, \"nothing\": 1}",
        "{" OUTER_BASE ", \"any\": {\"deep\": [1, 2]}, \"extra\": 1}",
        "{\"i\": 1, \"i8\": 1, \"i16\": 1, \"i32\": 1, \"u8\": 1, \"u16\": 1, \"u32\": 1,"
        " \"u64\": 1, \"sz\": 1, \"b\": false, \"str\": \"s\", \"num\": 1, \"color\": \"red\","
        " \"inner\": {\"a\": 1, \"s\": \"keep\", \"oops\": 1}}",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        Outer *out = outer_from_json(bad[i], &err);
        g_assert_null(out);
        g_assert_nonnull(err);
        g_error_free(err);
    }
}

/* ---- qobject output ---- */

static Outer *make_outer(void)
{
    Outer *o = g_new0(Outer, 1);
    ItemList *second = g_new0(ItemList, 1);
    uint16List *n2 = g_new0(uint16List, 1);

    o->i = -1;
    o->i8 = -8;
    o->i16 = 16;
    o->i32 = -32;
    o->u8 = 8;
    o->u16 = 16;
    o->u32 = 32;
    o->u64 = UINT64_MAX;
    o->sz = (uint64_t)1 << 40;
    o->b = true;
    o->str = NULL; /* output as "" */
    o->num = 0.25;
    o->color = COLOR_GREEN;
    o->inner = g_new0(Inner, 1);
    o->inner->a = 42;
    o->inner->s = g_strdup("x");
    o->has_items = true;
    o->items = g_new0(ItemList, 1);
    o->items->value = g_new0(Item, 1);
    o->items->value->id = 1;
    o->items->value->has_name = true;
    o->items->value->name = g_strdup("n1");
    o->items->next = second;
    second->value = g_new0(Item, 1);
    second->value->id = 2;
    o->has_nums = true;
    o->nums = g_new0(uint16List, 1);
    o->nums->value = 3;
    o->nums->next = n2;
    n2->value = 4;
    o->has_nothing = true;
    o->nothing = qnull();
    return o;
}

static QObject *outer_to_qobject(Outer *o)
{
    QObject *result = NULL;
    Visitor *v = qobject_output_visitor_new(&result);
    GError *err = NULL;

    g_assert_true(visit_type_Outer(v, NULL, &o, &err));
    g_assert_no_error(err);
    visit_complete(v, &result);
    visit_free(v);
    g_assert_nonnull(result);
    return result;
}

static void test_qov_struct(void)
{
    Outer *o = make_outer();
    QObject *obj = outer_to_qobject(o);
    QDict *d = qobject_to_qdict(obj);
    uint64_t u;
    int64_t i;
    char *text;

    g_assert_nonnull(d);
    g_assert_true(qnum_get_try_uint(qobject_to_qnum(qdict_get(d, "u64")), &u));
    g_assert_cmpuint(u, ==, UINT64_MAX);
    g_assert_true(qnum_get_try_int(qobject_to_qnum(qdict_get(d, "i8")), &i));
    g_assert_cmpint(i, ==, -8);
    g_assert_cmpstr(qdict_get_try_str(d, "str"), ==, "");
    g_assert_cmpstr(qdict_get_try_str(d, "color"), ==, "green");
    g_assert_false(qdict_haskey(d, "opt"));
    g_assert_false(qdict_haskey(d, "any"));
    g_assert_cmpint(qobject_type(qdict_get(d, "nothing")), ==, QTYPE_QNULL);
    g_assert_cmpuint(qlist_size(qdict_get_qlist(d, "items")), ==, 2);
    text = qobject_to_json(qdict_get(d, "items"));
    g_assert_cmpstr(text, ==, "[{\"id\": 1, \"name\": \"n1\"}, {\"id\": 2}]");
    g_free(text);
    text = qobject_to_json(qdict_get(d, "inner"));
    g_assert_cmpstr(text, ==, "{\"a\": 42, \"s\": \"x\"}");
    g_free(text);
    text = qobject_to_json(qdict_get(d, "nums"));
    g_assert_cmpstr(text, ==, "[3, 4]");
    g_free(text);
    qobject_unref(obj);
    qapi_free_Outer(o);
}

/* uint64 max (and the other extremes) survive output -> JSON text -> input. */
static void test_round_trip(void)
{
    Outer *o = make_outer();
    QObject *obj = outer_to_qobject(o);
    char *text = qobject_to_json(obj);
    GError *err = NULL;
    Outer *back;

    g_assert_nonnull(strstr(text, "\"u64\": 18446744073709551615"));
    back = outer_from_json(text, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(back->u64, ==, UINT64_MAX);
    g_assert_cmpuint(back->sz, ==, (uint64_t)1 << 40);
    g_assert_cmpint(back->i8, ==, -8);
    g_assert_cmpstr(back->str, ==, "");
    g_assert_cmpint(back->color, ==, COLOR_GREEN);
    g_assert_cmpstr(back->items->value->name, ==, "n1");
    g_assert_false(back->items->next->value->has_name);
    g_assert_cmpuint(back->nums->next->value, ==, 4);
    g_assert_true(back->has_nothing);

    /* And straight from the QObject too, without text in between. */
    Visitor *v = qobject_input_visitor_new(obj);
    Outer *again = NULL;
    g_assert_true(visit_type_Outer(v, NULL, &again, &err));
    g_assert_cmpuint(again->u64, ==, UINT64_MAX);
    visit_free(v);

    qapi_free_Outer(again);
    qapi_free_Outer(back);
    qapi_free_Outer(o);
    qobject_unref(obj);
    g_free(text);
}

static void test_qov_scalars_and_enum_error(void)
{
    QObject *result = NULL;
    Visitor *v = qobject_output_visitor_new(&result);
    GError *err = NULL;
    uint64_t small = 5;
    Color bad = 7;

    /* A scalar root. */
    g_assert_true(visit_type_uint64(v, NULL, &small, &err));
    visit_complete(v, &result);
    g_assert_cmpint(qobject_type(result), ==, QTYPE_QNUM);
    char *text = qobject_to_json(result);
    g_assert_cmpstr(text, ==, "5");
    g_free(text);
    qobject_unref(result);
    visit_free(v);

    /* An out-of-range C enum is reported, not printed as garbage. */
    v = qobject_output_visitor_new(&result);
    g_assert_false(visit_type_Color(v, "c", &bad, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'c' has invalid enum value 7");
    g_clear_error(&err);
    visit_free(v);
}

/* ---- dealloc ---- */

static void test_dealloc_everything(void)
{
    Outer *o = make_outer();

    o->has_any = true;
    o->any = json("{\"a\": [1, 2, {\"b\": null}]}");
    o->str = g_strdup("owned");
    qapi_free_Outer(o); /* leaks would show under the sanitizer build */
    qapi_free_Outer(NULL);

    /* A partially built object: NULL where input stopped. */
    o = g_new0(Outer, 1);
    o->str = g_strdup("s");
    o->has_items = true;
    o->items = g_new0(ItemList, 1); /* value still NULL */
    qapi_free_Outer(o);
}

/* ---- string input ---- */

static Visitor *siv(const char *text)
{
    return string_input_visitor_new(text);
}

static void test_siv_scalars(void)
{
    GError *err = NULL;
    Visitor *v;
    int64_t i;
    uint64_t u;

    v = siv("-42");
    g_assert_true(visit_type_int(v, "x", &i, &err));
    g_assert_cmpint(i, ==, -42);
    visit_free(v);
    v = siv("0x10");
    g_assert_true(visit_type_uint64(v, "x", &u, &err));
    g_assert_cmpuint(u, ==, 16);
    visit_free(v);
    v = siv("18446744073709551615");
    g_assert_true(visit_type_uint64(v, "x", &u, &err));
    g_assert_cmpuint(u, ==, UINT64_MAX);
    visit_free(v);
    v = siv("1.5G");
    g_assert_true(visit_type_size(v, "size", &u, &err));
    g_assert_cmpuint(u, ==, 3ull << 29);
    visit_free(v);
    v = siv("512");
    g_assert_true(visit_type_size(v, "size", &u, &err));
    g_assert_cmpuint(u, ==, 512);
    visit_free(v);
    g_assert_no_error(err);
}

static void test_siv_text_scalars(void)
{
    GError *err = NULL;
    Visitor *v;
    bool b;
    double d;
    char *s;
    Color c = COLOR_RED;
    QNull *n;

    static const char *const yes[] = { "on", "yes", "true", "ON", "True" };
    static const char *const no[] = { "off", "no", "false", "Off" };
    for (size_t k = 0; k < G_N_ELEMENTS(yes); k++) {
        v = siv(yes[k]);
        b = false;
        g_assert_true(visit_type_bool(v, "b", &b, &err));
        g_assert_true(b);
        visit_free(v);
    }
    for (size_t k = 0; k < G_N_ELEMENTS(no); k++) {
        v = siv(no[k]);
        b = true;
        g_assert_true(visit_type_bool(v, "b", &b, &err));
        g_assert_false(b);
        visit_free(v);
    }
    v = siv("a string, with comma");
    g_assert_true(visit_type_str(v, "s", &s, &err));
    g_assert_cmpstr(s, ==, "a string, with comma");
    g_free(s);
    visit_free(v);
    v = siv("-2.5e3");
    g_assert_true(visit_type_number(v, "d", &d, &err));
    g_assert_cmpfloat(d, ==, -2500.0);
    visit_free(v);
    v = siv("green");
    g_assert_true(visit_type_Color(v, "c", &c, &err));
    g_assert_cmpint(c, ==, COLOR_GREEN);
    visit_free(v);
    v = siv("");
    g_assert_true(visit_type_null(v, "n", &n, &err));
    qobject_unref(QOBJECT(n));
    visit_free(v);
    g_assert_no_error(err);
}

static void check_siv_error(const char *text, int kind, const char *message)
{
    GError *err = NULL;
    Visitor *v = siv(text);
    int64_t i;
    uint64_t u;
    uint16_t u16;
    bool b;
    double d;
    Color c = COLOR_RED;
    QNull *n;
    bool ok;

    switch (kind) {
    case 0: ok = visit_type_int(v, "x", &i, &err); break;
    case 1: ok = visit_type_uint64(v, "x", &u, &err); break;
    case 2: ok = visit_type_size(v, "x", &u, &err); break;
    case 3: ok = visit_type_bool(v, "x", &b, &err); break;
    case 4: ok = visit_type_number(v, "x", &d, &err); break;
    case 5: ok = visit_type_Color(v, "x", &c, &err); break;
    case 6: ok = visit_type_uint16(v, "x", &u16, &err); break;
    default: ok = visit_type_null(v, "x", &n, &err); break;
    }
    g_assert_false(ok);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_error_free(err);
    visit_free(v);
}

static void test_siv_scalar_errors(void)
{
    check_siv_error("12a", 0, "Parameter 'x' expects int64");
    check_siv_error("", 0, "Parameter 'x' expects int64");
    check_siv_error("-1", 1, "Parameter 'x' expects uint64");
    check_siv_error("18446744073709551616", 1, "Parameter 'x' expects uint64");
    check_siv_error("64x", 2, "Parameter 'x' expects a non-negative number below 2^64");
    check_siv_error("-1", 2, "Parameter 'x' expects a non-negative number below 2^64");
    check_siv_error("maybe", 3, "Invalid parameter type for 'x', expected: boolean");
    check_siv_error("1.5x", 4, "Invalid parameter type for 'x', expected: number");
    check_siv_error("inf", 4, "Invalid parameter type for 'x', expected: number");
    check_siv_error("purple", 5, "Parameter 'x' does not accept value 'purple'");
    check_siv_error("65536", 6, "Parameter 'x' expects uint16_t");
    check_siv_error("x", 7, "Invalid parameter type for 'x', expected: null");
}

static void test_siv_lists(void)
{
    GError *err = NULL;
    Visitor *v;
    uint16List *ul = NULL, *ut;
    int64List *il = NULL, *it;
    static const uint16_t want_u[] = { 0, 1, 2, 3, 5, 7 };
    static const int64_t want_i[] = { -3, -2, -1, 4, 10, 11 };
    size_t k = 0;

    v = siv("5,0-3:7,2");
    g_assert_true(visit_type_uint16List(v, "host-nodes", &ul, &err));
    g_assert_no_error(err);
    for (ut = ul; ut; ut = ut->next) {
        g_assert_cmpuint(k, <, G_N_ELEMENTS(want_u));
        g_assert_cmpuint(ut->value, ==, want_u[k++]);
    }
    g_assert_cmpuint(k, ==, G_N_ELEMENTS(want_u));
    qapi_free_uint16List(ul);
    visit_free(v);

    k = 0;
    v = siv("-3--1,4:10-11");
    g_assert_true(visit_type_int64List(v, "offs", &il, &err));
    g_assert_no_error(err);
    for (it = il; it; it = it->next) {
        g_assert_cmpint(it->value, ==, want_i[k++]);
    }
    g_assert_cmpuint(k, ==, G_N_ELEMENTS(want_i));
    qapi_free_int64List(il);
    visit_free(v);

    /* Empty text is an empty list. */
    v = siv("");
    ul = (uint16List *)0x1;
    g_assert_true(visit_type_uint16List(v, "host-nodes", &ul, &err));
    g_assert_null(ul);
    visit_free(v);

    /* A range ending at INT64_MAX terminates. */
    v = siv("9223372036854775806-9223372036854775807");
    g_assert_true(visit_type_int64List(v, "big", &il, &err));
    g_assert_cmpint(il->next->value, ==, INT64_MAX);
    g_assert_null(il->next->next);
    qapi_free_int64List(il);
    visit_free(v);
}

static void test_siv_list_errors(void)
{
    static const struct {
        const char *text;
        bool is_signed;
        const char *message;
    } cases[] = {
        { "3-1", false, "Parameter 'l' expects list of uint64 values or ranges" },
        { "0-65536", false, "Parameter 'l' expects list of uint64 values or ranges" },
        { "1,,2", false, "Parameter 'l' expects list of uint64 values or ranges" },
        { "1,x", false, "Parameter 'l' expects list of uint64 values or ranges" },
        { "0-1,70000", false, "Parameter 'null' expects uint16_t" },
        { "3-1", true, "Parameter 'l' expects list of int64 values or ranges" },
        { "1,", true, "Parameter 'l' expects list of int64 values or ranges" },
        { "0-65536", true, "Parameter 'l' expects list of int64 values or ranges" },
        { "1,2,abc", true, "Parameter 'l' expects list of int64 values or ranges" },
    };

    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        GError *err = NULL;
        Visitor *v = siv(cases[k].text);
        uint16List *ul = NULL;
        int64List *il = NULL;
        bool ok = cases[k].is_signed ? visit_type_int64List(v, "l", &il, &err)
                                     : visit_type_uint16List(v, "l", &ul, &err);
        g_assert_false(ok);
        g_assert_null(ul);
        g_assert_null(il);
        g_assert_nonnull(err);
        g_assert_cmpstr(err->message, ==, cases[k].message);
        g_error_free(err);
        visit_free(v);
    }

    /* Structs cannot come from one string. */
    GError *err = NULL;
    Visitor *v = siv("x");
    Inner *in = NULL;
    g_assert_false(visit_type_Inner(v, "in", &in, &err));
    g_assert_null(in);
    g_assert_nonnull(err);
    g_error_free(err);
    visit_free(v);
}

/* ---- opts visitor ---- */

static const OptsList numa_list = { .name = "numa", .implied_opt_name = "type" };
static const OptsList misc_list = { .name = "misc" };

static NumaOpts *numa_parse(const char *text, GError **errp)
{
    OptsStore *store = opts_store_new();
    GError *err = NULL;
    Opts *opts = opts_parse(store, &numa_list, text, text, NULL, &err);
    NumaOpts *out = NULL;
    Visitor *v;

    g_assert_no_error(err);
    g_assert_nonnull(opts);
    v = opts_visitor_new(opts);
    visit_type_NumaOpts(v, NULL, &out, errp);
    visit_free(v);
    opts_store_free(store);
    return out;
}

static void check_numa_error(const char *text, const char *message)
{
    GError *err = NULL;
    NumaOpts *out = numa_parse(text, &err);

    if (!err) {
        g_test_message("no error for '%s'", text);
    }
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_assert_null(out);
    g_error_free(err);
}

static void check_cpus(const uint16List *l, const uint16_t *want, size_t n)
{
    size_t k = 0;

    for (; l; l = l->next) {
        g_assert_cmpuint(k, <, n);
        g_assert_cmpuint(l->value, ==, want[k++]);
    }
    g_assert_cmpuint(k, ==, n);
}

static void test_ov_numa_node(void)
{
    GError *err = NULL;
    NumaOpts *o = numa_parse("node,nodeid=3,cpus=0-2,cpus=5,mem=1G,memdev=m0", &err);
    static const uint16_t want[] = { 0, 1, 2, 5 };

    g_assert_no_error(err);
    g_assert_cmpint(o->type, ==, NUMA_TYPE_NODE);
    g_assert_true(o->u.node.has_nodeid);
    g_assert_cmpuint(o->u.node.nodeid, ==, 3);
    g_assert_true(o->u.node.has_cpus);
    check_cpus(o->u.node.cpus, want, G_N_ELEMENTS(want));
    g_assert_true(o->u.node.has_mem);
    g_assert_cmpuint(o->u.node.mem, ==, 1ull << 30);
    g_assert_cmpstr(o->u.node.memdev, ==, "m0");
    qapi_free_NumaOpts(o);

    /* Explicit type=, hex, last value wins, no optional members. */
    o = numa_parse("type=node,nodeid=x,nodeid=0x10", &err);
    g_assert_no_error(err);
    g_assert_cmpuint(o->u.node.nodeid, ==, 16);
    g_assert_false(o->u.node.has_cpus);
    g_assert_false(o->u.node.has_mem);
    g_assert_null(o->u.node.memdev);
    qapi_free_NumaOpts(o);

    /* The numbat extension: ':' joins items inside one value; a 65536-element range is fine. */
    static const uint16_t want2[] = { 0, 1, 4, 6, 7, 9 };
    o = numa_parse("node,cpus=0-1:4:6-7,cpus=9", &err);
    g_assert_no_error(err);
    check_cpus(o->u.node.cpus, want2, G_N_ELEMENTS(want2));
    qapi_free_NumaOpts(o);
    o = numa_parse("node,cpus=0-65535", &err);
    g_assert_no_error(err);
    size_t count = 0;
    for (uint16List *l = o->u.node.cpus; l; l = l->next) {
        g_assert_cmpuint(l->value, ==, count++);
    }
    g_assert_cmpuint(count, ==, 65536);
    qapi_free_NumaOpts(o);
}

static void test_ov_numa_dist(void)
{
    GError *err = NULL;
    NumaOpts *o = numa_parse("dist,src=0,dst=1,val=255", &err);

    g_assert_no_error(err);
    g_assert_cmpint(o->type, ==, NUMA_TYPE_DIST);
    g_assert_cmpuint(o->u.dist.src, ==, 0);
    g_assert_cmpuint(o->u.dist.dst, ==, 1);
    g_assert_cmpuint(o->u.dist.val, ==, 255);
    qapi_free_NumaOpts(o);
}

/* The messages QEMU 7.2 prints for the same -numa arguments. */
static void test_ov_numa_errors(void)
{
    check_numa_error("node,bogus=1", "Invalid parameter 'bogus'");
    check_numa_error("foo", "Parameter 'type' does not accept value 'foo'");
    check_numa_error("dist,src=0,dst=1", "Parameter 'val' is missing");
    check_numa_error("dist,src=0", "Parameter 'dst' is missing");
    check_numa_error("node,type=dist", "Parameter 'src' is missing");
    check_numa_error("node,nodeid=70000", "Parameter 'nodeid' expects uint16_t");
    check_numa_error("node,nodeid=0x10000", "Parameter 'nodeid' expects uint16_t");
    check_numa_error("dist,src=0,dst=1,val=256", "Parameter 'val' expects uint8_t");
    check_numa_error("node,nodeid=-1", "Parameter 'nodeid' expects a uint64 value");
    check_numa_error("node,nodeid=", "Parameter 'nodeid' expects a uint64 value");
    check_numa_error("node,nodeid=1.5", "Parameter 'nodeid' expects a uint64 value");
    check_numa_error("node,nodeid=18446744073709551616",
                     "Parameter 'nodeid' expects a uint64 value");
    check_numa_error("node,nodeid=1,nodeid=x", "Parameter 'nodeid' expects a uint64 value");
    check_numa_error("node,mem=64x", "Parameter 'mem' expects a size value");
    check_numa_error("node,mem=-1", "Parameter 'mem' expects a size value");
    check_numa_error("node,cpus=0-70000", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=0-65536", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=3-1", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=-1", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=1,cpus=x", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=0-1,cpus=3-2", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=0-1:", "Parameter 'cpus' expects a uint64 value or range");
    check_numa_error("node,cpus=0-1::3", "Parameter 'cpus' expects a uint64 value or range");
    /* A list element has no member name: QEMU says 'null' here. */
    check_numa_error("node,cpus=70000", "Parameter 'null' expects uint16_t");
    /* id is offered as a member; NumaOpts has none, so it is left over. */
    check_numa_error("node,id=foo", "Invalid parameter 'id'");
    /* Several leftovers: the same one QEMU names (same hash-table walk). */
    check_numa_error("node,bogus=1,zzz=2,aaa=3", "Invalid parameter 'zzz'");
    check_numa_error("node,q=1,w=2,e=3,r=4,t=5,y=6", "Invalid parameter 'e'");
    /* Failures after a partly built list free it (sanitizer build). */
    check_numa_error("node,cpus=0-3,cpus=4,mem=x", "Parameter 'mem' expects a size value");
    check_numa_error("node,cpus=0-3,memdev=m,extra=1", "Invalid parameter 'extra'");
}

static Misc *misc_parse(const char *text, GError **errp)
{
    OptsStore *store = opts_store_new();
    GError *err = NULL;
    Opts *opts = opts_parse(store, &misc_list, text, text, NULL, &err);
    Misc *out = NULL;
    Visitor *v;

    g_assert_no_error(err);
    g_assert_nonnull(opts);
    v = opts_visitor_new(opts);
    visit_type_Misc(v, NULL, &out, errp);
    visit_free(v);
    opts_store_free(store);
    return out;
}

static void check_misc_error(const char *text, const char *message)
{
    GError *err = NULL;
    Misc *out = misc_parse(text, &err);

    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
    g_assert_null(out);
    g_error_free(err);
}

static void test_ov_misc(void)
{
    GError *err = NULL;
    Misc *m = misc_parse("id=obj0,flag=off,level=-7,ratio=0.5,color=red,offs=-2--1,offs=5,"
                         "names=a,names=b:c,sz=2M", &err);
    static const int64_t want[] = { -2, -1, 5 };
    size_t k = 0;

    g_assert_no_error(err);
    g_assert_true(m->has_id);
    g_assert_cmpstr(m->id, ==, "obj0");
    g_assert_true(m->has_flag);
    g_assert_false(m->flag);
    g_assert_cmpint(m->level, ==, -7);
    g_assert_cmpfloat(m->ratio, ==, 0.5);
    g_assert_cmpint(m->color, ==, COLOR_RED);
    for (int64List *l = m->offs; l; l = l->next) {
        g_assert_cmpint(l->value, ==, want[k++]);
    }
    g_assert_cmpuint(k, ==, 3);
    g_assert_cmpstr(m->names->value, ==, "a");
    g_assert_cmpstr(m->names->next->value, ==, "b:c"); /* strings are never split */
    g_assert_null(m->names->next->next);
    g_assert_cmpuint(m->sz, ==, 2u << 20);
    qapi_free_Misc(m);

    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };
    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        char *t = g_strdup_printf("flag=%s", yes[i]);
        m = misc_parse(t, &err);
        g_assert_no_error(err);
        g_assert_true(m->flag);
        qapi_free_Misc(m);
        g_free(t);
        t = g_strdup_printf("flag=%s", no[i]);
        m = misc_parse(t, &err);
        g_assert_no_error(err);
        g_assert_false(m->flag);
        qapi_free_Misc(m);
        g_free(t);
    }

    /* Nothing at all is fine: every member is optional. */
    m = misc_parse("", &err);
    g_assert_no_error(err);
    g_assert_false(m->has_id);
    qapi_free_Misc(m);
}

static void test_ov_misc_errors(void)
{
    check_misc_error("flag=maybe", "Parameter 'flag' expects 'on' or 'off'");
    check_misc_error("level=x", "Parameter 'level' expects an int64 value");
    check_misc_error("level=99999999999999999999", "Parameter 'level' expects an int64 value");
    check_misc_error("level=1-2", "Parameter 'level' expects an int64 value");
    check_misc_error("ratio=fast", "Parameter 'ratio' expects a number");
    check_misc_error("color=purple", "Parameter 'color' does not accept value 'purple'");
    check_misc_error("offs=1,offs=5-2", "Parameter 'offs' expects an int64 value or range");
    check_misc_error("offs=0-65536", "Parameter 'offs' expects an int64 value or range");
    check_misc_error("sz=1Q", "Parameter 'sz' expects a size value");
    check_misc_error("names=a,unknown=1", "Invalid parameter 'unknown'");
}

/* Visitor kinds and the enum helpers. */
static void test_core_helpers(void)
{
    GError *err = NULL;
    Visitor *v = qapi_dealloc_visitor_new();

    g_assert_true(visit_is_dealloc(v));
    g_assert_false(visit_is_input(v));
    g_assert_cmpint(visit_get_type(v), ==, VISITOR_DEALLOC);
    visit_free(v);
    visit_free(NULL);

    g_assert_cmpstr(qapi_enum_lookup(&Color_lookup, COLOR_BLUE), ==, "blue");
    g_assert_null(qapi_enum_lookup(&Color_lookup, COLOR__MAX));
    g_assert_null(qapi_enum_lookup(&Color_lookup, -1));
    g_assert_cmpint(qapi_enum_parse(&Color_lookup, "green", -1, &err), ==, COLOR_GREEN);
    g_assert_cmpint(qapi_enum_parse(&Color_lookup, NULL, 2, &err), ==, 2);
    g_assert_no_error(err);
    g_assert_cmpint(qapi_enum_parse(&Color_lookup, "Green", -1, &err), ==, -1);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, "invalid parameter value: Green");
    g_clear_error(&err);

    /* The opts visitor cannot produce arbitrary JSON; it says so rather than crash. */
    OptsStore *store = opts_store_new();
    Opts *opts = opts_parse(store, &misc_list, "x=1", "x=1", NULL, &err);
    g_assert_no_error(err);
    v = opts_visitor_new(opts);
    QObject *any = NULL;
    g_assert_true(visit_start_struct(v, NULL, NULL, 0, &err));
    g_assert_false(visit_type_any(v, "x", &any, &err));
    g_assert_null(any);
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_false(visit_check_struct(v, &err));
    g_assert_cmpstr(err->message, ==, "Invalid parameter 'x'");
    g_clear_error(&err);
    visit_end_struct(v, NULL);
    visit_free(v);
    opts_store_free(store);
}

/* ---- keyval flavour of the qobject input visitor ---- */

static NumaOpts *numa_keyval(const char *text, GError **errp)
{
    QObject *obj = json(text);
    Visitor *v = qobject_input_visitor_new_keyval(obj);
    NumaOpts *out = NULL;

    visit_type_NumaOpts(v, NULL, &out, errp);
    visit_free(v);
    qobject_unref(obj);
    return out;
}

static void test_keyval(void)
{
    GError *err = NULL;
    NumaOpts *o = numa_keyval("{\"type\": \"node\", \"nodeid\": \"0x3\", \"mem\": \"2G\","
                              " \"cpus\": [\"4\", \"5\"]}", &err);

    g_assert_no_error(err);
    g_assert_cmpuint(o->u.node.nodeid, ==, 3);
    g_assert_cmpuint(o->u.node.mem, ==, 2ull << 30);
    g_assert_cmpuint(o->u.node.cpus->next->value, ==, 5);
    qapi_free_NumaOpts(o);

    static const struct {
        const char *text;
        const char *message;
    } bad[] = {
        { "{\"type\": \"node\", \"nodeid\": \"x\"}", "Parameter 'nodeid' expects integer" },
        { "{\"type\": \"node\", \"nodeid\": \"70000\"}", "Parameter 'nodeid' expects uint16_t" },
        { "{\"type\": \"node\", \"mem\": \"1x\"}", "Parameter 'mem' expects size" },
        { "{\"type\": \"node\", \"nodeid\": {\"a\": \"1\"}}", "Parameters 'nodeid.*' are unexpected" },
        { "{\"type\": \"node\", \"cpus\": [\"1\", \"y\"]}", "Parameter 'cpus.1' expects integer" },
        { "{\"type\": \"node\", \"memdev\": 5}", "Internal error: parameter memdev invalid" },
        { "{\"type\": \"node\", \"other\": \"1\"}", "Parameter 'other' is unexpected" },
        { "{\"type\": \"mars\"}", "Parameter 'type' does not accept value 'mars'" },
    };
    for (size_t k = 0; k < G_N_ELEMENTS(bad); k++) {
        o = numa_keyval(bad[k].text, &err);
        g_assert_null(o);
        g_assert_nonnull(err);
        g_assert_cmpstr(err->message, ==, bad[k].message);
        g_clear_error(&err);
    }

    /* Bools and numbers from text. */
    QObject *obj = json("{\"flag\": \"yes\", \"ratio\": \"2.5\", \"level\": \"-3\"}");
    Visitor *v = qobject_input_visitor_new_keyval(obj);
    Misc *m = NULL;
    g_assert_true(visit_type_Misc(v, NULL, &m, &err));
    g_assert_true(m->flag);
    g_assert_cmpfloat(m->ratio, ==, 2.5);
    g_assert_cmpint(m->level, ==, -3);
    qapi_free_Misc(m);
    visit_free(v);
    qobject_unref(obj);
    obj = json("{\"flag\": \"maybe\"}");
    v = qobject_input_visitor_new_keyval(obj);
    g_assert_false(visit_type_Misc(v, NULL, &m, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'flag' expects 'on' or 'off'");
    g_clear_error(&err);
    visit_free(v);
    qobject_unref(obj);
}

/* A caller may give up in the middle of a walk: freeing the visitor releases its state. */
static void test_abandon_mid_walk(void)
{
    GError *err = NULL;
    QObject *obj = json("{\"a\": {\"b\": [1, [2, 3]]}}");
    Visitor *v = qobject_input_visitor_new(obj);
    GenericList *list = NULL;
    int64_t one;

    g_assert_true(visit_start_struct(v, NULL, NULL, 0, &err));
    g_assert_true(visit_start_struct(v, "a", NULL, 0, &err));
    g_assert_true(visit_start_list(v, "b", &list, sizeof(int64List), &err));
    g_assert_true(visit_type_int(v, NULL, &one, &err));
    g_assert_cmpint(one, ==, 1);
    g_free(list);
    visit_free(v);
    qobject_unref(obj);

    QObject *result = NULL;
    v = qobject_output_visitor_new(&result);
    Inner dummy = { 0 };
    void *dummy_ptr = &dummy;
    g_assert_true(visit_start_struct(v, NULL, &dummy_ptr, sizeof(dummy), &err));
    g_assert_true(visit_start_list(v, "l", NULL, 0, &err));
    visit_free(v);
    g_assert_null(result);

    v = string_input_visitor_new("1-5");
    g_assert_true(visit_start_list(v, "l", NULL, 0, &err));
    uint64_t u;
    g_assert_true(visit_type_uint64(v, NULL, &u, &err));
    visit_free(v);

    OptsStore *store = opts_store_new();
    Opts *opts = opts_parse(store, &numa_list, "node,cpus=1-4", "x", NULL, &err);
    g_assert_no_error(err);
    v = opts_visitor_new(opts);
    g_assert_true(visit_start_struct(v, NULL, NULL, 0, &err));
    g_assert_true(visit_start_list(v, "cpus", &list, sizeof(uint16List), &err));
    g_assert_true(visit_type_uint64(v, NULL, &u, &err));
    g_assert_cmpuint(u, ==, 1);
    g_free(list);
    visit_free(v);
    opts_store_free(store);
    g_assert_no_error(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/visitor/core/helpers", test_core_helpers);
    g_test_add_func("/visitor/qobject-input/all-scalars", test_qiv_all_scalars);
    g_test_add_func("/visitor/qobject-input/optional-absent", test_qiv_optional_absent);
    g_test_add_func("/visitor/qobject-input/lists", test_qiv_lists);
    g_test_add_func("/visitor/qobject-input/type-errors", test_qiv_type_errors);
    g_test_add_func("/visitor/qobject-input/range-errors", test_qiv_range_errors);
    g_test_add_func("/visitor/qobject-input/uint64-negative", test_qiv_uint64_negative_wraps);
    g_test_add_func("/visitor/qobject-input/missing-unexpected", test_qiv_missing_and_unexpected);
    g_test_add_func("/visitor/qobject-input/root-and-names", test_qiv_root_scalar_and_names);
    g_test_add_func("/visitor/qobject-input/partial-free", test_qiv_partial_free);
    g_test_add_func("/visitor/qobject-output/struct", test_qov_struct);
    g_test_add_func("/visitor/qobject-output/scalars", test_qov_scalars_and_enum_error);
    g_test_add_func("/visitor/round-trip", test_round_trip);
    g_test_add_func("/visitor/dealloc", test_dealloc_everything);
    g_test_add_func("/visitor/string-input/scalars", test_siv_scalars);
    g_test_add_func("/visitor/string-input/text-scalars", test_siv_text_scalars);
    g_test_add_func("/visitor/string-input/scalar-errors", test_siv_scalar_errors);
    g_test_add_func("/visitor/string-input/lists", test_siv_lists);
    g_test_add_func("/visitor/string-input/list-errors", test_siv_list_errors);
    g_test_add_func("/visitor/opts/numa-node", test_ov_numa_node);
    g_test_add_func("/visitor/opts/numa-dist", test_ov_numa_dist);
    g_test_add_func("/visitor/opts/numa-errors", test_ov_numa_errors);
    g_test_add_func("/visitor/opts/misc", test_ov_misc);
    g_test_add_func("/visitor/opts/misc-errors", test_ov_misc_errors);
    g_test_add_func("/visitor/abandon-mid-walk", test_abandon_mid_walk);
    g_test_add_func("/visitor/qobject-input/keyval", test_keyval);
    return g_test_run();
}
