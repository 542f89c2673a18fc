"""Yearly payroll parameter files, one TOML file per year (``2026.toml``).

A package (not a plain folder) so the files ship as package data and are read
with :mod:`importlib.resources`. Adding a year means adding a file here.
"""
