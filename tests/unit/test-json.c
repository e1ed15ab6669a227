/* Unit tests for numbat's JSON: one-shot parser, streaming parser with recovery, writer. */
#include "qobject/json.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Parse text that must be valid; returns a new reference. */
static QObject *parse_ok(const char *text)
{
    GError *err = NULL;
    QObject *obj = qobject_from_json(text, &err);
    if (err) {
        g_test_message("unexpected error for <%s>: %s", text, err->message);
    }
    g_assert_no_error(err);
    g_assert_nonnull(obj);
    return obj;
}

/* Parse text that must fail with a message containing want (and the standard prefix). */
static void parse_err(const char *text, const char *want)
{
    GError *err = NULL;
    QObject *obj = qobject_from_json(text, &err);
    if (obj) {
        g_autofree char *s = qobject_to_json(obj);
        g_test_message("<%s> unexpectedly parsed as %s", text, s);
    }
    g_assert_null(obj);
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(err->message, "JSON parse error, "));
    if (!strstr(err->message, want)) {
        g_test_message("<%s>: message '%s' lacks '%s'", text, err->message, want);
        g_assert_not_reached();
    }
    g_error_free(err);
}

/* Parse text and check that writing it gives want (NULL: same as text). */
static void roundtrip(const char *text, const char *want)
{
    g_autoptr(QObject) obj = parse_ok(text);
    g_autofree char *out = qobject_to_json(obj);
    g_assert_cmpstr(out, ==, want ? want : text);
    g_autoptr(QObject) again = parse_ok(out);
    g_assert_true(qobject_is_equal(obj, again));
}

static void test_scalars(void)
{
    roundtrip("null", NULL);
    roundtrip("true", NULL);
    roundtrip(" \t\r\n false \n", "false");
    roundtrip("\"\"", NULL);
    roundtrip("[]", NULL);
    roundtrip("{}", NULL);
    roundtrip("[ ]", "[]");
    roundtrip("{\"a\":1,\"b\":[true,null]}", "{\"a\": 1, \"b\": [true, null]}");
    roundtrip("{\"z\": 1, \"a\": 2, \"m\": {\"x\": []}}", NULL);
}

static void check_int(const char *text, int64_t want)
{
    g_autoptr(QObject) obj = parse_ok(text);
    QNum *qn = qobject_to_qnum(obj);
    int64_t v;
    g_assert_nonnull(qn);
    g_assert_cmpint(qnum_kind(qn), ==, QNUM_I64);
    g_assert_true(qnum_get_try_int(qn, &v));
    g_assert_cmpint(v, ==, want);
    g_autofree char *out = qobject_to_json(obj);
    g_assert_cmpstr(out, ==, text);
}

static void check_uint(const char *text, uint64_t want)
{
    g_autoptr(QObject) obj = parse_ok(text);
    QNum *qn = qobject_to_qnum(obj);
    uint64_t v;
    g_assert_nonnull(qn);
    g_assert_cmpint(qnum_kind(qn), ==, QNUM_U64);
    g_assert_true(qnum_get_try_uint(qn, &v));
    g_assert_cmpuint(v, ==, want);
    g_autofree char *out = qobject_to_json(obj);
    g_assert_cmpstr(out, ==, text);
}

static void check_double(const char *text, double want, const char *written)
{
    g_autoptr(QObject) obj = parse_ok(text);
    QNum *qn = qobject_to_qnum(obj);
    g_assert_nonnull(qn);
    g_assert_cmpint(qnum_kind(qn), ==, QNUM_DOUBLE);
    g_assert_true(qnum_get_double(qn) == want);
    g_autofree char *out = qobject_to_json(obj);
    g_assert_cmpstr(out, ==, written);
    g_autoptr(QObject) back = parse_ok(out);
    g_assert_cmpint(qnum_kind(qobject_to_qnum(back)), ==, QNUM_DOUBLE);
    g_assert_true(memcmp(&want, &(double){ qnum_get_double(qobject_to_qnum(back)) },
                         sizeof(double)) == 0);
}

