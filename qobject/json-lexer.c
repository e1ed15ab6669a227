/* Incremental JSON lexer: one byte at a time, so a token may be split across feeds anywhere. */
#include "json-internal.h"

#include <stdarg.h>
#include <string.h>

enum {
    L_START,
    L_KEYWORD,
    N_MINUS, N_ZERO, N_INT, N_DOT, N_FRAC, N_E, N_ESIGN, N_EXP,
    S_NORMAL,  /* inside a string */
    S_UTF8,    /* inside a multi-byte UTF-8 sequence */
    S_ESC,     /* after a backslash */
    S_U,       /* collecting the 4 hex digits of \uXXXX */
    S_LOW_BS,  /* after a high surrogate escape: need '\\' */
    S_LOW_U,   /* after a high surrogate escape and '\\': need 'u' */
};

void json_lexer_init(JSONLexer *lx)
{
    lx->buf = g_string_sized_new(64);
    json_lexer_reset(lx);
}

void json_lexer_destroy(JSONLexer *lx)
{
    g_string_free(lx->buf, TRUE);
    lx->buf = NULL;
}

void json_lexer_reset(JSONLexer *lx)
{
    lx->state = L_START;
    lx->quote = 0;
    lx->high = 0;
    lx->udigits = 0;
    lx->utf8_need = 0;
    g_string_truncate(lx->buf, 0);
}

bool json_lexer_idle(const JSONLexer *lx)
{
    return lx->state == L_START;
}

bool json_lexer_in_string(const JSONLexer *lx)
{
    return lx->state >= S_NORMAL;
}

static JSONLexResult lex_error(JSONLexer *lx, GError **errp, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static JSONLexResult lex_error(JSONLexer *lx, GError **errp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_setg(errp, "JSON parse error, %s", msg);
    json_lexer_reset(lx);
    return JSON_LEX_ERROR;
}

/* A printable description of a byte for error messages (never raw control or non-ASCII bytes). */
static const char *byte_name(unsigned char c, char buf[8])
{
    if (c >= 0x21 && c < 0x7f && c != '\'') {
        g_snprintf(buf, 8, "'%c'", c);
    } else {
        g_snprintf(buf, 8, "0x%02x", c);
    }
    return buf;
}

static JSONLexResult emit(JSONLexer *lx, JSONTokenType type, JSONToken *tok, JSONLexResult r)
{
    tok->type = type;
    tok->text = lx->buf->str;
    tok->len = lx->buf->len;
    lx->state = L_START;
    return r;
}

static JSONLexResult lex_start(JSONLexer *lx, unsigned char c, JSONToken *tok, GError **errp)
{
    static const char punct[] = "{}[]:,";
    static const JSONTokenType punct_type[] = {
        JSON_LCURLY, JSON_RCURLY, JSON_LSQUARE, JSON_RSQUARE, JSON_COLON, JSON_COMMA,
    };
    char nb[8];

    g_string_truncate(lx->buf, 0);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        return JSON_LEX_NONE;
    }
    const char *p = c ? strchr(punct, c) : NULL;
    if (p) {
        return emit(lx, punct_type[p - punct], tok, JSON_LEX_TOKEN);
    }
    if (c == '"' || c == '\'') {
        lx->quote = c;
        lx->state = S_NORMAL;
        return JSON_LEX_NONE;
    }
    if (c == '-' || g_ascii_isdigit(c)) {
        g_string_append_c(lx->buf, c);
        lx->state = c == '-' ? N_MINUS : c == '0' ? N_ZERO : N_INT;
        return JSON_LEX_NONE;
    }
    if (c >= 'a' && c <= 'z') {
        g_string_append_c(lx->buf, c);
        lx->state = L_KEYWORD;
        return JSON_LEX_NONE;
    }
    return lex_error(lx, errp, "stray %s", byte_name(c, nb));
}

static JSONLexResult lex_keyword(JSONLexer *lx, unsigned char c, JSONToken *tok, GError **errp)
{
    if (c >= 'a' && c <= 'z') {
        if (lx->buf->len >= 5) {  /* longer than "false": cannot be a keyword */
            return lex_error(lx, errp, "invalid keyword '%s%c...'", lx->buf->str, c);
        }
        g_string_append_c(lx->buf, c);
        return JSON_LEX_NONE;
    }
    const char *word = lx->buf->str;
    if (strcmp(word, "true") == 0) {
        return emit(lx, JSON_TRUE, tok, JSON_LEX_TOKEN_AGAIN);
    }
    if (strcmp(word, "false") == 0) {
        return emit(lx, JSON_FALSE, tok, JSON_LEX_TOKEN_AGAIN);
    }
    if (strcmp(word, "null") == 0) {
        return emit(lx, JSON_NULL, tok, JSON_LEX_TOKEN_AGAIN);
    }
    return lex_error(lx, errp, "invalid keyword '%s'", word);
}

