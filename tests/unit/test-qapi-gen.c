/* Tests of the QAPI generator's C output (types, visitors, free, marshallers, introspection) and QMP dispatch. */
#include <string.h>
#include <glib.h>
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qapi/qmp-dispatch.h"
#include "qobject/json.h"
#include "test-qapi-types.h"
#include "test-qapi-visit.h"
#include "test-qapi-commands.h"
#include "test-qapi-introspect.h"
#include "qapi-introspect.h"

/* ---------------------------------------------------------------- helpers */

static QObject *from_json(const char *text)
{
    GError *err = NULL;
    QObject *obj = qobject_from_json(text, &err);

    g_assert_no_error(err);
    g_assert_nonnull(obj);
    return obj;
}

/* Deep comparison with a readable failure message. */
static void assert_qobject_json(const QObject *obj, const char *expected_json)
{
    g_autoptr(QObject) expected = from_json(expected_json);

    if (!qobject_is_equal(obj, expected)) {
        g_autofree char *got = obj ? qobject_to_json(obj) : g_strdup("(null)");
        g_autofree char *want = qobject_to_json(expected);
        g_assert_cmpstr(got, ==, want);
    }
}

/* C value -> QObject with the output visitor; the value is left alone. */
#define TO_QOBJECT(type, val, out)                                   \
    do {                                                             \
        GError *err_ = NULL;                                         \
        Visitor *v_ = qobject_output_visitor_new(&(out));            \
        g_assert_true(visit_type_##type(v_, NULL, &(val), &err_));   \
        g_assert_no_error(err_);                                     \
        visit_complete(v_, &(out));                                  \
        visit_free(v_);                                              \
    } while (0)

/* QObject -> C value with the input visitor; returns whether it succeeded. */
#define FROM_QOBJECT(type, qobj, out, errp)                          \
    do {                                                             \
        Visitor *v_ = qobject_input_visitor_new(qobj);               \
        visit_type_##type(v_, NULL, &(out), (errp));                 \
        visit_free(v_);                                              \
    } while (0)

/* Parse JSON into a C value, expecting failure with exactly the given message. */
#define ASSERT_INPUT_FAILS(type, json, msg_)                      \
    do {                                                             \
        g_autoptr(QObject) in_ = from_json(json);                    \
        GError *err_ = NULL;                                         \
        type *val_ = NULL;                                           \
        FROM_QOBJECT(type, in_, val_, &err_);                        \
        g_assert_nonnull(err_);                                      \
        g_assert_cmpstr(err_->message, ==, (msg_));               \
        g_assert_null(val_);                                         \
        g_error_free(err_);                                          \
    } while (0)

/* JSON -> C -> JSON must give back the same value. */
#define ASSERT_ROUND_TRIP(type, json)                                \
    do {                                                             \
        g_autoptr(QObject) in_ = from_json(json);                    \
        g_autoptr(QObject) out_ = NULL;                              \
        GError *err_ = NULL;                                         \
        type *val_ = NULL;                                           \
        FROM_QOBJECT(type, in_, val_, &err_);                        \
        g_assert_no_error(err_);                                     \
        g_assert_nonnull(val_);                                      \
        TO_QOBJECT(type, val_, out_);                                \
        assert_qobject_json(out_, json);                             \
        qapi_free_##type(val_);                                      \
    } while (0)

/* ---------------------------------------------------------------- enums */

static void test_enum_names(void)
{
    GError *err = NULL;

    g_assert_cmpint(ENUM_ONE__MAX, ==, 4);
    g_assert_cmpint(ENUM_ONE_VALUE1, ==, 0);
    g_assert_cmpstr(EnumOne_str(ENUM_ONE_VALUE_4), ==, "value-4");
    g_assert_cmpint(EnumOne_lookup.size, ==, ENUM_ONE__MAX);
    /* 'prefix' overrides the derived prefix */
    g_assert_cmpint(QENUM_TWO_VALUE2, ==, 1);
    g_assert_cmpstr(QEnumTwo_str(QENUM_TWO_VALUE2), ==, "value2");
    /* camel_to_upper, digits, C keywords */
    g_assert_cmpstr(NumaOptionsTypeLike_str(NUMA_OPTIONS_TYPE_LIKE_1ST), ==, "1st");
    g_assert_cmpstr(NumaOptionsTypeLike_str(NUMA_OPTIONS_TYPE_LIKE_DEFAULT), ==, "default");
    g_assert_cmpstr(UpperEnum_str(UPPER_ENUM_GENERICERROR), ==, "GenericError");
    g_assert_cmpint(EmptyEnum_lookup.size, ==, 0);
    g_assert_cmpint(EMPTY_ENUM__MAX, ==, 0);

    g_assert_cmpint(qapi_enum_parse(&EnumOne_lookup, "value3", -1, &err), ==,
                    ENUM_ONE_VALUE3);
    g_assert_no_error(err);
    g_assert_cmpint(qapi_enum_parse(&EnumOne_lookup, "value5", -1, &err), ==, -1);
    g_assert_nonnull(err);
    g_clear_error(&err);
}

static void test_enum_visit(void)
{
    g_autoptr(QObject) out = NULL;
    EnumOne e = ENUM_ONE_VALUE_4;
    GError *err = NULL;
    g_autoptr(QObject) bad = from_json("'nope'");
    g_autoptr(QObject) good = from_json("'value2'");

    TO_QOBJECT(EnumOne, e, out);
    assert_qobject_json(out, "'value-4'");
    FROM_QOBJECT(EnumOne, good, e, &err);
    g_assert_no_error(err);
    g_assert_cmpint(e, ==, ENUM_ONE_VALUE2);
    FROM_QOBJECT(EnumOne, bad, e, &err);
    g_assert_nonnull(err);
    g_clear_error(&err);
}

/* ---------------------------------------------------------------- structs */

static UserDefOne *make_one(int64_t integer, const char *string)
{
    UserDefOne *one = g_new0(UserDefOne, 1);

    one->integer = integer;
    one->string = g_strdup(string);
    return one;
}

static void test_struct_layout(void)
{
    g_autoptr(UserDefTwo) two = g_new0(UserDefTwo, 1);

    /* Base members come first, so the struct can be used as its base. */
    two->integer = 42;
    g_assert_true((void *)qapi_UserDefTwo_base(two) == (void *)two);
    g_assert_cmpint(qapi_UserDefOne_base(qapi_UserDefTwo_base(two))->integer, ==, 42);
    two->string = g_strdup("s");
    two->dict1 = make_one(1, "one");
    /* g_autoptr frees everything through qapi_free_UserDefTwo (checked by ASan). */
    qapi_free_UserDefTwo(NULL);
    qapi_free_UserDefOneList(NULL);
}

static void test_struct_output(void)
{
    g_autoptr(UserDefTwo) two = g_new0(UserDefTwo, 1);
    g_autoptr(QObject) out = NULL;

    two->integer = -7;
    two->string = g_strdup("two");
    two->has_enum1 = true;
    two->enum1 = ENUM_ONE_VALUE3;
    two->dict1 = make_one(1, "one");
    two->has_dict2 = false;
    two->dict2 = NULL;
    TO_QOBJECT(UserDefTwo, two, out);
    assert_qobject_json(out, "{'integer': -7, 'string': 'two', 'enum1': 'value3',"
                        " 'dict1': {'integer': 1, 'string': 'one'}}");
}

static void test_struct_input(void)
{
    g_autoptr(QObject) in = from_json("{'integer': 5, 'string': 's', 'dict1':"
                                      " {'integer': 1, 'string': 'one', 'enum1': 'value1'},"
                                      " 'dict2': {'integer': 9}}");
    g_autoptr(UserDefTwo) two = NULL;
    GError *err = NULL;

    FROM_QOBJECT(UserDefTwo, in, two, &err);
    g_assert_no_error(err);
    g_assert_cmpint(two->integer, ==, 5);
    g_assert_cmpstr(two->string, ==, "s");
    g_assert_false(two->has_enum1);
    g_assert_cmpint(two->dict1->integer, ==, 1);
    g_assert_true(two->dict1->has_enum1);
    g_assert_cmpint(two->dict1->enum1, ==, ENUM_ONE_VALUE1);
    g_assert_true(two->has_dict2);
    g_assert_cmpint(two->dict2->integer, ==, 9);
}

static void test_struct_input_errors(void)
{
    ASSERT_INPUT_FAILS(UserDefTwo, "{'integer': 5, 'string': 's'}",
                       "Parameter 'dict1' is missing");
    ASSERT_INPUT_FAILS(UserDefTwo, "{'integer': 5, 'string': 's', 'dict1':"
                       " {'integer': 1, 'string': 'one', 'zzz': 1}}",
                       "Parameter 'dict1.zzz' is unexpected");
    ASSERT_INPUT_FAILS(UserDefOne, "{'integer': 'x', 'string': 's'}",
                       "Invalid parameter type for 'integer', expected: integer");
    ASSERT_INPUT_FAILS(UserDefOne, "{'integer': 1, 'string': 's', 'enum1': 'value9'}",
                       "Parameter 'enum1' does not accept value 'value9'");
    ASSERT_INPUT_FAILS(UserDefOne, "[1]", "Invalid parameter type for '<anonymous>', expected: object");
    ASSERT_INPUT_FAILS(AllScalars, "{'i': 0, 'i8': 128, 'i16': 0, 'i32': 0, 'i64': 0,"
                       " 'u8': 0, 'u16': 0, 'u32': 0, 'u64': 0, 'sz': 0, 'b': true,"
                       " 'n': 0, 's': '', 'x-exp': false, '__org.numbat_ext': ''}",
                       "Parameter 'i8' expects int8_t");
}

static void test_scalars_round_trip(void)
{
    ASSERT_ROUND_TRIP(AllScalars,
                      "{'i': -9223372036854775808, 'i8': -128, 'i16': 32767,"
                      " 'i32': -2147483648, 'i64': 9223372036854775807, 'u8': 255,"
                      " 'u16': 65535, 'u32': 4294967295, 'u64': 18446744073709551615,"
                      " 'sz': 1073741824, 'b': true, 'n': 1.5, 's': 'text',"
                      " 'a': {'any': [1, 'x', null]}, 'nl': null, 'default': 3,"
                      " 'case': 'c', 'x-exp': false, '__org.numbat_ext': 'ext'}");
    ASSERT_ROUND_TRIP(AllScalars,
                      "{'i': 0, 'i8': 0, 'i16': 0, 'i32': 0, 'i64': 0, 'u8': 0,"
                      " 'u16': 0, 'u32': 0, 'u64': 0, 'sz': 0, 'b': false, 'n': -0.25,"
                      " 's': '', 'x-exp': true, '__org.numbat_ext': ''}");
}

static void test_keyword_members(void)
{
    g_autoptr(QObject) in = from_json("{'i': 0, 'i8': 0, 'i16': 0, 'i32': 0, 'i64': 0,"
                                      " 'u8': 0, 'u16': 0, 'u32': 0, 'u64': 0, 'sz': 0,"
                                      " 'b': false, 'n': 0, 's': '', 'default': 12,"
                                      " 'case': 'k', 'x-exp': true,"
                                      " '__org.numbat_ext': 'e'}");
    g_autoptr(AllScalars) s = NULL;
    GError *err = NULL;

    FROM_QOBJECT(AllScalars, in, s, &err);
    g_assert_no_error(err);
    g_assert_true(s->has_q_default);
    g_assert_cmpint(s->q_default, ==, 12);
    g_assert_cmpstr(s->q_case, ==, "k");
    g_assert_true(s->x_exp);
    g_assert_cmpstr(s->__org_numbat_ext, ==, "e");
    g_assert_false(s->has_a);
}

static void test_lists_round_trip(void)
{
    ASSERT_ROUND_TRIP(AllLists, "{}");
    ASSERT_ROUND_TRIP(AllLists,
                      "{'ints': [1, -2, 3], 'u16s': [0, 65535], 'strs': ['a', ''],"
                      " 'sizes': [18446744073709551615], 'bools': [true, false],"
                      " 'nums': [0.5], 'anys': [{}, [], 'x'], 'enums': ['value1', 'value-4'],"
                      " 'ones': [{'integer': 1, 'string': 'a'}], 'empties': [{}, {}]}");
    ASSERT_ROUND_TRIP(AllLists, "{'ints': [], 'ones': []}");
    ASSERT_INPUT_FAILS(AllLists, "{'u16s': [1, 65536]}", "Parameter 'null' expects uint16_t" /* as QEMU: list elements have no name */);
    ASSERT_INPUT_FAILS(AllLists, "{'ones': [{'integer': 1}]}",
                       "Parameter 'ones[0].string' is missing");
}

static void test_list_c_shape(void)
{
    g_autoptr(QObject) in = from_json("{'ints': [4, 5], 'strs': ['x'], 'enums': ['value2']}");
    g_autoptr(AllLists) l = NULL;
    GError *err = NULL;

    FROM_QOBJECT(AllLists, in, l, &err);
    g_assert_no_error(err);
    g_assert_true(l->has_ints);
    g_assert_cmpint(l->ints->value, ==, 4);
    g_assert_cmpint(l->ints->next->value, ==, 5);
    g_assert_null(l->ints->next->next);
    g_assert_cmpstr(l->strs->value, ==, "x");
    g_assert_cmpint(l->enums->value, ==, ENUM_ONE_VALUE2);
    g_assert_false(l->has_ones);
}

static void test_recursive_struct(void)
{
    ASSERT_ROUND_TRIP(TreeNode, "{'name': 'root', 'children': [{'name': 'a'},"
                      " {'name': 'b', 'children': [{'name': 'c', 'parent': {'name': 'x'}}]}]}");
}

/* ---------------------------------------------------------------- unions */

static void test_flat_union_input(void)
{
    g_autoptr(QObject) in1 = from_json("{'enum1': 'value1', 'common': 'c', 'boolean': true,"
                                       " 'a-b': 3}");
    g_autoptr(QObject) in2 = from_json("{'enum1': 'value2', 'integer': 8, 'intb': 9}");
    g_autoptr(QObject) in3 = from_json("{'enum1': 'value3'}");
    g_autoptr(UserDefFlatUnion) u1 = NULL;
    g_autoptr(UserDefFlatUnion) u2 = NULL;
    g_autoptr(UserDefFlatUnion) u3 = NULL;
    GError *err = NULL;

    FROM_QOBJECT(UserDefFlatUnion, in1, u1, &err);
    g_assert_no_error(err);
    g_assert_cmpint(u1->enum1, ==, ENUM_ONE_VALUE1);
    g_assert_cmpstr(u1->common, ==, "c");
    g_assert_true(u1->u.value1.boolean);
    g_assert_true(u1->u.value1.has_a_b);
    g_assert_cmpint(u1->u.value1.a_b, ==, 3);

    FROM_QOBJECT(UserDefFlatUnion, in2, u2, &err);
    g_assert_no_error(err);
    g_assert_false(u2->has_common);
    g_assert_cmpint(u2->u.value2.integer, ==, 8);   /* member of the branch's base */
    g_assert_cmpint(u2->u.value2.intb, ==, 9);

    FROM_QOBJECT(UserDefFlatUnion, in3, u3, &err);  /* a value without a branch */
    g_assert_no_error(err);
    g_assert_cmpint(u3->enum1, ==, ENUM_ONE_VALUE3);
}

static void test_flat_union_round_trip(void)
{
    ASSERT_ROUND_TRIP(UserDefFlatUnion, "{'enum1': 'value1', 'boolean': false}");
    ASSERT_ROUND_TRIP(UserDefFlatUnion, "{'enum1': 'value2', 'common': 'x', 'integer': -1,"
                      " 'intb': 2}");
    ASSERT_ROUND_TRIP(UserDefFlatUnion, "{'enum1': 'value3', 'common': 'only base'}");
    ASSERT_ROUND_TRIP(UserDefFlatUnion, "{'enum1': 'value-4'}");
    ASSERT_ROUND_TRIP(NamedBaseUnion, "{'kind': 'node', 'extra': 'e', 'boolean': true}");
    ASSERT_ROUND_TRIP(NamedBaseUnion, "{'kind': '1st', 'extra': 'e', 'member': 'm'}");
    ASSERT_ROUND_TRIP(NamedBaseUnion, "{'kind': 'default', 'extra': ''}");
}

static void test_flat_union_errors(void)
{
    ASSERT_INPUT_FAILS(UserDefFlatUnion, "{'boolean': true}", "Parameter 'enum1' is missing");
    ASSERT_INPUT_FAILS(UserDefFlatUnion, "{'enum1': 'value7'}",
                       "Parameter 'enum1' does not accept value 'value7'");
    ASSERT_INPUT_FAILS(UserDefFlatUnion, "{'enum1': 'value1'}",
                       "Parameter 'boolean' is missing");
    /* A member of another branch is unexpected in this one. */
    ASSERT_INPUT_FAILS(UserDefFlatUnion, "{'enum1': 'value3', 'intb': 1}",
                       "Parameter 'intb' is unexpected");
    ASSERT_INPUT_FAILS(NamedBaseUnion, "{'kind': 'node', 'boolean': true}",
                       "Parameter 'extra' is missing");
}

static void test_union_output_from_c(void)
{
    g_autoptr(NamedBaseUnion) u = g_new0(NamedBaseUnion, 1);
    g_autoptr(QObject) out = NULL;

    u->kind = NUMA_OPTIONS_TYPE_LIKE_1ST;
    u->extra = g_strdup("e");
    u->u.q_1st.member = g_strdup("m");
    TO_QOBJECT(NamedBaseUnion, u, out);
    assert_qobject_json(out, "{'kind': '1st', 'extra': 'e', 'member': 'm'}");
}

/* ---------------------------------------------------------------- commands */

typedef struct TestState {
    int calls;
    char *last_sub;
    char *last_ud1a;
} TestState;

static TestState *state_of(SysEmu *se)
{
    return (TestState *)se;
}

void qmp_user_def_cmd(SysEmu *se, GError **errp)
{
    state_of(se)->calls++;
}

void qmp_user_def_cmd1(SysEmu *se, UserDefOne *ud1a, GError **errp)
{
    g_free(state_of(se)->last_ud1a);
    state_of(se)->last_ud1a = g_strdup(ud1a->string);
}

UserDefTwo *qmp_user_def_cmd2(SysEmu *se, UserDefOne *ud1a, bool has_ud1b, UserDefOne *ud1b,
                              bool has_flag, bool flag, bool has_s, const char *s,
                              bool has_e, EnumOne e, bool has_l, intList *l, GError **errp)
{
    UserDefTwo *two;
    int64_t sum = 0;

    if (has_flag && flag) {
        error_set(errp, NB_ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  has_s ? s : "?");
        return NULL;
    }
    for (; has_l && l; l = l->next) {
        sum += l->value;
    }
    two = g_new0(UserDefTwo, 1);
    two->integer = ud1a->integer + sum;
    two->string = g_strdup(has_s ? s : "none");
    two->has_enum1 = has_e;
    two->enum1 = e;
    two->dict1 = make_one(ud1a->integer, ud1a->string);
    if (has_ud1b) {
        two->has_dict2 = true;
        two->dict2 = g_new0(UserDefZero, 1);
        two->dict2->integer = ud1b->integer;
    }
    return two;
}

UserDefOneList *qmp_user_def_cmd_named_args(SysEmu *se, int64_t integer, const char *string,
                                            bool has_enum1, EnumOne enum1, GError **errp)
{
    UserDefOneList *head = g_new0(UserDefOneList, 1);

    head->value = make_one(integer, string);
    head->value->has_enum1 = has_enum1;
    head->value->enum1 = enum1;
    head->next = g_new0(UserDefOneList, 1);
    head->next->value = make_one(integer + 1, "next");
    return head;
}

UserDefFlatUnion *qmp_user_def_cmd_boxed(SysEmu *se, UserDefFlatUnion *arg, GError **errp)
{
    UserDefFlatUnion *copy = NULL;
    g_autoptr(QObject) q = NULL;
    Visitor *v;

    /* A deep copy through the visitors: output then input. */
    TO_QOBJECT(UserDefFlatUnion, arg, q);
    v = qobject_input_visitor_new(q);
    visit_type_UserDefFlatUnion(v, NULL, &copy, errp);
    visit_free(v);
    if (copy && copy->has_common) {
        g_free(copy->common);
        copy->common = g_strdup("copied");
    }
    return copy;
}

int64_t qmp_guest_get_time(SysEmu *se, int64_t a, bool has_b, int64_t b, GError **errp)
{
    return a + (has_b ? b : 0);
}

QObject *qmp_user_def_cmd_any(SysEmu *se, bool has_arg, QObject *arg, GError **errp)
{
    return has_arg ? qobject_ref(arg) : NULL;
}

EnumOne qmp_user_def_cmd_enum(SysEmu *se, GError **errp)
{
    return ENUM_ONE_VALUE_4;
}

intList *qmp_user_def_cmd_ints(SysEmu *se, GError **errp)
{
    intList *head = NULL;

    for (int i = 3; i > 0; i--) {
        intList *node = g_new0(intList, 1);
        node->value = i * 10;
        node->next = head;
        head = node;
    }
    return head;
}

void qmp_x_user_def_cmd_oob(SysEmu *se, GError **errp)
{
}

void qmp_sub_cmd(SysEmu *se, SubStruct *sub, GError **errp)
{
    g_free(state_of(se)->last_sub);
    state_of(se)->last_sub = g_strdup(sub->member);
}

typedef struct DispatchFixture {
    QmpCommandList *cmds;
    TestState state;
} DispatchFixture;

static void fixture_setup(DispatchFixture *f, gconstpointer data)
{
    f->cmds = qmp_command_list_new();
    test_qmp_init_marshal(f->cmds);
    memset(&f->state, 0, sizeof(f->state));
}

static void fixture_teardown(DispatchFixture *f, gconstpointer data)
{
    qmp_command_list_free(f->cmds);
    g_free(f->state.last_sub);
    g_free(f->state.last_ud1a);
}

/* Dispatch one request given as JSON text; compare the response's exact JSON text. */
static void check_dispatch_mode(DispatchFixture *f, const char *request, bool preconfig,
                                const char *expected)
{
    g_autoptr(QObject) req = from_json(request);
    g_autoptr(QDict) rsp = qmp_dispatch(f->cmds, req, (SysEmu *)&f->state, preconfig);
    g_autofree char *text = qobject_to_json(QOBJECT(rsp));

    g_assert_cmpstr(text, ==, expected);
}

static void check_dispatch(DispatchFixture *f, const char *request, const char *expected)
{
    check_dispatch_mode(f, request, false, expected);
}

static void test_registry(DispatchFixture *f, gconstpointer data)
{
    const QmpCommand *cmd;

    g_assert_cmpuint(qmp_command_count(f->cmds), ==, 11);   /* 12 commands, one 'gen': false */
    g_assert_cmpstr(qmp_command_at(f->cmds, 0)->name, ==, "user-def-cmd");
    g_assert_cmpstr(qmp_command_at(f->cmds, 10)->name, ==, "sub-cmd");
    g_assert_null(qmp_command_at(f->cmds, 11));
    g_assert_null(qmp_find_command(f->cmds, "user-def-cmd-hand"));
    cmd = qmp_find_command(f->cmds, "user-def-cmd-named-args");
    g_assert_nonnull(cmd);
    g_assert_true(cmd->fn == qmp_marshal_user_def_cmd_named_args);
    g_assert_cmpint(cmd->options, ==, QCO_ALLOW_PRECONFIG);
    g_assert_cmpint(qmp_find_command(f->cmds, "user-def-cmd")->options, ==, QCO_NO_OPTIONS);
    /* Registering again replaces in place. */
    qmp_register_command(f->cmds, "user-def-cmd", qmp_marshal_x_user_def_cmd_oob,
                         QCO_ALLOW_PRECONFIG);
    g_assert_cmpuint(qmp_command_count(f->cmds), ==, 11);
    g_assert_true(qmp_command_at(f->cmds, 0)->fn == qmp_marshal_x_user_def_cmd_oob);
    g_assert_null(qmp_find_command(f->cmds, "no-such"));
}

static void test_dispatch_good(DispatchFixture *f, gconstpointer data)
{
    check_dispatch(f, "{'execute': 'user-def-cmd'}", "{\"return\": {}}");
    check_dispatch(f, "{'execute': 'user-def-cmd', 'arguments': {}, 'id': 'abc'}",
                   "{\"return\": {}, \"id\": \"abc\"}");
    check_dispatch(f, "{'id': [1, {'x': null}], 'execute': 'user-def-cmd'}",
                   "{\"return\": {}, \"id\": [1, {\"x\": null}]}");
    g_assert_cmpint(f->state.calls, ==, 3);
    check_dispatch(f, "{'execute': 'user-def-cmd1', 'arguments':"
                   " {'ud1a': {'integer': 1, 'string': 'hello'}}}", "{\"return\": {}}");
    g_assert_cmpstr(f->state.last_ud1a, ==, "hello");
    check_dispatch(f, "{'execute': 'user-def-cmd2', 'arguments':"
                   " {'ud1a': {'integer': 10, 'string': 'a'}, 'l': [1, 2],"
                   " 'ud1b': {'integer': 3, 'string': 'b'}, 's': 'str', 'e': 'value2'}}",
                   "{\"return\": {\"integer\": 13, \"string\": \"str\", \"enum1\": \"value2\","
                   " \"dict1\": {\"integer\": 10, \"string\": \"a\"},"
                   " \"dict2\": {\"integer\": 3}}}");
    check_dispatch(f, "{'execute': 'user-def-cmd-named-args', 'arguments':"
                   " {'integer': 4, 'string': 's', 'enum1': 'value1'}}",
                   "{\"return\": [{\"integer\": 4, \"string\": \"s\", \"enum1\": \"value1\"},"
                   " {\"integer\": 5, \"string\": \"next\"}]}");
    check_dispatch(f, "{'execute': 'guest-get-time', 'arguments': {'a': 40, 'b': 2}}",
                   "{\"return\": 42}");
    check_dispatch(f, "{'execute': 'user-def-cmd-any', 'arguments': {'arg': [1, 'two']}}",
                   "{\"return\": [1, \"two\"]}");
    check_dispatch(f, "{'execute': 'user-def-cmd-any'}", "{\"return\": {}}");
    check_dispatch(f, "{'execute': 'user-def-cmd-enum'}", "{\"return\": \"value-4\"}");
    check_dispatch(f, "{'execute': 'user-def-cmd-ints'}", "{\"return\": [10, 20, 30]}");
    check_dispatch(f, "{'execute': 'sub-cmd', 'arguments': {'sub': {'member': 'm'}}}",
                   "{\"return\": {}}");
    g_assert_cmpstr(f->state.last_sub, ==, "m");
}

static void test_dispatch_boxed(DispatchFixture *f, gconstpointer data)
{
    check_dispatch(f, "{'execute': 'user-def-cmd-boxed', 'arguments':"
                   " {'enum1': 'value2', 'common': 'c', 'integer': 1, 'intb': 2}}",
                   "{\"return\": {\"enum1\": \"value2\", \"common\": \"copied\","
                   " \"integer\": 1, \"intb\": 2}}");
    check_dispatch(f, "{'execute': 'user-def-cmd-boxed', 'arguments': {'enum1': 'value3'}}",
                   "{\"return\": {\"enum1\": \"value3\"}}");
    check_dispatch(f, "{'execute': 'user-def-cmd-boxed', 'arguments':"
                   " {'enum1': 'value1', 'boolean': true, 'intb': 2}}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"Parameter 'intb' is unexpected\"}}");
}

static void test_dispatch_bad_requests(DispatchFixture *f, gconstpointer data)
{
    check_dispatch(f, "[]", "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input must be a JSON object\"}}");
    check_dispatch(f, "'execute'", "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input must be a JSON object\"}}");
    check_dispatch(f, "{}", "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input lacks member 'execute'\"}}");
    check_dispatch(f, "{'arguments': {}, 'id': 1}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input lacks member 'execute'\"}, \"id\": 1}");
    check_dispatch(f, "{'execute': 1}", "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input member 'execute' must be a string\"}}");
    check_dispatch(f, "{'execute': 'user-def-cmd', 'arguments': [], 'id': 'x'}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input member 'arguments' must be an object\"},"
                   " \"id\": \"x\"}");
    check_dispatch(f, "{'execute': 'user-def-cmd', 'foo': 1}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input member 'foo' is unexpected\"}}");
    check_dispatch(f, "{'exec-oob': 'user-def-cmd'}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"QMP input member 'exec-oob' is unexpected\"}}");
    check_dispatch(f, "{'execute': 'no-such-command', 'id': 2}",
                   "{\"error\": {\"class\": \"CommandNotFound\","
                   " \"desc\": \"The command no-such-command has not been found\"}, \"id\": 2}");
    check_dispatch(f, "{'execute': 'user-def-cmd-hand'}",
                   "{\"error\": {\"class\": \"CommandNotFound\","
                   " \"desc\": \"The command user-def-cmd-hand has not been found\"}}");
    g_assert_cmpint(f->state.calls, ==, 0);
}

static void test_dispatch_bad_arguments(DispatchFixture *f, gconstpointer data)
{
    check_dispatch(f, "{'execute': 'user-def-cmd', 'arguments': {'x': 1}}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"Parameter 'x' is unexpected\"}}");
    check_dispatch(f, "{'execute': 'guest-get-time', 'arguments': {'b': 1}}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"Parameter 'a' is missing\"}}");
    check_dispatch(f, "{'execute': 'guest-get-time', 'arguments': {'a': 'x'}}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"Invalid parameter type for 'a', expected: integer\"}}");
    check_dispatch(f, "{'execute': 'guest-get-time', 'arguments': {'a': 1, 'c': 2}}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"Parameter 'c' is unexpected\"}}");
    check_dispatch(f, "{'execute': 'user-def-cmd2', 'arguments':"
                   " {'ud1a': {'integer': 1}, 'l': [1]}}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"Parameter 'ud1a.string' is missing\"}}");
    check_dispatch(f, "{'execute': 'user-def-cmd2', 'arguments':"
                   " {'ud1a': {'integer': 1, 'string': 's'}, 'l': [1, 'x']}}",
                   "{\"error\": {\"class\": \"GenericError\","
                   " \"desc\": \"Invalid parameter type for 'l[1]', expected: integer\"}}");
    /* The handler's own error, with its class. */
    check_dispatch(f, "{'execute': 'user-def-cmd2', 'id': 5, 'arguments':"
                   " {'ud1a': {'integer': 1, 'string': 's'}, 'flag': true, 's': 'dev0'}}",
                   "{\"error\": {\"class\": \"DeviceNotFound\","
                   " \"desc\": \"Device 'dev0' not found\"}, \"id\": 5}");
}

static void test_dispatch_preconfig(DispatchFixture *f, gconstpointer data)
{
    check_dispatch_mode(f, "{'execute': 'user-def-cmd', 'id': 1}", true,
                        "{\"error\": {\"class\": \"GenericError\", \"desc\":"
                        " \"The command 'user-def-cmd' is permitted only after machine"
                        " initialization has completed\"}, \"id\": 1}");
    g_assert_cmpint(f->state.calls, ==, 0);
    check_dispatch_mode(f, "{'execute': 'sub-cmd', 'arguments': {'sub': {'member': 'p'}}}",
                        true, "{\"return\": {}}");
    g_assert_cmpstr(f->state.last_sub, ==, "p");
    check_dispatch_mode(f, "{'execute': 'no-such'}", true,
                        "{\"error\": {\"class\": \"CommandNotFound\","
                        " \"desc\": \"The command no-such has not been found\"}}");
}

static void test_marshal_direct(DispatchFixture *f, gconstpointer data)
{
    QObject *ret = NULL;
    GError *err = NULL;
    g_autoptr(QDict) args = qdict_new();

    /* NULL arguments mean an empty dict. */
    qmp_marshal_user_def_cmd((SysEmu *)&f->state, NULL, &ret, &err);
    g_assert_no_error(err);
    g_assert_null(ret);
    g_assert_cmpint(f->state.calls, ==, 1);
    qmp_marshal_guest_get_time((SysEmu *)&f->state, NULL, &ret, &err);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, "Parameter 'a' is missing");
    g_clear_error(&err);
    g_assert_null(ret);
    qdict_put_int(args, "a", 7);
    qmp_marshal_guest_get_time((SysEmu *)&f->state, args, &ret, &err);
    g_assert_no_error(err);
    assert_qobject_json(ret, "7");
    qobject_unref(ret);
    /* The marshaller does not consume the caller's reference. */
    g_assert_cmpint(qdict_size(args), ==, 1);
}