static void test_integers(void)
{
    check_int("0", 0);
    check_int("42", 42);
    roundtrip("-0", "0");
    roundtrip("[-1, 0, 1]", NULL);
    check_int("9223372036854775807", INT64_MAX);
    check_int("-9223372036854775808", INT64_MIN);
    check_uint("9223372036854775808", 1ull << 63);
    check_uint("18446744073709551615", UINT64_MAX);
    check_double("18446744073709551616", 18446744073709551616.0, "1.8446744073709552e+19");
    check_double("-9223372036854775809", -9223372036854775808.0, "-9.223372036854776e+18");
    check_double("123456789012345678901234567890", 123456789012345678901234567890.0,
                 "1.2345678901234568e+29");
}

static void test_doubles(void)
{
    check_double("1.5", 1.5, "1.5");
    check_double("-0.0", -0.0, "-0.0");
    check_double("1.0", 1.0, "1.0");
    check_double("1e2", 100.0, "100.0");
    check_double("1E+20", 1e20, "1e+20");
    check_double("2.5e-3", 2.5e-3, "0.0025");
    check_double("0.1", 0.1, "0.1");
    check_double("3.141592653589793", 3.141592653589793, "3.141592653589793");
    check_double("5e-324", 5e-324, "4.94065645841247e-324");
    check_double("1.7976931348623157e308", 1.7976931348623157e308, "1.7976931348623157e+308");
    parse_err("1e400", "out of range");
    parse_err("-1e400", "out of range");
    parse_err("01", "invalid number");
    parse_err("-", "premature end");
    parse_err("-a", "invalid number");
    parse_err("1.", "premature end");
    parse_err("1.e5", "invalid number");
    parse_err(".5", "stray '.'");
    parse_err("1e", "premature end");
    parse_err("1e+", "premature end");
    parse_err("+1", "stray '+'");
    parse_err("12abc", "invalid number");
    parse_err("0x10", "invalid number");
    parse_err("NaN", "stray 'N'");
    parse_err("Infinity", "stray 'I'");
}

static void check_string(const char *text, const char *want, size_t want_len)
{
    g_autoptr(QObject) obj = parse_ok(text);
    QString *qs = qobject_to_qstring(obj);
    g_assert_nonnull(qs);
    g_assert_cmpuint(qstring_get_length(qs), ==, want_len);
    g_assert_true(memcmp(qstring_get_str(qs), want, want_len) == 0);
}

#define CHECK_STRING(text, want) check_string(text, want, sizeof(want) - 1)

