/* Option lists in the manner of QEMU's QemuOpts: parsing "key=val,..." into stores, typed access. */
#include "util/opts.h"

#include <errno.h>
#include <string.h>
#include "util/cutils.h"

typedef struct OptEntry {
    char *name;
    char *value;
} OptEntry;

struct Opts {
    const OptsList *list;
    char *id;
    char *origin;
    GPtrArray *entries; /* OptEntry *, in command-line order */
};

struct OptsStore {
    /* list name -> GPtrArray of Opts *, kept NULL-terminated for opts_store_get_all() */
    GHashTable *lists;
    /* Opts returned for a help request: owned here but in no list, as QEMU drops them. */
    GPtrArray *aside;
};

/* One element of a parameter string, before any validation. */
typedef struct RawItem {
    char *name;   /* key, or the bare word when value is NULL */
    char *value;  /* NULL for a bare word */
    bool implied; /* first element without '=', value of the implied key */
} RawItem;

static void opt_entry_free(gpointer p)
{
    OptEntry *e = p;
    g_free(e->name);
    g_free(e->value);
    g_free(e);
}

static Opts *opts_new(const OptsList *list, const char *origin)
{
    Opts *opts = g_new0(Opts, 1);
    opts->list = list;
    opts->origin = g_strdup(origin);
    opts->entries = g_ptr_array_new_with_free_func(opt_entry_free);
    return opts;
}

static void opts_free(gpointer p)
{
    Opts *opts = p;
    if (!opts) {
        return;
    }
    g_free(opts->id);
    g_free(opts->origin);
    g_ptr_array_free(opts->entries, TRUE);
    g_free(opts);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Opts, opts_free)

static void opts_array_free(gpointer p)
{
    GPtrArray *arr = p;
    for (guint i = 0; i < arr->len; i++) {
        opts_free(arr->pdata[i]);
    }
    g_ptr_array_free(arr, TRUE);
}

OptsStore *opts_store_new(void)
{
    OptsStore *store = g_new0(OptsStore, 1);
    store->lists = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, opts_array_free);
    store->aside = g_ptr_array_new_with_free_func(opts_free);
    return store;
}

void opts_store_free(OptsStore *store)
{
    if (!store) {
        return;
    }
    g_hash_table_destroy(store->lists);
    g_ptr_array_free(store->aside, TRUE);
    g_free(store);
}

static GPtrArray *store_array(OptsStore *store, const char *name, bool create)
{
    GPtrArray *arr = g_hash_table_lookup(store->lists, name);
    if (!arr && create) {
        arr = g_ptr_array_new();
        g_ptr_array_add(arr, NULL);
        g_hash_table_insert(store->lists, g_strdup(name), arr);
    }
    return arr;
}

static void store_append(OptsStore *store, Opts *opts)
{
    GPtrArray *arr = store_array(store, opts->list->name, true);
    arr->pdata[arr->len - 1] = opts;
    g_ptr_array_add(arr, NULL);
}

Opts *const *opts_store_get_all(OptsStore *store, const char *list_name, size_t *count)
{
    static Opts *const none[] = { NULL };
    GPtrArray *arr = store ? store_array(store, list_name, false) : NULL;

    if (count) {
        *count = arr ? arr->len - 1 : 0;
    }
    return arr ? (Opts *const *)arr->pdata : none;
}

Opts *opts_store_find(OptsStore *store, const char *list_name)
{
    GPtrArray *arr = store ? store_array(store, list_name, false) : NULL;
    return arr ? arr->pdata[0] : NULL;
}

/* ---- splitting "a=b,,c,d" ---- */

/* Copy a value up to the next single ',' (",," is a literal comma); return where it stopped. */
static const char *get_value(const char *p, char **value)
{
    GString *s = g_string_new(NULL);
    for (;;) {
        size_t n = strcspn(p, ",");
        g_string_append_len(s, p, n);
        p += n;
        if (p[0] == ',' && p[1] == ',') {
            g_string_append_c(s, ',');
            p += 2;
            continue;
        }
        break;
    }
    *value = g_string_free(s, FALSE);
    return p;
}

/*
 * Split params into items.  The first element without '=' is a value of the implied key
 * (with ',,' escapes, as QEMU does); other elements without '=' are bare words (a key can
 * never contain ',').  Splitting itself never fails: all diagnosis comes later.
 */
