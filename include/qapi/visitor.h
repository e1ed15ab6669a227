/* The visitor interface: one walk over a QAPI type, whose direction the visitor decides. */
#ifndef NUMBAT_QAPI_VISITOR_H
#define NUMBAT_QAPI_VISITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"
#include "qobject/qobject.h"

/*
 * The contract follows QEMU's qapi/visitor.h:
 *  - input visitors build C values from some source (QObject, option list, string);
 *  - output visitors turn C values into a QObject;
 *  - the dealloc visitor frees a C value (what qapi_free_FOO uses).
 * Every visit_type_* returns true on success; on failure it sets errp and, for input
 * visitors, leaves *obj in a state the dealloc visitor can free.
 *
 * A struct visit:   visit_start_struct; members...; visit_check_struct; visit_end_struct.
 * A list visit:     visit_start_list; for (tail = *list; tail; tail = visit_next_list(..)) {
 *                   visit_type_T(v, NULL, &tail->value, ..) }; visit_check_list; visit_end_list.
 * An optional member: if (visit_optional(v, "name", &has_name)) visit_type_..(v, "name", ..).
 */

typedef struct Visitor Visitor;

/* Every generated FooList has this shape: next pointer first, then the value. */
typedef struct GenericList {
    struct GenericList *next;
    char padding[];
} GenericList;

/* Enum name table, generated per enum: FooEnum_lookup. */
typedef struct QEnumLookup {
    const char *const *array;
    int size;
} QEnumLookup;

const char *qapi_enum_lookup(const QEnumLookup *lookup, int val);
/* Index of buf in lookup, or def if buf is NULL; sets errp for an unknown name. */
int qapi_enum_parse(const QEnumLookup *lookup, const char *buf, int def, GError **errp);

typedef enum VisitorType {
    VISITOR_INPUT = 1,
    VISITOR_OUTPUT = 2,
    VISITOR_DEALLOC = 8,
} VisitorType;

VisitorType visit_get_type(Visitor *v);
bool visit_is_input(Visitor *v);
bool visit_is_dealloc(Visitor *v);

/* Structs. For input, *obj is allocated (g_malloc0(size)) when obj is non-NULL. */
bool visit_start_struct(Visitor *v, const char *name, void **obj, size_t size, GError **errp);
/* Input: fails if the source has members that were never visited ("Parameter 'x' is unexpected"). */
bool visit_check_struct(Visitor *v, GError **errp);
void visit_end_struct(Visitor *v, void **obj);

/* Lists. For input, *list is the first node (g_malloc0(size)) or NULL for an empty list. */
bool visit_start_list(Visitor *v, const char *name, GenericList **list, size_t size, GError **errp);
GenericList *visit_next_list(Visitor *v, GenericList *tail, size_t size);
bool visit_check_list(Visitor *v, GError **errp);
void visit_end_list(Visitor *v, void **list);

/* Optional members: returns whether to visit the member; input sets *present from the source,
 * output/dealloc use *present as given. */
bool visit_optional(Visitor *v, const char *name, bool *present);

/* Scalars. Out-of-range input gives "Parameter 'NAME' expects uint16_t" style messages. */
bool visit_type_int(Visitor *v, const char *name, int64_t *obj, GError **errp);
bool visit_type_int8(Visitor *v, const char *name, int8_t *obj, GError **errp);
bool visit_type_int16(Visitor *v, const char *name, int16_t *obj, GError **errp);
bool visit_type_int32(Visitor *v, const char *name, int32_t *obj, GError **errp);
bool visit_type_int64(Visitor *v, const char *name, int64_t *obj, GError **errp);
bool visit_type_uint8(Visitor *v, const char *name, uint8_t *obj, GError **errp);
bool visit_type_uint16(Visitor *v, const char *name, uint16_t *obj, GError **errp);
bool visit_type_uint32(Visitor *v, const char *name, uint32_t *obj, GError **errp);
bool visit_type_uint64(Visitor *v, const char *name, uint64_t *obj, GError **errp);
/* A byte count: like uint64, but option-list/string input accepts suffixes (1G, 512M). */
bool visit_type_size(Visitor *v, const char *name, uint64_t *obj, GError **errp);
bool visit_type_bool(Visitor *v, const char *name, bool *obj, GError **errp);
/* Input allocates *obj (g_strdup); output reads it (NULL is output as ""). */
bool visit_type_str(Visitor *v, const char *name, char **obj, GError **errp);
bool visit_type_number(Visitor *v, const char *name, double *obj, GError **errp);
/* Any JSON value, as a QObject reference. */
bool visit_type_any(Visitor *v, const char *name, QObject **obj, GError **errp);
bool visit_type_null(Visitor *v, const char *name, QNull **obj, GError **errp);
/* Enums travel as their string names. */
bool visit_type_enum(Visitor *v, const char *name, int *obj, const QEnumLookup *lookup,
                     GError **errp);

/* Output visitors: hand the result to the caller (QObject ** for the qobject output visitor). */
void visit_complete(Visitor *v, void *result);
void visit_free(Visitor *v);

/* Concrete visitors. */
Visitor *qobject_input_visitor_new(QObject *obj);      /* takes a new reference */
/* Same over a QDict whose scalars are all strings (opts_to_qdict(), key=value text):
 * numbers, sizes (suffixes) and bools (on/off...) are parsed from them. */
Visitor *qobject_input_visitor_new_keyval(QObject *obj);
Visitor *qobject_output_visitor_new(QObject **result);  /* *result set by visit_complete */
Visitor *qapi_dealloc_visitor_new(void);
/* String input: one scalar from text; for integer lists accepts "0-3,5" / "0-3:5" ranges. */
Visitor *string_input_visitor_new(const char *str);

#endif
