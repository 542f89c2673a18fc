from maille.invoicing.tests.conftest import client_abroad, client_on

__all__ = ["client_abroad", "client_on"]