static void test_error_response(void)
{
    GError *err = NULL;
    g_autoptr(QDict) rsp = NULL;
    g_autofree char *text = NULL;

    error_set(&err, NB_ERROR_CLASS_COMMAND_NOT_FOUND, "gone");
    rsp = qmp_error_response(err);   /* takes ownership of err */
    text = qobject_to_json(QOBJECT(rsp));
    g_assert_cmpstr(text, ==, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"gone\"}}");
}

/* ---------------------------------------------------------------- introspection */

static QDict *find_entry(QList *schema, const char *name)
{
    for (size_t i = 0; i < qlist_size(schema); i++) {
        QDict *e = qobject_to_qdict(qlist_get(schema, i));
        g_assert_nonnull(e);
        if (!g_strcmp0(qdict_get_try_str(e, "name"), name)) {
            return e;
        }
    }
    return NULL;
}

static QDict *find_type_of(QList *schema, QDict *entry, const char *key)
{
    const char *name = qdict_get_try_str(entry, key);
    g_assert_nonnull(name);
    return find_entry(schema, name);
}

/* The type name of member @member of object entry @obj. */
static const char *member_type(QDict *obj, const char *member)
{
    QList *members = qdict_get_qlist(obj, "members");

    g_assert_nonnull(members);
    for (size_t i = 0; i < qlist_size(members); i++) {
        QDict *m = qobject_to_qdict(qlist_get(members, i));
        if (!g_strcmp0(qdict_get_try_str(m, "name"), member)) {
            return qdict_get_try_str(m, "type");
        }
    }
    g_assert_not_reached();
    return NULL;
}

