/* Unit tests for qobject/: reference counts, QNum kinds, QDict order, QList ops, deep equality. */
#include "qobject/qobject.h"

#include <math.h>
#include <stdint.h>

static void test_refcount(void)
{
    QString *qs = qstring_from_str("abc");
    g_assert_cmpuint(QOBJECT(qs)->refcnt, ==, 1);
    g_assert(qobject_ref(QOBJECT(qs)) == QOBJECT(qs));
    g_assert_cmpuint(QOBJECT(qs)->refcnt, ==, 2);
    qobject_unref(QOBJECT(qs));
    g_assert_cmpuint(QOBJECT(qs)->refcnt, ==, 1);

    /* A dict holding a shared value: the value outlives the dict. */
    QDict *d = qdict_new();
    qdict_put(d, "s", qobject_ref(QOBJECT(qs)));
    g_assert_cmpuint(QOBJECT(qs)->refcnt, ==, 2);
    qobject_unref(QOBJECT(d));
    g_assert_cmpuint(QOBJECT(qs)->refcnt, ==, 1);
    g_assert_cmpstr(qstring_get_str(qs), ==, "abc");
    qobject_unref(QOBJECT(qs));

    g_assert(qobject_ref(NULL) == NULL);
    qobject_unref(NULL);
    g_assert_cmpint(qobject_type(NULL), ==, QTYPE_NONE);
}

static void test_autoptr_and_casts(void)
{
    g_autoptr(QDict) d = qdict_new();
    g_autoptr(QObject) n = QOBJECT(qnull());
    g_assert(qobject_to_qdict(QOBJECT(d)) == d);
    g_assert_null(qobject_to_qlist(QOBJECT(d)));
    g_assert_null(qobject_to_qdict(NULL));
    g_assert_nonnull(qobject_to_qnull(n));
    g_assert_null(qobject_to_qbool(n));
    g_autoptr(QBool) b = qbool_from_bool(true);
    g_assert_true(qbool_get_bool(b));
    g_assert_cmpint(qobject_type(QOBJECT(b)), ==, QTYPE_QBOOL);
}

static void test_qnum_kinds(void)
{
    int64_t i;
    uint64_t u;
    g_autoptr(QNum) a = qnum_from_int(-5);
    g_autoptr(QNum) b = qnum_from_uint(UINT64_MAX);
    g_autoptr(QNum) c = qnum_from_uint(7);
    g_autoptr(QNum) d = qnum_from_double(3.0);

    g_assert_cmpint(qnum_kind(a), ==, QNUM_I64);
    g_assert_true(qnum_get_try_int(a, &i));
    g_assert_cmpint(i, ==, -5);
    g_assert_false(qnum_get_try_uint(a, &u));
    g_assert_cmpint(qnum_kind(b), ==, QNUM_U64);
    g_assert_false(qnum_get_try_int(b, &i));
    g_assert_true(qnum_get_try_uint(b, &u));
    g_assert_cmpuint(u, ==, UINT64_MAX);
    g_assert_true(qnum_get_try_int(c, &i));
    g_assert_cmpint(i, ==, 7);
    g_assert_false(qnum_get_try_int(d, &i)); /* doubles never convert implicitly */
    g_assert_false(qnum_get_try_uint(d, &u));
    g_assert_cmpfloat(qnum_get_double(d), ==, 3.0);
    g_assert_cmpfloat(qnum_get_double(a), ==, -5.0);
}

static void check_num_str(QNum *qn, const char *want)
{
    g_autofree char *s = qnum_to_string(qn);
    g_assert_cmpstr(s, ==, want);
    qobject_unref(QOBJECT(qn));
}

static void test_qnum_to_string(void)
{
    check_num_str(qnum_from_int(INT64_MIN), "-9223372036854775808");
    check_num_str(qnum_from_uint(UINT64_MAX), "18446744073709551615");
    check_num_str(qnum_from_double(0.1), "0.1");
    check_num_str(qnum_from_double(1.0), "1.0");
    check_num_str(qnum_from_double(-0.0), "-0.0");
    check_num_str(qnum_from_double(1e20), "1e+20");
    check_num_str(qnum_from_double(1.0 / 3), "0.3333333333333333");
    check_num_str(qnum_from_double(NAN), "null");
    check_num_str(qnum_from_double(-INFINITY), "null");
}

static bool num_eq(QNum *a, QNum *b)
{
    bool r = qobject_is_equal(QOBJECT(a), QOBJECT(b));
    g_assert(r == qobject_is_equal(QOBJECT(b), QOBJECT(a)));
    qobject_unref(QOBJECT(a));
    qobject_unref(QOBJECT(b));
    return r;
}