static GArray *split_items(const char *params, const char *implied)
{
    GArray *items = g_array_new(FALSE, TRUE, sizeof(RawItem));
    const char *p = params;

    while (*p) {
        RawItem it = { NULL, NULL, false };
        size_t len = strcspn(p, "=,");
        if (p[len] == '=') {
            it.name = g_strndup(p, len);
            p = get_value(p + len + 1, &it.value);
        } else if (implied && p == params) {
            it.name = g_strdup(implied);
            it.implied = true;
            p = get_value(p, &it.value);
        } else {
            it.name = g_strndup(p, len);
            p += len;
        }
        g_array_append_val(items, it);
        if (*p == ',') {
            p++;
        }
    }
    return items;
}

static void raw_items_free(GArray *items)
{
    for (guint i = 0; i < items->len; i++) {
        RawItem *it = &g_array_index(items, RawItem, i);
        g_free(it->name);
        g_free(it->value);
    }
    g_array_free(items, TRUE);
}

/* ---- descriptions and typed values ---- */

static bool accepts_any(const OptsList *list)
{
    return !list->desc || !list->desc[0].name;
}

static const OptDesc *find_desc(const OptsList *list, const char *name)
{
    for (const OptDesc *d = list->desc; d && d->name; d++) {
        if (!strcmp(d->name, name)) {
            return d;
        }
    }
    return NULL;
}

