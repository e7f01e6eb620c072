"""graphmodel: a graph-based stakeholder coordination model for migration governance in Indonesia.

Layers read in one direction::

    schema  <-  seed  <-  graph (NetworkX), db (Neo4j)  <-  analytics  <-  export, report, cli
"""

__version__ = "0.1.0"
