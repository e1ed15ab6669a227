/* numbat's small object model: types, classes, instances, typed properties and the object tree. */
#ifndef NUMBAT_QOM_OBJECT_H
#define NUMBAT_QOM_OBJECT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "qapi/error.h"
#include "qapi/visitor.h"
#include "qobject/qobject.h"

/*
 * What this is (see docs/design/qom.md): single inheritance of C structs, a class struct
 * per type initialised once (parent's class first, copied, then the type's class_init),
 * interfaces as extra class structs a class carries, per-class property tables read and
 * written through visitors, and a tree of named children ("/objects/ID").
 *
 * Types live in a TypeRegistry built at startup from constant TypeInfo tables and passed
 * explicitly (or reached from any object with object_get_registry()): there is no global
 * registry.  Every Object is reference counted; a parent holds one reference per child.
 *
 * Casts: object_dynamic_cast() returns NULL on a mismatch (use it for anything a user can
 * influence); the OBJECT_CHECK family asserts, so only use it where a mismatch is a bug.
 */

typedef struct TypeRegistry TypeRegistry;
typedef struct TypeImpl TypeImpl;
typedef struct Object Object;
typedef struct ObjectClass ObjectClass;
typedef struct ObjectProperty ObjectProperty;

#define TYPE_OBJECT "object"
#define TYPE_INTERFACE "interface"
#define TYPE_CONTAINER "container"

/* A property accessor: visit the value named `name` with v (input: set, output: get). */
typedef bool ObjectPropertyAccessor(Object *obj, Visitor *v, const char *name, void *opaque,
                                    GError **errp);
/* Called once per class property when an instance is finalised (free field storage). */
typedef void ObjectPropertyRelease(Object *obj, const char *name, void *opaque);

struct ObjectProperty {
    char *name;
    char *type;          /* "bool", "str", "uint64", "size", enum name, "uint16List", ... */
    char *description;   /* may be NULL */
    ObjectPropertyAccessor *get;  /* NULL: write-only */
    ObjectPropertyAccessor *set;  /* NULL: read-only (not listed by -object TYPE,help) */
    ObjectPropertyRelease *release;
    void *opaque;
    GDestroyNotify opaque_free;   /* frees opaque with the class */
    bool required;       /* user_creatable_add_*: "Parameter 'NAME' is missing" if absent */
};

struct ObjectClass {
    TypeImpl *type;
    GPtrArray *properties;   /* this class's own ObjectProperty *, in registration order */
    GPtrArray *interfaces;   /* interface class structs (InterfaceClass *), own + inherited */
    /* Optional: asked before any property of an instance is set (e.g. "cannot change
     * property after the backend is complete"); inherited like any class member. */
    bool (*check_set)(Object *obj, const char *name, GError **errp);
};

struct Object {
    ObjectClass *klass;
    unsigned ref;
    Object *parent;          /* the object holding this one as a child, or NULL */
    char *name;              /* name under parent, or NULL */
    GPtrArray *children;     /* Object *, insertion order (one reference each) */
};

/* Class struct of an interface, as carried by an implementing class. */
typedef struct InterfaceClass {
    ObjectClass parent_class;
    ObjectClass *concrete_class;  /* the class implementing it */
} InterfaceClass;

typedef struct TypeInfo {
    const char *name;
    const char *parent;            /* NULL only for TYPE_OBJECT and TYPE_INTERFACE */
    size_t instance_size;          /* 0: the parent's */
    void (*instance_init)(Object *obj);      /* base type's first */
    void (*instance_finalize)(Object *obj);  /* most derived type's first */
    size_t class_size;             /* 0: the parent's */
    void (*class_init)(ObjectClass *oc, const void *data);  /* after the parent's */
    const void *class_data;
    bool abstract;                 /* object_new() refuses it */
    const char *const *interfaces; /* NULL-terminated interface type names, or NULL */
} TypeInfo;

/* ---- registry ---- */

/* A registry holding the built-in types object, interface and container (and user-creatable). */
TypeRegistry *type_registry_new(void);
/* Frees every class; all objects must have been finalised first. */
void type_registry_free(TypeRegistry *reg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TypeRegistry, type_registry_free)
/* Register a type; info (and its strings) must outlive reg.  A duplicate name is a bug. */
void type_register_static(TypeRegistry *reg, const TypeInfo *info);
void type_register_static_array(TypeRegistry *reg, const TypeInfo *infos, size_t n);

