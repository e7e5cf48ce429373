"""The contract: the committed schema and the facts read from it, its generation from botocore,
the documented deviations, ECMA-262 patterns, the schema check, and the grammar of timestamps and ARNs.

Imports nothing else of l4e_contract but `findings`."""
