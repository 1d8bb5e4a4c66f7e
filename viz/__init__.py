"""Network pictures: pure functions from prepared nodes and edges to HTML fragments drawn by vis-network.

Public pieces: ``model`` (VizNode, VizEdge, LegendItem), ``layout`` (layout_positions, size_by_degree; its
numeric kernels are in ``forces``), ``palette`` (colors_for), ``legend`` (legend_for), ``network``
(render_network) and ``assets`` (static_dir, script_urls, stylesheet_urls). pyvis is used here and nowhere
else (DESIGN §2).
"""
