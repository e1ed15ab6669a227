# Back end for PREFIXqapi-types.{c,h} and qapi-builtin-types.{c,h}: C enums with their
# name tables, structs, unions, list types, and the qapi_free_* functions.

from .common import c_enum_const, c_name
from .gen import CFile
from .schema import EnumType, ObjectType


def gen_enum_decl(enum):
    lines = ['typedef enum %s {\n' % enum.c_name()]
    for val in enum.values:
        lines.append('    %s,\n' % c_enum_const(enum.name, val.name, enum.prefix))
    lines.append('    %s,\n' % c_enum_const(enum.name, '_MAX', enum.prefix))
    lines.append('} %s;\n\n' % enum.c_name())
    lines.append('extern const QEnumLookup %s_lookup;\n' % enum.c_name())
    lines.append('#define %s_str(val) qapi_enum_lookup(&%s_lookup, (val))\n\n'
                 % (enum.c_name(), enum.c_name()))
    return ''.join(lines)


def gen_enum_lookup(enum):
    name = enum.c_name()
    out = 'const QEnumLookup %s_lookup = {\n' % name
    if enum.values:
        out += '    .array = (const char *const[]) {\n'
        for val in enum.values:
            out += '        [%s] = "%s",\n' % (c_enum_const(enum.name, val.name, enum.prefix),
                                               val.name)
        out += '    },\n'
    else:
        out += '    .array = NULL,\n'
    out += '    .size = %s,\n};\n\n' % c_enum_const(enum.name, '_MAX', enum.prefix)
    return out


def gen_member_decls(members):
    out = ''
    for m in members:
        if m.optional:
            out += '    bool has_%s;\n' % m.c_name()
        out += '    %s%s;\n' % (_decl_type(m.type), m.c_name())
    return out


def _decl_type(typ):
    """Type text followed directly by the name: 'char *' or 'int64_t '."""
    ctype = typ.c_type()
    return ctype if ctype.endswith('*') else ctype + ' '


def gen_struct(obj):
    out = 'struct %s {\n' % obj.c_name()
    if obj.base:
        if obj.base.is_implicit():
            out += '    /* Members of the union base: */\n'
        else:
            out += '    /* Members inherited from %s: */\n' % obj.base.c_name()
        out += gen_member_decls(obj.base.members())
        if obj.local_members:
            out += '    /* Own members: */\n'
    out += gen_member_decls(obj.local_members)
    branches = [v for v in (obj.variants or []) if v.type is not None]
    if branches:
        out += '    union { /* union tag is @%s */\n' % obj.tag_member.c_name()
        for var in branches:
            out += '        %s %s;\n' % (var.type.c_name(), c_name(var.name))
        out += '    } u;\n'
    if not obj.members() and not branches:
        out += '    char qapi_dummy_for_empty_struct; /* C has no empty structs */\n'
    return out + '};\n\n'


def gen_list_struct(arr):
    return ('struct %s {\n    %s *next;\n    %svalue;\n};\n\n'
            % (arr.c_name(), arr.c_name(), _decl_type(arr.element)))


def gen_free_decl(typ):
    return ('void qapi_free_%s(%s *obj);\nG_DEFINE_AUTOPTR_CLEANUP_FUNC(%s, qapi_free_%s)\n\n'
            % (typ.c_name(), typ.c_name(), typ.c_name(), typ.c_name()))


def gen_free_def(typ):
    return '''void qapi_free_%(c)s(%(c)s *obj)
{
    Visitor *v;

    if (!obj) {
        return;
    }
    v = qapi_dealloc_visitor_new();
    visit_type_%(c)s(v, NULL, &obj, NULL);
    visit_free(v);
}

''' % {'c': typ.c_name()}


def _struct_order(objects):
    """Objects ordered so that branch types (embedded by value) come first."""
    done, order = set(), []

    def emit(obj):
        if obj.name in done:
            return
        done.add(obj.name)
        for var in obj.variants or []:
            if var.type is not None:
                emit(var.type)
        order.append(obj)
    for obj in objects:
        emit(obj)
    return order


def gen_types(schema, prefix, builtins_h):
    """(header, source) CFile pair for the user-defined types of schema."""
    h = CFile(prefix + 'qapi-types.h', 'C types of the QAPI schema')
    c = CFile(prefix + 'qapi-types.c', 'Enum name tables and qapi_free_* of the QAPI schema')
    h.include('<glib.h>', '<stdbool.h>', '<stdint.h>', 'qapi/visitor.h', builtins_h)
    c.include('qapi/visitor.h', prefix + 'qapi-types.h', prefix + 'qapi-visit.h')
    enums = [t for t in schema.user_types() if isinstance(t, EnumType)]
    objects = [t for t in schema.user_types() if isinstance(t, ObjectType)]
    arrays = schema.user_arrays()
    h.add('\n')
    for enum in enums:
        h.add(gen_enum_decl(enum))
        c.add(gen_enum_lookup(enum))
    for typ in objects + arrays:
        h.add('typedef struct %s %s;\n' % (typ.c_name(), typ.c_name()))
    h.add('\n')
    for arr in arrays:
        h.add(gen_list_struct(arr))
    for obj in _struct_order(objects):
        h.add(gen_struct(obj))
    for obj in objects:
        if obj.base and not obj.base.is_implicit():
            h.add('static inline %s *qapi_%s_base(const %s *obj)\n{\n    return (%s *)obj;\n}\n\n'
                  % (obj.base.c_name(), obj.c_name(), obj.c_name(), obj.base.c_name()))
    for typ in [o for o in objects if not o.is_implicit()] + arrays:
        h.add(gen_free_decl(typ))
        c.add(gen_free_def(typ))
    return h, c


def gen_builtin_types(schema):
    h = CFile('qapi-builtin-types.h', 'List types of the QAPI built-in types')
    c = CFile('qapi-builtin-types.c', 'qapi_free_* for the QAPI built-in list types')
    h.include('<glib.h>', '<stdbool.h>', '<stdint.h>', 'qobject/qobject.h', 'qapi/visitor.h')
    c.include('qapi/visitor.h', 'qapi-builtin-types.h', 'qapi-builtin-visit.h')
    arrays = schema.builtin_arrays()
    h.add('\n')
    for arr in arrays:
        h.add('typedef struct %s %s;\n' % (arr.c_name(), arr.c_name()))
    h.add('\n')
    for arr in arrays:
        h.add(gen_list_struct(arr))
        h.add(gen_free_decl(arr))
        c.add(gen_free_def(arr))
    return h, c
