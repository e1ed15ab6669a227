# Back end for PREFIXqapi-visit.{c,h} and qapi-builtin-visit.{c,h}: one visit_type_* per
# type, walking a C value through any Visitor (input, output, dealloc).

from .common import c_enum_const, c_name
from .gen import CFile
from .schema import EnumType, ObjectType


def visit_fn(typ):
    return 'visit_type_' + typ.c_name()


def _visit_member(m):
    call = ('if (!%s(v, "%s", &obj->%s, errp)) {\n    return false;\n}\n'
            % (visit_fn(m.type), m.name, m.c_name()))
    if not m.optional:
        return call
    return ('if (visit_optional(v, "%s", &obj->has_%s)) {\n%s}\n'
            % (m.name, m.c_name(), ''.join('    ' + ln for ln in call.splitlines(True))))


def _union_switch(obj):
    tag = obj.tag_member
    enum = tag.type
    out = 'switch (obj->%s) {\n' % tag.c_name()
    for var in obj.variants:
        out += 'case %s:\n' % c_enum_const(enum.name, var.name, enum.prefix)
        if var.type is None:
            out += '    break;\n'
        else:
            out += ('    return visit_type_%s_members(v, &obj->u.%s, errp);\n'
                    % (var.type.c_name(), c_name(var.name)))
    out += ('default:\n'
            '    /* Input visitors only produce valid values: this is a caller\'s bug. */\n'
            '    error_setg(errp, "Invalid value %%d of discriminator \'%s\' of \'%s\'",\n'
            '               (int)obj->%s);\n'
            '    return false;\n'
            '}\n' % (tag.name, obj.name, tag.c_name()))
    return out


def gen_members_fn(obj):
    body = ''
    if obj.base:
        body += ('if (!visit_type_%s_members(v, (%s *)obj, errp)) {\n    return false;\n}\n'
                 % (obj.base.c_name(), obj.base.c_name()))
    for m in obj.local_members:
        body += _visit_member(m)
    if obj.variants:
        body += _union_switch(obj)
    body += 'return true;\n'
    return ('bool visit_type_%s_members(Visitor *v, %s *obj, GError **errp)\n{\n%s}\n\n'
            % (obj.c_name(), obj.c_name(),
               ''.join('    ' + ln if ln.strip() else ln for ln in body.splitlines(True))))


def gen_object_fn(obj):
    return '''bool visit_type_%(c)s(Visitor *v, const char *name, %(c)s **obj, GError **errp)
{
    bool ok = false;

    if (!visit_start_struct(v, name, (void **)obj, sizeof(%(c)s), errp)) {
        return false;
    }
    if (!*obj) {
        /* Nothing to walk: the dealloc visitor met a member input never filled. */
        ok = true;
        goto out_obj;
    }
    if (!visit_type_%(c)s_members(v, *obj, errp)) {
        goto out_obj;
    }
    ok = visit_check_struct(v, errp);
out_obj:
    visit_end_struct(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_%(c)s(*obj);
        *obj = NULL;
    }
    return ok;
}

''' % {'c': obj.c_name()}


def gen_list_fn(arr):
    elem = arr.element
    return '''bool visit_type_%(c)s(Visitor *v, const char *name, %(c)s **obj, GError **errp)
{
    bool ok = false;
    %(c)s *tail;
    size_t size = sizeof(**obj);

    if (!visit_start_list(v, name, (GenericList **)obj, size, errp)) {
        return false;
    }
    for (tail = *obj; tail;
         tail = (%(c)s *)visit_next_list(v, (GenericList *)tail, size)) {
        if (!%(elem_fn)s(v, NULL, &tail->value, errp)) {
            goto out_obj;
        }
    }
    ok = visit_check_list(v, errp);
out_obj:
    visit_end_list(v, (void **)obj);
    if (!ok && visit_is_input(v)) {
        qapi_free_%(c)s(*obj);
        *obj = NULL;
    }
    return ok;
}

''' % {'c': arr.c_name(), 'elem_fn': visit_fn(elem)}


def gen_enum_fn(enum):
    return '''bool visit_type_%(c)s(Visitor *v, const char *name, %(c)s *obj, GError **errp)
{
    int value = *obj;
    bool ok = visit_type_enum(v, name, &value, &%(c)s_lookup, errp);

    *obj = value;
    return ok;
}

''' % {'c': enum.c_name()}


def _decl(typ):
    c = typ.c_name()
    if isinstance(typ, EnumType):
        return 'bool visit_type_%s(Visitor *v, const char *name, %s *obj, GError **errp);\n' \
            % (c, c)
    return 'bool visit_type_%s(Visitor *v, const char *name, %s **obj, GError **errp);\n' \
        % (c, c)


def gen_visit(schema, prefix, builtin_visit_h):
    h = CFile(prefix + 'qapi-visit.h', 'Visitor functions for the types of the QAPI schema')
    c = CFile(prefix + 'qapi-visit.c', 'Visitor functions for the types of the QAPI schema')
    h.include('qapi/visitor.h', builtin_visit_h, prefix + 'qapi-types.h')
    c.include('qapi/error.h', prefix + 'qapi-visit.h')
    h.add('\n')
    for typ in schema.user_types():
        if isinstance(typ, EnumType):
            h.add(_decl(typ))
            c.add(gen_enum_fn(typ))
        elif isinstance(typ, ObjectType):
            h.add('bool visit_type_%s_members(Visitor *v, %s *obj, GError **errp);\n'
                  % (typ.c_name(), typ.c_name()))
            c.add(gen_members_fn(typ))
            if not typ.is_implicit():
                h.add(_decl(typ))
                c.add(gen_object_fn(typ))
    for arr in schema.user_arrays():
        h.add(_decl(arr))
        c.add(gen_list_fn(arr))
    return h, c


def gen_builtin_visit(schema):
    h = CFile('qapi-builtin-visit.h', 'Visitor functions for the QAPI built-in list types')
    c = CFile('qapi-builtin-visit.c', 'Visitor functions for the QAPI built-in list types')
    h.include('qapi/visitor.h', 'qapi-builtin-types.h')
    c.include('qapi-builtin-visit.h')
    h.add('\n')
    for arr in schema.builtin_arrays():
        h.add(_decl(arr))
        c.add(gen_list_fn(arr))
    return h, c
