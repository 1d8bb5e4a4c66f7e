"""The fixed colours of the drawings: a colour-blind-friendly categorical palette and the link colours.

Categories use Paul Tol's "muted" scheme (nine colours chosen to stay distinct for the common forms of
colour blindness, https://personal.sron.nl/~pault/). Links are drawn in greys so that node colours
carry the categories; suggestions use Okabe–Ito orange and cross-border marks use a strong magenta that is
in neither scheme, and both are doubled by a second cue (dashes; width and ring), never colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable

CATEGORY_COLORS: tuple[str, ...] = (
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
)
"""Colours for categories (fields, colleges, communities), in the order they are handed out."""

OTHER_COLOR = "#BBBBBB"
"""Neutral grey for "other" / unknown categories."""

EDGE_COLORS: dict[str, str] = {
    "projet": "#4A5560",
    "partenariat": "#98A2AD",
    "suggestion": "#E69F00",
    "groupe": "#6B7682",
}
"""Colour of each kind of link (see ``maillage.viz.model.EDGE_KINDS``)."""

CROSS_BORDER_COLOR = "#DC267F"
"""Colour of cross-border links and of the ring around cross-border partners."""

NODE_BORDER_COLOR = "#2B3137"
"""Thin outline drawn around every node so pale colours stay visible on white."""

CHOROPLETH_COLORS: tuple[str, ...] = ("#F4F4F1", "#D6E9F0", "#A7CDE0", "#6AA5C9", "#2F6F9E")
"""Fill of the communes on the map by class of actor count (none, 1, 2, 3–4, 5+): a light neutral, then
a single-hue sequential blue, readable with the common colour blindnesses and in greys."""

HIGHLIGHT_COLOR = "#0072B2"
"""Outline of a selected node (Okabe–Ito blue)."""

LABEL_COLOR = "#1F2933"
"""Text of the node labels (the pages' text colour)."""

LABEL_HALO_COLOR = "#FFFFFF"
"""Outline round the letters of a label (the drawing's background), so it stays readable over links."""


def colors_for(keys: Iterable[str]) -> dict[str, str]:
    """Give each distinct key a colour of :data:`CATEGORY_COLORS`, in sorted key order.

    The same set of keys always gets the same colours, whatever order they come in. Past nine keys the
    palette repeats; group rare categories into an "other" key (coloured :data:`OTHER_COLOR`) before
    that happens, since repeated colours cannot be told apart.

    Parameters
    ----------
    keys
        Category names; duplicates are ignored.

    Returns
    -------
    dict
        ``{key: "#rrggbb"}`` for each distinct key.

    Examples
    --------
    >>> colors_for(["insertion", "emploi", "insertion"])
    {'emploi': '#332288', 'insertion': '#88CCEE'}
    """
    return {
        key: CATEGORY_COLORS[position % len(CATEGORY_COLORS)]
        for position, key in enumerate(sorted(set(keys)))
    }