static void test_string_escapes(void)
{
    CHECK_STRING("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"", "a\"b\\c/d\be\ff\ng\rh\ti");
    CHECK_STRING("\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac");
    CHECK_STRING("\"\\u0001\\u001f\\u007f\"", "\x01\x1f\x7f");
    CHECK_STRING("\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80");        /* U+1F600 */
    CHECK_STRING("\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80");        /* U+10000 */
    CHECK_STRING("\"\\udbff\\udfff\"", "\xf4\x8f\xbf\xbf");        /* U+10FFFF */
    CHECK_STRING("\"\\uffff\"", "\xef\xbf\xbf");
    CHECK_STRING("'single'", "single");
    CHECK_STRING("'it\\'s \"q\"'", "it's \"q\"");
    CHECK_STRING("\"it's \\'\"", "it's '");
    CHECK_STRING("\"raw \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"",
                 "raw \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
    CHECK_STRING("\"\x7f\"", "\x7f");

    parse_err("\"\\u0000\"", "\\u0000");
    parse_err("\"\\ud800\"", "high surrogate");
    parse_err("\"\\ud800x\"", "high surrogate");
    parse_err("\"\\ud800\\n\"", "high surrogate");
    parse_err("\"\\ud800\\u0041\"", "high surrogate");
    parse_err("\"\\ud800\\ud800\"", "high surrogate");
    parse_err("\"\\udc00\"", "lone low surrogate");
    parse_err("\"\\u12\"", "\\u escape");
    parse_err("\"\\u12g4\"", "\\u escape");
    parse_err("\"\\x\"", "invalid escape");
    parse_err("\"\\a\"", "invalid escape");
    parse_err("\"abc", "premature end");
    parse_err("'abc\"", "premature end");
    parse_err("\"a\nb\"", "control character");
    parse_err("\"a\tb\"", "control character");
    parse_err("\"a\x01" "b\"", "control character");
    parse_err("\"a\x1f" "b\"", "control character");
}

static void test_invalid_utf8(void)
{
    static const char *const bad[] = {
        "\"\x80\"",                 /* lone continuation byte */
        "\"\xbf\"",
        "\"\xc0\xaf\"",             /* overlong '/' */
        "\"\xc1\xbf\"",             /* overlong */
        "\"\xe0\x80\xaf\"",         /* overlong 3-byte */
        "\"\xe0\x9f\xbf\"",         /* overlong 3-byte (U+07FF) */
        "\"\xf0\x80\x80\xaf\"",     /* overlong 4-byte */
        "\"\xf0\x8f\xbf\xbf\"",     /* overlong 4-byte (U+FFFF) */
        "\"\xed\xa0\x80\"",         /* UTF-8 encoded surrogate U+D800 */
        "\"\xed\xbf\xbf\"",         /* U+DFFF */
        "\"\xf4\x90\x80\x80\"",     /* U+110000 */
        "\"\xf5\x80\x80\x80\"",     /* lead byte past F4 */
        "\"\xf8\x88\x80\x80\x80\"", /* 5-byte form */
        "\"\xfe\"",
        "\"\xc3\"",                 /* truncated 2-byte */
        "\"\xe2\x82\"",             /* truncated 3-byte */
        "\"\xf0\x9f\x98\"",         /* truncated 4-byte */
        ("\"\xc3" "a\""),           /* continuation replaced by ASCII */
        "\"\xe2\x82\xc3\xa9\"",     /* new lead inside a sequence */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        parse_err(bad[i], "UTF-8");
    }
    /* Outside strings any non-ASCII byte is stray. */
    parse_err("\xc3\xa9", "stray 0xc3");
}

static void test_keywords_and_structure(void)
{
    parse_err("tru", "invalid keyword");
    parse_err("truex", "invalid keyword");
    parse_err("nul", "invalid keyword");
    parse_err("True", "stray 'T'");
    parse_err("falsehood", "invalid keyword");
    parse_err("[1,]", "expecting value, got ']'");
    parse_err("[,1]", "expecting value");
    parse_err("[1 2]", "expecting ',' or ']'");
    parse_err("{\"a\":1,}", "expecting object key");
    parse_err("{\"a\" 1}", "expecting ':'");
    parse_err("{1: 2}", "expecting object key");
    parse_err("{\"a\": 1 \"b\": 2}", "expecting ',' or '}'");
    parse_err("{\"a\": 1, \"a\": 2}", "duplicate key 'a'");
    parse_err("[1}", "expecting ',' or ']'");
    parse_err("{\"a\":1]", "expecting ',' or '}'");
    parse_err("]", "expecting value, got ']'");
    parse_err(":", "expecting value");
    parse_err("[", "premature end");
    parse_err("{\"a\":", "premature end");
    parse_err("@", "stray '@'");
    parse_err("[1, 2] x", "unexpected text after the value");
    parse_err("{} {}", "unexpected text after the value");
    parse_err("1 2", "unexpected text after the value");
    parse_err("\"a\" \"b\"", "unexpected text after the value");
    parse_err("", "expecting value");
    parse_err("   \n\t ", "expecting value");

    g_autoptr(QObject) obj = parse_ok("{'a': [1, {'b': 'c'}], \"d\": {}}");
    QDict *d = qobject_to_qdict(obj);
    g_assert_nonnull(d);
    QList *l = qdict_get_qlist(d, "a");
    g_assert_cmpuint(qlist_size(l), ==, 2);
    g_assert_cmpstr(qdict_get_try_str(qobject_to_qdict(qlist_get(l, 1)), "b"), ==, "c");
}

static char *nested(int depth, const char *open, const char *close)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < depth; i++) {
        g_string_append(s, open);
    }
    for (int i = 0; i < depth; i++) {
        g_string_append(s, close);
    }
    return g_string_free(s, FALSE);
}

static char *nested_dict(int depth)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < depth; i++) {
        g_string_append(s, "{\"k\": ");
    }
    g_string_append(s, "1");
    for (int i = 0; i < depth; i++) {
        g_string_append_c(s, '}');
    }
    return g_string_free(s, FALSE);
}

