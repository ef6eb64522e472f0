"""Reuse detection: sketches, candidate pairs, passage alignment and relations.

Every function here is pure (records in, records out, no store), so the local runner and the
Spark runner call the same code.
"""
