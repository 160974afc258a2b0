"""Judging one article: is it outage news, of what, where, when, and why.

* ``classify``  the outage classifier over the lexicon (bot/data/lexicon.toml)
* ``entities``  providers, regions and affected brands by salience (the catalogue)
* ``catalog``, ``patterns``, ``text``  reading and compiling the catalogue files
* ``lexicon``   the outage word tables, compiled
* ``reading``   the opening sentence, a digest's sections
* ``eventday``  the day an article says the event happened
* ``rootcause`` sentences that state a cause or a fix
"""
