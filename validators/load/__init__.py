"""Loading: bytes, files, folders and recording envelopes, read into documents without ever crashing;
and the recordings teams already keep (vcrpy cassettes, placebo files, standard input) read into
items by `sources`.

Imports the contract and `findings` only."""
