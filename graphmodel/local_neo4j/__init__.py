"""A local Neo4j Community server from its Maven jars: provisioning, configuration, processes (no CLI)."""
