"""TAP output for numbat's python test drivers: numbered ok/not ok lines with diagnostics."""


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, diag=None):
        """Report one case; diag (any text) is printed as '#' lines when the case fails."""
        self.n += 1
        print('%s %d - %s' % ('ok' if cond else 'not ok', self.n, desc), flush=True)
        if not cond:
            self.failed += 1
            if diag is not None:
                for line in str(diag).splitlines():
                    print('#   ' + line)
        return cond

    def eq(self, got, want, desc):
        return self.ok(got == want, desc, 'got:  %r\nwant: %r' % (got, want))

    def finish(self):
        """Print the plan after the cases; the exit status for sys.exit()."""
        print('1..%d' % self.n)
        return 1 if self.failed else 0