static void test_qnum_equal(void)
{
    g_assert_true(num_eq(qnum_from_int(5), qnum_from_uint(5)));
    g_assert_true(num_eq(qnum_from_int(5), qnum_from_double(5.0)));
    g_assert_false(num_eq(qnum_from_int(5), qnum_from_double(5.5)));
    g_assert_false(num_eq(qnum_from_int(-1), qnum_from_uint(UINT64_MAX)));
    /* 2^63-1 is not a double; (double)(2^63-1) == 2^63 must not compare equal. */
    g_assert_false(num_eq(qnum_from_int(INT64_MAX), qnum_from_double(9223372036854775808.0)));
    g_assert_true(num_eq(qnum_from_uint(1ull << 63), qnum_from_double(9223372036854775808.0)));
    g_assert_false(num_eq(qnum_from_uint(UINT64_MAX), qnum_from_double(18446744073709551616.0)));
    g_assert_true(num_eq(qnum_from_int(INT64_MIN), qnum_from_double(-9223372036854775808.0)));
    g_assert_false(num_eq(qnum_from_double(NAN), qnum_from_double(NAN)));
    g_assert_false(num_eq(qnum_from_int(0), qnum_from_double(NAN)));
}

static void test_dict_order_replace_delete(void)
{
    g_autoptr(QDict) d = qdict_new();
    qdict_put_int(d, "z", 1);
    qdict_put_str(d, "a", "x");
    qdict_put_bool(d, "m", true);
    qdict_put_null(d, "n");
    qdict_put_uint(d, "u", UINT64_MAX);
    g_assert_cmpuint(qdict_size(d), ==, 5);
    qdict_put_str(d, "z", "replaced"); /* keeps its first position */
    g_assert_cmpuint(qdict_size(d), ==, 5);
    g_assert_true(qdict_del(d, "m"));
    g_assert_false(qdict_del(d, "m"));
    g_assert_false(qdict_haskey(d, "m"));
    qdict_put_int(d, "m", 2);          /* re-added: goes to the end */

    const char *want[] = { "z", "a", "n", "u", "m" };
    size_t i = 0;
    for (const QDictEntry *e = qdict_first(d); e; e = qdict_next(d, e), i++) {
        g_assert_cmpuint(i, <, G_N_ELEMENTS(want));
        g_assert_cmpstr(qdict_entry_key(e), ==, want[i]);
        g_assert(qdict_entry_value(e) == qdict_get(d, want[i]));
    }
    g_assert_cmpuint(i, ==, 5);
    g_assert_cmpstr(qdict_get_try_str(d, "z"), ==, "replaced");
    g_assert_null(qdict_get_try_str(d, "u"));
    g_assert_null(qdict_get_try_str(d, "nope"));
    g_assert_null(qdict_get(d, "nope"));
    g_assert_nonnull(qobject_to_qnull(qdict_get(d, "n")));

    /* Delete head and tail, then everything. */
    g_assert_true(qdict_del(d, "z"));
    g_assert_true(qdict_del(d, "m"));
    g_assert_cmpstr(qdict_entry_key(qdict_first(d)), ==, "a");
    g_assert_true(qdict_del(d, "a") && qdict_del(d, "n") && qdict_del(d, "u"));
    g_assert_null(qdict_first(d));
    g_assert_cmpuint(qdict_size(d), ==, 0);
    qdict_put_int(d, "again", 1);
    g_assert_cmpstr(qdict_entry_key(qdict_first(d)), ==, "again");
}

static void test_dict_nested_and_clone(void)
{
    g_autoptr(QDict) d = qdict_new();
    QDict *inner = qdict_new();
    QList *l = qlist_new();
    qdict_put_int(inner, "x", 1);
    qdict_put(d, "inner", inner);
    qdict_put(d, "list", l);
    g_assert(qdict_get_qdict(d, "inner") == inner);
    g_assert(qdict_get_qlist(d, "list") == l);
    g_assert_null(qdict_get_qdict(d, "list"));

    g_autoptr(QDict) c = qdict_clone_shallow(d);
    g_assert(qdict_get_qdict(c, "inner") == inner); /* shallow: same child */
    g_assert_cmpuint(QOBJECT(inner)->refcnt, ==, 2);
    g_assert_true(qobject_is_equal(QOBJECT(c), QOBJECT(d)));
    qdict_put_int(c, "extra", 1);
    g_assert_false(qobject_is_equal(QOBJECT(c), QOBJECT(d)));
    g_assert_cmpuint(qdict_size(d), ==, 2);
}

static void test_dict_many(void)
{
    g_autoptr(QDict) d = qdict_new();
    for (int i = 0; i < 10000; i++) {
        g_autofree char *k = g_strdup_printf("k%d", i);
        qdict_put_int(d, k, i);
    }
    for (int i = 0; i < 10000; i += 2) {
        g_autofree char *k = g_strdup_printf("k%d", i);
        g_assert_true(qdict_del(d, k));
    }
    int expect = 1;
    for (const QDictEntry *e = qdict_first(d); e; e = qdict_next(d, e), expect += 2) {
        int64_t v;
        g_assert_true(qnum_get_try_int(qobject_to_qnum(qdict_entry_value(e)), &v));
        g_assert_cmpint(v, ==, expect);
    }
    g_assert_cmpint(expect, ==, 10001);
}

