/* User-creatable objects: -object / object-add creation, object-del, and the -object help texts. */
#include <string.h>
#include "qom/object-interfaces.h"

bool user_creatable_complete(Object *obj, GError **errp)
{
    UserCreatableClass *ucc = (UserCreatableClass *)
        object_class_dynamic_cast(object_get_class(obj), TYPE_USER_CREATABLE);

    return !ucc || !ucc->complete || ucc->complete(obj, errp);
}

bool user_creatable_can_be_deleted(Object *obj)
{
    UserCreatableClass *ucc = (UserCreatableClass *)
        object_class_dynamic_cast(object_get_class(obj), TYPE_USER_CREATABLE);

    return !ucc || !ucc->can_be_deleted || ucc->can_be_deleted(obj);
}

bool object_id_wellformed(const char *id)
{
    if (!id || !g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id + 1; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

/*
 * Set the given properties by visiting the option list (opts visitor) or the QMP argument
 * dict (qobject input visitor) as one struct whose members are the class's settable
 * properties, in class order, as QEMU visits its ObjectOptions members in schema order.
 * Messages come from those visitors, so they match QEMU's for -object and object-add:
 * "Parameter 'size' expects a size value", "Invalid parameter 'K'" /
 * "Parameter 'K' is unexpected" for keys no property took (read-only ones included).
 */
static bool visit_meta_key(Visitor *v, const char *key, GError **errp)
{
    bool present = false;
    char *value = NULL;
    bool ok = true;

    if (visit_optional(v, key, &present)) {
        ok = visit_type_str(v, key, &value, errp);
        g_free(value);
    }
    return ok;
}

static bool set_properties_from(Object *obj, Visitor *v, GError **errp)
{
    g_autoptr(GPtrArray) props = object_class_get_properties(object_get_class(obj));

    for (guint i = 0; i < props->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(props, i);
        bool present = false;

        if (!prop->set) {
            continue;
        }
        if (!visit_optional(v, prop->name, &present)) {
            if (prop->required) {
                error_setg(errp, "Parameter '%s' is missing", prop->name);
                return false;
            }
            continue;
        }
        if (!object_property_set(obj, prop->name, v, errp)) {
            return false;
        }
    }
    return true;
}

static bool set_properties(Object *obj, Visitor *v, GError **errp)
{
    bool ok;

    if (!visit_start_struct(v, NULL, NULL, 0, errp)) {
        return false;
    }
    ok = visit_meta_key(v, "qom-type", errp) && visit_meta_key(v, "id", errp) &&
         set_properties_from(obj, v, errp) && visit_check_struct(v, errp);
    visit_end_struct(v, NULL);
    return ok;
}

/* The class for qom-type if it names a concrete user-creatable type. */
static ObjectClass *creatable_class(TypeRegistry *reg, const char *type, GError **errp)
{
    ObjectClass *oc;

    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return NULL;
    }
    oc = object_class_by_name(reg, type);
    if (!oc || object_class_is_abstract(oc) ||
        !object_class_dynamic_cast(oc, TYPE_USER_CREATABLE)) {
        error_setg(errp, "Parameter 'qom-type' does not accept value '%s'", type);
        return NULL;
    }
    return oc;
}

static bool check_id(const char *id, bool from_cli, GError **errp)
{
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return false;
    }
    if (!object_id_wellformed(id)) {
        /* QEMU prints the rule as a hint on the command line; QMP gets the first line. */
        error_setg(errp, "Parameter 'id' expects an identifier%s", from_cli ?
                   "\nIdentifiers consist of letters, digits, '-', '.', '_', starting with a "
                   "letter." : "");
        return false;
    }
    return true;
}

static bool check_unique(Object *objects, const char *id, bool from_cli, GError **errp)
{
    if (from_cli && object_resolve_path_component(objects, id)) {
        error_setg(errp, "Duplicate ID '%s' for object", id);
        return false;
    }
    if (object_resolve_path_component(objects, id) || object_property_find(objects, id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object (type '%s')", id,
                   object_get_typename(objects));
        return false;
    }
    return true;
}