static bool parse_bool_value(const char *name, const char *value, bool *out, GError **errp)
{
    static const char *const yes[] = { "on", "yes", "true", "y" };
    static const char *const no[] = { "off", "no", "false", "n" };

    for (size_t i = 0; value && i < G_N_ELEMENTS(yes); i++) {
        if (!strcmp(value, yes[i]) || !strcmp(value, no[i])) {
            *out = !strcmp(value, yes[i]);
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
    return false;
}

static bool parse_number_value(const char *name, const char *value, uint64_t *out,
                               GError **errp)
{
    int ret = qemu_strtou64(value, NULL, 0, out);
    if (ret == -ERANGE) {
        /* qemu_strtou64 calls negative numbers out of range; "too large" would mislead. */
        if (strchr(value, '-')) {
            error_setg(errp, "Value '%s' is out of range for parameter '%s'", value, name);
        } else {
            error_setg(errp, "Value '%s' is too large for parameter '%s'", value, name);
        }
        return false;
    }
    if (ret) {
        error_setg(errp, "Parameter '%s' expects a number", name);
        return false;
    }
    return true;
}

static bool parse_size_value(const char *name, const char *value, uint64_t *out, GError **errp)
{
    int ret = qemu_strtosz(value, NULL, out);
    if (ret == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'", value, name);
        return false;
    }
    if (ret) {
        error_setg(errp, "Parameter '%s' expects a non-negative number below 2^64\n%s",
                   name, OPT_SIZE_HINT);
        return false;
    }
    return true;
}

/* Check value against the type of desc (NULL desc: anything goes). */
static bool validate_value(const OptDesc *desc, const char *value, GError **errp)
{
    bool b;
    uint64_t n;

    if (!desc) {
        return true;
    }
    switch (desc->type) {
    case OPT_BOOL:
        return parse_bool_value(desc->name, value, &b, errp);
    case OPT_NUMBER:
        return parse_number_value(desc->name, value, &n, errp);
    case OPT_SIZE:
        return parse_size_value(desc->name, value, &n, errp);
    case OPT_STRING:
    default:
        return true;
    }
}

static bool is_help_word(const char *s)
{
    return !strcmp(s, "help") || !strcmp(s, "?");
}

/*
 * A bare word after the first position: "X" is X=on and "noX" is X=off, but only when the
 * desc table says X is a bool.  Everywhere else it is an error, as keyval (and thus QEMU's
 * -object) reports it, rather than QemuOpts' deprecated silent "X=on".
 */
static bool resolve_bare_word(const OptsList *list, RawItem *it, GError **errp)
{
    const OptDesc *d = find_desc(list, it->name);

    if (!*it->name) {
        error_setg(errp, "Invalid parameter ''");
        return false;
    }
    if (d && d->type == OPT_BOOL) {
        it->value = g_strdup("on");
        return true;
    }
    if (!d && g_str_has_prefix(it->name, "no")) {
        d = find_desc(list, it->name + 2);
        if (d && d->type == OPT_BOOL) {
            char *name = g_strdup(it->name + 2);
            g_free(it->name);
            it->name = name;
            it->value = g_strdup("off");
            return true;
        }
        d = NULL;
    }
    if (!d && !accepts_any(list)) {
        error_setg(errp, "Invalid parameter '%s'", it->name);
    } else {
        error_setg(errp, "Expected '=' after parameter '%s'", it->name);
    }
    return false;
}

/* ---- ids ---- */

static bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

static bool find_id_in_store(OptsStore *store, const char *list_name, const char *id)
{
    size_t n;
    Opts *const *all = opts_store_get_all(store, list_name, &n);
    for (size_t i = 0; i < n; i++) {
        if (all[i]->id && !strcmp(all[i]->id, id)) {
            return true;
        }
    }
    return false;
}

/* The first id= item decides (later ones are ignored, as in QEMU); checked before anything else. */
static bool check_id(OptsStore *store, const OptsList *list, GArray *items, char **id,
                     GError **errp)
{
    *id = NULL;
    for (guint i = 0; i < items->len; i++) {
        RawItem *it = &g_array_index(items, RawItem, i);
        if (it->value && !strcmp(it->name, "id")) {
            *id = it->value;
            break;
        }
    }
    if (!*id) {
        return true;
    }
    if (list->merge_lists) {
        error_setg(errp, "Invalid parameter 'id'");
        return false;
    }
    if (!id_wellformed(*id)) {
        error_setg(errp, "Parameter 'id' expects an identifier\n%s", OPT_ID_HINT);
        return false;
    }
    if (find_id_in_store(store, list->name, *id)) {
        error_setg(errp, "Duplicate ID '%s' for %s", *id, list->name);
        return false;
    }
    return true;
}

/* ---- parsing ---- */

/* Fill opts from items.  A help element stops the walk: nothing after it is looked at. */
static bool fill_opts(Opts *opts, GArray *items, bool *help_wanted, GError **errp)
{
    const OptsList *list = opts->list;

    for (guint i = 0; i < items->len; i++) {
        RawItem *it = &g_array_index(items, RawItem, i);
        bool implied = it->implied;
        const char *word = implied ? it->value : (it->value ? NULL : it->name);

        if (help_wanted && word && is_help_word(word)) {
            *help_wanted = true;
            if (implied) {
                opt_set(opts, it->name, it->value); /* "-object help": qom-type=help */
            }
            return true;
        }
        if (!it->value && !resolve_bare_word(list, it, errp)) {
            return false;
        }
        if (!strcmp(it->name, "id")) {
            continue; /* kept in opts->id, not among the entries */
        }
        const OptDesc *d = find_desc(list, it->name);
        if (!d && !accepts_any(list)) {
            error_setg(errp, "Invalid parameter '%s'", it->name);
            return false;
        }
        if (!*it->name) {
            error_setg(errp, "Invalid parameter ''");
            return false;
        }
        if (!validate_value(d, it->value, errp)) {
            return false;
        }
        opt_set(opts, it->name, it->value);
    }
    return true;
}

Opts *opts_parse(OptsStore *store, const OptsList *list, const char *params,
                 const char *origin, bool *help_wanted, GError **errp)
{
    g_autofree char *default_origin = NULL;
    bool help = false;
    char *id;

    g_return_val_if_fail(store && list && list->name, NULL);
    params = params ? params : "";
    if (!origin) {
        default_origin = g_strdup_printf("-%s %s", list->name, params);
        origin = default_origin;
    }
    GArray *items = split_items(params, list->implied_opt_name);
    g_autoptr(Opts) fresh = opts_new(list, origin);

    /* Parse into a fresh Opts so a failure leaves the store (and a merged Opts) untouched. */
    bool ok = check_id(store, list, items, &id, errp) &&
              fill_opts(fresh, items, help_wanted ? &help : NULL, errp);
    if (ok) {
        fresh->id = g_strdup(id);
    }
    raw_items_free(items);
    if (!ok) {
        return NULL;
    }
    if (help) {
        /* A help request is answered, not recorded: no merging, its id stays free. */
        *help_wanted = true;
        g_ptr_array_add(store->aside, fresh);
        return g_steal_pointer(&fresh);
    }
    Opts *merged = list->merge_lists ? opts_store_find(store, list->name) : NULL;
    if (!merged) {
        Opts *opts = g_steal_pointer(&fresh);
        store_append(store, opts);
        return opts;
    }
    for (guint i = 0; i < fresh->entries->len; i++) {
        OptEntry *e = fresh->entries->pdata[i];
        opt_set(merged, e->name, e->value);
    }
    return merged;
}

/* ---- accessors ---- */

const char *opts_origin(const Opts *opts)
{
    return opts ? opts->origin : NULL;
}

const OptsList *opts_list(const Opts *opts)
{
    return opts ? opts->list : NULL;
}

const char *opts_id(const Opts *opts)
{
    return opts ? opts->id : NULL;
}

static const OptEntry *find_last(const Opts *opts, const char *name)
{
    for (guint i = opts ? opts->entries->len : 0; i-- > 0;) {
        const OptEntry *e = opts->entries->pdata[i];
        if (!strcmp(e->name, name)) {
            return e;
        }
    }
    return NULL;
}

/* The explicit value, else the desc table's default (as qemu_opt_get does). */
const char *opt_get(const Opts *opts, const char *name)
{
    const OptEntry *e = find_last(opts, name);
    const OptDesc *d;

    if (e) {
        return e->value;
    }
    d = opts ? find_desc(opts->list, name) : NULL;
    return d ? d->def_value_str : NULL;
}

bool opt_has(const Opts *opts, const char *name)
{
    return find_last(opts, name) != NULL;
}

bool opt_get_bool(const Opts *opts, const char *name, bool def, bool *out, GError **errp)
{
    const char *v = opt_get(opts, name);
    if (!v) {
        *out = def;
        return true;
    }
    return parse_bool_value(name, v, out, errp);
}

bool opt_get_number(const Opts *opts, const char *name, uint64_t def, uint64_t *out,
                    GError **errp)
{
    const char *v = opt_get(opts, name);
    if (!v) {
        *out = def;
        return true;
    }
    return parse_number_value(name, v, out, errp);
}

bool opt_get_size(const Opts *opts, const char *name, uint64_t def, uint64_t *out,
                  GError **errp)
{
    const char *v = opt_get(opts, name);
    if (!v) {
        *out = def;
        return true;
    }
    return parse_size_value(name, v, out, errp);
}

void opt_set(Opts *opts, const char *name, const char *value)
{
    OptEntry *e = g_new(OptEntry, 1);
    e->name = g_strdup(name);
    e->value = g_strdup(value ? value : "");
    g_ptr_array_add(opts->entries, e);
}

bool opt_unset(Opts *opts, const char *name)
{
    bool found = false;
    for (guint i = opts->entries->len; i-- > 0;) {
        OptEntry *e = opts->entries->pdata[i];
        if (!strcmp(e->name, name)) {
            g_ptr_array_remove_index(opts->entries, i);
            found = true;
        }
    }
    return found;
}

size_t opts_count(const Opts *opts)
{
    return opts ? opts->entries->len : 0;
}

const char *opts_name_at(const Opts *opts, size_t i)
{
    return opts && i < opts->entries->len ? ((OptEntry *)opts->entries->pdata[i])->name : NULL;
}

const char *opts_value_at(const Opts *opts, size_t i)
{
    return opts && i < opts->entries->len ? ((OptEntry *)opts->entries->pdata[i])->value : NULL;
}

bool opts_validate(const Opts *opts, const OptDesc *desc, GError **errp)
{
    const OptsList tmp = { .name = opts->list->name, .desc = desc };

    for (guint i = 0; i < opts->entries->len; i++) {
        const OptEntry *e = opts->entries->pdata[i];
        const OptDesc *d = find_desc(&tmp, e->name);
        if (!d) {
            error_setg(errp, "Invalid parameter '%s'", e->name);
            return false;
        }
        if (!validate_value(d, e->value, errp)) {
            return false;
        }
    }
    return true;
}
