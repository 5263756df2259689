"""Long reliability runs (issue 6): `pytest tests/reliability`, behind `make reliability`."""
