"""The dashboard page on the sample network: figures worked out from the sample's CSV files."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.graph.stores.base import Store
from maillage.viz.charts import nice_ceiling, render_bar_chart


@pytest.fixture(scope="module")
def page(sample_store: Store) -> str:
    response = TestClient(create_app(sample_store)).get("/tableau-de-bord")
    assert response.status_code == 200
    return response.text


def test_headline_figures(page: str) -> None:
    assert "<strong>77</strong> acteurs" in page and "64 en France, 13 en Espagne" in page
    assert "<strong>18</strong> projets communs" in page
    # adhesions.csv: 79 memberships, 2 of private inhabitants, 3 ended in 2022-2024 → 74 this year.
    assert "<strong>74</strong> membres cette année" in page
    assert "réseau né en 2014" in page  # the founders' memberships start on 2014-03-01


def test_growth_chart_has_a_group_of_bars_per_year(page: str) -> None:
    years = dt.date.today().year - 2014 + 1
    assert page.count('class="graphique__barre"') == 2 * years
    # 8 public founders joined in 2014 (adhesions.csv).
    assert "membres en 2014 : 8" in page


def test_gaps_and_types_are_listed(page: str) -> None:
    needs = re.search(r'data-manque="besoins">(.*?)</ul>', page, re.S)
    assert needs is not None and needs.group(1).count("<li>") >= 1
    # acteurs.csv: 17 associations, the most common type, come first.
    types = re.findall(r"<tr><td>([^<]+)</td><td class=\"nombre\">(\d+)</td></tr>", page)
    assert types[0] == ("Association", "17")
    assert sum(int(n) for _, n in types) == 77


def test_chart_axis_and_escaping() -> None:
    assert nice_ceiling(74) == 100
    html = render_bar_chart(
        ["2020"], {"<b>membres</b>": [74]}, {"<b>membres</b>": "#332288"}, element_id="c", title="T & <i>"
    )
    assert "<b>membres</b>" not in html and "&lt;b&gt;membres&lt;/b&gt; en 2020 : 74" in html
    assert "T &amp; &lt;i&gt;" in html
    # 74 of an axis topped at 100: the bar is 74 % of the plot's 200 units.
    assert re.search(r'height="148.0"', html)
    with pytest.raises(ValueError, match="values for"):
        render_bar_chart(["2020", "2021"], {"a": [1]}, {"a": "#332288"}, element_id="c", title="T")
