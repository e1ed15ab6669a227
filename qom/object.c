/* The object model core: type registry, class initialisation, instances, casts, property access. */
#include <string.h>
#include "qom/object.h"
#include "qom/object-interfaces.h"

struct TypeImpl {
    TypeInfo info;
    TypeRegistry *reg;
    TypeImpl *parent;           /* resolved when the class is initialised */
    size_t instance_size;       /* with inheritance applied */
    size_t class_size;
    bool is_interface;
    ObjectClass *klass;         /* NULL until first use */
};

struct TypeRegistry {
    GHashTable *by_name;        /* name -> TypeImpl * */
    GPtrArray *order;           /* TypeImpl *, registration order (listing is deterministic) */
};

static const TypeInfo builtin_types[] = {
    { .name = TYPE_OBJECT, .instance_size = sizeof(Object), .abstract = true },
    { .name = TYPE_INTERFACE, .class_size = sizeof(InterfaceClass), .abstract = true },
    { .name = TYPE_CONTAINER, .parent = TYPE_OBJECT, .instance_size = sizeof(Object) },
    { .name = TYPE_USER_CREATABLE, .parent = TYPE_INTERFACE,
      .class_size = sizeof(UserCreatableClass), .abstract = true },
};

static void object_class_free(ObjectClass *oc);
static void type_register_object_props(ObjectClass *oc);

TypeRegistry *type_registry_new(void)
{
    TypeRegistry *reg = g_new0(TypeRegistry, 1);

    reg->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    reg->order = g_ptr_array_new();
    type_register_static_array(reg, builtin_types, G_N_ELEMENTS(builtin_types));
    return reg;
}

void type_registry_free(TypeRegistry *reg)
{
    if (!reg) {
        return;
    }
    /* Children's classes copy pointers from parents' only by value, so any order works. */
    for (guint i = 0; i < reg->order->len; i++) {
        TypeImpl *ti = g_ptr_array_index(reg->order, i);
        if (ti->klass) {
            object_class_free(ti->klass);
        }
        g_free(ti);
    }
    g_ptr_array_free(reg->order, TRUE);
    g_hash_table_destroy(reg->by_name);
    g_free(reg);
}

void type_register_static(TypeRegistry *reg, const TypeInfo *info)
{
    TypeImpl *ti;

    g_assert(info->name);
    if (g_hash_table_contains(reg->by_name, info->name)) {
        g_error("type '%s' registered twice", info->name);
    }
    ti = g_new0(TypeImpl, 1);
    ti->info = *info;
    ti->reg = reg;
    g_hash_table_insert(reg->by_name, (gpointer)info->name, ti);
    g_ptr_array_add(reg->order, ti);
}

void type_register_static_array(TypeRegistry *reg, const TypeInfo *infos, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        type_register_static(reg, &infos[i]);
    }
}

static TypeImpl *type_lookup(TypeRegistry *reg, const char *name)
{
    return name ? g_hash_table_lookup(reg->by_name, name) : NULL;
}

static bool type_is_ancestor(const TypeImpl *ti, const TypeImpl *target)
{
    for (; ti; ti = ti->parent) {
        if (ti == target) {
            return true;
        }
    }
    return false;
}

/* Allocate a class struct of ti's size as a copy of parent (or zeroed), with fresh tables. */
static ObjectClass *class_alloc(TypeImpl *ti, const ObjectClass *parent, size_t parent_size)
{
    ObjectClass *oc = g_malloc0(ti->class_size);

    if (parent) {
        memcpy(oc, parent, parent_size);
    }
    oc->type = ti;
    oc->properties = g_ptr_array_new();
    oc->interfaces = g_ptr_array_new();
    return oc;
}

static void type_initialize(TypeImpl *ti);

/* Give ti's class its own copy of an interface class (inherited or fresh). */
static void class_add_interface(TypeImpl *ti, ObjectClass *iface_src, TypeImpl *iface_type)
{
    InterfaceClass *ic;

    type_initialize(iface_type);
    if (!iface_src) {
        iface_src = iface_type->klass;
    }
    ic = (InterfaceClass *)class_alloc(iface_type, iface_src, iface_type->class_size);
    ic->concrete_class = ti->klass;
    g_ptr_array_add(ti->klass->interfaces, ic);
}

static void type_initialize_interfaces(TypeImpl *ti)
{
    const char *const *names = ti->info.interfaces;

    if (ti->parent) {
        GPtrArray *inherited = ti->parent->klass->interfaces;
        for (guint i = 0; i < inherited->len; i++) {
            ObjectClass *ic = g_ptr_array_index(inherited, i);
            class_add_interface(ti, ic, ic->type);
        }
    }
    for (size_t i = 0; names && names[i]; i++) {
        TypeImpl *iface = type_lookup(ti->reg, names[i]);
        if (!iface) {
            g_error("type '%s' implements unknown interface '%s'", ti->info.name, names[i]);
        }
        if (!object_class_dynamic_cast(ti->klass, names[i])) {
            class_add_interface(ti, NULL, iface);
        }
    }
}

