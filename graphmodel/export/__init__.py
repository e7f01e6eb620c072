"""Exports of the graph to files that other tools open (GraphML first; more formats join later)."""
