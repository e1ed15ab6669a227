/* Unit tests for util/bitmap.c, with sizes around word boundaries (63/64/65 bits and more). */
#include "util/bitmap.h"

static const size_t sizes[] = { 1, 31, 63, 64, 65, 127, 128, 129, 200 };

static void test_set_clear_bits(void)
{
    for (size_t s = 0; s < G_N_ELEMENTS(sizes); s++) {
        size_t n = sizes[s];
        g_autofree unsigned long *map = bitmap_new(n);

        g_assert_true(bitmap_empty(map, n));
        g_assert_false(bitmap_full(map, n));
        set_bit(n - 1, map);
        g_assert_true(test_bit(n - 1, map));
        g_assert_cmpuint(bitmap_weight(map, n), ==, 1);
        g_assert_cmpuint(find_first_bit(map, n), ==, n - 1);
        g_assert_false(bitmap_empty(map, n));
        clear_bit(n - 1, map);
        g_assert_false(test_bit(n - 1, map));
        g_assert_true(bitmap_empty(map, n));
        g_assert_cmpuint(find_first_bit(map, n), ==, n);

        bitmap_fill(map, n);
        g_assert_true(bitmap_full(map, n));
        g_assert_cmpuint(bitmap_weight(map, n), ==, n);
        g_assert_cmpuint(find_next_zero_bit(map, n, 0), ==, n);
        /* fill must not spill past nbits: the rest of the last word stays clear */
        if (n % BITS_PER_LONG) {
            g_assert_false(test_bit(n, map));
        }
        bitmap_zero(map, n);
        g_assert_true(bitmap_empty(map, n));
    }
}

static void test_set_clear_ranges(void)
{
    for (size_t s = 0; s < G_N_ELEMENTS(sizes); s++) {
        size_t n = sizes[s];
        for (size_t start = 0; start < n; start += 7) {
            for (size_t count = 0; start + count <= n; count += 5) {
                g_autofree unsigned long *map = bitmap_new(n);
                bitmap_set(map, start, count);
                g_assert_cmpuint(bitmap_weight(map, n), ==, count);
                for (size_t b = 0; b < n; b++) {
                    g_assert_cmpint(test_bit(b, map), ==, b >= start && b < start + count);
                }
                bitmap_fill(map, n);
                bitmap_clear(map, start, count);
                g_assert_cmpuint(bitmap_weight(map, n), ==, n - count);
                g_assert_cmpuint(find_next_zero_bit(map, n, 0), ==, count ? start : n);
            }
        }
    }
}

static void test_word_boundaries(void)
{
    DECLARE_BITMAP(map, 130) = { 0 };

    bitmap_set(map, 63, 3); /* 63, 64, 65 across the first word boundary */
    g_assert_true(test_bit(63, map));
    g_assert_true(test_bit(64, map));
    g_assert_true(test_bit(65, map));
    g_assert_false(test_bit(62, map));
    g_assert_false(test_bit(66, map));
    g_assert_cmpuint(find_next_bit(map, 130, 0), ==, 63);
    g_assert_cmpuint(find_next_bit(map, 130, 64), ==, 64);
    g_assert_cmpuint(find_next_bit(map, 130, 66), ==, 130);
    g_assert_cmpuint(find_next_zero_bit(map, 130, 63), ==, 66);
    g_assert_cmpuint(find_next_bit(map, 64, 0), ==, 63);  /* bits past nbits are ignored */
    g_assert_cmpuint(find_next_bit(map, 63, 0), ==, 63);
    g_assert_cmpuint(find_next_bit(map, 130, 200), ==, 130);
    g_assert_cmpuint(bitmap_weight(map, 64), ==, 1);
    g_assert_cmpuint(bitmap_weight(map, 65), ==, 2);
    g_assert_true(bitmap_empty(map, 63));
    g_assert_false(bitmap_empty(map, 64));
    set_bit(129, map);
    g_assert_cmpuint(find_next_bit(map, 130, 66), ==, 129);
    g_autofree char *s = bitmap_to_range_str(map, 130);
    g_assert_cmpstr(s, ==, "63-65,129");
}