static void test_nesting(void)
{
    g_autofree char *ok = nested(JSON_MAX_NESTING, "[", "]");
    g_autofree char *bad = nested(JSON_MAX_NESTING + 1, "[", "]");
    g_autofree char *okd = nested_dict(JSON_MAX_NESTING);
    g_autofree char *badd = nested_dict(JSON_MAX_NESTING + 1);
    g_autofree char *mixed = nested(JSON_MAX_NESTING / 2, "[{\"a\": ", "}]");

    g_autoptr(QObject) l = parse_ok(ok);
    g_autoptr(QObject) d = parse_ok(okd);
    g_autofree char *out = qobject_to_json(l);
    g_assert_cmpstr(out, ==, ok);
    g_autofree char *outd = qobject_to_json(d);
    g_assert_cmpstr(outd, ==, okd);
    parse_err(bad, "nesting too deep");
    parse_err(badd, "nesting too deep");
    /* [{"a": [{"a": ... }]}]: 1024 levels but the innermost dict lacks a value. */
    parse_err(mixed, "expecting value, got '}'");
}

static void test_writer(void)
{
    g_autoptr(QDict) d = qdict_new();
    qdict_put_str(d, "s", "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f \xc3\xa9\xf0\x9f\x98\x80");
    qdict_put(d, "bad", qstring_from_len("a\xff" "b\xc3\0c", 6));
    qdict_put(d, "d", qnum_from_double(2.0));
    qdict_put(d, "nan", qnum_from_double(NAN));
    qdict_put(d, "inf", qnum_from_double(INFINITY));
    qdict_put_uint(d, "u", UINT64_MAX);
    qdict_put_int(d, "i", INT64_MIN);
    QList *l = qlist_new();
    qlist_append_bool(l, true);
    qlist_append(l, qnull());
    qlist_append(l, qdict_new());
    qlist_append(l, qlist_new());
    qdict_put(d, "l", l);
    qdict_put(d, "k\"\n", qnum_from_int(0));

    g_autofree char *out = qobject_to_json(QOBJECT(d));
    g_assert_cmpstr(out, ==,
        "{\"s\": \"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f \xc3\xa9\xf0\x9f\x98\x80\", "
        "\"bad\": \"a\\ufffdb\\ufffd\\u0000c\", \"d\": 2.0, \"nan\": null, \"inf\": null, "
        "\"u\": 18446744073709551615, \"i\": -9223372036854775808, "
        "\"l\": [true, null, {}, []], \"k\\\"\\n\": 0}");

    g_autofree char *pretty = qobject_to_json_pretty(QOBJECT(l));
    g_assert_cmpstr(pretty, ==, "[\n  true,\n  null,\n  {},\n  []\n]");
    g_autoptr(QObject) obj = parse_ok("{\"a\": 1, \"b\": [true, {\"c\": \"x\"}]}");
    g_autofree char *pretty2 = qobject_to_json_pretty(obj);
    g_assert_cmpstr(pretty2, ==,
                    "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    {\n      \"c\": \"x\"\n    }\n  ]\n}");
    g_autoptr(QObject) back = parse_ok(pretty2);
    g_assert_true(qobject_is_equal(obj, back));
    g_autofree char *null_text = qobject_to_json(NULL);
    g_assert_cmpstr(null_text, ==, "null");
}

/* Every string escape written by the writer reads back to the same bytes. */
static void test_writer_roundtrip_all_bytes(void)
{
    char buf[0x80];
    for (int i = 1; i < 0x80; i++) {
        buf[i - 1] = (char)i;
    }
    g_autoptr(QString) qs = qstring_from_len(buf, 0x7f);
    g_autofree char *out = qobject_to_json(QOBJECT(qs));
    g_autoptr(QObject) back = parse_ok(out);
    g_assert_true(qobject_is_equal(QOBJECT(qs), back));
}

/* ---- streaming ---- */

/* Records each emitted event as text: "V:<json>" or "E:<message>". */
static void collect(void *opaque, QObject *obj, GError *err)
{
    GPtrArray *events = opaque;
    g_assert_true((obj == NULL) != (err == NULL));
    if (obj) {
        g_autofree char *s = qobject_to_json(obj);
        g_ptr_array_add(events, g_strdup_printf("V:%s", s));
        qobject_unref(obj);
    } else {
        g_ptr_array_add(events, g_strdup_printf("E:%s", err->message));
        g_error_free(err);
    }
}

