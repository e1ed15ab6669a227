#!/usr/bin/env python3
"""numbat's QAPI generator: from a schema, write C types, visitors, QMP marshallers and
introspection data.  Usage: qapi-gen.py -o OUTDIR [-p PREFIX] [--no-builtins] SCHEMA"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from qapi.main import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main())
