"""Drift: what changed between two sets of recordings, and between the committed schema and botocore."""
