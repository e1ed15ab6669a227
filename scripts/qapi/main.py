# Command line of the generator: read and check a schema, write the C files.

import argparse
import os
import re
import sys

from .commands import gen_commands
from .error import QAPIError
from .introspect import gen_introspect
from .schema import Schema
from .types import gen_builtin_types, gen_types
from .visit import gen_builtin_visit, gen_visit


def output_names(prefix, builtins):
    """Every file a run writes, in a fixed order (the build system lists them too)."""
    names = []
    if builtins:
        names += ['qapi-builtin-types.c', 'qapi-builtin-types.h',
                  'qapi-builtin-visit.c', 'qapi-builtin-visit.h']
    for kind in ('types', 'visit', 'commands', 'introspect'):
        names += ['%sqapi-%s.c' % (prefix, kind), '%sqapi-%s.h' % (prefix, kind)]
    return names


def generate(schema_file, outdir, prefix='', builtins=True, unmask=False):
    schema = Schema(schema_file)
    files = []
    if builtins:
        files += gen_builtin_types(schema) + gen_builtin_visit(schema)
    files += gen_types(schema, prefix, 'qapi-builtin-types.h')
    files += gen_visit(schema, prefix, 'qapi-builtin-visit.h')
    files += gen_commands(schema, prefix)
    files += gen_introspect(schema, prefix, unmask)
    os.makedirs(outdir, exist_ok=True)
    for f in files:
        f.write(outdir)
    return schema


def write_depfile(path, outdir, prefix, builtins, schema_files):
    def esc(name):
        return name.replace(' ', '\\ ')
    targets = ' '.join(esc(os.path.join(outdir, n)) for n in output_names(prefix, builtins))
    with open(path, 'w', encoding='utf-8') as f:
        f.write('%s: %s\n' % (targets, ' '.join(esc(s) for s in schema_files)))


def main(argv=None):
    ap = argparse.ArgumentParser(
        description='Generate C types, visitors, QMP marshallers and introspection data '
                    'from a QAPI schema.')
    ap.add_argument('-o', '--output-dir', default='.', help='directory for the output')
    ap.add_argument('-p', '--prefix', default='',
                    help="prefix of the output file names and of qmp_init_marshal / "
                         "qmp_schema_qobject (e.g. 'test-')")
    ap.add_argument('-b', '--no-builtins', action='store_true',
                    help='do not write qapi-builtin-{types,visit}.{c,h}: another '
                         'generation provides them')
    ap.add_argument('-u', '--unmask-non-abi-names', action='store_true',
                    help='keep real type names in the introspection data')
    ap.add_argument('--depfile', help='write a Makefile-style dependency file here')
    ap.add_argument('schema', help='the top schema file')
    args = ap.parse_args(argv)
    if args.prefix and not re.match(r'[A-Za-z_][A-Za-z0-9_.-]*$', args.prefix):
        print('%s: bad prefix %s' % (sys.argv[0], args.prefix), file=sys.stderr)
        return 1
    try:
        schema = generate(args.schema, args.output_dir, args.prefix,
                          not args.no_builtins, args.unmask_non_abi_names)
    except QAPIError as err:
        print(err, file=sys.stderr)
        return 1
    if args.depfile:
        write_depfile(args.depfile, args.output_dir, args.prefix, not args.no_builtins,
                      schema.files)
    return 0