static void type_initialize(TypeImpl *ti)
{
    if (ti->klass) {
        return;
    }
    if (ti->info.parent) {
        ti->parent = type_lookup(ti->reg, ti->info.parent);
        if (!ti->parent) {
            g_error("type '%s' has unknown parent '%s'", ti->info.name, ti->info.parent);
        }
        type_initialize(ti->parent);
        ti->is_interface = ti->parent->is_interface;
    } else {
        ti->is_interface = !strcmp(ti->info.name, TYPE_INTERFACE);
    }
    ti->class_size = ti->info.class_size ? ti->info.class_size
                     : ti->parent ? ti->parent->class_size
                     : ti->is_interface ? sizeof(InterfaceClass) : sizeof(ObjectClass);
    ti->instance_size = ti->info.instance_size ? ti->info.instance_size
                        : ti->parent ? ti->parent->instance_size : 0;
    g_assert(!ti->parent || ti->class_size >= ti->parent->class_size);
    g_assert(!ti->parent || ti->instance_size >= ti->parent->instance_size);

    ti->klass = class_alloc(ti, ti->parent ? ti->parent->klass : NULL,
                            ti->parent ? ti->parent->class_size : 0);
    if (!ti->is_interface) {
        type_initialize_interfaces(ti);
    }
    if (!ti->parent && !ti->is_interface) {
        type_register_object_props(ti->klass);
    }
    if (ti->info.class_init) {
        ti->info.class_init(ti->klass, ti->info.class_data);
    }
}

static void object_property_free(gpointer data)
{
    ObjectProperty *prop = data;

    if (prop->opaque_free) {
        prop->opaque_free(prop->opaque);
    }
    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    g_free(prop);
}

static void object_class_free(ObjectClass *oc)
{
    for (guint i = 0; i < oc->properties->len; i++) {
        object_property_free(g_ptr_array_index(oc->properties, i));
    }
    g_ptr_array_free(oc->properties, TRUE);
    for (guint i = 0; i < oc->interfaces->len; i++) {
        object_class_free(g_ptr_array_index(oc->interfaces, i));
    }
    g_ptr_array_free(oc->interfaces, TRUE);
    g_free(oc);
}

/* ---- classes ---- */

ObjectClass *object_class_by_name(TypeRegistry *reg, const char *typename)
{
    TypeImpl *ti = type_lookup(reg, typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->klass;
}

const char *object_class_get_name(ObjectClass *oc)
{
    return oc->type->info.name;
}

ObjectClass *object_class_get_parent(ObjectClass *oc)
{
    return oc->type->parent ? oc->type->parent->klass : NULL;
}

bool object_class_is_abstract(ObjectClass *oc)
{
    return oc->type->info.abstract || oc->type->is_interface || oc->type->instance_size == 0;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *oc, const char *typename)
{
    TypeImpl *target;

    if (!oc || !typename) {
        return NULL;
    }
    target = type_lookup(oc->type->reg, typename);
    if (!target) {
        return NULL;
    }
    type_initialize(target);
    if (type_is_ancestor(oc->type, target)) {
        return oc;
    }
    if (!target->is_interface) {
        return NULL;
    }
    for (guint i = 0; i < oc->interfaces->len; i++) {
        ObjectClass *ic = g_ptr_array_index(oc->interfaces, i);
        if (type_is_ancestor(ic->type, target)) {
            return ic;
        }
    }
    return NULL;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *oc, const char *typename,
                                              const char *file, int line)
{
    ObjectClass *ret;

    if (!oc) {
        return NULL;
    }
    ret = object_class_dynamic_cast(oc, typename);
    if (!ret) {
        g_error("%s:%d: class '%s' is not '%s'", file, line, object_class_get_name(oc),
                typename);
    }
    return ret;
}

GSList *object_class_get_list(TypeRegistry *reg, const char *implements_type,
                              bool include_abstract)
{
    GSList *list = NULL;

    for (guint i = 0; i < reg->order->len; i++) {
        TypeImpl *ti = g_ptr_array_index(reg->order, i);
        type_initialize(ti);
        if (implements_type && !object_class_dynamic_cast(ti->klass, implements_type)) {
            continue;
        }
        if (!include_abstract && object_class_is_abstract(ti->klass)) {
            continue;
        }
        list = g_slist_prepend(list, ti->klass);
    }
    return g_slist_reverse(list);
}

static gint class_cmp_name(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a), object_class_get_name((ObjectClass *)b));
}

