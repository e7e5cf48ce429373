"""Reporting: results as text or JSON on a stream, and report folders (JSON, JUnit XML, HTML with timelines).

Imports check results, the contract and `findings`."""
