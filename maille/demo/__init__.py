"""Demo data, made through the domain's services: ``maille demo``.

A package of its own above every domain app (ARCHITECTURE §4: "web/api,
demo"), so no domain package carries demo code and no demo copies a rule:

- the small co-op (``maille demo``) goes through the services, as a person
  would: members, clients, quotes, invoices, their ledger postings;
- the large synthetic set (``--members``, ``--clients``, ``--invoices``,
  ``--ledger-months``) is written in bulk for speed, but every amount comes
  from its single source (tax rates, contribution policy, payroll engine) and
  every cent reaches the ledger through its bulk service.

``steps.py`` lists what the command runs, in order. A new capability adds its
demo as a module here and one entry in ``SMALL_STEPS`` (and, for benchmark
volumes, in ``LARGE_STEPS``).
"""
