/* Unit tests for the object model: types, casts, init order, properties, /objects, -object. */
#include <string.h>
#include "qom/object.h"
#include "qom/object-interfaces.h"
#include "util/opts.h"

/*
 * Test types:
 *   test-base (concrete, not user-creatable): "flag" bool, "label" str; class hook describe()
 *   test-obj  (user-creatable, derives test-base): count uint64, size size (required),
 *             policy enum, nodes uint16List, fail-complete bool; complete() can fail
 *   test-obj-child (derives test-obj): overrides describe(), inherits complete()
 *   test-abstract (abstract, user-creatable), test-iface (interface implemented by test-base)
 * The event log is per test (a GString the fixture sets up), written by init/finalize hooks.
 */

#define TYPE_TEST_BASE "test-base"
#define TYPE_TEST_OBJ "test-obj"
#define TYPE_TEST_CHILD "test-obj-child"
#define TYPE_TEST_ABSTRACT "test-abstract"
#define TYPE_TEST_IFACE "test-iface"

static GString *event_log;   /* test-only: records init/finalize order */

static void log_event(const char *what)
{
    if (event_log) {
        g_string_append_printf(event_log, "%s%s", event_log->len ? " " : "", what);
    }
}

typedef struct TestBase {
    Object parent_obj;
    bool flag;
    char *label;
} TestBase;

typedef struct TestBaseClass {
    ObjectClass parent_class;
    const char *(*describe)(TestBase *tb);
} TestBaseClass;

typedef struct TestIfaceClass {
    InterfaceClass parent_class;
    int magic;
} TestIfaceClass;

typedef struct TestObj {
    TestBase parent_obj;
    uint64_t count;
    uint64_t size;
    int policy;
    GArray *nodes;
    bool fail_complete;
    bool completed;
    bool in_use;
} TestObj;

OBJECT_DECLARE_TYPE(TestBase, TestBaseClass, TEST_BASE, TYPE_TEST_BASE)
OBJECT_DECLARE_TYPE(TestObj, TestBaseClass, TEST_OBJ, TYPE_TEST_OBJ)

static const char *const policy_names[] = { "default", "preferred", "bind", "interleave" };
static const QEnumLookup policy_lookup = { policy_names, 4 };

static const char *base_describe(TestBase *tb) { return "base"; }
static const char *child_describe(TestBase *tb) { return "child"; }

static void base_class_init(ObjectClass *oc, const void *data)
{
    TestBaseClass *bc = (TestBaseClass *)oc;
    TestIfaceClass *ic = OBJECT_CLASS_CHECK(TestIfaceClass, oc, TYPE_TEST_IFACE);

    log_event("class:base");
    bc->describe = base_describe;
    ic->magic = 42;
    object_class_property_add_bool(oc, "flag", offsetof(TestBase, flag), "A flag");
    object_class_property_add_str(oc, "label", offsetof(TestBase, label), NULL);
}

static bool obj_complete(Object *obj, GError **errp)
{
    TestObj *to = TEST_OBJ(obj);

    if (to->fail_complete) {
        error_setg(errp, "cannot complete '%s'", object_get_typename(obj));
        return false;
    }
    to->completed = true;
    return true;
}

static bool obj_can_be_deleted(Object *obj)
{
    return !TEST_OBJ(obj)->in_use;
}

/* Like a memory backend: the size is fixed once the object is complete. */
static bool obj_check_set(Object *obj, const char *name, GError **errp)
{
    if (TEST_OBJ(obj)->completed && !strcmp(name, "size")) {
        error_setg(errp, "cannot change property %s of %s", name, object_get_typename(obj));
        return false;
    }
    return true;
}

static void obj_class_init(ObjectClass *oc, const void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    log_event("class:obj");
    oc->check_set = obj_check_set;
    ucc->complete = obj_complete;
    ucc->can_be_deleted = obj_can_be_deleted;
    object_class_property_add_uint64(oc, "count", offsetof(TestObj, count), "How many");
    object_class_property_add_size(oc, "size", offsetof(TestObj, size),
                                   "Size of the thing (ex: 500M)")->required = true;
    object_class_property_add_enum(oc, "policy", "TestPolicy", &policy_lookup,
                                   offsetof(TestObj, policy), "The policy");
    object_class_property_add_uint16_list(oc, "nodes", offsetof(TestObj, nodes),
                                          "Node list");
    object_class_property_add_bool(oc, "fail-complete", offsetof(TestObj, fail_complete),
                                   NULL);
}

static void child_class_init(ObjectClass *oc, const void *data)
{
    log_event("class:child");
    ((TestBaseClass *)oc)->describe = child_describe;
    ((TestIfaceClass *)object_class_dynamic_cast(oc, TYPE_TEST_IFACE))->magic = 7;
}