static Object *user_creatable_add(Object *root, const char *type, const char *id,
                                  Visitor *v, bool from_cli, GError **errp)
{
    Object *objects = object_get_objects_root(root);
    Object *obj;

    g_assert(objects);
    if (!creatable_class(object_get_registry(root), type, errp) ||
        !check_id(id, from_cli, errp)) {
        return NULL;
    }
    /* QEMU rejects a duplicate -object id before looking at properties, but object-add's
     * properties are checked (by its argument visit) before the id is added. */
    if (from_cli && !check_unique(objects, id, from_cli, errp)) {
        return NULL;
    }
    obj = object_new(object_get_registry(root), type);
    /* As in QEMU, the object is a child of /objects while complete() runs, so complete()
     * knows its id (a memory backend names its RAM "ID" in messages); a failed complete()
     * removes it again, leaving /objects unchanged. */
    if (!set_properties(obj, v, errp) || !check_unique(objects, id, from_cli, errp) ||
        !object_property_add_child(objects, id, obj, errp)) {
        object_unref(obj);
        return NULL;
    }
    if (!user_creatable_complete(obj, errp)) {
        object_unparent(obj);
        object_unref(obj);
        return NULL;
    }
    object_unref(obj);
    return obj;
}

Object *user_creatable_add_opts(Object *root, const Opts *opts, GError **errp)
{
    const char *id = opts_id(opts);
    Visitor *v = opts_visitor_new(opts);
    Object *obj = user_creatable_add(root, opt_get(opts, "qom-type"),
                                     id ? id : opt_get(opts, "id"), v, true, errp);

    visit_free(v);
    return obj;
}

Object *user_creatable_add_qdict(Object *root, const QDict *args, GError **errp)
{
    QObject *type = qdict_get(args, "qom-type");
    QObject *id = qdict_get(args, "id");

    if (type && !qobject_to_qstring(type)) {
        error_setg(errp, "Invalid parameter type for 'qom-type', expected: string");
        return NULL;
    }
    if (id && !qobject_to_qstring(id)) {
        error_setg(errp, "Invalid parameter type for 'id', expected: string");
        return NULL;
    }
    Visitor *v = qobject_input_visitor_new(QOBJECT(args));
    Object *obj = user_creatable_add(root, qdict_get_try_str(args, "qom-type"),
                                     qdict_get_try_str(args, "id"), v, false, errp);

    visit_free(v);
    return obj;
}

bool user_creatable_del(Object *root, const char *id, GError **errp)
{
    Object *objects = object_get_objects_root(root);
    Object *obj = objects ? object_resolve_path_component(objects, id) : NULL;

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    if (!user_creatable_can_be_deleted(obj)) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    object_unparent(obj);
    return true;
}

/* ---- help ---- */

char *user_creatable_list_help(TypeRegistry *reg)
{
    GString *out = g_string_new("List of user creatable objects:\n");
    GSList *list = object_class_get_list_sorted(reg, TYPE_USER_CREATABLE, false);

    for (GSList *l = list; l; l = l->next) {
        g_string_append_printf(out, "  %s\n", object_class_get_name(l->data));
    }
    g_slist_free(list);
    return g_string_free(out, FALSE);
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *object_type_help(TypeRegistry *reg, const char *typename, GError **errp)
{
    ObjectClass *oc = object_class_by_name(reg, typename);
    g_autoptr(GPtrArray) props = NULL;
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    GString *out;

    if (!oc) {
        error_setg(errp, "Parameter 'qom-type' does not accept value '%s'", typename);
        return NULL;
    }
    props = object_class_get_properties(oc);
    for (guint i = 0; i < props->len; i++) {
        ObjectProperty *prop = g_ptr_array_index(props, i);
        g_autofree char *key = NULL;

        if (!prop->set) {
            continue;   /* read-only properties cannot be given on the command line */
        }
        key = g_strdup_printf("%s=<%s>", prop->name, prop->type);
        g_ptr_array_add(lines, prop->description
                        ? g_strdup_printf("  %-22s - %s\n", key, prop->description)
                        : g_strdup_printf("  %s\n", key));
    }
    if (!lines->len) {
        return g_strdup_printf("There are no options for %s.\n", typename);
    }
    /* Sorted by the whole line, as QEMU does ("prealloc-threads=" before "prealloc="). */
    g_ptr_array_sort(lines, cmp_str);
    out = g_string_new(NULL);
    g_string_append_printf(out, "%s options:\n", typename);
    for (guint i = 0; i < lines->len; i++) {
        g_string_append(out, g_ptr_array_index(lines, i));
    }
    return g_string_free(out, FALSE);
}

char *user_creatable_help(TypeRegistry *reg, const Opts *opts, bool help_wanted,
                          GError **errp)
{
    const char *type = opt_get(opts, "qom-type");

    if (!type || !strcmp(type, "help") || !strcmp(type, "?")) {
        return type || help_wanted ? user_creatable_list_help(reg) : NULL;
    }
    if (help_wanted || opt_has(opts, "help") || opt_has(opts, "?")) {
        return object_type_help(reg, type, errp);
    }
    return NULL;
}
