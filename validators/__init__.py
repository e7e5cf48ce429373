"""l4e_contract: the contract of Amazon Lookout for Equipment's DescribeModel response.

`validate(response)` checks one response (wire form, parsed form, or boto3's
dict with datetime objects) against the JSON Schema and every semantic rule,
and returns a `Report` of every violation.
"""
from l4e_contract.findings import ERROR, WARNING, Report, Violation
from l4e_contract.check.runner import validate

__all__ = ["validate", "Report", "Violation", "ERROR", "WARNING"]
__version__ = "0.1.0"
