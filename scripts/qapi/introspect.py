# Back end for PREFIXqapi-introspect.{c,h}: the schema as a list of SchemaInfo objects
# (QEMU's query-qmp-schema shape), embedded as JSON text and parsed on demand.

import json

from .common import c_name
from .gen import CFile, c_string
from .schema import ArrayType, BuiltinType, EnumType


class _Introspector:
    """Builds SchemaInfo entries.  Commands and events come first, in schema order, then
    every type they reach, in order of first use.  As in QEMU, type names other than
    built-ins are replaced by numbers ("0", "1", ...) unless unmask is set: clients
    should discover commands and their shapes, not depend on type names."""

    def __init__(self, schema, unmask):
        self.schema = schema
        self.unmask = unmask
        self.names = {}
        self.used = []
        self.entries = []

    def _name(self, name):
        if self.unmask:
            return name
        if name not in self.names:
            self.names[name] = str(len(self.names))
        return self.names[name]

    def _use(self, typ):
        # All integer types look the same on the wire: report them as 'int'.
        if isinstance(typ, BuiltinType) and typ.json_type() == 'int':
            typ = self.schema.entities['int']
        elif isinstance(typ, ArrayType) and isinstance(typ.element, BuiltinType) \
                and typ.element.json_type() == 'int':
            typ = self.schema.arrays['int']
        if typ not in self.used:
            self.used.append(typ)
        if isinstance(typ, BuiltinType):
            return typ.name
        if isinstance(typ, ArrayType):
            return '[' + self._use(typ.element) + ']'
        return self._name(typ.name)

    def _entry(self, name, meta, features, **fields):
        entry = {'name': name, 'meta-type': meta}
        entry.update(fields)
        if features:
            entry['features'] = list(features)
        self.entries.append(entry)

    def _member(self, m):
        out = {'name': m.name, 'type': self._use(m.type)}
        if m.optional:
            out['default'] = None
        if m.features:
            out['features'] = list(m.features)
        return out

    def _type(self, typ):
        if isinstance(typ, BuiltinType):
            self._entry(typ.name, 'builtin', (), **{'json-type': typ.json_type()})
        elif isinstance(typ, EnumType):
            members = []
            for val in typ.values:
                mem = {'name': val.name}
                if val.features:
                    mem['features'] = list(val.features)
                members.append(mem)
            self._entry(self._name(typ.name), 'enum', typ.features, members=members,
                        values=[v.name for v in typ.values])
        elif isinstance(typ, ArrayType):
            elem = self._use(typ.element)
            self._entry('[' + elem + ']', 'array', (), **{'element-type': elem})
        else:
            fields = {'members': [self._member(m) for m in typ.members()]}
            if typ.variants is not None:
                fields['tag'] = typ.tag_member.name
                fields['variants'] = [
                    {'case': v.name,
                     'type': self._use(v.type or self.schema.the_empty_object)}
                    for v in typ.variants]
            self._entry(self._name(typ.name), 'object', typ.features, **fields)

    def build(self):
        empty = self.schema.the_empty_object
        for cmd in self.schema.commands():
            fields = {'arg-type': self._use(cmd.arg_type or empty),
                      'ret-type': self._use(cmd.ret_type or empty)}
            if cmd.allow_oob:
                fields['allow-oob'] = True
            self._entry(cmd.name, 'command', cmd.features, **fields)
        for ev in self.schema.events():
            self._entry(ev.name, 'event', ev.features,
                        **{'arg-type': self._use(ev.arg_type or empty)})
        i = 0
        while i < len(self.used):      # self.used grows while types are described
            self._type(self.used[i])
            i += 1
        return self.entries


def schema_info(schema, unmask=False):
    """The SchemaInfo list as Python data (also used by tests)."""
    return _Introspector(schema, unmask).build()


def gen_introspect(schema, prefix, unmask):
    cprefix = c_name(prefix, False)
    h = CFile(prefix + 'qapi-introspect.h', 'Introspection data of the QAPI schema')
    c = CFile(prefix + 'qapi-introspect.c', 'Introspection data of the QAPI schema')
    h.include('qobject/qobject.h', 'qapi/qmp-dispatch.h')
    c.include('qobject/json.h', prefix + 'qapi-introspect.h')
    text = json.dumps(schema_info(schema, unmask), separators=(',', ':'))
    h.add('\n/* The list of SchemaInfo objects (as query-qmp-schema returns it); a new\n'
          ' * reference, or NULL only if the embedded JSON failed to parse (a bug). */\n'
          'QObject *%sqmp_schema_qobject(void);\n' % cprefix)
    c.add('\nstatic const char schema_json[] =\n    %s;\n\n' % c_string(text))
    c.add('''QObject *%sqmp_schema_qobject(void)
{
    GError *err = NULL;
    QObject *obj = qobject_from_json(schema_json, &err);

    if (!obj) {
        g_critical("generated introspection data does not parse: %%s", err->message);
        g_error_free(err);
    }
    return obj;
}
''' % cprefix)
    qqs = schema.entities.get('query-qmp-schema')
    if qqs is not None and qqs.meta == 'command' and not qqs.gen:
        h.add('\n/* Marshaller for query-qmp-schema (\'gen\': false in the schema): register\n'
              ' * it by hand, with QCO_ALLOW_PRECONFIG. */\n'
              'void %sqmp_marshal_query_qmp_schema(SysEmu *se, QDict *args, QObject **ret,\n'
              '                                   GError **errp);\n' % cprefix)
        c.add('''
void %(p)sqmp_marshal_query_qmp_schema(SysEmu *se, QDict *args, QObject **ret,
                                   GError **errp)
{
    if (args && qdict_size(args)) {
        error_setg(errp, "Parameter '%%s' is unexpected",
                   qdict_entry_key(qdict_first(args)));
        return;
    }
    *ret = %(p)sqmp_schema_qobject();
}
''' % {'p': cprefix})
    return h, c