static void test_introspect_shape(void)
{
    g_autoptr(QObject) obj = test_qmp_schema_qobject();
    QList *schema = qobject_to_qlist(obj);
    QDict *cmd, *args, *ret, *one, *oob;
    g_autofree char *want_args = NULL;
    g_autofree char *want_one = NULL;
    g_autofree char *want_oob = NULL;
    g_autofree char *want_enum = NULL;
    const char *one_t, *enum_t;

    g_assert_nonnull(schema);
    cmd = find_entry(schema, "user-def-cmd2");
    g_assert_nonnull(cmd);
    g_assert_cmpstr(qdict_get_try_str(cmd, "meta-type"), ==, "command");
    args = find_type_of(schema, cmd, "arg-type");
    g_assert_nonnull(args);
    one_t = member_type(args, "ud1a");
    enum_t = member_type(args, "e");
    want_args = g_strdup_printf(
        "{'name': '%s', 'meta-type': 'object', 'members': ["
        "{'name': 'ud1a', 'type': '%s'},"
        "{'name': 'ud1b', 'type': '%s', 'default': null},"
        "{'name': 'flag', 'type': 'bool', 'default': null},"
        "{'name': 's', 'type': 'str', 'default': null},"
        "{'name': 'e', 'type': '%s', 'default': null},"
        "{'name': 'l', 'type': '[int]', 'default': null}]}",
        qdict_get_try_str(cmd, "arg-type"), one_t, one_t, enum_t);
    assert_qobject_json(QOBJECT(args), want_args);

    /* UserDefOne, with its base's member first */
    one = find_entry(schema, one_t);
    g_assert_nonnull(one);
    want_one = g_strdup_printf("{'name': '%s', 'meta-type': 'object', 'members': ["
                               "{'name': 'integer', 'type': 'int'},"
                               "{'name': 'string', 'type': 'str'},"
                               "{'name': 'enum1', 'type': '%s', 'default': null}]}",
                               one_t, enum_t);
    assert_qobject_json(QOBJECT(one), want_one);

    ret = find_type_of(schema, cmd, "ret-type");
    g_assert_nonnull(ret);
    g_assert_cmpstr(qdict_get_try_str(ret, "meta-type"), ==, "object");
    g_assert_cmpstr(member_type(ret, "dict1"), ==, one_t);
    want_enum = g_strdup_printf("{'name': '%s', 'meta-type': 'enum', 'members':"
                                " [{'name': 'value1'}, {'name': 'value2'}, {'name': 'value3'},"
                                " {'name': 'value-4'}],"
                                " 'values': ['value1', 'value2', 'value3', 'value-4']}", enum_t);
    assert_qobject_json(QOBJECT(find_entry(schema, enum_t)), want_enum);
    assert_qobject_json(QOBJECT(find_entry(schema, "[int]")),
                        "{'name': '[int]', 'meta-type': 'array', 'element-type': 'int'}");
    assert_qobject_json(QOBJECT(find_entry(schema, "int")),
                        "{'name': 'int', 'meta-type': 'builtin', 'json-type': 'int'}");
    assert_qobject_json(QOBJECT(find_entry(schema, "any")),
                        "{'name': 'any', 'meta-type': 'builtin', 'json-type': 'value'}");
    g_assert_cmpstr(qdict_get_try_str(find_entry(schema, "guest-get-time"), "ret-type"), ==,
                    "int");
    g_assert_cmpstr(qdict_get_try_str(find_entry(schema, "user-def-cmd-ints"), "ret-type"), ==,
                    "[int]");

    /* Commands without arguments or result use the empty object type. */
    oob = find_entry(schema, "x-user-def-cmd-oob");
    want_oob = g_strdup_printf("{'name': 'x-user-def-cmd-oob', 'meta-type': 'command',"
                               " 'arg-type': '%s', 'ret-type': '%s', 'allow-oob': true,"
                               " 'features': ['unstable']}",
                               qdict_get_try_str(oob, "arg-type"),
                               qdict_get_try_str(oob, "arg-type"));
    assert_qobject_json(QOBJECT(oob), want_oob);
    assert_qobject_json(qdict_get(find_type_of(schema, oob, "arg-type"), "members"), "[]");
    /* 'gen': false commands are still part of the schema. */
    g_assert_nonnull(find_entry(schema, "user-def-cmd-hand"));
}