GSList *object_class_get_list_sorted(TypeRegistry *reg, const char *implements_type,
                                     bool include_abstract)
{
    return g_slist_sort(object_class_get_list(reg, implements_type, include_abstract),
                        class_cmp_name);
}

/* ---- instances ---- */

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    if (ti->parent) {
        object_init_with_type(obj, ti->parent);
    }
    if (ti->info.instance_init) {
        ti->info.instance_init(obj);
    }
}

Object *object_new_err(TypeRegistry *reg, const char *typename, GError **errp)
{
    ObjectClass *oc = object_class_by_name(reg, typename);
    Object *obj;

    if (!oc) {
        error_setg(errp, "invalid object type: %s", typename);
        return NULL;
    }
    if (object_class_is_abstract(oc)) {
        error_setg(errp, "object type '%s' is abstract", typename);
        return NULL;
    }
    g_assert(oc->type->instance_size >= sizeof(Object));
    obj = g_malloc0(oc->type->instance_size);
    obj->klass = oc;
    obj->ref = 1;
    obj->children = g_ptr_array_new();
    object_init_with_type(obj, oc->type);
    return obj;
}

Object *object_new(TypeRegistry *reg, const char *typename)
{
    GError *err = NULL;
    Object *obj = object_new_err(reg, typename, &err);

    if (!obj) {
        g_error("object_new: %s", err->message);
    }
    return obj;
}

Object *object_ref(Object *obj)
{
    if (obj) {
        g_assert(obj->ref > 0);
        obj->ref++;
    }
    return obj;
}

/* Release per-property storage of every class in the chain (most derived first). */
static void object_release_properties(Object *obj)
{
    for (ObjectClass *oc = obj->klass; oc; oc = object_class_get_parent(oc)) {
        for (guint i = 0; i < oc->properties->len; i++) {
            ObjectProperty *prop = g_ptr_array_index(oc->properties, i);
            if (prop->release) {
                prop->release(obj, prop->name, prop->opaque);
            }
        }
    }
}

static void object_finalize(Object *obj)
{
    /* Children go first: they may still look at their parent while finalising. */
    while (obj->children->len) {
        object_unparent(g_ptr_array_index(obj->children, obj->children->len - 1));
    }
    for (TypeImpl *ti = obj->klass->type; ti; ti = ti->parent) {
        if (ti->info.instance_finalize) {
            ti->info.instance_finalize(obj);
        }
    }
    object_release_properties(obj);
    g_ptr_array_free(obj->children, TRUE);
    g_free(obj->name);
    g_free(obj);
}

void object_unref(Object *obj)
{
    if (!obj) {
        return;
    }
    g_assert(obj->ref > 0);
    if (--obj->ref == 0) {
        object_finalize(obj);
    }
}

TypeRegistry *object_get_registry(Object *obj)
{
    return obj->klass->type->reg;
}

const char *object_get_typename(const Object *obj)
{
    return obj->klass->type->info.name;
}

ObjectClass *object_get_class(Object *obj)
{
    return obj->klass;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    return obj && object_class_dynamic_cast(obj->klass, typename) ? obj : NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename, const char *file,
                                   int line)
{
    if (obj && !object_dynamic_cast(obj, typename)) {
        g_error("%s:%d: object of type '%s' is not '%s'", file, line,
                object_get_typename(obj), typename);
    }
    return obj;
}

/* ---- property access ---- */

ObjectProperty *object_class_property_find(ObjectClass *oc, const char *name)
{
    for (; oc; oc = object_class_get_parent(oc)) {
        for (guint i = 0; i < oc->properties->len; i++) {
            ObjectProperty *prop = g_ptr_array_index(oc->properties, i);
            if (!strcmp(prop->name, name)) {
                return prop;
            }
        }
    }
    return NULL;
}

ObjectProperty *object_property_find(Object *obj, const char *name)
{
    return object_class_property_find(obj->klass, name);
}

ObjectProperty *object_property_find_err(Object *obj, const char *name, GError **errp)
{
    ObjectProperty *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found", object_get_typename(obj), name);
    }
    return prop;
}

static void class_collect_properties(ObjectClass *oc, GPtrArray *out)
{
    ObjectClass *parent = object_class_get_parent(oc);

    if (parent) {
        class_collect_properties(parent, out);
    }
    for (guint i = 0; i < oc->properties->len; i++) {
        g_ptr_array_add(out, g_ptr_array_index(oc->properties, i));
    }
}

GPtrArray *object_class_get_properties(ObjectClass *oc)
{
    GPtrArray *out = g_ptr_array_new();

    class_collect_properties(oc, out);
    return out;
}

