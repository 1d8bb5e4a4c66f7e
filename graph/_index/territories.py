"""Labels, EPCI and country of the territories, walked in memory up the `mai:within` chain."""

from __future__ import annotations

from collections import deque

from maillage.graph._index.reading import Triples
from maillage.graph._index.records import iri_key
from maillage.graph._index.vocabulary import MAI


class Territories:
    """Labels, EPCI and country of territories from `mai:within` (a small graph, walked in memory)."""

    def __init__(self, triples: Triples, types: dict[str, set[str]], labels: dict[str, str]) -> None:
        self._within = triples.iris(MAI.within)
        self._types = types
        self._labels = labels
        self._country: dict[str, str | None] = {}
        self._epci_class = str(MAI.EPCI)
        self._country_class = str(MAI.Country)

    def label(self, territory: str | None) -> str:
        if territory is None:
            return ""
        return self._labels.get(territory, iri_key(territory))

    def epci(self, commune: str | None) -> str | None:
        if commune is None:
            return None
        for parent in self._within.get(commune, ()):
            if self._epci_class in self._types.get(parent, ()):
                return parent
        return None

    def country(self, territory: str | None) -> str | None:
        """The ISO code of the first `mai:Country` up the `mai:within` chain (breadth first).

        Without a chain (territories not loaded), a commune IRI means France and a municipio Spain.
        """
        if territory is None:
            return None
        if territory not in self._country:
            self._country[territory] = self._walk_to_country(territory)
        return self._country[territory]

    def _walk_to_country(self, start: str) -> str | None:
        seen = {start}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if self._country_class in self._types.get(node, ()):
                return iri_key(node).upper()
            for parent in self._within.get(node, ()):
                if parent not in seen:
                    seen.add(parent)
                    queue.append(parent)
        if "/id/commune/" in start:
            return "FR"
        if "/id/municipio/" in start:
            return "ES"
        return None
