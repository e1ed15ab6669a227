# Error type of the QAPI generator: every message names the schema file and line.


class QAPIError(Exception):
    """A schema error.  str() gives the full report, location first."""

    def __init__(self, info, msg, col=None):
        super().__init__(msg)
        self.info = info
        self.msg = msg
        self.col = col

    def __str__(self):
        if self.info is None:
            return self.msg
        loc = self.info.location(self.col)
        ctx = self.info.context_lines()
        return ''.join(line + '\n' for line in ctx) + loc + ': ' + self.msg
