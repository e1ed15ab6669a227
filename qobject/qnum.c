/* QNum: a JSON number that keeps its kind (int64, uint64 or double) so values round-trip exactly. */
#include "qobject-internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static QNum *qnum_alloc(QNumKind kind)
{
    QNum *qn = g_new(QNum, 1);
    qobject_init(&qn->base, QTYPE_QNUM);
    qn->kind = kind;
    return qn;
}

QNum *qnum_from_int(int64_t value)
{
    QNum *qn = qnum_alloc(QNUM_I64);
    qn->u.i64 = value;
    return qn;
}

QNum *qnum_from_uint(uint64_t value)
{
    QNum *qn = qnum_alloc(QNUM_U64);
    qn->u.u64 = value;
    return qn;
}

QNum *qnum_from_double(double value)
{
    QNum *qn = qnum_alloc(QNUM_DOUBLE);
    qn->u.dbl = value;
    return qn;
}

QNumKind qnum_kind(const QNum *qn)
{
    return qn->kind;
}

/* As in QEMU, a double never converts to an integer implicitly, even 3.0. */
bool qnum_get_try_int(const QNum *qn, int64_t *val)
{
    switch (qn->kind) {
    case QNUM_I64:
        *val = qn->u.i64;
        return true;
    case QNUM_U64:
        if (qn->u.u64 > INT64_MAX) {
            return false;
        }
        *val = (int64_t)qn->u.u64;
        return true;
    default:
        return false;
    }
}

bool qnum_get_try_uint(const QNum *qn, uint64_t *val)
{
    switch (qn->kind) {
    case QNUM_I64:
        if (qn->u.i64 < 0) {
            return false;
        }
        *val = (uint64_t)qn->u.i64;
        return true;
    case QNUM_U64:
        *val = qn->u.u64;
        return true;
    default:
        return false;
    }
}

double qnum_get_double(const QNum *qn)
{
    switch (qn->kind) {
    case QNUM_I64:
        return (double)qn->u.i64;
    case QNUM_U64:
        return (double)qn->u.u64;
    default:
        return qn->u.dbl;
    }
}

/*
 * Shortest of %.15g/%.16g/%.17g that reads back to the same bits; an integral result gets
 * ".0" appended so the text is read back as a double, not an integer.  Non-finite values
 * have no JSON form: they are written as null (see docs/design/json.md).
 */
void qnum_append_json(GString *out, const QNum *qn)
{
    char buf[64];

    switch (qn->kind) {
    case QNUM_I64:
        g_string_append_printf(out, "%" PRId64, qn->u.i64);
        return;
    case QNUM_U64:
        g_string_append_printf(out, "%" PRIu64, qn->u.u64);
        return;
    default:
        break;
    }
    double d = qn->u.dbl;
    if (!isfinite(d)) {
        g_string_append(out, "null");
        return;
    }
    static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
    for (size_t i = 0; i < G_N_ELEMENTS(formats); i++) {
        g_ascii_formatd(buf, sizeof(buf), formats[i], d);
        if (g_ascii_strtod(buf, NULL) == d) {
            break;
        }
    }
    g_string_append(out, buf);
    if (!strpbrk(buf, ".eE")) {
        g_string_append(out, ".0");
    }
}

char *qnum_to_string(const QNum *qn)
{
    GString *out = g_string_new(NULL);
    qnum_append_json(out, qn);
    return g_string_free(out, FALSE);
}

/* Exact value comparison across kinds: no rounding through double. */
static bool int_equals_double(int64_t i, double d)
{
    /* [-2^63, 2^63) is exactly the range where (int64_t)d is defined. */
    if (d != floor(d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0) {
        return false;
    }
    return (int64_t)d == i;
}

static bool uint_equals_double(uint64_t u, double d)
{
    if (d != floor(d) || d < 0 || d >= 18446744073709551616.0) {
        return false;
    }
    return (uint64_t)d == u;
}

bool qnum_is_equal(const QNum *a, const QNum *b)
{
    if (a->kind > b->kind) {
        const QNum *t = a;
        a = b;
        b = t;
    }
    switch (a->kind) {
    case QNUM_I64:
        switch (b->kind) {
        case QNUM_I64:
            return a->u.i64 == b->u.i64;
        case QNUM_U64:
            return a->u.i64 >= 0 && (uint64_t)a->u.i64 == b->u.u64;
        default:
            return int_equals_double(a->u.i64, b->u.dbl);
        }
    case QNUM_U64:
        if (b->kind == QNUM_U64) {
            return a->u.u64 == b->u.u64;
        }
        return uint_equals_double(a->u.u64, b->u.dbl);
    default:
        return a->u.dbl == b->u.dbl;
    }
}
