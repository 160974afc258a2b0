"""Reading sources: bytes in, ``Entry`` values out, then clean ``Article`` text.

Parsers never open URLs or paths themselves; ``local`` reads files and hands
their bytes over, and (with the ingestion issue) ``fetch`` will do the same for
the network.
"""