/* ---- classes ---- */

/* The class of a registered type (initialised on first use), or NULL if unknown. */
ObjectClass *object_class_by_name(TypeRegistry *reg, const char *typename);
const char *object_class_get_name(ObjectClass *oc);
ObjectClass *object_class_get_parent(ObjectClass *oc);    /* NULL for the root type */
bool object_class_is_abstract(ObjectClass *oc);
/* oc if it is typename or derives from it; the interface's class struct if oc implements
 * interface typename; else NULL (also for oc == NULL). */
ObjectClass *object_class_dynamic_cast(ObjectClass *oc, const char *typename);
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *oc, const char *typename,
                                              const char *file, int line);
/* Classes of all types deriving from / implementing implements_type (NULL: all), in
 * registration order or sorted by name; free with g_slist_free. */
GSList *object_class_get_list(TypeRegistry *reg, const char *implements_type,
                              bool include_abstract);
GSList *object_class_get_list_sorted(TypeRegistry *reg, const char *implements_type,
                                     bool include_abstract);

/* ---- instances ---- */

/* A new instance with one reference; NULL for an unknown or abstract type (errp says which). */
Object *object_new_err(TypeRegistry *reg, const char *typename, GError **errp);
/* Same, for type names fixed in code: an unknown or abstract type is a bug (asserts). */
Object *object_new(TypeRegistry *reg, const char *typename);
Object *object_ref(Object *obj);       /* NULL-safe */
void object_unref(Object *obj);        /* NULL-safe; finalises at zero */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Object, object_unref)
TypeRegistry *object_get_registry(Object *obj);
const char *object_get_typename(const Object *obj);
ObjectClass *object_get_class(Object *obj);
/* obj if it is of (or implements) typename, else NULL (also for obj == NULL). */
Object *object_dynamic_cast(Object *obj, const char *typename);
Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line);

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(oc) ((ObjectClass *)(oc))
#define OBJECT_CHECK(T, obj, name) \
    ((T *)object_dynamic_cast_assert(OBJECT(obj), (name), __FILE__, __LINE__))
#define OBJECT_CLASS_CHECK(T, oc, name) \
    ((T *)object_class_dynamic_cast_assert(OBJECT_CLASS(oc), (name), __FILE__, __LINE__))
#define OBJECT_GET_CLASS(T, obj, name) OBJECT_CLASS_CHECK(T, object_get_class(OBJECT(obj)), name)

/* Declares FOO(obj), FOO_CLASS(oc), FOO_GET_CLASS(obj) for InstanceT / ClassT / TYPE_FOO. */
#define OBJECT_DECLARE_TYPE(InstanceT, ClassT, FOO, TYPE_NAME) \
    static inline G_GNUC_UNUSED InstanceT *FOO(const void *obj) \
    { return OBJECT_CHECK(InstanceT, obj, TYPE_NAME); } \
    static inline G_GNUC_UNUSED ClassT *FOO##_CLASS(const void *oc) \
    { return OBJECT_CLASS_CHECK(ClassT, oc, TYPE_NAME); } \
    static inline G_GNUC_UNUSED ClassT *FOO##_GET_CLASS(const void *obj) \
    { return OBJECT_GET_CLASS(ClassT, obj, TYPE_NAME); }

/* ---- properties: registration (in class_init) ---- */

/* Add a property to a class; a name already used by it or an ancestor is a bug. */
ObjectProperty *object_class_property_add(ObjectClass *oc, const char *name, const char *type,
                                          ObjectPropertyAccessor *get,
                                          ObjectPropertyAccessor *set,
                                          ObjectPropertyRelease *release, void *opaque,
                                          const char *description);
/*
 * Field-backed helpers: the value lives at `offset` in the instance struct and is read and
 * written through the visitor.  str (char *) and uint16 list (GArray of guint16) fields
 * are owned by the object and freed after instance_finalize.  The field is written only
 * when the whole visit succeeded (a failed set leaves the old value).
 */
ObjectProperty *object_class_property_add_bool(ObjectClass *oc, const char *name,
                                               size_t offset, const char *description);
ObjectProperty *object_class_property_add_str(ObjectClass *oc, const char *name,
                                              size_t offset, const char *description);
ObjectProperty *object_class_property_add_uint64(ObjectClass *oc, const char *name,
                                                 size_t offset, const char *description);