static void test_list_ops(void)
{
    g_autoptr(QList) l = qlist_new();
    g_assert_true(qlist_empty(l));
    g_assert_null(qlist_peek(l));
    g_assert_null(qlist_pop(l));
    for (int i = 0; i < 100; i++) {
        qlist_append_int(l, i);
    }
    qlist_append_str(l, "s");
    qlist_append_bool(l, false);
    g_assert_cmpuint(qlist_size(l), ==, 102);
    g_assert_null(qlist_get(l, 102));
    g_assert_cmpstr(qstring_get_str(qobject_to_qstring(qlist_get(l, 100))), ==, "s");
    for (int i = 0; i < 60; i++) {
        QObject *o = qlist_pop(l);
        int64_t v;
        g_assert_true(qnum_get_try_int(qobject_to_qnum(o), &v));
        g_assert_cmpint(v, ==, i);
        qobject_unref(o);
    }
    int64_t v;
    g_assert_cmpuint(qlist_size(l), ==, 42);
    g_assert_true(qnum_get_try_int(qobject_to_qnum(qlist_peek(l)), &v));
    g_assert_cmpint(v, ==, 60);
    g_assert_true(qnum_get_try_int(qobject_to_qnum(qlist_get(l, 39)), &v));
    g_assert_cmpint(v, ==, 99);
    qlist_append_int(l, 1000);
    g_assert_cmpuint(qlist_size(l), ==, 43);
    while (!qlist_empty(l)) {
        qobject_unref(qlist_pop(l));
    }
    qlist_append_int(l, 7);
    g_assert_true(qnum_get_try_int(qobject_to_qnum(qlist_peek(l)), &v));
    g_assert_cmpint(v, ==, 7);
}

static void test_deep_equal(void)
{
    g_autoptr(QList) a = qlist_new();
    g_autoptr(QList) b = qlist_new();
    qlist_append_int(a, 1);
    qlist_append(b, qnum_from_uint(1));
    g_assert_true(qobject_is_equal(QOBJECT(a), QOBJECT(b)));
    qlist_append_str(a, "x");
    g_assert_false(qobject_is_equal(QOBJECT(a), QOBJECT(b)));
    qlist_append(b, qstring_from_len("x\0y", 3));
    g_assert_false(qobject_is_equal(QOBJECT(a), QOBJECT(b)));
    g_assert_cmpuint(qstring_get_length(qobject_to_qstring(qlist_get(b, 1))), ==, 3);

    g_autoptr(QDict) d1 = qdict_new();
    g_autoptr(QDict) d2 = qdict_new();
    qdict_put_int(d1, "a", 1);
    qdict_put_int(d1, "b", 2);
    qdict_put_int(d2, "b", 2);
    qdict_put_int(d2, "a", 1);
    g_assert_true(qobject_is_equal(QOBJECT(d1), QOBJECT(d2))); /* order-insensitive */
    qdict_put_int(d2, "a", 3);
    g_assert_false(qobject_is_equal(QOBJECT(d1), QOBJECT(d2)));
    g_assert_false(qobject_is_equal(QOBJECT(d1), NULL));
    g_assert_true(qobject_is_equal(NULL, NULL));
    g_autoptr(QBool) t = qbool_from_bool(true);
    g_autoptr(QBool) f = qbool_from_bool(false);
    g_assert_false(qobject_is_equal(QOBJECT(t), QOBJECT(f)));
    g_autoptr(QNull) n1 = qnull();
    g_autoptr(QNull) n2 = qnull();
    g_assert_true(qobject_is_equal(QOBJECT(n1), QOBJECT(n2)));
    g_assert_false(qobject_is_equal(QOBJECT(n1), QOBJECT(f)));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qobject/refcount", test_refcount);
    g_test_add_func("/qobject/autoptr-and-casts", test_autoptr_and_casts);
    g_test_add_func("/qobject/qnum/kinds", test_qnum_kinds);
    g_test_add_func("/qobject/qnum/to-string", test_qnum_to_string);
    g_test_add_func("/qobject/qnum/equal", test_qnum_equal);
    g_test_add_func("/qobject/qdict/order-replace-delete", test_dict_order_replace_delete);
    g_test_add_func("/qobject/qdict/nested-and-clone", test_dict_nested_and_clone);
    g_test_add_func("/qobject/qdict/many", test_dict_many);
    g_test_add_func("/qobject/qlist/ops", test_list_ops);
    g_test_add_func("/qobject/deep-equal", test_deep_equal);
    return g_test_run();
}
