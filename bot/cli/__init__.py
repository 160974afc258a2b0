"""The ``outage-bot`` command line: a composition root and thin command modules."""
