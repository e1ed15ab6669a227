# Back end for PREFIXqapi-commands.{c,h}: handler prototypes qmp_NAME(), marshallers
# qmp_marshal_NAME() that unpack arguments and pack results with the qobject visitors,
# and PREFIXqmp_init_marshal() registering every generated command.

from .common import c_name
from .gen import CFile
from .schema import BuiltinType


def _ret_ctype(cmd):
    if cmd.ret_type is None:
        return 'void'
    return cmd.ret_type.c_type()


def handler_params(cmd):
    """Parameter list of qmp_NAME() after 'SysEmu *se'."""
    params = []
    arg = cmd.arg_type
    if arg is not None and cmd.boxed:
        params.append('%s *arg' % arg.c_name())
    elif arg is not None:
        for m in arg.members():
            if m.optional:
                params.append('bool has_%s' % m.c_name())
            ptype = m.type.c_param_type()
            params.append('%s%s%s' % (ptype, '' if ptype.endswith('*') else ' ', m.c_name()))
    return params


def handler_decl(cmd):
    ret = _ret_ctype(cmd)
    sep = '' if ret.endswith('*') else ' '
    params = ', '.join(['SysEmu *se'] + handler_params(cmd) + ['GError **errp'])
    return '%s%sqmp_%s(%s)' % (ret, sep, c_name(cmd.name), params)


def marshal_decl(cmd):
    return ('void qmp_marshal_%s(SysEmu *se, QDict *args, QObject **ret, GError **errp)'
            % c_name(cmd.name))


def _handler_call_args(cmd):
    arg = cmd.arg_type
    if arg is None:
        return ''
    if cmd.boxed:
        return ', &arg'
    out = ''
    for m in arg.members():
        if m.optional:
            out += ', arg.has_%s' % m.c_name()
        out += ', arg.%s' % m.c_name()
    return out


def gen_marshal_output(typ):
    """Static helper turning a handler's result into a QObject, then freeing it."""
    return '''static void qmp_marshal_output_%(c)s(%(t)sret_in, QObject **ret_out, GError **errp)
{
    Visitor *v;

    v = qobject_output_visitor_new(ret_out);
    if (visit_type_%(c)s(v, "unused", &ret_in, errp)) {
        visit_complete(v, ret_out);
    }
    visit_free(v);
    v = qapi_dealloc_visitor_new();
    visit_type_%(c)s(v, "unused", &ret_in, NULL);
    visit_free(v);
}

''' % {'c': typ.c_name(), 't': typ.c_type() + ('' if typ.c_type().endswith('*') else ' ')}


def _arg_visit(cmd, visitor, errp):
    """Statements visiting the argument struct's members with the given errp."""
    arg = cmd.arg_type
    if arg is None:
        return ''
    return 'visit_type_%s_members(%s, &arg, %s)' % (arg.c_name(), visitor, errp)


def gen_marshal(cmd):
    arg = cmd.arg_type
    ret = cmd.ret_type
    lines = [marshal_decl(cmd), '{',
             '    GError *err = NULL;',
             '    bool ok = false;',
             '    Visitor *v;',
             '    QDict *empty = NULL;']
    if arg is not None:
        lines.append('    %s arg = {0};' % arg.c_name())
    if ret is not None:
        lines.append('    %s%sretval;' % (ret.c_type(), '' if ret.c_type().endswith('*') else ' '))
    lines += ['',
              '    if (!args) {',
              '        args = empty = qdict_new();',
              '    }',
              '    v = qobject_input_visitor_new(QOBJECT(args));',
              '    if (!visit_start_struct(v, NULL, NULL, 0, errp)) {',
              '        goto out;',
              '    }']
    if arg is not None:
        lines += ['    if (%s) {' % _arg_visit(cmd, 'v', 'errp'),
                  '        ok = visit_check_struct(v, errp);',
                  '    }']
    else:
        lines.append('    ok = visit_check_struct(v, errp);')
    lines += ['    visit_end_struct(v, NULL);',
              '    if (!ok) {',
              '        goto out;',
              '    }',
              '']
    call = 'qmp_%s(se%s, &err)' % (c_name(cmd.name), _handler_call_args(cmd))
    if ret is None:
        lines.append('    %s;' % call)
    else:
        lines.append('    retval = %s;' % call)
    lines += ['    if (err) {',
              '        error_propagate(errp, err);',
              '        goto out;',
              '    }']
    if ret is not None and isinstance(ret, BuiltinType) and ret.name == 'any':
        lines.append('    *ret = retval; /* the handler returned a new reference */')
    elif ret is not None:
        lines.append('    qmp_marshal_output_%s(retval, ret, errp);' % ret.c_name())
    lines += ['', 'out:', '    visit_free(v);']
    if arg is not None:
        lines += ['    v = qapi_dealloc_visitor_new();',
                  '    visit_start_struct(v, NULL, NULL, 0, NULL);',
                  '    %s;' % _arg_visit(cmd, 'v', 'NULL'),
                  '    visit_end_struct(v, NULL);',
                  '    visit_free(v);']
    lines += ['    qobject_unref(QOBJECT(empty));', '}', '', '']
    return '\n'.join(lines)


def gen_commands(schema, prefix):
    h = CFile(prefix + 'qapi-commands.h',
              'QMP command handlers and marshallers of the QAPI schema')
    c = CFile(prefix + 'qapi-commands.c',
              'QMP command marshallers of the QAPI schema and their registration')
    h.include('qapi/qmp-dispatch.h', prefix + 'qapi-types.h')
    c.include('qapi/error.h', 'qapi/visitor.h', 'qobject/qobject.h',
              prefix + 'qapi-commands.h', prefix + 'qapi-visit.h')
    h.add('\n/* Handlers, implemented by hand; generated marshallers call them. */\n')
    c.add('\n')
    done_outputs = set()
    cmds = [cmd for cmd in schema.commands() if cmd.gen]
    for cmd in cmds:
        h.add('%s;\n' % handler_decl(cmd))
    h.add('\n/* Marshallers: the QmpCommandFunc registered for each command. */\n')
    for cmd in cmds:
        h.add('%s;\n' % marshal_decl(cmd))
        ret = cmd.ret_type
        if ret is not None and not (isinstance(ret, BuiltinType) and ret.name == 'any') \
                and ret.name not in done_outputs:
            done_outputs.add(ret.name)
            c.add(gen_marshal_output(ret))
        c.add(gen_marshal(cmd))
    init = '%sqmp_init_marshal' % c_name(prefix, False)
    h.add('\n/* Register every command of the schema except those with \'gen\': false. */\n'
          'void %s(QmpCommandList *cmds);\n' % init)
    c.add('void %s(QmpCommandList *cmds)\n{\n' % init)
    for cmd in cmds:
        c.add('    qmp_register_command(cmds, "%s", qmp_marshal_%s, %s);\n'
              % (cmd.name, c_name(cmd.name),
                 'QCO_ALLOW_PRECONFIG' if cmd.allow_preconfig else 'QCO_NO_OPTIONS'))
    c.add('}\n')
    return h, c