/* Next number state for c, or -1 if c cannot continue the number. */
static int number_next(int state, unsigned char c)
{
    bool digit = g_ascii_isdigit(c);
    switch (state) {
    case N_MINUS:
        return c == '0' ? N_ZERO : digit ? N_INT : -1;
    case N_ZERO:
    case N_INT:
        if (c == '.') {
            return N_DOT;
        }
        if (c == 'e' || c == 'E') {
            return N_E;
        }
        return digit && state == N_INT ? N_INT : -1;
    case N_DOT:
    case N_FRAC:
        if ((c == 'e' || c == 'E') && state == N_FRAC) {
            return N_E;
        }
        return digit ? N_FRAC : -1;
    case N_E:
        return c == '+' || c == '-' ? N_ESIGN : digit ? N_EXP : -1;
    default: /* N_ESIGN, N_EXP */
        return digit ? N_EXP : -1;
    }
}

static bool number_complete(int state)
{
    return state == N_ZERO || state == N_INT || state == N_FRAC || state == N_EXP;
}

static JSONLexResult number_token(JSONLexer *lx, JSONToken *tok, JSONLexResult r)
{
    bool integer = lx->state == N_ZERO || lx->state == N_INT;
    return emit(lx, integer ? JSON_INTEGER : JSON_FLOAT, tok, r);
}

static JSONLexResult lex_number(JSONLexer *lx, unsigned char c, JSONToken *tok, GError **errp)
{
    int next = number_next(lx->state, c);
    char nb[8];

    if (next >= 0) {
        g_string_append_c(lx->buf, c);
        lx->state = next;
        return JSON_LEX_NONE;
    }
    /* A digit after a leading zero, or a letter glued to a number, is a malformed number. */
    if (number_complete(lx->state) && !g_ascii_isalnum(c) && c != '.' && c != '+' && c != '-') {
        return number_token(lx, tok, JSON_LEX_TOKEN_AGAIN);
    }
    return lex_error(lx, errp, "invalid number '%s' before %s", lx->buf->str, byte_name(c, nb));
}

/* Append code point cp (<= 0x10FFFF, not a surrogate) as UTF-8. */
static void append_utf8(GString *buf, unsigned cp)
{
    char out[6];
    int n = g_unichar_to_utf8(cp, out);
    g_string_append_len(buf, out, n);
}

static JSONLexResult lex_escape(JSONLexer *lx, unsigned char c, GError **errp)
{
    static const char from[] = "\"\\/bfnrt'";
    static const char to[] = "\"\\/\b\f\n\r\t'";
    char nb[8];
    const char *p = c ? strchr(from, c) : NULL;

    if (p) {
        g_string_append_c(lx->buf, to[p - from]);
        lx->state = S_NORMAL;
        return JSON_LEX_NONE;
    }
    if (c == 'u') {
        lx->uvalue = 0;
        lx->udigits = 0;
        lx->state = S_U;
        return JSON_LEX_NONE;
    }
    return lex_error(lx, errp, "invalid escape '\\' %s in string", byte_name(c, nb));
}

static JSONLexResult lex_uescape(JSONLexer *lx, unsigned char c, GError **errp)
{
    if (!g_ascii_isxdigit(c)) {
        return lex_error(lx, errp, "invalid \\u escape: expected 4 hex digits");
    }
    lx->uvalue = lx->uvalue << 4 | g_ascii_xdigit_value(c);
    if (++lx->udigits < 4) {
        return JSON_LEX_NONE;
    }
    unsigned v = lx->uvalue;
    lx->state = S_NORMAL;
    if (lx->high) {
        if (v < 0xDC00 || v > 0xDFFF) {
            return lex_error(lx, errp, "high surrogate \\u%04X not followed by a low one",
                             lx->high);
        }
        append_utf8(lx->buf, 0x10000 + ((lx->high - 0xD800) << 10) + (v - 0xDC00));
        lx->high = 0;
    } else if (v >= 0xD800 && v <= 0xDBFF) {
        lx->high = v;
        lx->state = S_LOW_BS;
    } else if (v >= 0xDC00 && v <= 0xDFFF) {
        return lex_error(lx, errp, "lone low surrogate \\u%04X", v);
    } else if (v == 0) {
        return lex_error(lx, errp, "\\u0000 is not allowed in strings");
    } else {
        append_utf8(lx->buf, v);
    }
    return JSON_LEX_NONE;
}

