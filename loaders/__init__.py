"""Loaders: readers and extractors per source kind (imported as ``graphkg.loaders``)."""