static void test_introspect_union_and_events(void)
{
    g_autoptr(QObject) obj = test_qmp_schema_qobject();
    QList *schema = qobject_to_qlist(obj);
    QDict *cmd = find_entry(schema, "user-def-cmd-boxed");
    QDict *u = find_type_of(schema, cmd, "arg-type");
    QList *variants = qdict_get_qlist(u, "variants");
    QDict *ev = find_entry(schema, "EVENT_B");
    QDict *evargs;
    g_autofree char *want = NULL;

    g_assert_cmpstr(qdict_get_try_str(u, "tag"), ==, "enum1");
    g_assert_cmpuint(qlist_size(variants), ==, 4);
    /* value3 has no branch: it maps to the empty object type */
    for (size_t i = 0; i < qlist_size(variants); i++) {
        QDict *var = qobject_to_qdict(qlist_get(variants, i));
        if (!g_strcmp0(qdict_get_try_str(var, "case"), "value3")) {
            QDict *empty = find_type_of(schema, var, "type");
            assert_qobject_json(qdict_get(empty, "members"), "[]");
        }
    }
    g_assert_cmpstr(qdict_get_try_str(ev, "meta-type"), ==, "event");
    evargs = find_type_of(schema, ev, "arg-type");
    want = g_strdup_printf("[{'name': 'a', 'type': 'int'},"
                           " {'name': 'b', 'type': '%s', 'default': null}]",
                           member_type(find_type_of(schema, find_entry(schema, "user-def-cmd2"),
                                                    "arg-type"), "ud1a"));
    assert_qobject_json(qdict_get(evargs, "members"), want);
    g_assert_nonnull(find_entry(schema, "EVENT_A"));
    g_assert_nonnull(find_entry(schema, "EVENT_C"));
}

