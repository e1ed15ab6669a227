/* Unit tests for util/range-list.c: "0-3:6" style lists, their errors and formatting. */
#include "util/range-list.h"

/* Parse text and compare with want (n values); on mismatch print what came out. */
static void check_ok(const char *text, uint64_t max, const uint64_t *want, size_t n)
{
    GError *err = NULL;
    g_autoptr(GArray) got = range_list_parse(text, "cpus", max, &err);

    g_assert_no_error(err);
    g_assert_nonnull(got);
    g_assert_cmpuint(got->len, ==, n);
    for (size_t i = 0; i < n; i++) {
        g_assert_cmpuint(g_array_index(got, uint64_t, i), ==, want[i]);
    }
}

static void check_err(const char *text, uint64_t max, const char *msg)
{
    GError *err = NULL;
    GArray *got = range_list_parse(text, "cpus", max, &err);

    g_test_message("input '%s'", text ? text : "(null)");
    g_assert_null(got);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
    g_error_free(err);
}

static void test_parse_good(void)
{
    static const uint64_t a[] = { 0, 1, 2, 3, 6 };
    static const uint64_t five[] = { 5 };
    static const uint64_t hex[] = { 16, 17, 18 };
    static const uint64_t dedup[] = { 0, 1, 2, 3, 4, 9 };
    static const uint64_t top[] = { UINT64_MAX - 1, UINT64_MAX };

    check_ok("0-3:6", UINT64_MAX, a, 5);
    check_ok("0-3,6", UINT64_MAX, a, 5);
    check_ok("6,0-3", UINT64_MAX, a, 5);
    check_ok("5", UINT64_MAX, five, 1);
    check_ok("0x10-0x12", UINT64_MAX, hex, 3);
    check_ok("0x10-18", 18, hex, 3);
    check_ok("3-4,0-2:2-3,9,9", 9, dedup, 6);
    check_ok("3-3", 3, (const uint64_t[]){ 3 }, 1);
    check_ok("18446744073709551614-18446744073709551615", UINT64_MAX, top, 2);
}

static void test_parse_range_bound(void)
{
    GError *err = NULL;
    g_autoptr(GArray) big = range_list_parse("0-65535", "cpus", UINT64_MAX, &err);

    g_assert_no_error(err);
    g_assert_cmpuint(big->len, ==, RANGE_LIST_MAX_ELEMENTS);
    g_assert_cmpuint(g_array_index(big, uint64_t, 65535), ==, 65535);
    check_err("0-65536", UINT64_MAX, "Parameter 'cpus' expects a uint64 value or range");
    check_err("0-99999", UINT64_MAX, "Parameter 'cpus' expects a uint64 value or range");
    check_err("0-99999", 1000, "Parameter 'cpus' expects a uint64 value or range");
}

static void test_parse_bad(void)
{
    static const char *const bad[] = {
        "", "3-1", "1-", "-1", "a", "1::2", "1,,2", "1:", ",1", "1-2-3", "1 -2", " 1",
        "1 ", "0x", "1-a", "+1", "1.5", "18446744073709551616", "0-18446744073709551616",
        "1--2",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        check_err(bad[i], UINT64_MAX, "Parameter 'cpus' expects a uint64 value or range");
    }
    check_err(NULL, UINT64_MAX, "Parameter 'cpus' expects a uint64 value or range");
}

static void test_parse_max(void)
{
    static const uint64_t ok[] = { 126, 127 };
    check_ok("126-127", 127, ok, 2);
    check_err("128", 127, "Parameter 'cpus' expects values no larger than 127");
    check_err("0-128", 127, "Parameter 'cpus' expects values no larger than 127");
    check_err("1:200:3", 127, "Parameter 'cpus' expects values no larger than 127");
    check_err("1", 0, "Parameter 'cpus' expects values no larger than 0");
}

static void test_format(void)
{
    static const uint64_t v[] = { 0, 1, 2, 3, 6, 8, 9, UINT64_MAX };
    g_autofree char *s1 = range_list_format(v, G_N_ELEMENTS(v), " ");
    g_autofree char *s2 = range_list_format(v, 5, ",");
    g_autofree char *s3 = range_list_format(v, 0, " ");
    g_autofree char *s4 = range_list_format(v + 4, 1, " ");

    g_assert_cmpstr(s1, ==, "0-3 6 8-9 18446744073709551615");
    g_assert_cmpstr(s2, ==, "0-3,6");
    g_assert_cmpstr(s3, ==, "");
    g_assert_cmpstr(s4, ==, "6");
}

/* Whatever parses must format and parse back to the same set. */
static void test_roundtrip(void)
{
    GError *err = NULL;
    g_autoptr(GArray) a = range_list_parse("7,1-3:5,2,100-104", "x", UINT64_MAX, &err);
    g_assert_no_error(err);
    g_autofree char *s = range_list_format((uint64_t *)(void *)a->data, a->len, ",");
    g_assert_cmpstr(s, ==, "1-3,5,7,100-104");
    g_autoptr(GArray) b = range_list_parse(s, "x", UINT64_MAX, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(a->len, ==, b->len);
    g_assert_cmpmem(a->data, a->len * sizeof(uint64_t), b->data, b->len * sizeof(uint64_t));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/range-list/parse/good", test_parse_good);
    g_test_add_func("/range-list/parse/range-bound", test_parse_range_bound);
    g_test_add_func("/range-list/parse/bad", test_parse_bad);
    g_test_add_func("/range-list/parse/max", test_parse_max);
    g_test_add_func("/range-list/format", test_format);
    g_test_add_func("/range-list/roundtrip", test_roundtrip);
    return g_test_run();
}