static void base_init(Object *obj) { log_event("init:base"); }
static void base_finalize(Object *obj) { log_event("fin:base"); }
static void obj_init(Object *obj)
{
    log_event("init:obj");
    TEST_OBJ(obj)->count = 5;   /* a default the getter must report */
}
static void obj_finalize(Object *obj) { log_event("fin:obj"); }
static void child_init(Object *obj) { log_event("init:child"); }
static void child_finalize(Object *obj) { log_event("fin:child"); }

static const char *const base_ifaces[] = { TYPE_TEST_IFACE, NULL };
static const char *const creatable_ifaces[] = { TYPE_USER_CREATABLE, NULL };

static const TypeInfo test_types[] = {
    { .name = TYPE_TEST_IFACE, .parent = TYPE_INTERFACE, .class_size = sizeof(TestIfaceClass) },
    { .name = TYPE_TEST_CHILD, .parent = TYPE_TEST_OBJ,   /* registered before its parent */
      .instance_init = child_init, .instance_finalize = child_finalize,
      .class_init = child_class_init },
    { .name = TYPE_TEST_BASE, .parent = TYPE_OBJECT, .instance_size = sizeof(TestBase),
      .instance_init = base_init, .instance_finalize = base_finalize,
      .class_size = sizeof(TestBaseClass), .class_init = base_class_init,
      .interfaces = base_ifaces },
    { .name = TYPE_TEST_OBJ, .parent = TYPE_TEST_BASE, .instance_size = sizeof(TestObj),
      .instance_init = obj_init, .instance_finalize = obj_finalize,
      .class_init = obj_class_init, .interfaces = creatable_ifaces },
    { .name = TYPE_TEST_ABSTRACT, .parent = TYPE_OBJECT, .abstract = true,
      .interfaces = creatable_ifaces },
};

typedef struct Fixture {
    TypeRegistry *reg;
    Object *root;
    OptsStore *store;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    event_log = g_string_new(NULL);
    f->reg = type_registry_new();
    type_register_static_array(f->reg, test_types, G_N_ELEMENTS(test_types));
    f->root = object_root_new(f->reg);
    f->store = opts_store_new();
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    object_unref(f->root);
    type_registry_free(f->reg);
    opts_store_free(f->store);
    g_string_free(event_log, TRUE);
    event_log = NULL;
}

static const OptsList object_opts = { .name = "object", .implied_opt_name = "qom-type" };

/* -object TEXT into /objects; returns the object or NULL with *errp set.  Each call parses
 * into a store of its own, so duplicate ids are found in /objects, not by opts_parse. */
static Object *add_cli(Fixture *f, const char *text, GError **errp)
{
    g_autoptr(OptsStore) store = opts_store_new();
    Opts *opts = opts_parse(store, &object_opts, text, text, NULL, errp);

    return opts ? user_creatable_add_opts(f->root, opts, errp) : NULL;
}

/* The error message -object TEXT gives (g_free), or NULL if it succeeded. */
static char *cli_error(Fixture *f, const char *text)
{
    GError *err = NULL;
    char *msg = NULL;

    if (!add_cli(f, text, &err)) {
        g_assert_nonnull(err);
        msg = g_strdup(err->message);
        g_error_free(err);
    }
    return msg;
}

#define assert_cli_error(f, text, expected) do { \
        g_autofree char *msg_ = cli_error(f, text); \
        g_assert_cmpstr(msg_, ==, expected); \
    } while (0)

static size_t objects_count(Fixture *f)
{
    return object_child_count(object_get_objects_root(f->root));
}

/* ---- types, classes, casts ---- */

static void test_casts(Fixture *f, gconstpointer data)
{
    g_autoptr(Object) obj = object_new(f->reg, TYPE_TEST_OBJ);
    g_autoptr(Object) base = object_new(f->reg, TYPE_TEST_BASE);
    GError *err = NULL;

    g_assert_cmpstr(object_get_typename(obj), ==, TYPE_TEST_OBJ);
    g_assert_true(object_dynamic_cast(obj, TYPE_TEST_BASE) == obj);
    g_assert_true(object_dynamic_cast(obj, TYPE_OBJECT) == obj);
    g_assert_true(object_dynamic_cast(obj, TYPE_USER_CREATABLE) == obj);
    g_assert_true(object_dynamic_cast(obj, TYPE_TEST_IFACE) == obj);   /* inherited iface */
    g_assert_null(object_dynamic_cast(base, TYPE_TEST_OBJ));
    g_assert_null(object_dynamic_cast(base, TYPE_USER_CREATABLE));
    g_assert_null(object_dynamic_cast(obj, TYPE_CONTAINER));
    g_assert_null(object_dynamic_cast(obj, "no-such-type"));
    g_assert_null(object_dynamic_cast(NULL, TYPE_OBJECT));
    g_assert_true(TEST_BASE(obj) == (TestBase *)obj);
    g_assert_null(TEST_OBJ(NULL));

    g_assert_true(object_class_get_parent(object_get_class(obj)) ==
                  object_class_by_name(f->reg, TYPE_TEST_BASE));
    g_assert_null(object_class_by_name(f->reg, "no-such-type"));
    g_assert_true(object_class_is_abstract(object_class_by_name(f->reg, TYPE_TEST_ABSTRACT)));
    g_assert_true(object_class_is_abstract(object_class_by_name(f->reg, TYPE_USER_CREATABLE)));
    g_assert_false(object_class_is_abstract(object_class_by_name(f->reg, TYPE_TEST_OBJ)));
    g_assert_true(object_get_registry(obj) == f->reg);

    g_assert_null(object_new_err(f->reg, "no-such-type", &err));
    g_assert_cmpstr(err->message, ==, "invalid object type: no-such-type");
    g_clear_error(&err);
    g_assert_null(object_new_err(f->reg, TYPE_TEST_ABSTRACT, &err));
    g_assert_cmpstr(err->message, ==, "object type 'test-abstract' is abstract");
    g_clear_error(&err);
    g_assert_null(object_new_err(f->reg, TYPE_USER_CREATABLE, &err));
    g_clear_error(&err);
}