/*
 * Lead byte of a multi-byte UTF-8 sequence: sets how many continuation bytes follow and
 * the allowed range of the first one, which is what excludes overlong forms (E0, F0),
 * UTF-16 surrogates (ED) and code points past U+10FFFF (F4).
 */
static bool utf8_lead(JSONLexer *lx, unsigned char c)
{
    lx->utf8_lo = 0x80;
    lx->utf8_hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        lx->utf8_need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        lx->utf8_need = 2;
        lx->utf8_lo = c == 0xE0 ? 0xA0 : 0x80;
        lx->utf8_hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        lx->utf8_need = 3;
        lx->utf8_lo = c == 0xF0 ? 0x90 : 0x80;
        lx->utf8_hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return false;
    }
    return true;
}

static JSONLexResult lex_string(JSONLexer *lx, unsigned char c, JSONToken *tok, GError **errp)
{
    char nb[8];

    if (c == (unsigned char)lx->quote) {
        return emit(lx, JSON_STRING, tok, JSON_LEX_TOKEN);
    }
    if (c == '\\') {
        lx->state = S_ESC;
        return JSON_LEX_NONE;
    }
    if (c < 0x20) {
        return lex_error(lx, errp, "control character %s in string", byte_name(c, nb));
    }
    if (c >= 0x80) {
        if (!utf8_lead(lx, c)) {
            return lex_error(lx, errp, "invalid UTF-8 byte %s in string", byte_name(c, nb));
        }
        lx->state = S_UTF8;
    }
    g_string_append_c(lx->buf, c);
    return JSON_LEX_NONE;
}

static JSONLexResult lex_utf8(JSONLexer *lx, unsigned char c, GError **errp)
{
    char nb[8];

    if (c < lx->utf8_lo || c > lx->utf8_hi) {
        return lex_error(lx, errp, "invalid UTF-8 sequence in string (bad byte %s)",
                         byte_name(c, nb));
    }
    g_string_append_c(lx->buf, c);
    lx->utf8_lo = 0x80;
    lx->utf8_hi = 0xBF;
    if (--lx->utf8_need == 0) {
        lx->state = S_NORMAL;
    }
    return JSON_LEX_NONE;
}

JSONLexResult json_lexer_feed_byte(JSONLexer *lx, unsigned char c, JSONToken *tok,
                                   GError **errp)
{
    switch (lx->state) {
    case L_START:
        return lex_start(lx, c, tok, errp);
    case L_KEYWORD:
        return lex_keyword(lx, c, tok, errp);
    case S_NORMAL:
        return lex_string(lx, c, tok, errp);
    case S_UTF8:
        return lex_utf8(lx, c, errp);
    case S_ESC:
        return lex_escape(lx, c, errp);
    case S_U:
        return lex_uescape(lx, c, errp);
    case S_LOW_BS:
    case S_LOW_U:
        if (c == (lx->state == S_LOW_BS ? '\\' : 'u')) {
            lx->state = lx->state == S_LOW_BS ? S_LOW_U : S_U;
            lx->udigits = 0;
            lx->uvalue = 0;
            return JSON_LEX_NONE;
        }
        return lex_error(lx, errp, "high surrogate \\u%04X not followed by a low one", lx->high);
    default:
        return lex_number(lx, c, tok, errp);
    }
}

JSONLexResult json_lexer_finish(JSONLexer *lx, JSONToken *tok, GError **errp)
{
    if (lx->state == L_START) {
        return JSON_LEX_NONE;
    }
    if (lx->state == L_KEYWORD) {
        /* A space ends a keyword exactly like end of input does. */
        return lex_keyword(lx, ' ', tok, errp) == JSON_LEX_ERROR ? JSON_LEX_ERROR : JSON_LEX_TOKEN;
    }
    if (lx->state >= N_MINUS && lx->state <= N_EXP && number_complete(lx->state)) {
        return number_token(lx, tok, JSON_LEX_TOKEN);
    }
    return lex_error(lx, errp, "premature end of input inside %s",
                     json_lexer_in_string(lx) ? "a string" : "a number");
}
