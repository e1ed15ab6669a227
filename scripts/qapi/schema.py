# Semantic model of a QAPI schema: definitions resolved to types, with every check that
# needs more than one definition (unknown types, clashes, unions, commands).

import re

from .common import c_name
from .error import QAPIError
from .parser import SchemaReader

# Downstream extensions may prefix names with __RFQDN_ (QEMU's rule), experimental ones
# with x-; the stem starts with a letter.
_VALID_NAME = re.compile(r'(__[a-z0-9.-]+_)?(x-)?([a-zA-Z][a-zA-Z0-9_-]*)$')
_CAMEL = re.compile(r'[A-Z][A-Za-z0-9]*$')

# name: (C type, JSON type in introspection)
BUILTINS = {
    'str': ('char *', 'string'),
    'number': ('double', 'number'),
    'int': ('int64_t', 'int'),
    'int8': ('int8_t', 'int'),
    'int16': ('int16_t', 'int'),
    'int32': ('int32_t', 'int'),
    'int64': ('int64_t', 'int'),
    'uint8': ('uint8_t', 'int'),
    'uint16': ('uint16_t', 'int'),
    'uint32': ('uint32_t', 'int'),
    'uint64': ('uint64_t', 'int'),
    'size': ('uint64_t', 'int'),
    'bool': ('bool', 'boolean'),
    'null': ('QNull *', 'null'),
    'any': ('QObject *', 'value'),
}


class Entity:
    meta = None

    def __init__(self, name, info, features=()):
        self.name = name
        self.info = info
        self.features = list(features)

    def c_name(self):
        return c_name(self.name)

    def describe(self):
        return "%s '%s'" % (self.meta, self.name)


class Type(Entity):
    is_builtin = False

    def is_implicit(self):
        return self.name.startswith('q_')

    def c_type(self):
        """C type of a member/variable holding this type."""
        raise NotImplementedError

    def c_param_type(self):
        return self.c_type()

    def is_pointer(self):
        return self.c_type().endswith('*')

    def json_type(self):
        raise NotImplementedError


class BuiltinType(Type):
    meta = 'built-in type'
    is_builtin = True

    def __init__(self, name):
        super().__init__(name, None)
        self._c_type, self._json_type = BUILTINS[name]

    def c_name(self):
        return self.name        # 'int' must stay 'int' in visit_type_int

    def c_type(self):
        return self._c_type

    def c_param_type(self):
        return 'const char *' if self.name == 'str' else self._c_type

    def json_type(self):
        return self._json_type


class EnumValue:
    def __init__(self, name, info, features):
        self.name = name
        self.info = info
        self.features = features


class EnumType(Type):
    meta = 'enum'

    def __init__(self, name, info, values, prefix, features):
        super().__init__(name, info, features)
        self.values = values
        self.prefix = prefix

    def c_type(self):
        return c_name(self.name)

    def json_type(self):
        return 'string'


class ArrayType(Type):
    meta = 'array'

    def __init__(self, element):
        super().__init__(element.name + 'List', None)
        self.element = element
        self.is_builtin = element.is_builtin

    def c_type(self):
        return c_name(self.name) + ' *'

    def json_type(self):
        return 'array'

    def describe(self):
        return "array of %s" % self.element.describe()


class Member:
    def __init__(self, name, typ, optional, info, features=()):
        self.name = name
        self.type = typ
        self.optional = optional
        self.info = info
        self.features = list(features)

    def c_name(self):
        return c_name(self.name)


class Variant:
    def __init__(self, name, typ, info):
        self.name = name
        self.type = typ        # ObjectType, or None for an empty branch
        self.info = info


class ObjectType(Type):
    meta = 'struct'

    def __init__(self, name, info, features=()):
        super().__init__(name, info, features)
        self.base = None           # ObjectType or None
        self.local_members = []
        self.tag_member = None     # unions: the discriminator Member
        self.variants = None       # unions: list of Variant, one per enum value
        self.checked = False

    @property
    def meta(self):
        return 'union' if self.variants is not None else 'struct'

    def members(self):
        """All members in wire order: inherited ones first."""
        inherited = self.base.members() if self.base else []
        return inherited + self.local_members

    def c_type(self):
        return c_name(self.name) + ' *'

    def json_type(self):
        return 'object'


