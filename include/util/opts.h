/* Option lists in the manner of QEMU's QemuOpts: -numa, -object, -machine, -smp, -m, -accel. */
#ifndef NUMBAT_UTIL_OPTS_H
#define NUMBAT_UTIL_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include "qapi/error.h"
#include "qobject/qobject.h"

typedef enum OptType {
    OPT_STRING,
    OPT_BOOL,   /* on/off, yes/no, true/false, y/n */
    OPT_NUMBER, /* uint64, base 0 */
    OPT_SIZE,   /* uint64 with suffixes, see qemu_strtosz() */
} OptType;

typedef struct OptDesc {
    const char *name;
    OptType type;
    const char *help;
    const char *def_value_str;
} OptDesc;

/*
 * A named option list (e.g. "numa").  An empty desc (first name NULL) accepts any key and
 * leaves validation to a visitor; otherwise unknown keys are "Invalid parameter 'KEY'".
 * implied_opt_name: the first element without '=' is this key (-numa node => type=node).
 * merge_lists: all occurrences merge into one Opts (-machine, -smp, -m), later keys win.
 */
typedef struct OptsList {
    const char *name;
    const char *implied_opt_name;
    bool merge_lists;
    const OptDesc *desc; /* terminated by an entry with name NULL; may be NULL */
} OptsList;

typedef struct Opts Opts;
typedef struct OptsStore OptsStore;

/* A store of parsed options, per list name, in command-line order (owned by main, no globals). */
OptsStore *opts_store_new(void);
void opts_store_free(OptsStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OptsStore, opts_store_free)

/*
 * Parse "node,nodeid=0,cpus=0-1" for list.  ',,' stands for a literal ','.  A bare key
 * without '=' is the implied option (first position only) or, for a bool-typed desc, "on";
 * "help" or "?" sets *help_wanted (if non-NULL) and returns the Opts anyway.
 * origin is the text used in error locations, e.g. "-numa node,nodeid=0".
 * The returned Opts is appended to store (or merged into the existing one).
 * Details (util/): parsing stops at a help element (later elements are neither stored nor
 * checked); a first-position "help" is also stored as the implied key ("-object help" gives
 * qom-type=help); such a help Opts stays owned by the store but is kept out of the list (not
 * merged, its id not registered), as QEMU drops it.  Without help_wanted, "help" is an
 * ordinary bare word.  Bare "noX" is X=off when the desc says X is bool.  Only the first
 * id= counts.  On error nothing changes in the store.  Messages carry no location:
 * print with error_report_err_loc(opts_origin or origin, err).
 */
Opts *opts_parse(OptsStore *store, const OptsList *list, const char *params,
                 const char *origin, bool *help_wanted, GError **errp);

/* All Opts of a list in command-line order (NULL-terminated array owned by the store). */
Opts *const *opts_store_get_all(OptsStore *store, const char *list_name, size_t *count);
/* The single (merged) Opts of a list, or NULL. */
Opts *opts_store_find(OptsStore *store, const char *list_name);

const char *opts_origin(const Opts *opts);     /* "-numa node,nodeid=0" */
const OptsList *opts_list(const Opts *opts);
/* The id= value or NULL (id is validated: letter first, then letters, digits, '-', '.', '_'). */
const char *opts_id(const Opts *opts);

/* Last value of a key, else the desc table's def_value_str (as qemu_opt_get), else NULL. */
const char *opt_get(const Opts *opts, const char *name);
bool opt_has(const Opts *opts, const char *name);
/* Typed getters: def when absent; errors are the parse-time ones (see opts_parse), e.g.
 * "Parameter 'share' expects 'on' or 'off'". */
bool opt_get_bool(const Opts *opts, const char *name, bool def, bool *out, GError **errp);
bool opt_get_number(const Opts *opts, const char *name, uint64_t def, uint64_t *out, GError **errp);
bool opt_get_size(const Opts *opts, const char *name, uint64_t def, uint64_t *out, GError **errp);
void opt_set(Opts *opts, const char *name, const char *value);
bool opt_unset(Opts *opts, const char *name); /* removes every occurrence; true if any */

/* Entries in order (repeated keys appear repeatedly). */
size_t opts_count(const Opts *opts);
const char *opts_name_at(const Opts *opts, size_t i);
const char *opts_value_at(const Opts *opts, size_t i);

/* QDict of the entries (last value wins), with "id" if set. */
QDict *opts_to_qdict(const Opts *opts);

/* Help text for a list with a desc table: one "  name=<type> - help" line each.
 * (util/: QEMU's layout, see opts_help_line; sorted by name, each line ends in '\n', no
 * caption -- the caller prints "LIST options:"; "" when the list has no desc.) */
char *opts_list_help(const OptsList *list);

/*
 * Additions (util/ owner).
 * Messages of opts_parse (the caller adds the location, e.g. error_report_err_loc(origin, err)):
 *   "Invalid parameter 'KEY'"                       unknown key (desc table), empty key, id= in a merge list
 *   "Expected '=' after parameter 'KEY'"            bare word that is not a bool of the desc table
 *   "Parameter 'KEY' expects 'on' or 'off'"          bool: on/off yes/no true/false y/n
 *   "Parameter 'KEY' expects a number"               number (base 0)
 *   "Value 'V' is too large for parameter 'KEY'"     number past 2^64-1 ("out of range" when negative)
 *   "Parameter 'KEY' expects a non-negative number below 2^64\n" OPT_SIZE_HINT
 *   "Value 'V' is out of range for parameter 'KEY'"  size past 2^64-1
 *   "Parameter 'id' expects an identifier\n" OPT_ID_HINT
 *   "Duplicate ID 'ID' for LIST"
 * Hints follow the message after a newline (QEMU prints them on the next line).
 */
#define OPT_SIZE_HINT "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n" \
                      "and exabytes, respectively."
#define OPT_ID_HINT "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter."

/* Check an Opts of an accept-any list against a desc table afterwards (qemu_opts_validate). */
bool opts_validate(const Opts *opts, const OptDesc *desc, GError **errp);
/* "str", "bool (on/off)", "num", "size" (QEMU's help names). */
const char *opt_type_name(OptType type);
/* One help line without newline: "  name=<type>" padded to 24 columns, then " - help" if any.
 * Also for QOM property help (-object TYPE,help). */
char *opts_help_line(const char *name, const char *type_name, const char *help);

/* Visitor over one Opts as a struct: keys are members, repeated keys and "a-b" ranges
 * (also "a-b:c:d-e") form integer lists; sizes accept suffixes; unvisited keys are
 * "Invalid parameter 'KEY'" at visit_check_struct.  Messages follow QEMU's OptsVisitor. */
typedef struct Visitor Visitor;
Visitor *opts_visitor_new(const Opts *opts);

#endif
