"""Sales taxes (GST, QST, HST): the rules by place of supply and the dated rates.

Below quotes and invoices, which both read it; it imports no domain app.
``sales`` holds the rules, ``rates/sales_taxes.toml`` the rates with their
sources.
"""
