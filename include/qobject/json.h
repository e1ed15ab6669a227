/* JSON text <-> QObject: a one-shot parser, a streaming parser for QMP, and a writer. */
#ifndef NUMBAT_QOBJECT_JSON_H
#define NUMBAT_QOBJECT_JSON_H

#include "qobject/qobject.h"
#include "qapi/error.h"

/* Nesting deeper than this (arrays + objects) is an error, as in QEMU. */
#define JSON_MAX_NESTING 1024
/* A single JSON value larger than this many bytes is an error. */
#define JSON_MAX_TOKEN_SIZE (64ull << 20)

/*
 * Parse exactly one JSON value from text (leading/trailing white space allowed).
 * Strings must be valid UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF);
 * \uXXXX escapes incl. surrogate pairs are decoded; \u0000 is rejected.
 * Integers become QNUM_I64, or QNUM_U64 up to 2^64-1, else QNUM_DOUBLE.
 * Also accepts single-quoted strings as QEMU does ('abc').
 * Error messages start with "JSON parse error, " as QEMU's do.
 */
QObject *qobject_from_json(const char *text, GError **errp);

/*
 * Streaming parser for QMP: feed bytes as they arrive; for each complete top-level
 * value (or each error) the callback runs once, in input order.  A value may be split
 * across feeds and a feed may hold several values.  After an error the parser
 * resynchronises (skips to the next top-level value boundary) and carries on, so a
 * connection survives malformed input.  Exactly one of obj/err is non-NULL; the
 * callback takes ownership of both.
 */
typedef void JSONStreamEmit(void *opaque, QObject *obj, GError *err);
typedef struct JSONStreamParser JSONStreamParser;
JSONStreamParser *json_stream_parser_new(JSONStreamEmit *emit, void *opaque);
void json_stream_parser_feed(JSONStreamParser *p, const char *buf, size_t len);
/* End of input: a pending incomplete value is reported as an error. */
void json_stream_parser_flush(JSONStreamParser *p);
void json_stream_parser_free(JSONStreamParser *p);

/* Compact JSON text: {"a": 1, "b": [true, null]} (QEMU's spacing: ": " and ", ").
 * Non-ASCII is written as UTF-8; control characters, '"' and '\\' are escaped. */
char *qobject_to_json(const QObject *obj);
/* Indented form for humans (2 spaces). */
char *qobject_to_json_pretty(const QObject *obj);

#endif
