"""Exports of the network: RDF serialisations, Gephi files, CSV, GeoJSON and the DCAT-AP catalogue.

The public entry point is `maillage.graph.export`; the modules here are its parts.
"""