/* Feed text in chunks of the given sizes (cycled; 0 means "all at once"), then flush. */
static GPtrArray *stream_chunks(const char *text, size_t len, const size_t *chunks, size_t n)
{
    GPtrArray *events = g_ptr_array_new_with_free_func(g_free);
    JSONStreamParser *p = json_stream_parser_new(collect, events);
    size_t off = 0, k = 0;
    while (off < len) {
        size_t c = n ? chunks[k++ % n] : len;
        c = MIN(c, len - off);
        json_stream_parser_feed(p, text + off, c);
        off += c;
    }
    json_stream_parser_flush(p);
    json_stream_parser_free(p);
    return events;
}

static GPtrArray *stream_all(const char *text)
{
    return stream_chunks(text, strlen(text), NULL, 0);
}

/* Compare events with the expected list; errors match by "E" prefix plus a substring. */
static void check_events(GPtrArray *events, const char *const *want)
{
    size_t n = 0;
    while (want[n]) {
        n++;
    }
    bool ok = events->len == n;
    for (size_t i = 0; ok && i < n; i++) {
        const char *got = events->pdata[i];
        if (want[i][0] == 'E') {
            ok = g_str_has_prefix(got, "E:JSON parse error, ") && strstr(got, want[i] + 2);
        } else {
            ok = strcmp(got, want[i]) == 0;
        }
    }
    if (!ok) {
        for (guint i = 0; i < events->len; i++) {
            g_test_message("got event %u: %s", i, (char *)events->pdata[i]);
        }
        for (size_t i = 0; i < n; i++) {
            g_test_message("want event %zu: %s", i, want[i]);
        }
    }
    g_assert_true(ok);
}

static void check_stream(const char *text, const char *const *want)
{
    g_autoptr(GPtrArray) events = stream_all(text);
    check_events(events, want);
}

static const char sample[] =
    "{\"execute\": \"qmp_capabilities\"}\r\n"
    "{\"a\": [1, -2, 18446744073709551615, 1.5e3, \"x\\u00e9\\ud83d\\ude00y\xc3\xa9\xf0\x9f\x98\x80\","
    " 'single \\' q', true, false, null]}"
    "42 \"str\"[]{}\n  -9223372036854775808\t0.5 {\"k\":{\"n\":[[]]}}";

static const char *const sample_events[] = {
    "V:{\"execute\": \"qmp_capabilities\"}",
    "V:{\"a\": [1, -2, 18446744073709551615, 1500.0, "
    "\"x\xc3\xa9\xf0\x9f\x98\x80y\xc3\xa9\xf0\x9f\x98\x80\", \"single ' q\", true, false, null]}",
    "V:42", "V:\"str\"", "V:[]", "V:{}", "V:-9223372036854775808", "V:0.5",
    "V:{\"k\": {\"n\": [[]]}}",
    NULL
};

/* A cut-off command followed by a good one on the next line: one error, then the command. */
static void test_stream_cut_off_command(void)
{
    static const char *const want[] = {
        "E:expecting", "V:{\"execute\": \"query-version\"}", NULL
    };
    check_stream("{\"execute\": \"qmp_capabilities\"\n{\"execute\": \"query-version\"}\n", want);
    /* not at a line start: the bracket belongs to the broken value and is skipped */
    static const char *const want_inline[] = { "E:expecting", "V:2", NULL };
    check_stream("{\"a\": 1 {\"b\": 2}}\n2\n", want_inline);
}

static void test_stream_whole(void)
{
    check_stream(sample, sample_events);
}

static void test_stream_every_split(void)
{
    size_t len = strlen(sample);
    /* Two feeds split at every position. */
    for (size_t cut = 0; cut <= len; cut++) {
        size_t chunks[2] = { cut ? cut : len, len };
        g_autoptr(GPtrArray) events = stream_chunks(sample, len, chunks, 2);
        check_events(events, sample_events);
    }
    size_t one = 1;
    g_autoptr(GPtrArray) events = stream_chunks(sample, len, &one, 1);
    check_events(events, sample_events);
}