static void test_introspect_masking(void)
{
    g_autoptr(QObject) obj = test_qmp_schema_qobject();
    QList *schema = qobject_to_qlist(obj);
    static const char *const builtin[] = { "int", "str", "bool", "number", "any", "null",
                                           NULL };

    for (size_t i = 0; i < qlist_size(schema); i++) {
        QDict *e = qobject_to_qdict(qlist_get(schema, i));
        const char *meta = qdict_get_try_str(e, "meta-type");
        const char *name = qdict_get_try_str(e, "name");

        if (!strcmp(meta, "builtin")) {
            /* Integer types all appear as 'int'. */
            g_assert_true(g_strv_contains(builtin, name));
        } else if (!strcmp(meta, "enum") || !strcmp(meta, "object")) {
            g_assert_true(g_ascii_isdigit(name[0]));
        }
    }
    g_assert_null(find_entry(schema, "UserDefOne"));
    g_assert_null(find_entry(schema, "uint16"));
    /* Types no command or event uses are left out. */
    g_assert_null(find_entry(schema, "AllScalars"));
}

static void test_introspect_main_schema(void)
{
    g_autoptr(QObject) obj = qmp_schema_qobject();
    QList *schema = qobject_to_qlist(obj);
    QDict *version, *info;
    QObject *ret = NULL;
    GError *err = NULL;
    g_autoptr(QDict) args = qdict_new();

    g_assert_nonnull(schema);
    version = find_entry(schema, "query-version");
    g_assert_nonnull(version);
    g_assert_nonnull(find_entry(schema, "qmp_capabilities"));
    g_assert_nonnull(find_entry(schema, "query-qmp-schema"));
    info = find_type_of(schema, version, "ret-type");
    g_assert_cmpstr(member_type(info, "package"), ==, "str");
    assert_qobject_json(qdict_get(find_entry(schema, member_type(info, "qemu")), "members"),
                        "[{'name': 'major', 'type': 'int'}, {'name': 'minor', 'type': 'int'},"
                        " {'name': 'micro', 'type': 'int'}]");

    qmp_marshal_query_qmp_schema(NULL, NULL, &ret, &err);
    g_assert_no_error(err);
    g_assert_true(qobject_is_equal(ret, obj));
    qobject_unref(ret);
    ret = NULL;
    qdict_put_int(args, "x", 1);
    qmp_marshal_query_qmp_schema(NULL, args, &ret, &err);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, "Parameter 'x' is unexpected");
    g_assert_null(ret);
    g_error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qapi-gen/enum/names", test_enum_names);
    g_test_add_func("/qapi-gen/enum/visit", test_enum_visit);
    g_test_add_func("/qapi-gen/struct/layout", test_struct_layout);
    g_test_add_func("/qapi-gen/struct/output", test_struct_output);
    g_test_add_func("/qapi-gen/struct/input", test_struct_input);
    g_test_add_func("/qapi-gen/struct/input-errors", test_struct_input_errors);
    g_test_add_func("/qapi-gen/struct/scalars-round-trip", test_scalars_round_trip);
    g_test_add_func("/qapi-gen/struct/keyword-members", test_keyword_members);
    g_test_add_func("/qapi-gen/struct/recursive", test_recursive_struct);
    g_test_add_func("/qapi-gen/list/round-trip", test_lists_round_trip);
    g_test_add_func("/qapi-gen/list/c-shape", test_list_c_shape);
    g_test_add_func("/qapi-gen/union/input", test_flat_union_input);
    g_test_add_func("/qapi-gen/union/round-trip", test_flat_union_round_trip);
    g_test_add_func("/qapi-gen/union/errors", test_flat_union_errors);
    g_test_add_func("/qapi-gen/union/output-from-c", test_union_output_from_c);
