/* The user-creatable interface: objects made by -object / object-add and kept under /objects. */
#ifndef NUMBAT_QOM_OBJECT_INTERFACES_H
#define NUMBAT_QOM_OBJECT_INTERFACES_H

#include "qom/object.h"
#include "util/opts.h"

#define TYPE_USER_CREATABLE "user-creatable"

typedef struct UserCreatableClass {
    InterfaceClass parent_class;
    /* Run once after all properties are set (a backend allocates its memory here).
     * On failure the object is dropped and nothing is added to /objects. */
    bool (*complete)(Object *obj, GError **errp);
    /* NULL means always deletable. */
    bool (*can_be_deleted)(Object *obj);
} UserCreatableClass;

#define USER_CREATABLE_CLASS(oc) OBJECT_CLASS_CHECK(UserCreatableClass, oc, TYPE_USER_CREATABLE)
#define USER_CREATABLE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(UserCreatableClass, obj, TYPE_USER_CREATABLE)

/* Run obj's complete() hook if it has one (true for non-user-creatable objects). */
bool user_creatable_complete(Object *obj, GError **errp);
bool user_creatable_can_be_deleted(Object *obj);

/*
 * -object TYPE,id=ID,prop=value,...: the Opts' implied key is "qom-type"; the Opts is
 * visited with the opts visitor as one struct whose members are the class's settable
 * properties, in class order (so values and messages are the opts visitor's: "1G", "on",
 * "0-3", "Parameter 'size' expects a size value").
 * Errors in order (QEMU 7.2's words): "Parameter 'qom-type' is missing", "Parameter
 * 'qom-type' does not accept value 'T'" (unknown, abstract or not user-creatable),
 * "Parameter 'id' is missing", "Parameter 'id' expects an identifier", "Duplicate ID 'ID'
 * for object", a property's own message or "Parameter 'P' is missing" (required),
 * "Invalid parameter 'K'", then complete()'s.  On any error /objects is unchanged.
 * Returns the new object (borrowed: /objects holds the reference).
 */
Object *user_creatable_add_opts(Object *root, const Opts *opts, GError **errp);
/*
 * QMP object-add: {"qom-type": T, "id": ID, PROP: value...} with JSON-typed values set
 * through the qobject input visitor.  Same errors except an unknown member is
 * "Parameter 'K' is unexpected" and a duplicate id, found after the properties, is
 * "attempt to add duplicate property 'ID' to object (type 'container')".
 */
Object *user_creatable_add_qdict(Object *root, const QDict *args, GError **errp);
/* object-del: "object 'ID' not found", "object 'ID' is in use, can not be deleted". */
bool user_creatable_del(Object *root, const char *id, GError **errp);

/* "List of user creatable objects:\n  NAME\n..." (non-abstract, sorted). */
char *user_creatable_list_help(TypeRegistry *reg);
/* "TYPE options:\n  NAME=<TYPE>  - DESCRIPTION\n..." (settable properties, sorted) or
 * "There are no options for TYPE.\n"; an unknown type is the qom-type error above. */
char *object_type_help(TypeRegistry *reg, const char *typename, GError **errp);
/*
 * Help for an -object option list: the list for "-object help" (qom-type "help" or "?"),
 * the type's options when help_wanted (opts_parse's flag) or a "help" key is present.
 * NULL without an error when opts asks for no help.
 */
char *user_creatable_help(TypeRegistry *reg, const Opts *opts, bool help_wanted,
                          GError **errp);

/* Whether id is an identifier: a letter, then letters, digits, '-', '.', '_'. */
bool object_id_wellformed(const char *id);

#endif
