from maille.invoicing.tests.conftest import _ledger_or_stub, client_abroad, client_on

__all__ = ["_ledger_or_stub", "client_abroad", "client_on"]