static void test_stream_random_chunks(void)
{
    size_t len = strlen(sample);
    GRand *rand = g_rand_new_with_seed(12345);
    for (int round = 0; round < 200; round++) {
        size_t chunks[16];
        for (size_t i = 0; i < G_N_ELEMENTS(chunks); i++) {
            chunks[i] = g_rand_int_range(rand, 1, 12);
        }
        g_autoptr(GPtrArray) events = stream_chunks(sample, len, chunks, G_N_ELEMENTS(chunks));
        check_events(events, sample_events);
    }
    g_rand_free(rand);
}

/* A number at the end of a feed is not complete until a delimiter (or flush) arrives. */
static void test_stream_number_boundary(void)
{
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func(g_free);
    JSONStreamParser *p = json_stream_parser_new(collect, events);
    json_stream_parser_feed(p, "12", 2);
    g_assert_cmpuint(events->len, ==, 0);
    json_stream_parser_feed(p, "3 4", 3);
    g_assert_cmpuint(events->len, ==, 1);
    g_assert_cmpstr(events->pdata[0], ==, "V:123");
    json_stream_parser_feed(p, "5", 1);
    g_assert_cmpuint(events->len, ==, 1);
    json_stream_parser_feed(p, "{}", 2);  /* '{' ends the number */
    g_assert_cmpuint(events->len, ==, 3);
    g_assert_cmpstr(events->pdata[1], ==, "V:45");
    json_stream_parser_feed(p, "true", 4); /* keywords end at a delimiter too */
    g_assert_cmpuint(events->len, ==, 3);
    json_stream_parser_flush(p);
    g_assert_cmpuint(events->len, ==, 4);
    g_assert_cmpstr(events->pdata[3], ==, "V:true");
    json_stream_parser_feed(p, "7", 1);
    json_stream_parser_flush(p);
    g_assert_cmpstr(events->pdata[4], ==, "V:7");
    json_stream_parser_free(p);
}

static void test_stream_recovery(void)
{
    check_stream("{\"a\": x}\n{\"b\": 1}",
                 (const char *const[]) { "E:invalid keyword", "V:{\"b\": 1}", NULL });
    check_stream("{\"a\": x, \"c\": {\"d\": [1]}} {\"b\": 1}",
                 (const char *const[]) { "E:invalid keyword", "V:{\"b\": 1}", NULL });
    check_stream("garbage here\n{\"b\": 1}",
                 (const char *const[]) { "E:invalid keyword", "V:{\"b\": 1}", NULL });
    check_stream("}}] {\"b\": 1}",
                 (const char *const[]) { "E:expecting value", "V:{\"b\": 1}", NULL });
    check_stream("@@@ \"{\" {\"b\": 1}",
                 (const char *const[]) { "E:stray '@'", "V:{\"b\": 1}", NULL });
    check_stream("{\"a\": \"unterminated\n{\"execute\": \"x\"}\n",
                 (const char *const[]) { "E:control character", "V:{\"execute\": \"x\"}", NULL });
    check_stream("{\"a\": [1, 2}\n{\"b\": 1}",
                 (const char *const[]) { "E:expecting ',' or ']'", "V:{\"b\": 1}", NULL });
    check_stream("{\"a\": 1,}{\"b\": 1}",
                 (const char *const[]) { "E:expecting object key", "V:{\"b\": 1}", NULL });
    check_stream("{\"a\": \"\xc0}\"} {\"b\": 1}",
                 (const char *const[]) { "E:UTF-8", "V:{\"b\": 1}", NULL });
    check_stream("{\"a\": \"\\q]\"}[2]",
                 (const char *const[]) { "E:invalid escape", "V:[2]", NULL });
    check_stream("[\"\\ud800\", \"]\"] 3\n",
                 (const char *const[]) { "E:high surrogate", "V:3", NULL });
    check_stream("{\"a\": [1, 2\xff{\"b\": 1}",
                 (const char *const[]) { "V:{\"b\": 1}", NULL });
    check_stream("\xff\xff{\"b\": 1}\xff",
                 (const char *const[]) { "V:{\"b\": 1}", NULL });
    /* Pretty-printed broken command: one error, no spurious values. */
    check_stream("{\n  \"execute\": bad,\n  \"arguments\": {\"x\": [1, 2]}\n}\n{\"b\": 1}",
                 (const char *const[]) { "E:invalid keyword", "V:{\"b\": 1}", NULL });
    /* Truncated command followed by a new one on the next line. */
    check_stream("{\"execute\": \"a\", \"arguments\": {\"x\": [1 2\n{\"b\": 1}",
                 (const char *const[]) { "E:expecting ',' or ']'", "V:{\"b\": 1}", NULL });
    /* A truncated value that is still a valid prefix swallows what follows. */
    check_stream("{\"x\": [1,\n{\"b\": 1}\n",
                 (const char *const[]) { "E:premature end of input", NULL });
    check_stream("{\"a\": 1, \"a\": 2}{\"b\": 1}",
                 (const char *const[]) { "E:duplicate key", "V:{\"b\": 1}", NULL });
}

