"""The schema (pydantic models of every node and relationship) and the official region codes."""
