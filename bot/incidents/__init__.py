"""Incidents: one per real-world event, grown by every report of it.

* ``book``    where incidents live in Redis, and how long (by the clock)
* ``rules``   what may join what: event time, official status-page identity, regions
* ``changes`` starting an incident and growing it with one report
* ``names``   Latin-script names in headlines (and a Chinese report's opening)
* ``links``   a report citing another as its source
* ``tracker`` the matching order; files one classified article under its lock

Import from the modules: the tracker needs datasketch (and scipy through it), which
commands that only list incidents need not load.
"""
