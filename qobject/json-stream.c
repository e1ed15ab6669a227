/* Streaming JSON parser for QMP (values split or batched across feeds, recovery after errors)
 * and the one-shot qobject_from_json() built on it. */
#include "json-internal.h"

#include <string.h>

/*
 * Recovery after an error (documented in docs/design/json.md): input is skipped, with
 * strings and bracket depth tracked, until
 *   - the brackets of the broken value balance again (resume after the closing bracket), or
 *   - a '{' or '[' starts a line, or appears anywhere when the broken value had no open
 *     bracket left (resume at it), or
 *   - a newline, when no bracket is open (resume after it), or
 *   - a 0xFF byte (resets everything, at any time).
 */
typedef struct Recovery {
    bool active;
    unsigned depth;      /* open brackets of the broken value */
    bool in_string;
    bool escape;
    char quote;
    bool line_start;     /* only blanks since the last newline */
} Recovery;

struct JSONStreamParser {
    JSONStreamEmit *emit;
    void *opaque;
    JSONLexer lexer;
    JSONParser *parser;
    Recovery rec;
    guint64 value_bytes; /* bytes of the value being read, bounded by JSON_MAX_TOKEN_SIZE */
    bool line_start;     /* only blanks since the last newline (or the start of input) */
    bool byte_at_line_start; /* line_start as it was before the byte being lexed */
};

JSONStreamParser *json_stream_parser_new(JSONStreamEmit *emit, void *opaque)
{
    JSONStreamParser *p = g_new0(JSONStreamParser, 1);
    p->emit = emit;
    p->opaque = opaque;
    json_lexer_init(&p->lexer);
    p->parser = json_parser_new();
    p->line_start = true;
    return p;
}

void json_stream_parser_free(JSONStreamParser *p)
{
    if (p) {
        json_lexer_destroy(&p->lexer);
        json_parser_free(p->parser);
        g_free(p);
    }
}

static void stream_reset(JSONStreamParser *p)
{
    json_lexer_reset(&p->lexer);
    json_parser_reset(p->parser);
    p->rec.active = false;
    p->value_bytes = 0;
}

/*
 * Report err and start skipping.  depth is the number of brackets open in the broken value
 * after the offending token; quote is the quote character of the string the offending byte
 * lies in, or 0 outside strings.
 */
static void stream_error(JSONStreamParser *p, GError *err, unsigned depth, char quote)
{
    bool in_string = quote != 0;

    stream_reset(p);
    p->rec = (Recovery) {
        .active = true, .depth = depth, .in_string = in_string, .quote = quote,
    };
    p->emit(p->opaque, NULL, err);
}

/* Skip one byte while recovering.  Returns true if c must be parsed normally. */
static bool recover_byte(Recovery *r, unsigned char c)
{
    if (r->in_string) {
        if (r->escape) {
            r->escape = false;
        } else if (c == '\\') {
            r->escape = true;
        } else if (c == (unsigned char)r->quote || c == '\n') {
            r->in_string = false; /* a raw newline can never be inside a valid string */
        }
        r->line_start = c == '\n';
        return false;
    }
    switch (c) {
    case '"':
    case '\'':
        r->in_string = true;
        r->escape = false;
        r->quote = c;
        break;
    case '{':
    case '[':
        if (r->depth == 0 || r->line_start) {
            r->active = false;
            return true;
        }
        r->depth++;
        break;
    case '}':
    case ']':
        if (r->depth > 0 && --r->depth == 0) {
            r->active = false;
        }
        break;
    case '\n':
        if (r->depth == 0) {
            r->active = false;
        }
        r->line_start = true;
        return false;
    default:
        break;
    }
    if (c != ' ' && c != '\t' && c != '\r') {
        r->line_start = false;
    }
    return false;
}

static void stream_token(JSONStreamParser *p, const JSONToken *tok)
{
    GError *err = NULL;
    QObject *obj = NULL;
    unsigned depth = json_parser_depth(p->parser);

    switch (json_parser_feed_token(p->parser, tok, &obj, &err)) {
    case JSON_PARSE_DONE:
        p->value_bytes = 0;
        p->emit(p->opaque, obj, NULL);
        break;
    case JSON_PARSE_ERROR:
        if ((tok->type == JSON_LCURLY || tok->type == JSON_LSQUARE) &&
            p->byte_at_line_start && depth > 0) {
            /* Rule 2: a bracket opening a line inside a broken value starts a new one
             * (a client that sent a cut-off command followed by a good one). */
            stream_reset(p);
            p->emit(p->opaque, NULL, err);
            stream_token(p, tok);
            return;
        }
        /* Count the offending token itself so the skipper sees where the value ends. */
        if (tok->type == JSON_LCURLY || tok->type == JSON_LSQUARE) {
            depth++;
        } else if ((tok->type == JSON_RCURLY || tok->type == JSON_RSQUARE) && depth > 0) {
            if (--depth == 0) {
                stream_reset(p);  /* the broken value ended right here */
                p->emit(p->opaque, NULL, err);
                return;
            }
        }
        stream_error(p, err, depth, 0);
        break;
    default:
        break;
    }
}

