"""The evidence graph in NetworkX: built from a dataset, filtered into views."""

from graphmodel.graph.build import (
    as_date,
    build_graph,
    build_graph_from_seed,
    dataset_from_graph,
    edge_attribute_dicts,
    edge_key,
    node_attributes,
    out_edge_attributes,
    relationship_attributes,
)
from graphmodel.graph.views import GraphFilter, region_scope, subgraph

__all__ = [
    "GraphFilter", "as_date", "build_graph", "build_graph_from_seed", "dataset_from_graph", "edge_attribute_dicts",
    "edge_key", "node_attributes", "out_edge_attributes", "region_scope", "relationship_attributes", "subgraph",
]