#define ADD_DISPATCH(path, fn) \
    g_test_add(path, DispatchFixture, NULL, fixture_setup, fn, fixture_teardown)
    ADD_DISPATCH("/qapi-gen/dispatch/registry", test_registry);
    ADD_DISPATCH("/qapi-gen/dispatch/good", test_dispatch_good);
    ADD_DISPATCH("/qapi-gen/dispatch/boxed", test_dispatch_boxed);
    ADD_DISPATCH("/qapi-gen/dispatch/bad-requests", test_dispatch_bad_requests);
    ADD_DISPATCH("/qapi-gen/dispatch/bad-arguments", test_dispatch_bad_arguments);
    ADD_DISPATCH("/qapi-gen/dispatch/preconfig", test_dispatch_preconfig);
    ADD_DISPATCH("/qapi-gen/dispatch/marshal-direct", test_marshal_direct);
    g_test_add_func("/qapi-gen/dispatch/error-response", test_error_response);
    g_test_add_func("/qapi-gen/introspect/shape", test_introspect_shape);
    g_test_add_func("/qapi-gen/introspect/union-and-events", test_introspect_union_and_events);
    g_test_add_func("/qapi-gen/introspect/masking", test_introspect_masking);
    g_test_add_func("/qapi-gen/introspect/main-schema", test_introspect_main_schema);
    return g_test_run();
}
