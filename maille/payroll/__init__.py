"""Payroll: the pure-Python engine (``engine/``), the salary simulator, the CLI.

Pay runs, payslips, remittances and year end will live here too
(ARCHITECTURE §4).
"""
