"""Evidence documents: the files behind the SHA-256 hashes that logbook entries carry.

``policy`` (pure) decides which files are accepted; ``store`` keeps an accepted file
content-addressed in the ``documents`` storage, records it (``models.StoredDocument``) and
returns the dict an entry's ``documents`` list holds; ``access`` finds a document among those
of a contract the user may read.
"""
