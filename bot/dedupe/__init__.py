"""Seen before? Exact identities claimed atomically, and near-duplicate text.

* ``identity`` an article's identities: scoped GUID, normalised URL, content hash
* ``claims``   claiming them in Redis, with storing the article, in one script
* ``neardup``  MinHash signatures and LSH bands kept in Redis
* ``textsim``  character-pair similarity of short texts (headlines)
"""
