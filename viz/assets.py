"""Where the drawings' JavaScript and CSS live on disk and under which URLs pages load them (no CDN)."""

from __future__ import annotations

from pathlib import Path

STATIC_URL_PREFIX = "/static/viz"
"""URL at which the API mounts :func:`static_dir`."""

VIS_NETWORK_SCRIPT = "vendor/vis-network/vis-network.min.js"
VIS_NETWORK_STYLESHEET = "vendor/vis-network/vis-network.css"
NETWORK_SCRIPT = "maillage-network.js"
STYLESHEET = "maillage.css"


def static_dir() -> Path:
    """Return the folder of static files to serve at ``/static/viz`` (vendored vis-network, our JS and CSS).

    Examples
    --------
    >>> (static_dir() / "maillage-network.js").is_file()
    True
    """
    return Path(__file__).resolve().parent / "static"


def static_url(relative_path: str) -> str:
    """Return the URL of a file of :func:`static_dir`.

    Examples
    --------
    >>> static_url("maillage.css")
    '/static/viz/maillage.css'
    """
    return f"{STATIC_URL_PREFIX}/{relative_path}"


def script_urls() -> list[str]:
    """Return the scripts a page must load, in this order, before the network fragments it shows.

    Only the vis-network library: each fragment of :func:`maillage.viz.network.render_network` loads
    ``/static/viz/maillage-network.js`` itself, with ``defer``, so the library may be loaded in ``<head>``
    (plain or ``defer``) or at the end of ``<body>``.

    Examples
    --------
    >>> script_urls()
    ['/static/viz/vendor/vis-network/vis-network.min.js']
    """
    return [static_url(VIS_NETWORK_SCRIPT)]


def stylesheet_urls() -> list[str]:
    """Return the stylesheets a page showing a network must link, in this order.

    Examples
    --------
    >>> stylesheet_urls()
    ['/static/viz/vendor/vis-network/vis-network.css', '/static/viz/maillage.css']
    """
    return [static_url(VIS_NETWORK_STYLESHEET), static_url(STYLESHEET)]