static void test_stream_recovery_split(void)
{
    static const char text[] =
        "{\"a\": \"\xe2\x82\"}\n{\"x\": 1}garbage\n[1, 2,]{\"y\": '\xc3\xa9'}";
    static const char *const want[] = {
        "E:UTF-8", "V:{\"x\": 1}", "E:invalid keyword", "E:expecting value",
        "V:{\"y\": \"\xc3\xa9\"}", NULL
    };
    size_t len = strlen(text);
    check_stream(text, want);
    for (size_t chunk = 1; chunk < 8; chunk++) {
        g_autoptr(GPtrArray) events = stream_chunks(text, len, &chunk, 1);
        check_events(events, want);
    }
}

static void test_stream_deep_nesting(void)
{
    g_autofree char *bad = nested(JSON_MAX_NESTING + 1, "[", "]");
    g_autofree char *ok = nested(JSON_MAX_NESTING, "[", "]");
    g_autofree char *text = g_strdup_printf("%s%s{\"b\": 1}", bad, ok);
    g_autoptr(GPtrArray) events = stream_all(text);
    g_assert_cmpuint(events->len, ==, 3);
    g_assert_cmpstr(events->pdata[0], ==,
                    "E:JSON parse error, nesting too deep (more than 1024 levels)");
    g_assert_cmpstr((char *)events->pdata[1] + 2, ==, ok);
    g_assert_cmpstr(events->pdata[2], ==, "V:{\"b\": 1}");
}

static void test_stream_flush_incomplete(void)
{
    check_stream("{\"a\": 1", (const char *const[]) { "E:premature end of input", NULL });
    check_stream("[1, [2]", (const char *const[]) { "E:premature end of input", NULL });
    check_stream("{\"a\": \"abc", (const char *const[]) { "E:inside a string", NULL });
    check_stream("\"\\u12", (const char *const[]) { "E:inside a string", NULL });
    check_stream("\"\xe2\x82", (const char *const[]) { "E:inside a string", NULL });
    check_stream("-", (const char *const[]) { "E:inside a number", NULL });
    check_stream("1e", (const char *const[]) { "E:inside a number", NULL });
    check_stream("fals", (const char *const[]) { "E:invalid keyword", NULL });
    check_stream("{\"a\"", (const char *const[]) { "E:premature end of input", NULL });
    check_stream("[1", (const char *const[]) { "E:premature end of input", NULL });
    check_stream("", (const char *const[]) { NULL });
    check_stream("  \n ", (const char *const[]) { NULL });

    /* The parser is usable again after a flush. */
    g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func(g_free);
    JSONStreamParser *p = json_stream_parser_new(collect, events);
    json_stream_parser_feed(p, "[1, ", 4);
    json_stream_parser_flush(p);
    json_stream_parser_feed(p, "[2]", 3);
    json_stream_parser_flush(p);
    json_stream_parser_free(p);
    check_events(events, (const char *const[]) { "E:premature end", "V:[2]", NULL });
}

static void test_stream_too_large(void)
{
    size_t big = JSON_MAX_TOKEN_SIZE + 16;
    char *text = g_malloc(big + 32);
    text[0] = '"';
    memset(text + 1, 'a', big);
    strcpy(text + 1 + big, "\" {\"b\": 1}");
    g_autoptr(GPtrArray) events = stream_all(text);
    check_events(events, (const char *const[]) { "E:value larger than", "V:{\"b\": 1}", NULL });
    g_free(text);
}

