# Reader of the QAPI schema language: JSON-like text with single quotes and '#' comments,
# one top-level object per definition, 'include' and 'pragma' directives resolved here.

import os

from .error import QAPIError


class SourceInfo:
    """Where something was written: file, line, the include chain that led there, and the
    definition it belongs to (for the 'In struct 'Foo':' context line)."""

    def __init__(self, fname, line, parent=None):
        self.fname = fname
        self.line = line
        self.parent = parent
        self.defn_meta = None
        self.defn_name = None

    def at_line(self, line):
        info = SourceInfo(self.fname, line, self.parent)
        info.defn_meta = self.defn_meta
        info.defn_name = self.defn_name
        return info

    def set_defn(self, meta, name):
        self.defn_meta = meta
        self.defn_name = name

    def location(self, col=None):
        loc = '%s:%d' % (self.fname, self.line)
        if col is not None:
            loc += ':%d' % col
        return loc

    def context_lines(self):
        lines = []
        parent = self.parent
        chain = []
        while parent:
            chain.append(parent)
            parent = parent.parent
        for i, inc in enumerate(chain):
            lines.append('%s %s:' % ('In file included from' if i == 0 else
                                     '                 from', inc.location()))
        if self.defn_name is not None:
            lines.append("%s: In %s '%s':" % (self.fname, self.defn_meta, self.defn_name))
        return lines


class SDict(dict):
    """A parsed object; remembers the line each key was written on."""

    def __init__(self):
        super().__init__()
        self.lines = {}


class SList(list):
    """A parsed array; remembers the line of each element."""

    def __init__(self):
        super().__init__()
        self.lines = []


class Pragma:
    """Schema-wide pragmas (QEMU's names).  doc-required is accepted and ignored:
    numbat's generator does not read doc comments."""

    LISTS = ('command-name-exceptions', 'command-returns-exceptions',
             'member-name-exceptions')

    def __init__(self):
        self.doc_required = False
        self.lists = {key: set() for key in self.LISTS}

    def returns_exception(self, name):
        return name in self.lists['command-returns-exceptions']

    def member_name_exception(self, name):
        return name in self.lists['member-name-exceptions']

    def command_name_exception(self, name):
        return name in self.lists['command-name-exceptions']


class Expr:
    """One top-level definition as parsed, with its location."""

    def __init__(self, expr, info):
        self.expr = expr
        self.info = info


class _Lexer:
    """Tokens: { } [ ] , : strings, true, false.  Tracks line and column."""

    PUNCT = '{}[],:'

    def __init__(self, text, info):
        self.text = text
        self.info = info
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.tok = None
        self.val = None
        self.tok_line = 1
        self.tok_col = 1

    def error(self, msg):
        raise QAPIError(self.info.at_line(self.tok_line), msg, self.tok_col)

    def _skip_blank(self):
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch == '#':
                end = text.find('\n', self.pos)
                self.pos = len(text) if end < 0 else end
            elif ch == '\n':
                self.pos += 1
                self.line += 1
                self.line_start = self.pos
            elif ch in ' \t\r':
                self.pos += 1
            else:
                return

    def advance(self):
        self._skip_blank()
        self.tok_line = self.line
        self.tok_col = self.pos - self.line_start + 1
        if self.pos >= len(self.text):
            self.tok = None
            return
        ch = self.text[self.pos]
        if ch in self.PUNCT:
            self.tok = ch
            self.pos += 1
        elif ch == "'":
            self.tok = "'"
            self.val = self._string()
        elif ch == '"':
            self.error("strings use single quotes (') in the schema language")
        else:
            for word, value in (('true', True), ('false', False)):
                if self.text.startswith(word, self.pos):
                    self.tok = 'bool'
                    self.val = value
                    self.pos += len(word)
                    return
            self.error("stray '%s'" % ch)

    def _string(self):
        """A single-quoted string of printable ASCII; the only escape is \\\\."""
        self.pos += 1
        out = []
        while True:
            if self.pos >= len(self.text) or self.text[self.pos] == '\n':
                self.error("missing terminating \"'\"")
            ch = self.text[self.pos]
            self.pos += 1
            if ch == "'":
                return ''.join(out)
            if ch == '\\':
                nxt = self.text[self.pos:self.pos + 1]
                if nxt != '\\':
                    self.error('unknown escape \\%s' % nxt)
                self.pos += 1
            elif not ' ' <= ch <= '~':
                self.error('funny character in string')
            out.append(ch)