static void test_class_init_order(Fixture *f, gconstpointer data)
{
    ObjectClass *child = object_class_by_name(f->reg, TYPE_TEST_CHILD);
    ObjectClass *obj = object_class_by_name(f->reg, TYPE_TEST_OBJ);
    ObjectClass *base = object_class_by_name(f->reg, TYPE_TEST_BASE);

    /* The child was asked for first, yet its ancestors' class_init ran first, once each. */
    g_assert_cmpstr(event_log->str, ==, "class:base class:obj class:child");
    g_assert_true(object_class_by_name(f->reg, TYPE_TEST_CHILD) == child);
    g_assert_cmpstr(event_log->str, ==, "class:base class:obj class:child");

    /* Class members are inherited by copy, overrides stay in the subclass. */
    g_assert_cmpstr(((TestBaseClass *)obj)->describe(NULL), ==, "base");
    g_assert_cmpstr(((TestBaseClass *)child)->describe(NULL), ==, "child");
    g_assert_cmpstr(((TestBaseClass *)base)->describe(NULL), ==, "base");
    /* Interface class structs are per class too. */
    g_assert_cmpint(((TestIfaceClass *)object_class_dynamic_cast(base, TYPE_TEST_IFACE))->magic,
                    ==, 42);
    g_assert_cmpint(((TestIfaceClass *)object_class_dynamic_cast(obj, TYPE_TEST_IFACE))->magic,
                    ==, 42);
    g_assert_cmpint(((TestIfaceClass *)object_class_dynamic_cast(child, TYPE_TEST_IFACE))->magic,
                    ==, 7);
    g_assert_true(((InterfaceClass *)object_class_dynamic_cast(child, TYPE_TEST_IFACE))
                  ->concrete_class == child);
    g_assert_true(USER_CREATABLE_CLASS(child)->complete == obj_complete);
    g_assert_null(object_class_dynamic_cast(base, TYPE_USER_CREATABLE));
    /* Properties of ancestors are visible from subclasses. */
    g_assert_nonnull(object_class_property_find(child, "flag"));
    g_assert_nonnull(object_class_property_find(child, "size"));
    g_assert_null(object_class_property_find(base, "size"));
}

static void test_class_list(Fixture *f, gconstpointer data)
{
    GSList *list = object_class_get_list_sorted(f->reg, TYPE_TEST_BASE, false);
    GString *names = g_string_new(NULL);

    for (GSList *l = list; l; l = l->next) {
        g_string_append_printf(names, "%s;", object_class_get_name(l->data));
    }
    g_assert_cmpstr(names->str, ==, "test-base;test-obj;test-obj-child;");
    g_slist_free(list);
    g_string_free(names, TRUE);

    list = object_class_get_list(f->reg, TYPE_USER_CREATABLE, true);
    /* child, obj, abstract and the interface type itself */
    g_assert_cmpuint(g_slist_length(list), ==, 4);
    g_slist_free(list);
}

static void test_instance_order(Fixture *f, gconstpointer data)
{
    Object *obj = object_new(f->reg, TYPE_TEST_CHILD);

    g_string_truncate(event_log, 0);
    object_unref(obj);
    g_assert_cmpstr(event_log->str, ==, "fin:child fin:obj fin:base");

    g_string_truncate(event_log, 0);
    obj = object_new(f->reg, TYPE_TEST_CHILD);
    g_assert_cmpstr(event_log->str, ==, "init:base init:obj init:child");
    object_unref(obj);
}