/* Like uint64 but typed "size": text input takes suffixes (1G, 512M). */
ObjectProperty *object_class_property_add_size(ObjectClass *oc, const char *name,
                                               size_t offset, const char *description);
/* An int field holding an index into lookup; type_name is what help prints ("HostMemPolicy"). */
ObjectProperty *object_class_property_add_enum(ObjectClass *oc, const char *name,
                                               const char *type_name, const QEnumLookup *lookup,
                                               size_t offset, const char *description);
/* A GArray * of guint16 (NULL until set); text input takes ranges ("0-3,5"). */
ObjectProperty *object_class_property_add_uint16_list(ObjectClass *oc, const char *name,
                                                      size_t offset, const char *description);
/* Visit a GArray of guint16 as a uint16 list; input replaces *values (for custom accessors). */
bool object_visit_uint16_array(Visitor *v, const char *name, GArray **values, GError **errp);

/* ---- properties: lookup and access ---- */

ObjectProperty *object_class_property_find(ObjectClass *oc, const char *name);
/* NULL if missing; the _err variant sets "Property 'TYPE.NAME' not found". */
ObjectProperty *object_property_find(Object *obj, const char *name);
ObjectProperty *object_property_find_err(Object *obj, const char *name, GError **errp);
/* All properties of oc and its ancestors, ancestors' first (array of borrowed pointers). */
GPtrArray *object_class_get_properties(ObjectClass *oc);

/* Set/get through a visitor ("Property 'TYPE.NAME' not found", "Property 'TYPE.NAME' is not
 * writable"/"readable", otherwise the visitor's or the accessor's message). */
bool object_property_set(Object *obj, const char *name, Visitor *v, GError **errp);
bool object_property_get(Object *obj, const char *name, Visitor *v, GError **errp);
/* Through the qobject visitors (value is borrowed; result is a new reference or NULL). */
bool object_property_set_qobject(Object *obj, const char *name, QObject *value, GError **errp);
QObject *object_property_get_qobject(Object *obj, const char *name, GError **errp);
/* From text through the string input visitor ("1G", "on", "0-3"). */
bool object_property_parse(Object *obj, const char *name, const char *string, GError **errp);
/* Typed conveniences over the qobject ones. */
bool object_property_set_bool(Object *obj, const char *name, bool value, GError **errp);
bool object_property_get_bool(Object *obj, const char *name, GError **errp);
bool object_property_set_str(Object *obj, const char *name, const char *value, GError **errp);
char *object_property_get_str(Object *obj, const char *name, GError **errp);   /* g_free */
bool object_property_set_uint(Object *obj, const char *name, uint64_t value, GError **errp);
uint64_t object_property_get_uint(Object *obj, const char *name, GError **errp);

/* ---- the object tree ---- */

/* A root container with an "objects" container child (one reference; unref to tear down). */
Object *object_root_new(TypeRegistry *reg);
/* root's "objects" child, or NULL if root has none. */
Object *object_get_objects_root(Object *root);
/* Add child under name (takes a reference). Fails with "attempt to add duplicate property
 * 'NAME' to object (type 'TYPE')" if the name is taken by a child or a property, or if
 * child already has a parent (a bug). */
bool object_property_add_child(Object *parent, const char *name, Object *child, GError **errp);
/* Detach obj from its parent, dropping the parent's reference (no-op without a parent). */
void object_unparent(Object *obj);
Object *object_get_parent(Object *obj);
const char *object_get_name(Object *obj);              /* name under its parent, or NULL */
Object *object_resolve_path_component(Object *parent, const char *name);
size_t object_child_count(Object *obj);
Object *object_child_at(Object *obj, size_t i);         /* insertion order */
/* "/objects/m0"; "/" for a parentless object (g_free). */
char *object_get_canonical_path(Object *obj);
/*
 * Resolve "/a/b" from the top of root's tree, or a partial path "b" / "a/b" that must match
 * exactly one place in the tree below root.  With typename, only objects of that type count.
 * ambiguous (may be NULL) is set when a partial path matched several objects.
 */
Object *object_resolve_path_type(Object *root, const char *path, const char *typename,
                                 bool *ambiguous);
Object *object_resolve_path(Object *root, const char *path, bool *ambiguous);
/* /objects/ID if it exists and is (or implements) typename (NULL: any); callers word errors. */
Object *object_resolve_id(Object *root, const char *id, const char *typename);

#endif