ObjectProperty *object_class_property_add(ObjectClass *oc, const char *name, const char *type,
                                          ObjectPropertyAccessor *get,
                                          ObjectPropertyAccessor *set,
                                          ObjectPropertyRelease *release, void *opaque,
                                          const char *description)
{
    ObjectProperty *prop;

    if (object_class_property_find(oc, name)) {
        g_error("attempt to add duplicate property '%s' to class '%s'", name,
                object_class_get_name(oc));
    }
    prop = g_new0(ObjectProperty, 1);
    prop->name = g_strdup(name);
    prop->type = g_strdup(type);
    prop->description = g_strdup(description);
    prop->get = get;
    prop->set = set;
    prop->release = release;
    prop->opaque = opaque;
    g_ptr_array_add(oc->properties, prop);
    return prop;
}

bool object_property_set(Object *obj, const char *name, Visitor *v, GError **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (!prop) {
        return false;
    }
    if (!prop->set) {
        error_setg(errp, "Property '%s.%s' is not writable", object_get_typename(obj), name);
        return false;
    }
    if (obj->klass->check_set && !obj->klass->check_set(obj, name, errp)) {
        return false;
    }
    return prop->set(obj, v, name, prop->opaque, errp);
}

bool object_property_get(Object *obj, const char *name, Visitor *v, GError **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (!prop) {
        return false;
    }
    if (!prop->get) {
        error_setg(errp, "Property '%s.%s' is not readable", object_get_typename(obj), name);
        return false;
    }
    return prop->get(obj, v, name, prop->opaque, errp);
}

bool object_property_set_qobject(Object *obj, const char *name, QObject *value, GError **errp)
{
    Visitor *v = qobject_input_visitor_new(value);
    bool ok = object_property_set(obj, name, v, errp);

    visit_free(v);
    return ok;
}

QObject *object_property_get_qobject(Object *obj, const char *name, GError **errp)
{
    QObject *ret = NULL;
    Visitor *v = qobject_output_visitor_new(&ret);

    if (object_property_get(obj, name, v, errp)) {
        visit_complete(v, &ret);
    }
    visit_free(v);
    return ret;
}

bool object_property_parse(Object *obj, const char *name, const char *string, GError **errp)
{
    Visitor *v = string_input_visitor_new(string);
    bool ok = object_property_set(obj, name, v, errp);

    visit_free(v);
    return ok;
}

/* ---- typed conveniences ---- */

static bool set_owned_qobject(Object *obj, const char *name, QObject *value, GError **errp)
{
    bool ok = object_property_set_qobject(obj, name, value, errp);

    qobject_unref(value);
    return ok;
}

bool object_property_set_bool(Object *obj, const char *name, bool value, GError **errp)
{
    return set_owned_qobject(obj, name, QOBJECT(qbool_from_bool(value)), errp);
}

bool object_property_set_str(Object *obj, const char *name, const char *value, GError **errp)
{
    return set_owned_qobject(obj, name, QOBJECT(qstring_from_str(value)), errp);
}

bool object_property_set_uint(Object *obj, const char *name, uint64_t value, GError **errp)
{
    return set_owned_qobject(obj, name, QOBJECT(qnum_from_uint(value)), errp);
}

bool object_property_get_bool(Object *obj, const char *name, GError **errp)
{
    g_autoptr(QObject) ret = object_property_get_qobject(obj, name, errp);
    QBool *qb = qobject_to_qbool(ret);

    if (ret && !qb) {
        error_setg(errp, "Invalid parameter type for '%s', expected: boolean", name);
    }
    return qb ? qbool_get_bool(qb) : false;
}

char *object_property_get_str(Object *obj, const char *name, GError **errp)
{
    g_autoptr(QObject) ret = object_property_get_qobject(obj, name, errp);
    QString *qs = qobject_to_qstring(ret);

    if (ret && !qs) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string", name);
    }
    return qs ? g_strdup(qstring_get_str(qs)) : NULL;
}

uint64_t object_property_get_uint(Object *obj, const char *name, GError **errp)
{
    g_autoptr(QObject) ret = object_property_get_qobject(obj, name, errp);
    QNum *qn = qobject_to_qnum(ret);
    uint64_t val = 0;

    if (ret && (!qn || !qnum_get_try_uint(qn, &val))) {
        error_setg(errp, "Invalid parameter type for '%s', expected: uint64", name);
    }
    return val;
}

/* ---- the built-in "type" property every object has ---- */

static bool object_get_type_prop(Object *obj, Visitor *v, const char *name, void *opaque,
                                 GError **errp)
{
    char *type = g_strdup(object_get_typename(obj));
    bool ok = visit_type_str(v, name, &type, errp);

    g_free(type);
    return ok;
}

static void type_register_object_props(ObjectClass *oc)
{
    object_class_property_add(oc, "type", "string", object_get_type_prop, NULL, NULL, NULL,
                              NULL);
}
