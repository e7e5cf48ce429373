"""python -m l4e_contract.cli: the same as the l4e-contract command."""
import sys

from l4e_contract.cli import main

sys.exit(main())