/* Lex one byte (already past recovery and the size check). */
static void stream_lex(JSONStreamParser *p, unsigned char c)
{
    for (;;) {
        GError *err = NULL;
        JSONToken tok;
        char quote = json_lexer_in_string(&p->lexer) ? p->lexer.quote : 0;

        switch (json_lexer_feed_byte(&p->lexer, c, &tok, &err)) {
        case JSON_LEX_NONE:
            return;
        case JSON_LEX_TOKEN:
            stream_token(p, &tok);
            return;
        case JSON_LEX_TOKEN_AGAIN:
            stream_token(p, &tok);
            break;
        case JSON_LEX_ERROR:
            stream_error(p, err, json_parser_depth(p->parser), quote);
            break;
        }
        /* c was not consumed: it starts the next token, or goes to the skipper. */
        if (p->rec.active && !recover_byte(&p->rec, c)) {
            return;
        }
    }
}

static void stream_byte(JSONStreamParser *p, unsigned char c)
{
    p->byte_at_line_start = p->line_start;
    if (c == '\n') {
        p->line_start = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
        p->line_start = false;
    }
    if (c == 0xFF) {
        /* Never valid in JSON text: QEMU's clients send it to reset the parser. */
        stream_reset(p);
        return;
    }
    if (p->rec.active && !recover_byte(&p->rec, c)) {
        return;
    }
    if (json_lexer_idle(&p->lexer) && json_parser_depth(p->parser) == 0) {
        p->value_bytes = 0;  /* white space between values does not count */
    }
    if (++p->value_bytes > JSON_MAX_TOKEN_SIZE) {
        GError *err = NULL;
        error_setg(&err, "JSON parse error, value larger than %llu bytes",
                   (unsigned long long)JSON_MAX_TOKEN_SIZE);
        char quote = json_lexer_in_string(&p->lexer) ? p->lexer.quote : 0;
        stream_error(p, err, json_parser_depth(p->parser), quote);
        if (recover_byte(&p->rec, c)) {
            stream_lex(p, c);
        }
        return;
    }
    stream_lex(p, c);
}

void json_stream_parser_feed(JSONStreamParser *p, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        stream_byte(p, (unsigned char)buf[i]);
    }
}

void json_stream_parser_flush(JSONStreamParser *p)
{
    GError *err = NULL;
    JSONToken tok;

    if (p->rec.active) {
        stream_reset(p);  /* the error was already reported */
        return;
    }
    switch (json_lexer_finish(&p->lexer, &tok, &err)) {
    case JSON_LEX_ERROR:
        stream_reset(p);
        p->emit(p->opaque, NULL, err);
        return;
    case JSON_LEX_TOKEN:
        stream_token(p, &tok);
        break;
    default:
        break;
    }
    if (!p->rec.active && json_parser_depth(p->parser) > 0) {
        error_setg(&err, "JSON parse error, premature end of input");
        stream_reset(p);
        p->emit(p->opaque, NULL, err);
    }
    stream_reset(p);
}

typedef struct OneShot {
    QObject *obj;
    GError *err;
    unsigned count;
} OneShot;

static void one_shot_emit(void *opaque, QObject *obj, GError *err)
{
    OneShot *s = opaque;

    if (++s->count == 1) {
        s->obj = obj;
        s->err = err;
        return;
    }
    if (s->obj) {
        qobject_unref(s->obj);
        s->obj = NULL;
        error_setg(&s->err, "JSON parse error, unexpected text after the value");
    }
    qobject_unref(obj);
    if (err) {
        g_error_free(err);
    }
}

QObject *qobject_from_json(const char *text, GError **errp)
{
    OneShot s = { 0 };
    JSONStreamParser *p = json_stream_parser_new(one_shot_emit, &s);

    json_stream_parser_feed(p, text, strlen(text));
    json_stream_parser_flush(p);
    json_stream_parser_free(p);
    if (s.count == 0) {
        error_setg(errp, "JSON parse error, expecting value");
        return NULL;
    }
    error_propagate(errp, s.err);
    return s.obj;
}
