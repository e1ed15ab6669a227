/* Field-backed property helpers: bool, str, uint64, size, enum and uint16 list struct members. */
#include "qom/object.h"

/* What a field-backed property needs besides its accessors. */
typedef struct FieldProp {
    size_t offset;
    const QEnumLookup *lookup;   /* enum properties only */
} FieldProp;

static void *field_ptr(Object *obj, void *opaque)
{
    return (char *)obj + ((FieldProp *)opaque)->offset;
}

static ObjectProperty *add_field(ObjectClass *oc, const char *name, const char *type,
                                 ObjectPropertyAccessor *get, ObjectPropertyAccessor *set,
                                 ObjectPropertyRelease *release, size_t offset,
                                 const QEnumLookup *lookup, const char *description)
{
    FieldProp *fp = g_new0(FieldProp, 1);
    ObjectProperty *prop;

    fp->offset = offset;
    fp->lookup = lookup;
    prop = object_class_property_add(oc, name, type, get, set, release, fp, description);
    prop->opaque_free = g_free;
    return prop;
}

/* ---- bool ---- */

static bool get_bool(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    bool value = *(bool *)field_ptr(obj, opaque);

    return visit_type_bool(v, name, &value, errp);
}

static bool set_bool(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    bool value;

    if (!visit_type_bool(v, name, &value, errp)) {
        return false;
    }
    *(bool *)field_ptr(obj, opaque) = value;
    return true;
}

ObjectProperty *object_class_property_add_bool(ObjectClass *oc, const char *name,
                                               size_t offset, const char *description)
{
    return add_field(oc, name, "bool", get_bool, set_bool, NULL, offset, NULL, description);
}

/* ---- str ---- */

static bool get_str(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    const char *cur = *(char **)field_ptr(obj, opaque);
    char *value = g_strdup(cur ? cur : "");
    bool ok = visit_type_str(v, name, &value, errp);

    g_free(value);
    return ok;
}

static bool set_str(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    char *value = NULL;
    char **field = field_ptr(obj, opaque);

    if (!visit_type_str(v, name, &value, errp)) {
        g_free(value);
        return false;
    }
    g_free(*field);
    *field = value;
    return true;
}

static void release_str(Object *obj, const char *name, void *opaque)
{
    g_clear_pointer((char **)field_ptr(obj, opaque), g_free);
}

ObjectProperty *object_class_property_add_str(ObjectClass *oc, const char *name,
                                              size_t offset, const char *description)
{
    return add_field(oc, name, "str", get_str, set_str, release_str, offset, NULL, description);
}

/* ---- uint64 and size ---- */

static bool get_uint64(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    uint64_t value = *(uint64_t *)field_ptr(obj, opaque);

    return visit_type_uint64(v, name, &value, errp);
}

static bool set_uint64(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    uint64_t value;

    if (!visit_type_uint64(v, name, &value, errp)) {
        return false;
    }
    *(uint64_t *)field_ptr(obj, opaque) = value;
    return true;
}

static bool get_size(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    uint64_t value = *(uint64_t *)field_ptr(obj, opaque);

    return visit_type_size(v, name, &value, errp);
}

static bool set_size(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    uint64_t value;

    if (!visit_type_size(v, name, &value, errp)) {
        return false;
    }
    *(uint64_t *)field_ptr(obj, opaque) = value;
    return true;
}

ObjectProperty *object_class_property_add_uint64(ObjectClass *oc, const char *name,
                                                 size_t offset, const char *description)
{
    return add_field(oc, name, "uint64", get_uint64, set_uint64, NULL, offset, NULL,
                     description);
}

ObjectProperty *object_class_property_add_size(ObjectClass *oc, const char *name,
                                               size_t offset, const char *description)
{
    return add_field(oc, name, "size", get_size, set_size, NULL, offset, NULL, description);
}

/* ---- enum ---- */

