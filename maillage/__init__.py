"""Maillage: the knowledge graph of a territorial cooperation network."""

__version__ = "0.1.0"
