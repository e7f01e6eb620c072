"""Utilities with no knowledge of the domain: safe reading and writing of files, text folding, escaping, runtime policy.

Nothing here imports another layer of the package except :mod:`graphmodel.errors`.
"""
