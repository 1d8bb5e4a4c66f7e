"""Every text from the data is escaped in pages, tooltips and API answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import import_path

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def strings(value: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_hostile_names_are_escaped_everywhere(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "reseau.csv").write_text("identifiant,nom,commune,pays\nr,Réseau,40312,FR\n", encoding="utf-8")
    quoted = HOSTILE.replace('"', '""')  # CSV: a quote inside a quoted cell is doubled
    rows = [
        "identifiant,nom,type,domaines,commune,pays,description",
        f'a,"{quoted}",association,emploi,40312,FR,"</script><!-- {quoted}"',
        "b,Voisin,association,emploi,40312,FR,",
    ]
    (folder / "acteurs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "partenariats.csv").write_text("acteur_a,acteur_b,nature\na,b,informel\n", encoding="utf-8")
    store = OxigraphStore(tmp_path / "db")
    import_path(store, folder)
    client = TestClient(create_app(store))

    for url in ("/", "/actors/a", "/actors/b"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html and "</script><!--" not in html
        # the data travels to the drawing script as JSON inside a data block, with < escaped
        blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, flags=re.S)
        assert blocks and any(HOSTILE in strings(json.loads(b)) for b in blocks)
    page = client.get("/actors/a").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page  # the title, escaped by Jinja
    assert client.get("/api/actors/a").json()["name"] == HOSTILE  # JSON keeps the exact value
