"""Loading: bytes, files, folders and recording envelopes, read into documents without ever crashing.

Imports the contract and `findings` only."""
