"""Build the network pictures (viz input) from the analysis index: colours, sizes, edges, legend."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
from rdflib import URIRef

from maillage.api.present import label
from maillage.graph.index import ActorRecord, NetworkIndex
from maillage.graph.synergies import Synergy
from maillage.viz.layout import layout_positions, size_by_degree
from maillage.viz.model import LegendItem, VizEdge, VizNode
from maillage.viz.palette import colors_for

COLOR_MODES = ("domaine", "college")


def top_field(index: NetworkIndex, concept: URIRef) -> URIRef:
    """The top concept above a field (its charter family), for colouring."""
    seen = {concept}
    while True:
        record = index.concepts.get(concept)
        if record is None or not record.broader or record.broader[0] in seen:
            return concept
        concept = record.broader[0]
        seen.add(concept)


def color_key(index: NetworkIndex, actor: ActorRecord, mode: str) -> URIRef | None:
    if mode == "college":
        return actor.college
    return top_field(index, actor.fields[0]) if actor.fields else None


def tooltip(index: NetworkIndex, actor: ActorRecord) -> str:
    lines = [actor.label, label(index, actor.actor_type)]
    place = actor.commune_label + (f" ({actor.epci_label})" if actor.epci_label else "")
    lines.append(f"{place} — {'Espagne' if actor.country == 'ES' else 'France'}")
    lines.append("Domaines : " + ", ".join(label(index, c) for c in actor.fields))
    return "\n".join(line for line in lines if line)


def network_picture(
    index: NetworkIndex, keys: Iterable[str], *, mode: str = "domaine", suggestions: Iterable[Synergy] = (),
) -> tuple[list[VizNode], list[VizEdge], list[LegendItem]]:
    """Nodes, edges and legend for the public actors `keys` and the collaborations among them."""
    keys = [k for k in keys if index.actors[index.position[k]].is_public]
    subgraph = nx.Graph(index.collaboration.subgraph(keys))
    subgraph.add_nodes_from(keys)
    positions = layout_positions(subgraph, seed=42)
    sizes = size_by_degree(dict(subgraph.degree()))
    actors = [index.actors[index.position[k]] for k in keys]
    groups = {a.key: color_key(index, a, mode) for a in actors}
    present = sorted({g for g in groups.values() if g is not None}, key=lambda c: label(index, c))
    palette = colors_for([str(g) for g in present] + ["autre"])
    nodes = [
        VizNode(id=a.key, label=a.label, group=label(index, groups[a.key]) or "autre",
                color=palette[str(groups[a.key]) if groups[a.key] is not None else "autre"],
                size=float(sizes[a.key]), x=positions[a.key][0], y=positions[a.key][1], title=tooltip(index, a),
                url=f"/actors/{a.key}", cross_border=a.country == "ES")
        for a in actors
    ]
    country = {a.key: a.country for a in actors}
    edges = []
    for u, v, data in sorted(subgraph.edges(data=True)):
        projects = data.get("projects") or []
        kind = "projet" if projects else "partenariat"
        names = [p.label for p in index.projects if p.key in set(projects)]
        title = ("Projets communs : " + ", ".join(names)) if names else "Partenariat"
        if projects and data.get("partnership"):
            title += "\nPartenariat"
        edges.append(VizEdge(source=u, target=v, kind=kind, title=title, weight=float(len(projects) or 1),
                             cross_border=country[u] != country[v]))
    shown = set(keys)
    for synergy in suggestions:
        if synergy.source in shown and synergy.target in shown:
            edges.append(VizEdge(source=synergy.source, target=synergy.target, kind="suggestion",
                                 title=synergy.sentence(index), cross_border=synergy.cross_border))
    legend = [LegendItem(label=label(index, g), color=palette[str(g)]) for g in present]
    legend += [
        LegendItem(label="Partenaire en Espagne (transfrontalier)", color="#000000", kind="cross-border"),
        LegendItem(label="Projet commun", color="#7f7f7f", kind="edge-projet"),
        LegendItem(label="Partenariat", color="#7f7f7f", kind="edge-partenariat"),
        LegendItem(label="Lien transfrontalier", color="#000000", kind="edge-transfrontalier"),
    ]
    if any(e.kind == "suggestion" for e in edges):
        legend.append(LegendItem(label="Coopération suggérée", color="#7f7f7f", kind="edge-suggestion"))
    return nodes, edges, legend


def ego_keys(index: NetworkIndex, key: str, *, depth: int) -> list[str]:
    """The actor and everyone within `depth` collaboration steps."""
    if key not in index.collaboration:
        return [key]
    reached = nx.single_source_shortest_path_length(index.collaboration, key, cutoff=depth)
    return sorted(reached)
