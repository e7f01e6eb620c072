"""graphmodel: a graph-based stakeholder coordination model for migration governance in Indonesia.

Folders are layers, and imports read one way (``.importlinter`` keeps it)::

    cli  <-  pipeline  <-  report, export  <-  analytics, local_neo4j  <-  db, extract
         <-  graph  <-  seed, synth  <-  model  <-  util  <-  errors
"""

__version__ = "0.1.0"
