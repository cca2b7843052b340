"""Ontology files shipped as package data (graphkg.ttl, shapes.ttl, gazetteer, lexicons)."""