static void test_refcount_tree(Fixture *f, gconstpointer data)
{
    Object *objects = object_get_objects_root(f->root);
    Object *obj = object_new(f->reg, TYPE_TEST_OBJ);
    g_autofree char *path = NULL;
    GError *err = NULL;

    g_assert_true(object_property_add_child(objects, "a", obj, &err));
    g_assert_cmpuint(obj->ref, ==, 2);
    path = object_get_canonical_path(obj);
    g_assert_cmpstr(path, ==, "/objects/a");
    g_assert_true(object_get_parent(obj) == objects);

    /* Names are shared with properties: "type" is taken on every object. */
    g_autoptr(Object) other = object_new(f->reg, TYPE_TEST_OBJ);
    g_assert_false(object_property_add_child(objects, "a", other, &err));
    g_assert_cmpstr(err->message, ==,
                    "attempt to add duplicate property 'a' to object (type 'container')");
    g_clear_error(&err);
    g_assert_false(object_property_add_child(objects, "type", other, &err));
    g_clear_error(&err);

    /* Unparenting drops only the parent's reference. */
    g_string_truncate(event_log, 0);
    object_unparent(obj);
    g_assert_cmpstr(event_log->str, ==, "");
    g_assert_null(object_get_parent(obj));
    g_assert_null(object_resolve_path(f->root, "/objects/a", NULL));
    object_unparent(obj);   /* no parent: no-op */
    object_unref(obj);
    g_assert_cmpstr(event_log->str, ==, "fin:obj fin:base");

    /* A parent's finalisation takes its children with it. */
    Object *box = object_new(f->reg, TYPE_CONTAINER);
    Object *kid = object_new(f->reg, TYPE_TEST_BASE);
    g_assert_true(object_property_add_child(box, "kid", kid, NULL));
    object_unref(kid);
    g_string_truncate(event_log, 0);
    object_unref(box);
    g_assert_cmpstr(event_log->str, ==, "fin:base");
}

/* ---- properties ---- */

