/* The object tree: named children, the root and its /objects container, path resolution. */
#include <string.h>
#include "qom/object.h"

Object *object_root_new(TypeRegistry *reg)
{
    Object *root = object_new(reg, TYPE_CONTAINER);
    Object *objects = object_new(reg, TYPE_CONTAINER);

    /* Cannot fail: a fresh container has no children and "objects" is no property name. */
    object_property_add_child(root, "objects", objects, NULL);
    object_unref(objects);
    return root;
}

Object *object_get_objects_root(Object *root)
{
    return object_resolve_path_component(root, "objects");
}

Object *object_resolve_path_component(Object *parent, const char *name)
{
    for (guint i = 0; i < parent->children->len; i++) {
        Object *child = g_ptr_array_index(parent->children, i);
        if (!strcmp(child->name, name)) {
            return child;
        }
    }
    return NULL;
}

bool object_property_add_child(Object *parent, const char *name, Object *child, GError **errp)
{
    g_assert(!child->parent);
    g_assert(child != parent);
    if (object_resolve_path_component(parent, name) || object_property_find(parent, name)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object (type '%s')", name,
                   object_get_typename(parent));
        return false;
    }
    child->parent = parent;
    child->name = g_strdup(name);
    g_ptr_array_add(parent->children, object_ref(child));
    return true;
}

void object_unparent(Object *obj)
{
    Object *parent = obj->parent;

    if (!parent) {
        return;
    }
    g_ptr_array_remove(parent->children, obj);
    obj->parent = NULL;
    g_clear_pointer(&obj->name, g_free);
    object_unref(obj);
}

Object *object_get_parent(Object *obj)
{
    return obj->parent;
}

const char *object_get_name(Object *obj)
{
    return obj->name;
}

size_t object_child_count(Object *obj)
{
    return obj->children->len;
}

Object *object_child_at(Object *obj, size_t i)
{
    return i < obj->children->len ? g_ptr_array_index(obj->children, i) : NULL;
}

char *object_get_canonical_path(Object *obj)
{
    GString *path = g_string_new("");

    for (; obj->parent; obj = obj->parent) {
        g_string_prepend(path, obj->name);
        g_string_prepend_c(path, '/');
    }
    if (!path->len) {
        g_string_append_c(path, '/');
    }
    return g_string_free(path, FALSE);
}

/* Follow parts[] down from obj; NULL if any component is missing.  Empty parts ("a//b")
 * are skipped, as are the leading/trailing slashes' empty strings. */
static Object *resolve_parts(Object *obj, char **parts)
{
    for (; obj && *parts; parts++) {
        if (**parts) {
            obj = object_resolve_path_component(obj, *parts);
        }
    }
    return obj;
}

/* Count matches of a partial path at obj and everywhere below it; keep the first. */
static void resolve_partial(Object *obj, char **parts, const char *typename,
                            Object **found, unsigned *matches)
{
    Object *hit = resolve_parts(obj, parts);

    if (hit && (!typename || object_dynamic_cast(hit, typename))) {
        if (!*matches) {
            *found = hit;
        }
        (*matches)++;
    }
    for (guint i = 0; i < obj->children->len && *matches < 2; i++) {
        resolve_partial(g_ptr_array_index(obj->children, i), parts, typename, found, matches);
    }
}

Object *object_resolve_path_type(Object *root, const char *path, const char *typename,
                                 bool *ambiguous)
{
    g_auto(GStrv) parts = NULL;
    Object *found = NULL;
    unsigned matches = 0;

    if (ambiguous) {
        *ambiguous = false;
    }
    if (!path || !*path) {
        return NULL;
    }
    parts = g_strsplit(path, "/", 0);
    if (path[0] == '/') {
        while (root->parent) {
            root = root->parent;
        }
        found = resolve_parts(root, parts);
        return typename ? object_dynamic_cast(found, typename) : found;
    }
    resolve_partial(root, parts, typename, &found, &matches);
    if (matches > 1) {
        if (ambiguous) {
            *ambiguous = true;
        }
        return NULL;
    }
    return found;
}

Object *object_resolve_path(Object *root, const char *path, bool *ambiguous)
{
    return object_resolve_path_type(root, path, NULL, ambiguous);
}

Object *object_resolve_id(Object *root, const char *id, const char *typename)
{
    Object *objects = object_get_objects_root(root);
    Object *obj = objects && id ? object_resolve_path_component(objects, id) : NULL;

    return typename ? object_dynamic_cast(obj, typename) : obj;
}
