"""Reading sources: bytes in, ``Entry`` values out, then clean ``Article`` text.

Parsers never open URLs or paths themselves; ``local`` reads files and hands
their bytes over, and ``fetch`` (the only network client) does the same for the
network.
"""
