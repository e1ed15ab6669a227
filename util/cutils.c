/* Number and size parsing (qemu_strtosz family, whole-string integers) and size formatting. */
#include "util/cutils.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Skip what strtoull skips before the number, so every parser treats white space alike. */
static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p)) {
        p++;
    }
    return p;
}

/*
 * Finish a parse: with end, hand back where parsing stopped; without it, trailing text is
 * an error.  On error *end points at the start, as QEMU's helpers do.
 */
static int finish(const char *nptr, const char *stop, const char **end, int ret)
{
    if (ret == 0 && !end && *stop) {
        ret = -EINVAL;
    }
    if (end) {
        *end = ret == 0 ? stop : nptr;
    }
    return ret;
}

int qemu_strtou64(const char *nptr, const char **end, int base, uint64_t *result)
{
    if (!nptr) {
        if (end) {
            *end = NULL;
        }
        return -EINVAL;
    }
    const char *p = skip_space(nptr);
    bool negative = *p == '-';
    char *stop;
    errno = 0;
    unsigned long long v = strtoull(nptr, &stop, base);
    if (stop == nptr) {
        return finish(nptr, nptr, end, -EINVAL);
    }
    /* strtoull wraps "-1" to 2^64-1; numbat calls any negative number out of range. */
    if (errno == ERANGE || (negative && v != 0)) {
        return finish(nptr, stop, end, -ERANGE);
    }
    int ret = finish(nptr, stop, end, 0);
    if (ret == 0) {
        *result = v;
    }
    return ret;
}

int qemu_strtoi64(const char *nptr, const char **end, int base, int64_t *result)
{
    if (!nptr) {
        if (end) {
            *end = NULL;
        }
        return -EINVAL;
    }
    char *stop;
    errno = 0;
    long long v = strtoll(nptr, &stop, base);
    if (stop == nptr) {
        return finish(nptr, nptr, end, -EINVAL);
    }
    if (errno == ERANGE) {
        return finish(nptr, stop, end, -ERANGE);
    }
    int ret = finish(nptr, stop, end, 0);
    if (ret == 0) {
        *result = v;
    }
    return ret;
}

/* log2 of the multiplier of a size suffix, or -1 when c is not one. */
static int suffix_shift(char c)
{
    switch (g_ascii_toupper(c)) {
    case 'B': return 0;
    case 'K': return 10;
    case 'M': return 20;
    case 'G': return 30;
    case 'T': return 40;
    case 'P': return 50;
    case 'E': return 60;
    default: return -1;
    }
}

/*
 * The decimal fraction 0.DIGITS (len digits) times 2^shift, exactly: double the digit string
 * shift times, collecting the carries out of the top digit as the integer part.  Returns
 * false when the product is not a whole number (bytes cannot be split).
 */
static bool fraction_times_pow2(const char *digits, size_t len, int shift, uint64_t *out)
{
    g_autofree unsigned char *d = g_malloc(len ? len : 1);
    uint64_t whole = 0;

    for (size_t i = 0; i < len; i++) {
        d[i] = digits[i] - '0';
    }
    for (int s = 0; s < shift; s++) {
        unsigned carry = 0;
        for (size_t i = len; i-- > 0;) {
            unsigned v = d[i] * 2 + carry;
            d[i] = v % 10;
            carry = v / 10;
        }
        whole = whole * 2 + carry; /* < 2^shift <= 2^60: cannot overflow */
    }
    for (size_t i = 0; i < len; i++) {
        if (d[i]) {
            return false;
        }
    }
    *out = whole;
    return true;
}

/*
 * Parse the number part of a size: decimal integer with an optional ".digits", or hex
 * "0x..." (no fraction, no suffix).  Integers never pass through a double, so
 * 18446744073709551615 stays exact.
 */
static int parse_size_number(const char *p, const char **stop, uint64_t *ival,
                             const char **frac, size_t *frac_len, bool *hex)
{
    *frac = NULL;
    *frac_len = 0;
    *hex = false;
    if (!g_ascii_isdigit(*p)) {
        return -EINVAL; /* also rejects signs: sizes are never negative */
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && g_ascii_isxdigit(p[2])) {
        *hex = true;
        return qemu_strtou64(p, stop, 16, ival);
    }
    int ret = qemu_strtou64(p, stop, 10, ival);
    if (ret) {
        return ret;
    }
    if (**stop == '.') {
        const char *f = *stop + 1;
        size_t n = 0;
        while (g_ascii_isdigit(f[n])) {
            n++;
        }
        *frac = f;
        *frac_len = n;
        *stop = f + n;
    }
    return 0;
}

int qemu_strtosz_suffix(const char *nptr, const char **end, char default_suffix,
                        uint64_t *result)
{
    const char *stop, *frac;
    size_t frac_len;
    uint64_t ival, fval = 0;
    bool hex;

    if (!nptr) {
        if (end) {
            *end = NULL;
        }
        return -EINVAL;
    }
    int ret = parse_size_number(skip_space(nptr), &stop, &ival, &frac, &frac_len, &hex);
    if (ret) {
        return finish(nptr, nptr, end, ret);
    }
    int shift = suffix_shift(*stop);
    if (shift >= 0) {
        if (hex) {
            return finish(nptr, nptr, end, -EINVAL); /* "0x10M" is ambiguous: refused */
        }
        stop++;
    } else {
        shift = suffix_shift(default_suffix);
        g_return_val_if_fail(shift >= 0, -EINVAL);
    }
    /* Trailing zeros of a fraction change nothing; drop them before the exactness test. */
    while (frac_len && frac[frac_len - 1] == '0') {
        frac_len--;
    }
    if (frac_len && !fraction_times_pow2(frac, frac_len, shift, &fval)) {
        return finish(nptr, nptr, end, -EINVAL); /* "1.5B", "0.1K": not whole bytes */
    }
    if (shift && ival > (UINT64_MAX >> shift)) {
        return finish(nptr, stop, end, -ERANGE);
    }
    /* ival << shift <= 2^64 - 2^shift and fval < 2^shift: the sum cannot overflow. */
    ret = finish(nptr, stop, end, 0);
    if (ret == 0) {
        *result = (ival << shift) + fval;
    }
    return ret;
}

int qemu_strtosz(const char *nptr, const char **end, uint64_t *result)
{
    return qemu_strtosz_suffix(nptr, end, 'B', result);
}

int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result)
{
    return qemu_strtosz_suffix(nptr, end, 'M', result);
}

char *size_to_str(uint64_t val)
{
    static const char *const units[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" };
    int i = 0;
    double v = (double)val;

    /*
     * Move to the next unit once the number would print as 1000 or more (QEMU's rule), also
     * when "%.3g" would round 999.7 up to "1e+03".
     */
    while (i < 6 && v >= 999.5) {
        v /= 1024;
        i++;
    }
    return g_strdup_printf("%.3g %sB", v, units[i]);
}
