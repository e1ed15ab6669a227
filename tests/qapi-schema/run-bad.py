#!/usr/bin/env python3
"""TAP test of the QAPI generator's error reporting: every bad-NAME.json schema in this
directory must make scripts/qapi-gen.py exit with status 1, print exactly bad-NAME.err on
stderr and write no output files.  A few command-line cases and the good schema's
determinism are checked too."""

import argparse
import glob
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, detail=''):
        self.n += 1
        if not ok:
            self.failed += 1
        print('%s %d - %s' % ('ok' if ok else 'not ok', self.n, name))
        for line in (detail if not ok else "").splitlines():
            print('# ' + line)
        sys.stdout.flush()


def run_gen(gen, schema_dir, args):
    """Run the generator in schema_dir, so messages name files relative to it."""
    return subprocess.run([sys.executable, gen] + args, cwd=schema_dir,
                          capture_output=True, text=True, check=False)


def check_bad(tap, gen, schema_dir, schema):
    name = os.path.basename(schema)
    with open(schema[:-len('.json')] + '.err', encoding='utf-8') as f:
        expected = f.read()
    with tempfile.TemporaryDirectory() as out:
        res = run_gen(gen, schema_dir, ['-o', out, name])
        written = os.listdir(out)
    problems = []
    if res.returncode != 1:
        problems.append('exit status %d, expected 1' % res.returncode)
    if res.stderr != expected:
        problems.append('stderr:\n%s\nexpected:\n%s' % (res.stderr, expected))
    if written:
        problems.append('wrote files: %s' % ' '.join(sorted(written)))
    tap.result(not problems, name, '\n'.join(problems))


def check_good(tap, gen, schema_dir):
    outputs = []
    for _ in range(2):
        with tempfile.TemporaryDirectory() as out:
            res = run_gen(gen, schema_dir, ['-o', out, '-p', 'test-', '--no-builtins',
                                            'qapi-schema-test.json'])
            files = {}
            for fname in sorted(os.listdir(out)):
                with open(os.path.join(out, fname), encoding='utf-8') as f:
                    files[fname] = f.read()
        outputs.append((res.returncode, res.stderr, files))
    rc, err, files = outputs[0]
    tap.result(rc == 0 and err == '', 'good schema generates', err)
    tap.result(sorted(files) == ['test-qapi-%s.%s' % (k, e)
                                 for k in ('commands', 'introspect', 'types', 'visit')
                                 for e in ('c', 'h')],
               'prefixed run without built-ins writes 8 files', ' '.join(sorted(files)))
    tap.result(outputs[0] == outputs[1], 'output is deterministic')


def check_cli(tap, gen, schema_dir):
    with tempfile.TemporaryDirectory() as out:
        res = run_gen(gen, schema_dir, ['-o', out, 'no-such-schema.json'])
    tap.result(res.returncode == 1 and res.stderr ==
               "can't read schema file 'no-such-schema.json': No such file or directory\n",
               'missing top schema file', res.stderr)
    with tempfile.TemporaryDirectory() as out:
        res = run_gen(gen, schema_dir, ['-o', out, '-p', 'bad prefix', 'qapi-schema-test.json'])
    tap.result(res.returncode == 1 and 'bad prefix' in res.stderr, 'bad prefix rejected',
               res.stderr)
    with tempfile.TemporaryDirectory() as out:
        dep = os.path.join(out, 'x.d')
        res = run_gen(gen, schema_dir, ['-o', out, '--depfile', dep, '-b',
                                        'qapi-schema-test.json'])
        with open(dep, encoding='utf-8') as f:
            text = f.read()
    tap.result(res.returncode == 0 and 'include/sub-module.json' in text
               and text.count('qapi-schema-test.json') == 1,
               'depfile lists included schema files', text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--generator', default=os.path.join(HERE, '..', '..', 'scripts',
                                                        'qapi-gen.py'))
    ap.add_argument('--schema-dir', default=HERE)
    ap.add_argument('--tap', action='store_true', help='accepted for symmetry; always TAP')
    args = ap.parse_args()
    gen = os.path.abspath(args.generator)
    schemas = sorted(glob.glob(os.path.join(args.schema_dir, 'bad-*.json')))
    tap = Tap()
    print('TAP version 13')
    for schema in schemas:
        check_bad(tap, gen, args.schema_dir, schema)
    check_good(tap, gen, args.schema_dir)
    check_cli(tap, gen, args.schema_dir)
    print('1..%d' % tap.n)
    return 1 if tap.failed or not schemas else 0


if __name__ == '__main__':
    sys.exit(main())
