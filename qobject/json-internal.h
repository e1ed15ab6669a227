/* Private interfaces between numbat's JSON lexer, push parser and stream parser. */
#ifndef NUMBAT_JSON_INTERNAL_H
#define NUMBAT_JSON_INTERNAL_H

#include "qobject/json.h"

typedef enum JSONTokenType {
    JSON_LCURLY,
    JSON_RCURLY,
    JSON_LSQUARE,
    JSON_RSQUARE,
    JSON_COLON,
    JSON_COMMA,
    JSON_STRING,    /* text: decoded UTF-8, never contains NUL */
    JSON_INTEGER,   /* text: as written, e.g. "-12" */
    JSON_FLOAT,     /* text: as written, e.g. "1.5e3" */
    JSON_TRUE,
    JSON_FALSE,
    JSON_NULL,
} JSONTokenType;

/* A token borrows the lexer's buffer: it is valid until the next byte is fed. */
typedef struct JSONToken {
    JSONTokenType type;
    const char *text;
    size_t len;
} JSONToken;

typedef enum JSONLexResult {
    JSON_LEX_NONE,        /* byte consumed, no token yet */
    JSON_LEX_TOKEN,       /* byte consumed and completed a token */
    JSON_LEX_TOKEN_AGAIN, /* a token ended before this byte: feed the byte again */
    JSON_LEX_ERROR,       /* this byte is invalid here; the lexer has been reset */
} JSONLexResult;

typedef struct JSONLexer {
    int state;
    char quote;            /* '"' or '\'' while in a string */
    GString *buf;          /* decoded string, number text or keyword letters */
    unsigned uvalue;       /* \uXXXX being collected */
    int udigits;
    unsigned high;         /* pending high surrogate, 0 if none */
    int utf8_need;         /* continuation bytes still expected */
    unsigned char utf8_lo, utf8_hi; /* allowed range of the next continuation byte */
} JSONLexer;

void json_lexer_init(JSONLexer *lx);
void json_lexer_destroy(JSONLexer *lx);
void json_lexer_reset(JSONLexer *lx);
bool json_lexer_idle(const JSONLexer *lx);       /* between tokens */
bool json_lexer_in_string(const JSONLexer *lx);
JSONLexResult json_lexer_feed_byte(JSONLexer *lx, unsigned char c, JSONToken *tok,
                                   GError **errp);
/* End of input: completes a pending number, errors on any other partial token. */
JSONLexResult json_lexer_finish(JSONLexer *lx, JSONToken *tok, GError **errp);

typedef enum JSONParseResult {
    JSON_PARSE_MORE,  /* token accepted, value not complete */
    JSON_PARSE_DONE,  /* a top-level value is complete */
    JSON_PARSE_ERROR, /* token rejected; the parser has been reset */
} JSONParseResult;

typedef struct JSONParser JSONParser;
JSONParser *json_parser_new(void);
void json_parser_free(JSONParser *ps);
void json_parser_reset(JSONParser *ps);
/* Open arrays/objects of the value being built. */
unsigned json_parser_depth(const JSONParser *ps);
JSONParseResult json_parser_feed_token(JSONParser *ps, const JSONToken *tok, QObject **out,
                                       GError **errp);

#endif