static void test_find_zero_tail(void)
{
    g_autofree unsigned long *map = bitmap_new(65);
    bitmap_fill(map, 65);
    /* junk above nbits (as a caller's OR could leave) must not be reported */
    map[1] = ~0UL;
    g_assert_cmpuint(find_next_zero_bit(map, 65, 0), ==, 65);
    g_assert_true(bitmap_full(map, 65));
    g_assert_cmpuint(bitmap_weight(map, 65), ==, 65);
    clear_bit(64, map);
    g_assert_cmpuint(find_next_zero_bit(map, 65, 0), ==, 64);
    g_assert_false(bitmap_full(map, 65));

    /* a set bit above nbits in the last word is not "found" either */
    bitmap_zero(map, 65);
    set_bit(70, map);
    g_assert_cmpuint(find_next_bit(map, 65, 0), ==, 65);
    g_assert_cmpuint(find_next_bit(map, 65, 64), ==, 65);
    g_assert_true(bitmap_empty(map, 65));
    g_assert_cmpuint(bitmap_weight(map, 65), ==, 0);
}

static void test_logic(void)
{
    const size_t n = 129;
    g_autofree unsigned long *a = bitmap_new(n);
    g_autofree unsigned long *b = bitmap_new(n);
    g_autofree unsigned long *d = bitmap_new(n);

    bitmap_set(a, 0, 70);   /* 0-69 */
    bitmap_set(b, 60, 69);  /* 60-128 */
    g_assert_true(bitmap_intersects(a, b, n));
    g_assert_false(bitmap_intersects(a, b, 60));

    bitmap_and(d, a, b, n);
    g_autofree char *s_and = bitmap_to_range_str(d, n);
    g_assert_cmpstr(s_and, ==, "60-69");
    bitmap_or(d, a, b, n);
    g_assert_true(bitmap_full(d, n));
    bitmap_andnot(d, a, b, n);
    g_autofree char *s_andnot = bitmap_to_range_str(d, n);
    g_assert_cmpstr(s_andnot, ==, "0-59");

    g_assert_false(bitmap_equal(a, b, n));
    bitmap_andnot(d, b, a, n);
    bitmap_or(d, d, a, n);
    g_assert_true(bitmap_equal(d, a, n) == false);
    g_assert_true(bitmap_full(d, n));
    g_assert_true(bitmap_equal(a, a, n));
    /* equal only looks at the first nbits bits */
    g_autofree unsigned long *c = bitmap_new(n);
    bitmap_set(c, 0, 70);
    set_bit(100, c);
    g_assert_true(bitmap_equal(a, c, 100));
    g_assert_false(bitmap_equal(a, c, 101));
}

static void test_for_each_and_str(void)
{
    g_autofree unsigned long *map = bitmap_new(200);
    size_t bit, count = 0, sum = 0;

    g_autofree char *empty = bitmap_to_range_str(map, 200);
    g_assert_cmpstr(empty, ==, "");
    set_bit(0, map);
    set_bit(2, map);
    set_bit(3, map);
    set_bit(4, map);
    set_bit(64, map);
    set_bit(199, map);
    for_each_set_bit(bit, map, 200) {
        count++;
        sum += bit;
    }
    g_assert_cmpuint(count, ==, 6);
    g_assert_cmpuint(sum, ==, 0 + 2 + 3 + 4 + 64 + 199);
    g_autofree char *s = bitmap_to_range_str(map, 200);
    g_assert_cmpstr(s, ==, "0,2-4,64,199");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/bitmap/set-clear-bits", test_set_clear_bits);
    g_test_add_func("/bitmap/set-clear-ranges", test_set_clear_ranges);
    g_test_add_func("/bitmap/word-boundaries", test_word_boundaries);
    g_test_add_func("/bitmap/find-zero-tail", test_find_zero_tail);
    g_test_add_func("/bitmap/logic", test_logic);
    g_test_add_func("/bitmap/for-each-and-str", test_for_each_and_str);
    return g_test_run();
}
