/* Integer lists written with ranges ("0-3:6", "0-3,6"): parsing into sorted sets and formatting. */
#include "util/range-list.h"

#include <inttypes.h>
#include <string.h>
#include "util/cutils.h"

/* One unsigned number, base 0, that must start with a digit (no sign, no white space). */
static bool parse_bound(const char *p, const char **stop, uint64_t *val)
{
    return g_ascii_isdigit(*p) && qemu_strtou64(p, stop, 0, val) == 0;
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Parse one "a" or "a-b" item (len bytes at item) and append its members to out. */
static bool parse_item(const char *item, size_t len, const char *what, uint64_t max,
                       GArray *out, GError **errp)
{
    g_autofree char *s = g_strndup(item, len);
    const char *stop;
    uint64_t lo, hi;

    if (!parse_bound(s, &stop, &lo)) {
        goto bad;
    }
    hi = lo;
    if (*stop == '-') {
        if (!parse_bound(stop + 1, &stop, &hi)) {
            goto bad;
        }
    }
    /* hi - lo < MAX: at most RANGE_LIST_MAX_ELEMENTS members, as QEMU's OptsVisitor. */
    if (*stop || lo > hi || hi - lo >= RANGE_LIST_MAX_ELEMENTS) {
        goto bad;
    }
    if (hi > max) {
        error_setg(errp, "Parameter '%s' expects values no larger than %" PRIu64, what, max);
        return false;
    }
    for (uint64_t v = lo;; v++) {
        g_array_append_val(out, v);
        if (v == hi) {
            break;
        }
    }
    return true;

bad:
    error_setg(errp, "Parameter '%s' expects a uint64 value or range", what);
    return false;
}

GArray *range_list_parse(const char *text, const char *what, uint64_t max, GError **errp)
{
    g_autoptr(GArray) out = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    const char *p = text ? text : "";

    for (;;) {
        size_t len = strcspn(p, ":,");
        if (!parse_item(p, len, what, max, out, errp)) {
            return NULL;
        }
        if (!p[len]) {
            break;
        }
        p += len + 1;
    }
    g_array_sort(out, cmp_u64);
    /* De-duplicate in place: "0-3,2" is {0,1,2,3}. */
    guint w = 0;
    for (guint r = 0; r < out->len; r++) {
        uint64_t v = g_array_index(out, uint64_t, r);
        if (w == 0 || g_array_index(out, uint64_t, w - 1) != v) {
            g_array_index(out, uint64_t, w++) = v;
        }
    }
    g_array_set_size(out, w);
    return g_steal_pointer(&out);
}

char *range_list_format(const uint64_t *vals, size_t n, const char *sep)
{
    GString *s = g_string_new(NULL);
    size_t i = 0;

    while (i < n) {
        size_t j = i;
        while (j + 1 < n && vals[j] != UINT64_MAX && vals[j + 1] == vals[j] + 1) {
            j++;
        }
        if (s->len) {
            g_string_append(s, sep ? sep : " ");
        }
        g_string_append_printf(s, "%" PRIu64, vals[i]);
        if (j > i) {
            g_string_append_printf(s, "-%" PRIu64, vals[j]);
        }
        i = j + 1;
    }
    return g_string_free(s, FALSE);
}