class _Parser:
    """Recursive-descent parser for one file."""

    def __init__(self, text, info):
        self.lex = _Lexer(text, info)
        self.lex.advance()

    def value(self):
        lex = self.lex
        if lex.tok == '{':
            return self._object()
        if lex.tok == '[':
            return self._array()
        if lex.tok in ("'", 'bool'):
            val = lex.val
            lex.advance()
            return val
        if lex.tok is None:
            lex.error('expected value, got end of file')
        lex.error("expected '{', '[', string, or boolean")
        return None

    def _object(self):
        lex = self.lex
        obj = SDict()
        lex.advance()
        if lex.tok == '}':
            lex.advance()
            return obj
        while True:
            if lex.tok != "'":
                lex.error('expected string or "}"')
            key = lex.val
            line = lex.tok_line
            if key in obj:
                lex.error("duplicate key '%s'" % key)
            lex.advance()
            if lex.tok != ':':
                lex.error("expected ':'")
            lex.advance()
            obj[key] = self.value()
            obj.lines[key] = line
            if lex.tok == '}':
                lex.advance()
                return obj
            if lex.tok != ',':
                lex.error("expected ',' or '}'")
            lex.advance()
            if lex.tok == '}':
                lex.error("expected string, got '}' (trailing comma?)")

    def _array(self):
        lex = self.lex
        arr = SList()
        lex.advance()
        if lex.tok == ']':
            lex.advance()
            return arr
        while True:
            arr.lines.append(lex.tok_line)
            arr.append(self.value())
            if lex.tok == ']':
                lex.advance()
                return arr
            if lex.tok != ',':
                lex.error("expected ',' or ']'")
            lex.advance()
            if lex.tok == ']':
                lex.error("expected value, got ']' (trailing comma?)")

    def top_level(self):
        """Yield (expr, line) for each top-level object."""
        lex = self.lex
        while lex.tok is not None:
            if lex.tok != '{':
                lex.error('top-level expression must be an object')
            line = lex.tok_line
            yield self._object(), line


class SchemaReader:
    """Reads the top file and everything it includes, in order.  Result: exprs (list of
    Expr), pragma, and files (every schema file read, for build dependency tracking)."""

    def __init__(self, fname):
        self.exprs = []
        self.pragma = Pragma()
        self.files = []
        self._seen = set()
        self._read(fname, None, [])

    def _read(self, fname, incl_info, stack):
        path = os.path.realpath(fname)
        self._seen.add(path)
        self.files.append(fname)
        try:
            with open(fname, encoding='utf-8') as f:
                text = f.read()
        except OSError as e:
            if incl_info is None:
                raise QAPIError(None, "can't read schema file '%s': %s"
                                % (fname, e.strerror))
            raise QAPIError(incl_info, "can't read include file '%s': %s"
                            % (fname, e.strerror))
        except UnicodeDecodeError:
            raise QAPIError(SourceInfo(fname, 1, incl_info), 'file is not valid UTF-8')
        base = SourceInfo(fname, 1, incl_info)
        for expr, line in _Parser(text, base).top_level():
            info = base.at_line(line)
            if 'include' in expr:
                self._include(expr, info, fname, stack + [path])
            elif 'pragma' in expr:
                self._pragma(expr, info)
            else:
                self.exprs.append(Expr(expr, info))

    def _include(self, expr, info, fname, stack):
        if len(expr) != 1:
            raise QAPIError(info, "invalid 'include' directive")
        target = expr['include']
        if not isinstance(target, str):
            raise QAPIError(info, "value of 'include' must be a string")
        incl = os.path.join(os.path.dirname(fname), target)
        path = os.path.realpath(incl)
        if path in stack:
            raise QAPIError(info, "inclusion loop for %s" % target)
        if path in self._seen:
            return          # a second include of the same file is a no-op
        self._read(incl, info, stack)

    def _pragma(self, expr, info):
        if len(expr) != 1:
            raise QAPIError(info, "invalid 'pragma' directive")
        body = expr['pragma']
        if not isinstance(body, dict):
            raise QAPIError(info, "value of 'pragma' must be an object")
        for name, value in body.items():
            pinfo = info.at_line(body.lines[name])
            if name == 'doc-required':
                if not isinstance(value, bool):
                    raise QAPIError(pinfo, "pragma 'doc-required' must be boolean")
                self.pragma.doc_required = value
            elif name in Pragma.LISTS:
                if not isinstance(value, list) or \
                        not all(isinstance(v, str) for v in value):
                    raise QAPIError(pinfo, "pragma %s must be a list of strings" % name)
                self.pragma.lists[name].update(value)
            else:
                raise QAPIError(pinfo, "unknown pragma '%s'" % name)