static bool get_enum(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    int value = *(int *)field_ptr(obj, opaque);

    return visit_type_enum(v, name, &value, ((FieldProp *)opaque)->lookup, errp);
}

static bool set_enum(Object *obj, Visitor *v, const char *name, void *opaque, GError **errp)
{
    int value;

    if (!visit_type_enum(v, name, &value, ((FieldProp *)opaque)->lookup, errp)) {
        return false;
    }
    *(int *)field_ptr(obj, opaque) = value;
    return true;
}

ObjectProperty *object_class_property_add_enum(ObjectClass *oc, const char *name,
                                               const char *type_name, const QEnumLookup *lookup,
                                               size_t offset, const char *description)
{
    return add_field(oc, name, type_name, get_enum, set_enum, NULL, offset, lookup,
                     description);
}

/* ---- uint16 list ---- */

/* The generic list node shape (next first) holding one uint16_t, as generated lists do. */
typedef struct U16Node {
    struct U16Node *next;
    uint16_t value;
} U16Node;

static bool visit_u16_nodes(Visitor *v, const char *name, U16Node **head, GError **errp)
{
    bool ok = false;

    if (!visit_start_list(v, name, (GenericList **)head, sizeof(U16Node), errp)) {
        return false;
    }
    for (U16Node *tail = *head; tail;
         tail = (U16Node *)visit_next_list(v, (GenericList *)tail, sizeof(U16Node))) {
        if (!visit_type_uint16(v, NULL, &tail->value, errp)) {
            goto out;
        }
    }
    ok = visit_check_list(v, errp);
out:
    visit_end_list(v, (void **)head);
    return ok;
}

static void free_u16_nodes(U16Node *node)
{
    while (node) {
        U16Node *next = node->next;
        g_free(node);
        node = next;
    }
}

bool object_visit_uint16_array(Visitor *v, const char *name, GArray **values, GError **errp)
{
    U16Node *head = NULL, **link = &head;
    bool ok;

    if (!visit_is_input(v)) {
        /* Output: build the node list from the array, visit, free. */
        for (guint i = 0; *values && i < (*values)->len; i++) {
            *link = g_new0(U16Node, 1);
            (*link)->value = g_array_index(*values, guint16, i);
            link = &(*link)->next;
        }
        ok = visit_u16_nodes(v, name, &head, errp);
        free_u16_nodes(head);
        return ok;
    }
    ok = visit_u16_nodes(v, name, &head, errp);
    if (ok) {
        GArray *arr = g_array_new(FALSE, FALSE, sizeof(guint16));
        for (U16Node *n = head; n; n = n->next) {
            g_array_append_val(arr, n->value);
        }
        if (*values) {
            g_array_unref(*values);
        }
        *values = arr;
    }
    free_u16_nodes(head);
    return ok;
}

static bool get_u16_list(Object *obj, Visitor *v, const char *name, void *opaque,
                         GError **errp)
{
    return object_visit_uint16_array(v, name, field_ptr(obj, opaque), errp);
}

static bool set_u16_list(Object *obj, Visitor *v, const char *name, void *opaque,
                         GError **errp)
{
    /* Visit into a scratch array so a failed set keeps the old value. */
    GArray *fresh = NULL;
    GArray **field = field_ptr(obj, opaque);

    if (!object_visit_uint16_array(v, name, &fresh, errp)) {
        return false;
    }
    if (*field) {
        g_array_unref(*field);
    }
    *field = fresh;
    return true;
}

static void release_u16_list(Object *obj, const char *name, void *opaque)
{
    g_clear_pointer((GArray **)field_ptr(obj, opaque), g_array_unref);
}

ObjectProperty *object_class_property_add_uint16_list(ObjectClass *oc, const char *name,
                                                      size_t offset, const char *description)
{
    return add_field(oc, name, "uint16List", get_u16_list, set_u16_list, release_u16_list,
                     offset, NULL, description);
}
