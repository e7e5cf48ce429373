"""Talking to endpoints: the read-only client, live checks of an account, recording, redaction,
the contract-backed mock server, and mock fidelity. The only part that imports botocore at run time."""
