/* Internal vtable behind Visitor: what each concrete visitor implements (not a public header). */
#ifndef NUMBAT_QAPI_VISITOR_IMPL_H
#define NUMBAT_QAPI_VISITOR_IMPL_H

#include "qapi/visitor.h"

/*
 * A concrete visitor embeds this struct as its first member and fills the callbacks.
 * The dispatching core (qapi/visitor.c) checks ranges for the narrow integer types, parses
 * and prints enums, and reports a callback left NULL as an unsupported type instead of
 * crashing, so a visitor only implements what its source can express.
 */
struct Visitor {
    VisitorType type;

    /* Must be set by every visitor. */
    bool (*start_struct)(Visitor *v, const char *name, void **obj, size_t size, GError **errp);
    void (*end_struct)(Visitor *v, void **obj);
    bool (*start_list)(Visitor *v, const char *name, GenericList **list, size_t size,
                       GError **errp);
    GenericList *(*next_list)(Visitor *v, GenericList *tail, size_t size);
    void (*end_list)(Visitor *v, void **list);
    void (*free)(Visitor *v);

    /* Optional: a NULL check_* always succeeds. */
    bool (*check_struct)(Visitor *v, GError **errp);
    bool (*check_list)(Visitor *v, GError **errp);
    /* Optional: NULL leaves *present as the caller gave it (output, dealloc). */
    void (*optional)(Visitor *v, const char *name, bool *present);

    /* Scalars; type_size falls back to type_uint64 when NULL. */
    bool (*type_int64)(Visitor *v, const char *name, int64_t *obj, GError **errp);
    bool (*type_uint64)(Visitor *v, const char *name, uint64_t *obj, GError **errp);
    bool (*type_size)(Visitor *v, const char *name, uint64_t *obj, GError **errp);
    bool (*type_bool)(Visitor *v, const char *name, bool *obj, GError **errp);
    bool (*type_str)(Visitor *v, const char *name, char **obj, GError **errp);
    bool (*type_number)(Visitor *v, const char *name, double *obj, GError **errp);
    bool (*type_any)(Visitor *v, const char *name, QObject **obj, GError **errp);
    bool (*type_null)(Visitor *v, const char *name, QNull **obj, GError **errp);

    /* Output visitors only. */
    void (*complete)(Visitor *v, void *opaque);
};

/*
 * One item of an integer list written as text: "A" or "A-B" (inclusive, B >= A, at most
 * VISIT_RANGE_MAX_ELEMENTS values), numbers in base 0, followed by NUL or one of the
 * separator characters in seps.  On success *first and *last hold the range (as int64_t bits
 * when is_signed) and *end points at the terminator; returns false on any syntax or range
 * error without setting an error (callers word their own message).
 */
#define VISIT_RANGE_MAX_ELEMENTS 65536
bool visit_parse_range_item(const char *text, bool is_signed, const char *seps,
                            uint64_t *first, uint64_t *last, const char **end);

/* The whole of text is one number in base 0 (int64_t bits when is_signed); no sign when
 * unsigned, no white space, no overflow. */
bool visit_parse_number_text(const char *text, bool is_signed, uint64_t *value);

/* QEMU's boolean spellings for option-like text: on/yes/true/y and off/no/false/n. */
bool visit_parse_bool_text(const char *text, bool *value);

#endif
