"""Small charts drawn as SVG on the server (no JavaScript): grouped bars by year for the dashboard."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from maillage.viz.model import check_color
from maillage.viz.network import ELEMENT_ID, templates
from maillage.viz.texts import format_count, text

CHART_WIDTH = 720.0
CHART_HEIGHT = 240.0
PLOT = {"left": 44.0, "right": 8.0, "top": 12.0, "bottom": 28.0}


def nice_ceiling(value: float) -> int:
    """The top of the value axis: 1, 2 or 5 times a power of ten, at least `value` (and at least 1).

    >>> [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 48, 51, 260)]
    [1, 1, 5, 10, 20, 50, 100, 500]
    """
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def render_bar_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[int]],
    colors: Mapping[str, str],
    *,
    element_id: str,
    title: str,
    lang: str = "fr",
) -> str:
    """An HTML fragment: one group of bars per label (a year), one bar per series, a value axis with
    ticks at 0, half and the top, a legend, and each bar's value in a tooltip. Texts are escaped; the
    tooltips' own words and the numbers are in `lang` (the caller gives the title and the series names in it).

    >>> html = render_bar_chart(["2020", "2021"], {"membres": [3, 5]}, {"membres": "#332288"},
    ...                         element_id="croissance", title="Croissance")
    >>> html.count('class="graphique__barre"'), "membres en 2021 : 5" in html
    (2, True)
    """
    if not ELEMENT_ID.fullmatch(element_id):
        raise ValueError(
            f"element_id {element_id!r} must start with a letter and hold letters, digits, - or _."
        )
    for name, values in series.items():
        check_color(colors[name], where=f"series {name!r}")
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels.")
    top = nice_ceiling(max((v for values in series.values() for v in values), default=0))
    width = CHART_WIDTH - PLOT["left"] - PLOT["right"]
    height = CHART_HEIGHT - PLOT["top"] - PLOT["bottom"]
    slot = width / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    bars = []
    for i, label in enumerate(labels):
        for j, (name, values) in enumerate(series.items()):
            h = height * values[i] / top
            bars.append(
                {
                    "x": round(PLOT["left"] + i * slot + slot * 0.1 + j * bar, 1),
                    "y": round(PLOT["top"] + height - h, 1),
                    "width": round(bar, 1),
                    "height": round(h, 1),
                    "color": colors[name],
                    "title": text(
                        "chart.bar",
                        lang=lang,
                        series=name,
                        label=label,
                        value=format_count(values[i], lang=lang),
                    ),
                }
            )
    ticks = [
        {"y": round(PLOT["top"] + height * (1 - f), 1), "text": format_count(round(top * f), lang=lang)}
        for f in (0.0, 0.5, 1.0)
    ]
    every = max(1, math.ceil(len(labels) / 12))  # at most about 12 year labels under the axis
    axis = [
        {"x": round(PLOT["left"] + (i + 0.5) * slot, 1), "text": label}
        for i, label in enumerate(labels)
        if i % every == 0 or i == len(labels) - 1
    ]
    return (
        templates()
        .get_template("chart.html")
        .render(
            element_id=element_id,
            title=title,
            width=CHART_WIDTH,
            height=CHART_HEIGHT,
            left=PLOT["left"],
            right=CHART_WIDTH - PLOT["right"],
            baseline=PLOT["top"] + height,
            label_y=CHART_HEIGHT - 8,
            bars=bars,
            ticks=ticks,
            axis=axis,
            legend=[{"name": name, "color": colors[name]} for name in series],
        )
    )