/* For any input, even garbage, the events do not depend on how the input is chunked. */
static void test_stream_chunking_invariant(void)
{
    static const char alphabet[] = "{}[]:,\"'\\ \n\tatrufenl0123456789-.eE+u\xc3\xa9\xed\xff";
    GRand *rand = g_rand_new_with_seed(4242);
    size_t len = strlen(sample);
    for (int round = 0; round < 300; round++) {
        g_autofree char *text = g_strdup(sample);
        int mutations = g_rand_int_range(rand, 1, 6);
        for (int m = 0; m < mutations; m++) {
            text[g_rand_int_range(rand, 0, len)] =
                alphabet[g_rand_int_range(rand, 0, sizeof(alphabet) - 1)];
        }
        g_autoptr(GPtrArray) whole = stream_chunks(text, len, NULL, 0);
        size_t one = 1, chunks[7];
        for (size_t i = 0; i < G_N_ELEMENTS(chunks); i++) {
            chunks[i] = g_rand_int_range(rand, 1, 9);
        }
        g_autoptr(GPtrArray) bytes = stream_chunks(text, len, &one, 1);
        g_autoptr(GPtrArray) random = stream_chunks(text, len, chunks, G_N_ELEMENTS(chunks));
        g_assert_cmpuint(whole->len, >, 0);
        g_assert_cmpuint(bytes->len, ==, whole->len);
        g_assert_cmpuint(random->len, ==, whole->len);
        for (guint i = 0; i < whole->len; i++) {
            g_assert_cmpstr(bytes->pdata[i], ==, whole->pdata[i]);
            g_assert_cmpstr(random->pdata[i], ==, whole->pdata[i]);
        }
        /* The one-shot parser agrees with the stream on the first event. */
        GError *err = NULL;
        g_autoptr(QObject) obj = qobject_from_json(text, &err);
        g_assert_true((obj == NULL) != (err == NULL));
        if (err) {
            g_assert_true(g_str_has_prefix(err->message, "JSON parse error, "));
            g_error_free(err);
        }
    }
    g_rand_free(rand);
}

/* Parsing is linear: a large, flat input goes through quickly. */
static void test_large_input(void)
{
    GString *s = g_string_new("[");
    for (int i = 0; i < 200000; i++) {
        g_string_append_printf(s, "%s{\"k%d\": \"v\", \"n\": %d}", i ? ", " : "", i, i);
    }
    g_string_append_c(s, ']');
    gint64 start = g_get_monotonic_time();
    g_autoptr(QObject) obj = parse_ok(s->str);
    g_autofree char *out = qobject_to_json(obj);
    g_assert_cmpstr(out, ==, s->str);
    g_test_message("parsed+wrote %zu bytes in %" G_GINT64_FORMAT " us", s->len,
                   g_get_monotonic_time() - start);
    g_assert_cmpuint(qlist_size(qobject_to_qlist(obj)), ==, 200000);
    g_string_free(s, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json/scalars", test_scalars);
    g_test_add_func("/json/integers", test_integers);
    g_test_add_func("/json/doubles", test_doubles);
    g_test_add_func("/json/string-escapes", test_string_escapes);
    g_test_add_func("/json/invalid-utf8", test_invalid_utf8);
    g_test_add_func("/json/keywords-and-structure", test_keywords_and_structure);
    g_test_add_func("/json/nesting", test_nesting);
    g_test_add_func("/json/writer", test_writer);
    g_test_add_func("/json/writer-roundtrip-ascii", test_writer_roundtrip_all_bytes);
    g_test_add_func("/json/stream/whole", test_stream_whole);
    g_test_add_func("/json/stream/cut-off-command", test_stream_cut_off_command);
    g_test_add_func("/json/stream/every-split", test_stream_every_split);
    g_test_add_func("/json/stream/random-chunks", test_stream_random_chunks);
    g_test_add_func("/json/stream/number-boundary", test_stream_number_boundary);
    g_test_add_func("/json/stream/recovery", test_stream_recovery);
    g_test_add_func("/json/stream/recovery-split", test_stream_recovery_split);
    g_test_add_func("/json/stream/deep-nesting", test_stream_deep_nesting);
    g_test_add_func("/json/stream/flush-incomplete", test_stream_flush_incomplete);
    g_test_add_func("/json/stream/too-large", test_stream_too_large);
    g_test_add_func("/json/stream/chunking-invariant", test_stream_chunking_invariant);
    g_test_add_func("/json/large-input", test_large_input);
    return g_test_run();
}