class Command(Entity):
    meta = 'command'

    def __init__(self, name, info, features):
        super().__init__(name, info, features)
        self.arg_type = None       # ObjectType or None
        self.ret_type = None       # Type or None
        self.boxed = False
        self.gen = True
        self.allow_preconfig = False
        self.allow_oob = False


class Event(Entity):
    meta = 'event'

    def __init__(self, name, info, features):
        super().__init__(name, info, features)
        self.arg_type = None
        self.boxed = False


def _check_keys(expr, info, what, required, optional):
    def names(keys):
        return ', '.join("'%s'" % k for k in sorted(keys))
    if 'if' in expr:
        raise QAPIError(info.at_line(expr.lines.get('if', info.line)),
                        "'if' conditions are not supported by numbat's QAPI generator")
    missing = [k for k in required if k not in expr]
    if missing:
        raise QAPIError(info, "%s misses key%s %s"
                        % (what, 's' if len(missing) > 1 else '', names(missing)))
    unknown = [k for k in expr if k not in required and k not in optional]
    if unknown:
        raise QAPIError(info.at_line(expr.lines.get(unknown[0], info.line)),
                        "%s has unknown key%s %s\nValid keys are %s."
                        % (what, 's' if len(unknown) > 1 else '', names(unknown),
                           names(list(required) + list(optional))))


def _check_name(name, info, what):
    """The common part of every name check; returns the stem (without x- and __RFQDN_)."""
    if not isinstance(name, str):
        raise QAPIError(info, "%s requires a string name" % what)
    match = _VALID_NAME.match(name)
    if not match or c_name(name, False).startswith('q_'):
        raise QAPIError(info, "%s has an invalid name" % what)
    return match.group(3)


def _check_name_lower(name, info, what, permit_upper=False):
    stem = _check_name(name, info, what)
    if not permit_upper and re.search('[A-Z]', stem):
        raise QAPIError(info, "%s uses uppercase in name" % what)
    return stem


def _flag(expr, info, key, allowed):
    """Whether flag key is given; it may only take the value allowed (QEMU's rule)."""
    if key not in expr:
        return False
    if expr[key] is not allowed:
        raise QAPIError(info.at_line(expr.lines[key]), "flag '%s' may only use %s value"
                        % (key, 'true' if allowed else 'false'))
    return True


def _features(expr, info):
    feats = expr.get('features')
    if feats is None:
        return []
    finfo = info.at_line(expr.lines.get('features', info.line))
    if not isinstance(feats, list):
        raise QAPIError(finfo, "'features' must be an array")
    names = []
    for feat in feats:
        if isinstance(feat, dict):
            _check_keys(feat, finfo, "'features' member", ['name'], [])
            feat = feat['name']
        _check_name_lower(feat, finfo, "'features' member '%s'" % feat)
        if feat in names:
            raise QAPIError(finfo, "duplicate feature '%s'" % feat)
        names.append(feat)
    return names


