/* Unit tests for util/cutils.c: size parsing (suffixes, fractions, overflow), integers, size_to_str. */
#include <errno.h>
#include "util/cutils.h"

typedef struct SizeCase {
    const char *text;
    int ret;
    uint64_t val;
} SizeCase;

static void check_size(const SizeCase *c, char suffix)
{
    uint64_t v = 0xdeadbeef;
    int ret = qemu_strtosz_suffix(c->text, NULL, suffix, &v);
    if (ret != c->ret) {
        g_test_message("input '%s' suffix %c: ret %d, want %d", c->text, suffix, ret, c->ret);
    }
    g_assert_cmpint(ret, ==, c->ret);
    if (c->ret == 0) {
        g_assert_cmpuint(v, ==, c->val);
    } else {
        g_assert_cmpuint(v, ==, 0xdeadbeef); /* untouched on error */
    }
}

static void test_strtosz_good(void)
{
    static const SizeCase cases[] = {
        { "0", 0, 0 },
        { "1", 0, 1 },
        { "512M", 0, 512ULL << 20 },
        { "512m", 0, 512ULL << 20 },
        { "1G", 0, 1ULL << 30 },
        { "1g", 0, 1ULL << 30 },
        { "1.5G", 0, 3ULL << 29 },
        { "0.5K", 0, 512 },
        { "0.50000K", 0, 512 },
        { "1.K", 0, 1024 },
        { "0.25k", 0, 256 },
        { "0x1000", 0, 4096 },
        { "0X10", 0, 16 },
        { "12345", 0, 12345 },
        { "7B", 0, 7 },
        { "7b", 0, 7 },
        { "2T", 0, 2ULL << 40 },
        { "3P", 0, 3ULL << 50 },
        { "15E", 0, 15ULL << 60 },
        { "  64K", 0, 65536 },
        { "18446744073709551615", 0, UINT64_MAX },
        { "17179869183G", 0, 17179869183ULL << 30 },
        { "1.0B", 0, 1 },
        { "0.0009765625M", 0, 1024 },
        { "0.000000000000000000867361737988403547205962240695953369140625E", 0, 1 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_size(&cases[i], 'B');
    }
}

static void test_strtosz_bad(void)
{
    static const SizeCase cases[] = {
        { "", -EINVAL, 0 },
        { "   ", -EINVAL, 0 },
        { "1X", -EINVAL, 0 },
        { "-1", -EINVAL, 0 },
        { "-0", -EINVAL, 0 },
        { " -1K", -EINVAL, 0 },
        { "+1", -EINVAL, 0 },
        { "1.5B", -EINVAL, 0 },
        { "1.5", -EINVAL, 0 },
        { "0.3K", -EINVAL, 0 },     /* 307.2 bytes: not whole */
        { ".5K", -EINVAL, 0 },
        { "1e3", -EINVAL, 0 },
        { "1.5e3", -EINVAL, 0 },
        { "0x1.8", -EINVAL, 0 },
        { "0x10M", -EINVAL, 0 },
        { "0x", -EINVAL, 0 },
        { "1 G", -EINVAL, 0 },
        { "1G ", -EINVAL, 0 },
        { "1KB", -EINVAL, 0 },
        { "inf", -EINVAL, 0 },
        { "nan", -EINVAL, 0 },
        { "16E", -ERANGE, 0 },
        { "18446744073709551616", -ERANGE, 0 },
        { "17179869184G", -ERANGE, 0 },
        { "16384P", -ERANGE, 0 },
        { "15.9999999999999999999999E", -EINVAL, 0 },
        { "99999999999999999999999K", -ERANGE, 0 },
        { "0x10000000000000000", -ERANGE, 0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        check_size(&cases[i], 'B');
    }
    uint64_t v;
    g_assert_cmpint(qemu_strtosz(NULL, NULL, &v), ==, -EINVAL);
}

static void test_strtosz_mib(void)
{
    static const SizeCase cases[] = {
        { "512", 0, 512ULL << 20 },
        { "1.5", 0, 3ULL << 19 },
        { "512M", 0, 512ULL << 20 },
        { "4096K", 0, 4ULL << 20 },
        { "100B", 0, 100 },
        { "1G", 0, 1ULL << 30 },
        { "17592186044415", 0, 17592186044415ULL << 20 },
        { "17592186044416", -ERANGE, 0 },
        { "64x", -EINVAL, 0 },
        { "", -EINVAL, 0 },
        { "-5", -EINVAL, 0 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint64_t v = 0xdeadbeef;
        int ret = qemu_strtosz_MiB(cases[i].text, NULL, &v);
        g_test_message("MiB '%s' -> %d", cases[i].text, ret);
        g_assert_cmpint(ret, ==, cases[i].ret);
        if (ret == 0) {
            g_assert_cmpuint(v, ==, cases[i].val);
        }
    }
}

static void test_strtosz_end(void)
{
    const char *text = "8G,rest";
    const char *end = NULL;
    uint64_t v = 0;

    g_assert_cmpint(qemu_strtosz(text, &end, &v), ==, 0);
    g_assert_cmpuint(v, ==, 8ULL << 30);
    g_assert_true(end == text + 2);

    text = "12X";
    g_assert_cmpint(qemu_strtosz(text, &end, &v), ==, 0); /* X is trailing text now */
    g_assert_cmpuint(v, ==, 12);
    g_assert_true(end == text + 2);

    text = "1.5Bx";
    g_assert_cmpint(qemu_strtosz(text, &end, &v), ==, -EINVAL);
    g_assert_true(end == text);
}

static void test_strtou64(void)
{
    uint64_t v = 7;
    const char *end;

    g_assert_cmpint(qemu_strtou64("0", NULL, 0, &v), ==, 0);
    g_assert_cmpuint(v, ==, 0);
    g_assert_cmpint(qemu_strtou64("0x10", NULL, 0, &v), ==, 0);
    g_assert_cmpuint(v, ==, 16);
    g_assert_cmpint(qemu_strtou64("010", NULL, 0, &v), ==, 0);
    g_assert_cmpuint(v, ==, 8);
    g_assert_cmpint(qemu_strtou64("10", NULL, 16, &v), ==, 0);
    g_assert_cmpuint(v, ==, 16);
    g_assert_cmpint(qemu_strtou64(" 42", NULL, 0, &v), ==, 0);
    g_assert_cmpuint(v, ==, 42);
    g_assert_cmpint(qemu_strtou64("18446744073709551615", NULL, 0, &v), ==, 0);
    g_assert_cmpuint(v, ==, UINT64_MAX);

    v = 7;
    g_assert_cmpint(qemu_strtou64("18446744073709551616", NULL, 0, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtou64("-1", NULL, 0, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtou64("-18446744073709551615", NULL, 0, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtou64("", NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("x", NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("12a", NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("08", NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64("1 ", NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtou64(NULL, NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpuint(v, ==, 7);

    g_assert_cmpint(qemu_strtou64("12a", &end, 0, &v), ==, 0);
    g_assert_cmpuint(v, ==, 12);
    g_assert_cmpstr(end, ==, "a");
}

static void test_strtoi64(void)
{
    int64_t v = 7;

    g_assert_cmpint(qemu_strtoi64("-1", NULL, 0, &v), ==, 0);
    g_assert_cmpint(v, ==, -1);
    g_assert_cmpint(qemu_strtoi64("-9223372036854775808", NULL, 0, &v), ==, 0);
    g_assert_cmpint(v, ==, INT64_MIN);
    g_assert_cmpint(qemu_strtoi64("0x7fffffffffffffff", NULL, 0, &v), ==, 0);
    g_assert_cmpint(v, ==, INT64_MAX);
    g_assert_cmpint(qemu_strtoi64("9223372036854775808", NULL, 0, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtoi64("-9223372036854775809", NULL, 0, &v), ==, -ERANGE);
    g_assert_cmpint(qemu_strtoi64("", NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoi64("-", NULL, 0, &v), ==, -EINVAL);
    g_assert_cmpint(qemu_strtoi64("5k", NULL, 0, &v), ==, -EINVAL);
}

static void test_size_to_str(void)
{
    static const struct { uint64_t v; const char *s; } cases[] = {
        { 0, "0 B" },
        { 100, "100 B" },
        { 1000, "0.977 KiB" },
        { 1024, "1 KiB" },
        { 512ULL << 20, "512 MiB" },
        { 3ULL << 29, "1.5 GiB" },
        { (1ULL << 30) - 1, "1 GiB" },
        { UINT64_MAX, "16 EiB" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *s = size_to_str(cases[i].v);
        g_assert_cmpstr(s, ==, cases[i].s);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cutils/strtosz/good", test_strtosz_good);
    g_test_add_func("/cutils/strtosz/bad", test_strtosz_bad);
    g_test_add_func("/cutils/strtosz/mib", test_strtosz_mib);
    g_test_add_func("/cutils/strtosz/end", test_strtosz_end);
    g_test_add_func("/cutils/strtou64", test_strtou64);
    g_test_add_func("/cutils/strtoi64", test_strtoi64);
    g_test_add_func("/cutils/size-to-str", test_size_to_str);
    return g_test_run();
}