static void test_property_qobject(Fixture *f, gconstpointer data)
{
    g_autoptr(Object) obj = object_new(f->reg, TYPE_TEST_OBJ);
    TestObj *to = TEST_OBJ(obj);
    GError *err = NULL;
    g_autofree char *type = NULL;
    g_autofree char *label = NULL;
    g_autoptr(QObject) nodes = NULL;
    g_autoptr(QObject) policy = NULL;
    g_autoptr(QList) list = qlist_new();

    g_assert_cmpuint(object_property_get_uint(obj, "count", &err), ==, 5);
    g_assert_no_error(err);
    g_assert_true(object_property_set_uint(obj, "count", 1ULL << 40, &err));
    g_assert_cmpuint(to->count, ==, 1ULL << 40);
    g_assert_true(object_property_set_bool(obj, "flag", true, &err));
    g_assert_true(object_property_get_bool(obj, "flag", &err));
    g_assert_true(object_property_set_str(obj, "label", "hello", &err));
    label = object_property_get_str(obj, "label", &err);
    g_assert_cmpstr(label, ==, "hello");
    g_assert_true(object_property_set_str(obj, "policy", "interleave", &err));
    g_assert_cmpint(to->policy, ==, 3);
    policy = object_property_get_qobject(obj, "policy", &err);
    g_assert_cmpstr(qstring_get_str(qobject_to_qstring(policy)), ==, "interleave");
    qlist_append_int(list, 1);
    qlist_append_int(list, 3);
    g_assert_true(object_property_set_qobject(obj, "nodes", QOBJECT(list), &err));
    g_assert_no_error(err);
    g_assert_cmpuint(to->nodes->len, ==, 2);
    nodes = object_property_get_qobject(obj, "nodes", &err);
    g_assert_cmpuint(qlist_size(qobject_to_qlist(nodes)), ==, 2);
    type = object_property_get_str(obj, "type", &err);
    g_assert_cmpstr(type, ==, TYPE_TEST_OBJ);
    g_assert_no_error(err);

    /* Errors: unknown, read-only, wrong JSON type (the visitor's words), enum value. */
    g_assert_false(object_property_set_uint(obj, "nope", 1, &err));
    g_assert_cmpstr(err->message, ==, "Property 'test-obj.nope' not found");
    g_clear_error(&err);
    g_assert_null(object_property_get_qobject(obj, "nope", &err));
    g_assert_cmpstr(err->message, ==, "Property 'test-obj.nope' not found");
    g_clear_error(&err);
    g_assert_false(object_property_set_str(obj, "type", "x", &err));
    g_assert_cmpstr(err->message, ==, "Property 'test-obj.type' is not writable");
    g_clear_error(&err);
    g_assert_false(object_property_set_str(obj, "count", "x", &err));
    g_assert_nonnull(strstr(err->message, "count"));
    g_clear_error(&err);
    g_assert_cmpuint(to->count, ==, 1ULL << 40);
    g_assert_false(object_property_set_str(obj, "policy", "sideways", &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'policy' does not accept value 'sideways'");
    g_clear_error(&err);
    g_assert_cmpint(to->policy, ==, 3);
}

static void test_property_parse(Fixture *f, gconstpointer data)
{
    g_autoptr(Object) obj = object_new(f->reg, TYPE_TEST_OBJ);
    TestObj *to = TEST_OBJ(obj);
    GError *err = NULL;

    g_assert_true(object_property_parse(obj, "size", "1G", &err));
    g_assert_no_error(err);
    g_assert_cmpuint(to->size, ==, 1ULL << 30);
    g_assert_true(object_property_parse(obj, "flag", "on", &err));
    g_assert_true(to->parent_obj.flag);
    g_assert_true(object_property_parse(obj, "flag", "off", &err));
    g_assert_false(to->parent_obj.flag);
    g_assert_true(object_property_parse(obj, "nodes", "0-3", &err));
    g_assert_no_error(err);
    g_assert_cmpuint(to->nodes->len, ==, 4);
    g_assert_cmpuint(g_array_index(to->nodes, guint16, 3), ==, 3);
    g_assert_true(object_property_parse(obj, "policy", "bind", &err));
    g_assert_cmpint(to->policy, ==, 2);
    g_assert_true(object_property_parse(obj, "label", "a,b c", &err));
    g_assert_cmpstr(to->parent_obj.label, ==, "a,b c");

    /* Bad text fails and leaves the old value. */
    g_assert_false(object_property_parse(obj, "size", "xyz", &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_cmpuint(to->size, ==, 1ULL << 30);
    g_assert_false(object_property_parse(obj, "flag", "maybe", &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_false(object_property_parse(obj, "nodes", "0-3x", &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_false(object_property_parse(obj, "nodes", "70000", &err));   /* > uint16 */
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_cmpuint(to->nodes->len, ==, 4);
    g_assert_false(object_property_parse(obj, "count", "-1", &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_false(object_property_parse(obj, "bogus", "1", &err));
    g_assert_cmpstr(err->message, ==, "Property 'test-obj.bogus' not found");
    g_clear_error(&err);
}

/* ---- -object ---- */

static void test_add_opts_ok(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    Object *obj = add_cli(f, "test-obj,id=m0,size=1G,count=7,policy=bind,nodes=0-1,"
                          "nodes=3,flag=on,label=x", &err);
    TestObj *to;

    g_assert_no_error(err);
    g_assert_nonnull(obj);
    to = TEST_OBJ(obj);
    g_assert_true(to->completed);
    g_assert_cmpuint(to->size, ==, 1ULL << 30);
    g_assert_cmpuint(to->count, ==, 7);
    g_assert_cmpint(to->policy, ==, 2);
    g_assert_cmpuint(to->nodes->len, ==, 3);
    g_assert_cmpuint(g_array_index(to->nodes, guint16, 2), ==, 3);
    g_assert_true(to->parent_obj.flag);
    g_assert_cmpstr(to->parent_obj.label, ==, "x");
    g_assert_true(object_resolve_path(f->root, "/objects/m0", NULL) == obj);
    g_assert_cmpuint(obj->ref, ==, 1);   /* /objects holds the only reference */

    /* The class's check_set hook guards properties after complete(). */
    g_assert_false(object_property_parse(obj, "size", "2M", &err));
    g_assert_cmpstr(err->message, ==, "cannot change property size of test-obj");
    g_clear_error(&err);
    g_assert_cmpuint(to->size, ==, 1ULL << 30);
    g_assert_true(object_property_parse(obj, "count", "8", &err));

    /* A subclass inherits the interface and its complete(). */
    obj = add_cli(f, "test-obj-child,id=c0,size=1M", &err);
    g_assert_no_error(err);
    g_assert_true(TEST_OBJ(obj)->completed);
    g_assert_cmpuint(objects_count(f), ==, 2);
}

static void test_add_opts_errors(Fixture *f, gconstpointer data)
{
    g_assert_null(cli_error(f, "test-obj,id=m0,size=1M"));

    assert_cli_error(f, "id=x", "Parameter 'qom-type' is missing");
    assert_cli_error(f, "nope,id=x", "Parameter 'qom-type' does not accept value 'nope'");
    assert_cli_error(f, "test-abstract,id=x",
                     "Parameter 'qom-type' does not accept value 'test-abstract'");
    assert_cli_error(f, "test-base,id=x",
                     "Parameter 'qom-type' does not accept value 'test-base'");
    assert_cli_error(f, "container,id=x",
                     "Parameter 'qom-type' does not accept value 'container'");
    assert_cli_error(f, "test-obj,size=1M", "Parameter 'id' is missing");
    {
        g_autofree char *msg = cli_error(f, "test-obj,id=1x,size=1M");
        g_assert_true(g_str_has_prefix(msg, "Parameter 'id' expects an identifier"));
    }
    assert_cli_error(f, "test-obj,id=m1,size=1M,bogus=1", "Invalid parameter 'bogus'");
    assert_cli_error(f, "test-obj,id=m1,size=1M,type=x", "Invalid parameter 'type'");
    assert_cli_error(f, "test-obj,id=m1", "Parameter 'size' is missing");
    assert_cli_error(f, "test-obj,id=m1,size=xyz", "Parameter 'size' expects a size value");
    assert_cli_error(f, "test-obj,id=m1,size=1M,flag=maybe",
                     "Parameter 'flag' expects 'on' or 'off'");
    assert_cli_error(f, "test-obj,id=m1,size=1M,policy=foo",
                     "Parameter 'policy' does not accept value 'foo'");
    assert_cli_error(f, "test-obj,id=m1,size=1M,nodes=0-3x",
                     "Parameter 'nodes' expects a uint64 value or range");
    /* A duplicate id wins over property errors, as in QEMU. */
    assert_cli_error(f, "test-obj,id=m0,size=1M", "Duplicate ID 'm0' for object");
    assert_cli_error(f, "test-obj,id=m0,size=1M,bogus=1", "Duplicate ID 'm0' for object");
    assert_cli_error(f, "test-obj,id=m1,size=1M,fail-complete=on",
                     "cannot complete 'test-obj'");

    /* None of the failures left anything behind. */
    g_assert_cmpuint(objects_count(f), ==, 1);
    g_assert_null(object_resolve_id(f->root, "m1", NULL));
    /* The id is still free after the failed complete(). */
    g_assert_null(cli_error(f, "test-obj,id=m1,size=1M"));
    g_assert_cmpuint(objects_count(f), ==, 2);
}

static void test_complete_rollback(Fixture *f, gconstpointer data)
{
    GError *err = NULL;

    g_assert_nonnull(object_class_by_name(f->reg, TYPE_TEST_OBJ));   /* class_init logged */
    g_string_truncate(event_log, 0);
    g_assert_null(add_cli(f, "test-obj,id=m0,size=1M,fail-complete=on,label=x,nodes=1", &err));
    g_assert_cmpstr(err->message, ==, "cannot complete 'test-obj'");
    g_clear_error(&err);
    /* The half-made object was finalised (ASan checks its str/list fields were freed). */
    g_assert_cmpstr(event_log->str, ==, "init:base init:obj fin:obj fin:base");
    g_assert_cmpuint(objects_count(f), ==, 0);
}

/* ---- object-add / object-del ---- */

static QDict *args_new(const char *type, const char *id)
{
    QDict *args = qdict_new();

    if (type) {
        qdict_put_str(args, "qom-type", type);
    }
    if (id) {
        qdict_put_str(args, "id", id);
    }
    return args;
}

static char *qmp_add_error(Fixture *f, QDict *args)
{
    GError *err = NULL;
    char *msg = NULL;

    if (!user_creatable_add_qdict(f->root, args, &err)) {
        msg = g_strdup(err->message);
        g_error_free(err);
    }
    qobject_unref(QOBJECT(args));
    return msg;
}

#define assert_qmp_error(f, args, expected) do { \
        g_autofree char *msg_ = qmp_add_error(f, args); \
        g_assert_cmpstr(msg_, ==, expected); \
    } while (0)

static void test_add_qdict(Fixture *f, gconstpointer data)
{
    QDict *args = args_new(TYPE_TEST_OBJ, "m0");
    QList *nodes = qlist_new();
    Object *obj;

    qdict_put_uint(args, "size", 1048576);
    qdict_put_bool(args, "flag", true);
    qlist_append_int(nodes, 2);
    qdict_put(args, "nodes", nodes);
    g_assert_null(qmp_add_error(f, args));
    obj = object_resolve_id(f->root, "m0", TYPE_TEST_OBJ);
    g_assert_nonnull(obj);
    g_assert_cmpuint(TEST_OBJ(obj)->size, ==, 1048576);
    g_assert_true(TEST_OBJ(obj)->parent_obj.flag);
    g_assert_cmpuint(TEST_OBJ(obj)->nodes->len, ==, 1);

    args = args_new(TYPE_TEST_OBJ, "m0");
    qdict_put_uint(args, "size", 1);
    assert_qmp_error(f, args,
                     "attempt to add duplicate property 'm0' to object (type 'container')");
    args = args_new(TYPE_TEST_OBJ, "type");
    qdict_put_uint(args, "size", 1);
    assert_qmp_error(f, args,
                     "attempt to add duplicate property 'type' to object (type 'container')");
    assert_qmp_error(f, args_new("foo", "m1"), "Parameter 'qom-type' does not accept value 'foo'");
    assert_qmp_error(f, args_new(NULL, "m1"), "Parameter 'qom-type' is missing");
    assert_qmp_error(f, args_new(TYPE_TEST_OBJ, NULL), "Parameter 'id' is missing");
    assert_qmp_error(f, args_new(TYPE_TEST_OBJ, "m1"), "Parameter 'size' is missing");
    assert_qmp_error(f, args_new(TYPE_TEST_OBJ, "1x"), "Parameter 'id' expects an identifier");
    args = args_new(TYPE_TEST_OBJ, "m1");
    qdict_put_uint(args, "size", 1);
    qdict_put_int(args, "bogus", 1);
    assert_qmp_error(f, args, "Parameter 'bogus' is unexpected");
    args = args_new(TYPE_TEST_OBJ, "m1");
    qdict_put_str(args, "size", "1G");   /* JSON input is typed: no size suffixes */
    g_autofree char *msg = qmp_add_error(f, args);
    g_assert_nonnull(msg);
    args = qdict_new();
    qdict_put_int(args, "qom-type", 1);
    g_autofree char *msg2 = qmp_add_error(f, args);
    g_assert_nonnull(msg2);
    g_assert_cmpuint(objects_count(f), ==, 1);
}

static void test_del(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    Object *obj = add_cli(f, "test-obj,id=m0,size=1M", &err);
    g_autoptr(Object) held = NULL;

    g_assert_false(user_creatable_del(f->root, "nope", &err));
    g_assert_cmpstr(err->message, ==, "object 'nope' not found");
    g_clear_error(&err);

    TEST_OBJ(obj)->in_use = true;
    g_assert_false(user_creatable_del(f->root, "m0", &err));
    g_assert_cmpstr(err->message, ==, "object 'm0' is in use, can not be deleted");
    g_clear_error(&err);
    TEST_OBJ(obj)->in_use = false;

    /* Someone else's reference keeps the object alive after object-del. */
    held = object_ref(obj);
    g_string_truncate(event_log, 0);
    g_assert_true(user_creatable_del(f->root, "m0", &err));
    g_assert_cmpstr(event_log->str, ==, "");
    g_assert_null(object_resolve_id(f->root, "m0", NULL));
    g_assert_cmpuint(objects_count(f), ==, 0);
    g_clear_pointer(&held, object_unref);
    g_assert_cmpstr(event_log->str, ==, "fin:obj fin:base");
    /* The id can be reused. */
    g_assert_null(cli_error(f, "test-obj,id=m0,size=2M"));
}

/* An id taken in /objects by a QMP-made object is a duplicate for -object as well. */
static void test_cli_dup_of_qmp(Fixture *f, gconstpointer data)
{
    QDict *args = args_new(TYPE_TEST_OBJ, "m0");

    qdict_put_uint(args, "size", 2);
    g_assert_null(qmp_add_error(f, args));
    assert_cli_error(f, "test-obj,id=m0,size=1M,bogus=1", "Duplicate ID 'm0' for object");
    assert_cli_error(f, "test-obj,id=type,size=1M",
                     "attempt to add duplicate property 'type' to object (type 'container')");
    g_assert_cmpuint(objects_count(f), ==, 1);
}

/* ---- resolution ---- */

static void test_resolve(Fixture *f, gconstpointer data)
{
    Object *m0 = add_cli(f, "test-obj,id=m0,size=1M", NULL);
    Object *c0 = add_cli(f, "test-obj-child,id=c0,size=1M", NULL);
    Object *objects = object_get_objects_root(f->root);
    Object *box = object_new(f->reg, TYPE_CONTAINER);
    Object *dup = object_new(f->reg, TYPE_TEST_BASE);
    bool ambiguous = true;

    g_assert_nonnull(m0);
    g_assert_nonnull(c0);
    g_assert_true(object_resolve_path(f->root, "/objects/m0", &ambiguous) == m0);
    g_assert_false(ambiguous);
    g_assert_true(object_resolve_path(f->root, "/objects", NULL) == objects);
    g_assert_true(object_resolve_path(f->root, "/", NULL) == f->root);
    g_assert_true(object_resolve_path(m0, "/objects/c0", NULL) == c0);   /* from anywhere */
    g_assert_true(object_resolve_path(f->root, "m0", NULL) == m0);       /* partial */
    g_assert_true(object_resolve_path(f->root, "objects/m0", NULL) == m0);
    g_assert_null(object_resolve_path(f->root, "/objects/none", NULL));
    g_assert_null(object_resolve_path(f->root, "/m0", NULL));
    g_assert_null(object_resolve_path(f->root, "", NULL));

    g_assert_true(object_resolve_path_type(f->root, "/objects/c0", TYPE_TEST_OBJ, NULL) == c0);
    g_assert_null(object_resolve_path_type(f->root, "/objects/m0", TYPE_TEST_CHILD, NULL));
    g_assert_null(object_resolve_path_type(f->root, "/objects/m0", TYPE_CONTAINER, NULL));

    /* A second "m0" elsewhere makes the partial path ambiguous, unless the type decides. */
    g_assert_true(object_property_add_child(f->root, "box", box, NULL));
    g_assert_true(object_property_add_child(box, "m0", dup, NULL));
    object_unref(box);
    object_unref(dup);
    g_assert_null(object_resolve_path(f->root, "m0", &ambiguous));
    g_assert_true(ambiguous);
    g_assert_true(object_resolve_path_type(f->root, "m0", TYPE_TEST_OBJ, &ambiguous) == m0);
    g_assert_false(ambiguous);

    g_assert_true(object_resolve_id(f->root, "m0", NULL) == m0);
    g_assert_true(object_resolve_id(f->root, "m0", TYPE_TEST_OBJ) == m0);
    g_assert_true(object_resolve_id(f->root, "c0", TYPE_TEST_BASE) == c0);
    g_assert_true(object_resolve_id(f->root, "c0", TYPE_USER_CREATABLE) == c0);
    g_assert_null(object_resolve_id(f->root, "m0", TYPE_TEST_CHILD));
    g_assert_null(object_resolve_id(f->root, "box", NULL));   /* not under /objects */
    g_assert_null(object_resolve_id(f->root, "zz", TYPE_TEST_OBJ));
}

/* ---- help ---- */

static void test_help(Fixture *f, gconstpointer data)
{
    g_autofree char *list = user_creatable_list_help(f->reg);
    g_autofree char *obj_help = NULL;
    g_autofree char *cont_help = NULL;
    GError *err = NULL;

    g_assert_cmpstr(list, ==, "List of user creatable objects:\n  test-obj\n  test-obj-child\n");
    obj_help = object_type_help(f->reg, TYPE_TEST_OBJ, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(obj_help, ==,
                    "test-obj options:\n"
                    "  count=<uint64>         - How many\n"
                    "  fail-complete=<bool>\n"
                    "  flag=<bool>            - A flag\n"
                    "  label=<str>\n"
                    "  nodes=<uint16List>     - Node list\n"
                    "  policy=<TestPolicy>    - The policy\n"
                    "  size=<size>            - Size of the thing (ex: 500M)\n");
    cont_help = object_type_help(f->reg, TYPE_CONTAINER, &err);
    g_assert_cmpstr(cont_help, ==, "There are no options for container.\n");
    g_assert_null(object_type_help(f->reg, "nope", &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'qom-type' does not accept value 'nope'");
    g_clear_error(&err);
}

/* What user_creatable_help gives for the -object text (help flag as opts_parse reports). */
static char *help_for(Fixture *f, const char *text, GError **errp)
{
    bool help_wanted = false;
    Opts *opts = opts_parse(f->store, &object_opts, text, text, &help_wanted, errp);

    return opts ? user_creatable_help(f->reg, opts, help_wanted, errp) : NULL;
}

static void test_help_opts(Fixture *f, gconstpointer data)
{
    GError *err = NULL;
    g_autofree char *list = help_for(f, "help", &err);
    g_autofree char *list2 = help_for(f, "?", &err);
    g_autofree char *type = help_for(f, "test-obj,help", &err);
    g_autofree char *type2 = help_for(f, "test-obj,id=x,help", &err);
    g_autofree char *none = help_for(f, "test-obj,id=x,size=1M", &err);

    g_assert_no_error(err);
    g_assert_true(g_str_has_prefix(list, "List of user creatable objects:\n"));
    g_assert_cmpstr(list2, ==, list);
    g_assert_true(g_str_has_prefix(type, "test-obj options:\n"));
    g_assert_cmpstr(type2, ==, type);
    g_assert_null(none);
    g_assert_null(help_for(f, "nope,help", &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'qom-type' does not accept value 'nope'");
    g_clear_error(&err);
}

#define ADD(path, fn) \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("/qom/casts", test_casts);
    ADD("/qom/class-init-order", test_class_init_order);
    ADD("/qom/class-list", test_class_list);
    ADD("/qom/instance-order", test_instance_order);
    ADD("/qom/refcount-tree", test_refcount_tree);
    ADD("/qom/property/qobject", test_property_qobject);
    ADD("/qom/property/parse", test_property_parse);
    ADD("/qom/object-add/opts-ok", test_add_opts_ok);
    ADD("/qom/object-add/opts-errors", test_add_opts_errors);
    ADD("/qom/object-add/complete-rollback", test_complete_rollback);
    ADD("/qom/object-add/qdict", test_add_qdict);
    ADD("/qom/object-del", test_del);
    ADD("/qom/object-add/cli-dup-of-qmp", test_cli_dup_of_qmp);
    ADD("/qom/resolve", test_resolve);
    ADD("/qom/help/texts", test_help);
    ADD("/qom/help/opts", test_help_opts);
    return g_test_run();
}