class Schema:
    """A checked schema.  Attributes: files (all schema files read), entities (name ->
    Entity), defs (user definitions in schema order, implicit types placed before their
    user), builtins, arrays (every array type, builtin element types first)."""

    META_ORDER = ('enum', 'union', 'alternate', 'struct', 'command', 'event')

    def __init__(self, fname):
        reader = SchemaReader(fname)
        self.files = reader.files
        self.pragma = reader.pragma
        self.entities = {}
        self.defs = []
        self.arrays = {}
        self.builtins = []
        for name in BUILTINS:
            typ = BuiltinType(name)
            self.builtins.append(typ)
            self.entities[name] = typ
        for typ in self.builtins:
            self._array_of(typ)
        self.the_empty_object = ObjectType('q_empty', None)
        self.the_empty_object.checked = True
        pending = [self._define(e.expr, e.info) for e in reader.exprs]
        for ent, expr in pending:
            self._resolve(ent, expr)
        for ent in list(self.defs):
            if isinstance(ent, ObjectType):
                self._check_object(ent, [])
            elif isinstance(ent, (Command, Event)):
                self._check_command_or_event(ent)

    # ---- pass 1: one definition at a time ----

    def _define(self, expr, info):
        metas = [m for m in self.META_ORDER if m in expr]
        if not metas:
            raise QAPIError(info, "expression is missing metatype")
        meta = metas[0]
        name = expr[meta]
        if not isinstance(name, str):
            raise QAPIError(info, "'%s' requires a string name" % meta)
        info.set_defn(meta, name)
        self._check_defn_name(name, info, meta)
        if name in self.entities:
            other = self.entities[name]
            where = (' at %s' % other.info.location()) if other.info else ' as a built-in'
            raise QAPIError(info, "%s '%s' is already defined%s" % (meta, name, where))
        define = getattr(self, '_define_' + meta)
        ent = define(expr, info, name)
        self.entities[name] = ent
        self.defs.append(ent)
        return ent, expr

    def _check_defn_name(self, name, info, meta):
        what = meta
        if meta == 'event':
            stem = _check_name(name, info, what)
            if not re.match(r'[A-Z][A-Z0-9_]*$', stem):
                raise QAPIError(info, "name of event '%s' must use UPPER_CASE" % name)
        elif meta == 'command':
            _check_name_lower(name, info, what)
        else:
            stem = _check_name(name, info, what)
            if not _CAMEL.match(stem):
                raise QAPIError(info, "name of %s '%s' must use CamelCase" % (meta, name))
            for suffix in ('Kind', 'List'):
                if name.endswith(suffix):
                    raise QAPIError(info, "%s name should not end in '%s'" % (meta, suffix))

    def _define_alternate(self, expr, info, name):
        raise QAPIError(info, "alternate types are not supported by numbat's QAPI "
                        "generator; use a union with a discriminator instead")

    def _define_enum(self, expr, info, name):
        _check_keys(expr, info, 'enum', ['enum', 'data'], ['prefix', 'features'])
        data = expr['data']
        if not isinstance(data, list):
            raise QAPIError(info, "'data' must be an array")
        prefix = expr.get('prefix')
        if prefix is not None and not isinstance(prefix, str):
            raise QAPIError(info, "'prefix' must be a string")
        permit_upper = self.pragma.member_name_exception(name)
        values, seen = [], {}
        for i, item in enumerate(data):
            vinfo = info.at_line(data.lines[i])
            feats = []
            if isinstance(item, dict):
                _check_keys(item, vinfo, "'data' member", ['name'], ['features'])
                feats = _features(item, vinfo)
                item = item['name']
            what = "'data' member '%s'" % item
            if not isinstance(item, str):
                raise QAPIError(vinfo, "'data' member requires a string name")
            # Enum values may start with a digit: check the rest as a name.
            _check_name_lower('d' + item if item[:1].isdigit() else item, vinfo, what,
                              permit_upper)
            key = c_name(item, False).upper()
            if key in seen:
                raise QAPIError(vinfo, "value '%s' collides with value '%s'"
                                % (item, seen[key]))
            seen[key] = item
            values.append(EnumValue(item, vinfo, feats))
        return EnumType(name, info, values, prefix, _features(expr, info))

    def _define_struct(self, expr, info, name):
        _check_keys(expr, info, 'struct', ['struct', 'data'], ['base', 'features'])
        obj = ObjectType(name, info, _features(expr, info))
        if not isinstance(expr['data'], dict):
            raise QAPIError(info, "'data' should be an object")
        obj.members_src = self._members_syntax(expr['data'], info, "'data'", name)
        if 'base' in expr:
            _typeref_syntax(expr['base'], info, "'base'", allow_array=False)
        return obj

    def _define_union(self, expr, info, name):
        _check_keys(expr, info, 'union', ['union', 'base', 'discriminator', 'data'],
                    ['features'])
        obj = ObjectType(name, info, _features(expr, info))
        obj.members_src = []
        base = expr['base']
        if isinstance(base, dict):
            implicit = ObjectType('q_obj_%s-base' % name, info)
            implicit.members_src = self._members_syntax(base, info, "'base'", name)
            self.entities[implicit.name] = implicit
            self.defs.append(implicit)
        else:
            _typeref_syntax(base, info, "'base'", allow_array=False)
        if not isinstance(expr['discriminator'], str):
            raise QAPIError(info, "'discriminator' requires a string name")
        data = expr['data']
        if not isinstance(data, dict):
            raise QAPIError(info, "'data' should be an object")
        for branch, value in data.items():
            binfo = info.at_line(data.lines[branch])
            what = "'data' member '%s'" % branch
            if isinstance(value, dict):
                _check_keys(value, binfo, what, ['type'], [])
                value = value['type']
            _typeref_syntax(value, binfo, what, allow_array=False)
        obj.variants = []
        return obj

    def _define_command(self, expr, info, name):
        for key in ('success-response', 'coroutine'):
            if key in expr:
                raise QAPIError(info.at_line(expr.lines[key]),
                                "flag '%s' is not supported by numbat's QAPI generator"
                                % key)
        _check_keys(expr, info, 'command', ['command'],
                    ['data', 'returns', 'boxed', 'gen', 'allow-preconfig', 'allow-oob',
                     'features'])
        cmd = Command(name, info, _features(expr, info))
        cmd.gen = not _flag(expr, info, 'gen', False)
        cmd.boxed = _flag(expr, info, 'boxed', True)
        cmd.allow_preconfig = _flag(expr, info, 'allow-preconfig', True)
        cmd.allow_oob = _flag(expr, info, 'allow-oob', True)
        self._define_args(cmd, expr, info, name + '-arg')
        if 'returns' in expr:
            _typeref_syntax(expr['returns'], info.at_line(expr.lines['returns']),
                            "'returns'", allow_array=True)
        return cmd

    def _define_event(self, expr, info, name):
        _check_keys(expr, info, 'event', ['event'], ['data', 'boxed', 'features'])
        ev = Event(name, info, _features(expr, info))
        ev.boxed = _flag(expr, info, 'boxed', True)
        self._define_args(ev, expr, info, name + '-arg')
        return ev

    def _define_args(self, ent, expr, info, implicit_name):
        data = expr.get('data')
        if ent.boxed and data is None:
            raise QAPIError(info, "'boxed': true requires 'data'")
        if isinstance(data, dict) and not ent.boxed:
            if not data:
                return
            implicit = ObjectType('q_obj_' + implicit_name, info)
            implicit.members_src = self._members_syntax(data, info, "'data'", ent.name)
            self.entities[implicit.name] = implicit
            self.defs.insert(len(self.defs), implicit)
            ent.arg_type = implicit
        elif data is not None:
            dinfo = info.at_line(expr.lines['data'])
            if ent.boxed and not isinstance(data, str):
                raise QAPIError(dinfo, "'data' should be a type name")
            _typeref_syntax(data, dinfo, "'data'", allow_array=False)

    def _members_syntax(self, data, info, what, owner):
        """Members as written: list of (name, optional, typeref, info, features)."""
        permit_upper = self.pragma.member_name_exception(owner)
        out = []
        for key, value in data.items():
            minfo = info.at_line(data.lines[key])
            optional = key.startswith('*')
            name = key[1:] if optional else key
            mwhat = "%s member '%s'" % (what, name)
            _check_name_lower(name, minfo, mwhat, permit_upper)
            cname = c_name(name, False)
            if cname == 'u' or cname.startswith('has_'):
                raise QAPIError(minfo, "%s uses reserved name" % mwhat)
            feats = []
            if isinstance(value, dict):
                _check_keys(value, minfo, mwhat, ['type'], ['features'])
                feats = _features(value, minfo)
                value = value['type']
            _typeref_syntax(value, minfo, mwhat, allow_array=True)
            out.append((name, optional, value, minfo, feats))
        return out

    # ---- pass 2: resolve type references ----

    def _array_of(self, element):
        arr = self.arrays.get(element.name)
        if arr is None:
            arr = ArrayType(element)
            self.arrays[element.name] = arr
            self.entities.setdefault(arr.name, arr)
        return arr

    def _lookup(self, ref, info, what):
        if isinstance(ref, list):
            return self._array_of(self._lookup(ref[0], info, what))
        ent = self.entities.get(ref)
        # Array types are written ['T'], never 'TList'; implicit types have no usable name.
        if ent is None or isinstance(ent, ArrayType) or ref.startswith('q_'):
            raise QAPIError(info, "%s uses unknown type '%s'" % (what, ref))
        if not isinstance(ent, Type):
            raise QAPIError(info, "%s uses '%s', which is a %s, not a type"
                            % (what, ref, ent.meta))
        return ent

    def _lookup_object(self, ref, info, what, allow_union):
        typ = self._lookup(ref, info, what)
        if not isinstance(typ, ObjectType):
            raise QAPIError(info, "%s must be a struct type, not %s"
                            % (what, typ.describe()))
        if typ.variants is not None and not allow_union:
            raise QAPIError(info, "%s must be a struct type, not union type '%s'"
                            % (what, typ.name))
        return typ

    def _resolve_members(self, obj):
        obj.local_members = [
            Member(name, self._lookup(ref, minfo, "member '%s'" % name), optional,
                   minfo, feats)
            for name, optional, ref, minfo, feats in obj.members_src]

    def _resolve(self, ent, expr):
        info = ent.info
        if isinstance(ent, ObjectType):
            self._resolve_members(ent)
            base = expr.get('base')
            if isinstance(base, dict):
                ent.base = self.entities['q_obj_%s-base' % ent.name]
                self._resolve_members(ent.base)
            elif base is not None:
                binfo = info.at_line(expr.lines['base'])
                ent.base = self._lookup_object(base, binfo, "'base'", allow_union=False)
            if 'discriminator' in expr:
                self._resolve_branches(ent, expr)
        elif isinstance(ent, (Command, Event)):
            data = expr.get('data')
            if isinstance(ent.arg_type, ObjectType) and ent.arg_type.is_implicit():
                self._resolve_members(ent.arg_type)
            elif isinstance(data, str):
                dinfo = info.at_line(expr.lines['data'])
                ent.arg_type = self._lookup_object(data, dinfo, "'data'",
                                                   allow_union=ent.boxed)
            if isinstance(ent, Command) and 'returns' in expr:
                rinfo = info.at_line(expr.lines['returns'])
                ent.ret_type = self._lookup(expr['returns'], rinfo, "'returns'")

    def _resolve_branches(self, union, expr):
        data = expr['data']
        union.branch_src = []
        for branch, value in data.items():
            binfo = union.info.at_line(data.lines[branch])
            if isinstance(value, dict):
                value = value['type']
            what = "branch '%s'" % branch
            typ = self._lookup(value, binfo, what)
            if not isinstance(typ, ObjectType) or typ.variants is not None:
                raise QAPIError(binfo, "%s must use a struct type, not %s"
                                % (what, typ.describe()))
            union.branch_src.append(Variant(branch, typ, binfo))
        union.discriminator = expr['discriminator']

    # ---- pass 3: checks across definitions ----

    def _check_object(self, obj, stack):
        if obj.checked:
            return
        if obj in stack:
            raise QAPIError(obj.info, "%s '%s' is its own base" % (obj.meta, obj.name))
        if obj.base:
            self._check_object(obj.base, stack + [obj])
        seen = {}
        if obj.base:
            for m in obj.base.members():
                seen[c_name(m.name, False)] = (m, "member '%s' of %s"
                                               % (m.name, _base_desc(obj.base)))
        for m in obj.local_members:
            key = c_name(m.name, False)
            if key in seen:
                raise QAPIError(m.info, "member '%s' collides with %s"
                                % (m.name, seen[key][1]))
            seen[key] = (m, "member '%s'" % m.name)
        obj.checked = True
        if obj.variants is not None:
            self._check_union(obj, seen, stack)

    def _check_union(self, union, seen, stack):
        info = union.info
        disc = union.discriminator
        base_desc = _base_desc(union.base)
        tag = next((m for m in union.members() if m.name == disc), None)
        if tag is None:
            raise QAPIError(info, "discriminator '%s' is not a member of %s"
                            % (disc, base_desc))
        if tag.optional:
            raise QAPIError(info, "discriminator member '%s' of %s must not be optional"
                            % (disc, base_desc))
        if not isinstance(tag.type, EnumType):
            raise QAPIError(info, "discriminator member '%s' of %s must be of enum type"
                            % (disc, base_desc))
        union.tag_member = tag
        values = [v.name for v in tag.type.values]
        for var in union.branch_src:
            if var.name not in values:
                raise QAPIError(var.info, "branch '%s' is not a value of %s"
                                % (var.name, tag.type.describe()))
            self._check_object(var.type, stack + [union])
            for m in var.type.members():
                key = c_name(m.name, False)
                if key in seen:
                    raise QAPIError(var.info, "branch '%s': member '%s' of struct '%s' "
                                    "collides with %s"
                                    % (var.name, m.name, var.type.name, seen[key][1]))
        given = {v.name for v in union.branch_src}
        # Values without a branch get an empty one, as in QEMU.
        union.variants = union.branch_src + [Variant(v, None, info) for v in values
                                             if v not in given]

    def _check_command_or_event(self, ent):
        info = ent.info
        arg = ent.arg_type
        if arg is not None:
            self._check_object(arg, [])
            if not ent.boxed:
                for m in arg.members():
                    if c_name(m.name) in ('se', 'errp'):
                        raise QAPIError(m.info if arg.is_implicit() else info,
                                        "argument '%s' of %s uses a name reserved for "
                                        "the handler's parameters" % (m.name,
                                                                     ent.describe()))
        if isinstance(ent, Command) and ent.ret_type is not None:
            ret = ent.ret_type
            elem = ret.element if isinstance(ret, ArrayType) else ret
            if not isinstance(elem, ObjectType) and \
                    not self.pragma.returns_exception(ent.name):
                raise QAPIError(info, "'returns' of command '%s' cannot take %s: commands "
                                "return objects or arrays of objects (list the command in "
                                "pragma 'command-returns-exceptions' to allow it)"
                                % (ent.name, ret.describe()))

    # ---- helpers for the back ends ----

    def user_types(self):
        """Enum and object types defined by this schema (implicit ones included)."""
        return [e for e in self.defs if isinstance(e, Type)]

    def commands(self):
        return [e for e in self.defs if isinstance(e, Command)]

    def events(self):
        return [e for e in self.defs if isinstance(e, Event)]

    def user_arrays(self):
        return [a for a in self.arrays.values() if not a.is_builtin]

    def builtin_arrays(self):
        return [a for a in self.arrays.values() if a.is_builtin]


def _base_desc(base):
    if base.is_implicit():
        return 'the base'
    return "base struct '%s'" % base.name


def _typeref_syntax(value, info, what, allow_array):
    if isinstance(value, str):
        return
    if isinstance(value, list):
        if not allow_array:
            raise QAPIError(info, "%s cannot be an array" % what)
        if len(value) != 1 or not isinstance(value[0], str):
            raise QAPIError(info, "%s: array type must contain single type name" % what)
        return
    raise QAPIError(info, "%s should be a type name" % what)
