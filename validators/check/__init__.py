"""Running a check: validate(response) -> Report (the schema, then every rule), and one Result per source.

Imports the contract, the rules and `findings`."""
