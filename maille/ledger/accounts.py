"""The co-op's chart of accounts: codes as constants, and the starting chart.

Services and other apps name accounts by these constants (``accounts.AR``),
never by a literal code. The chart itself lives in the ``Account`` table,
loaded by data migrations (``0002_chart_of_accounts``, ``0004_activity_expenses``,
``0006_expense_accounts``);
admins may add accounts later. Numbering: 1xxx assets, 2xxx liabilities,
3xxx equity, 4xxx revenue, 5xxx expenses (docs/decisions/0003-ledger.md).
"""

from __future__ import annotations

from typing import Final

BANK: Final = "1000"
AR: Final = "1100"
ITC_RECEIVABLE: Final = "1200"
ITR_RECEIVABLE: Final = "1210"
SUPPLIERS_PAYABLE: Final = "2010"
#: The guarantee fund's advances to activities, on FONDS (guarantee app, migration 0002).
GUARANTEE_ADVANCES: Final = "1300"
SHARES_RECEIVABLE: Final = "1350"
GST_PAYABLE: Final = "2100"
QST_PAYABLE: Final = "2110"
HST_PAYABLE: Final = "2120"
FEDERAL_DEDUCTIONS_PAYABLE: Final = "2200"
QUEBEC_DEDUCTIONS_PAYABLE: Final = "2210"
YEAR_END_EMPLOYER_PAYABLE: Final = "2220"
OTHER_PAYROLL_DEDUCTIONS_PAYABLE: Final = "2230"
NET_PAY_PAYABLE: Final = "2300"
VACATION_PAY_PAYABLE: Final = "2310"
GUARANTEED_BUDGET: Final = "2500"
REIMBURSEMENTS_PAYABLE: Final = "2400"
CLIENT_CREDITS: Final = "2600"
RISTOURNES_PAYABLE: Final = "2700"
SHARES_TO_REPAY: Final = "2710"
SHARE_TRANSFERS: Final = "2720"
SHARE_CAPITAL: Final = "3000"
GUARANTEE_FUND_RESERVE: Final = "3100"
GENERAL_RESERVE: Final = "3200"
UNDISTRIBUTED_SURPLUS: Final = "3900"
REVENUE: Final = "4000"
CONTRIBUTION_INCOME: Final = "4100"
SPACE_INCOME: Final = "4200"
#: What an invoice may credit as its revenue (budgets count both as invoiced work).
INVOICE_REVENUE: Final = (REVENUE, SPACE_INCOME)
INTEREST_INCOME: Final = "4300"
CONTRIBUTION_EXPENSE: Final = "5000"
SALARIES: Final = "5100"
EMPLOYER_CONTRIBUTIONS: Final = "5110"
VACATION_PAY: Final = "5120"
BAD_DEBTS: Final = "5200"
SPACE_EXPENSE: Final = "5300"
ACTIVITY_EXPENSES: Final = "5400"
BANK_FEES: Final = "5600"
ROUNDING: Final = "5900"

# (code, type, French name, English name)
CHART: Final[tuple[tuple[str, str, str, str], ...]] = (
    (BANK, "asset", "Encaisse — banque", "Bank"),
    (AR, "asset", "Comptes clients", "Accounts receivable"),
    (
        ITC_RECEIVABLE,
        "asset",
        "CTI à recevoir (TPS/TVH)",
        "Input tax credits receivable (GST/HST)",
    ),
    (
        ITR_RECEIVABLE,
        "asset",
        "RTI à recevoir (TVQ)",
        "Input tax refunds receivable (QST)",
    ),
    (SUPPLIERS_PAYABLE, "liability", "Fournisseurs à payer", "Suppliers payable"),
    (
        GUARANTEE_ADVANCES,
        "asset",
        "Avances du fonds de garantie aux activités",
        "Guarantee fund advances to activities",
    ),
    (
        SHARES_RECEIVABLE,
        "asset",
        "Parts sociales souscrites à recevoir",
        "Share subscriptions receivable",
    ),
    (GST_PAYABLE, "liability", "TPS à payer", "GST payable"),
    (QST_PAYABLE, "liability", "TVQ à payer", "QST payable"),
    (HST_PAYABLE, "liability", "TVH à payer", "HST payable"),
    (
        FEDERAL_DEDUCTIONS_PAYABLE,
        "liability",
        "Retenues à la source à payer — fédéral",
        "Source deductions payable — federal",
    ),
    (
        QUEBEC_DEDUCTIONS_PAYABLE,
        "liability",
        "Retenues à la source à payer — Québec",
        "Source deductions payable — Québec",
    ),
    (
        YEAR_END_EMPLOYER_PAYABLE,
        "liability",
        "Cotisations de l'employeur à payer en fin d'année (CNT, FDRCMO)",
        "Year-end employer contributions payable (CNT, WSDRF)",
    ),
    (
        OTHER_PAYROLL_DEDUCTIONS_PAYABLE,
        "liability",
        "Autres retenues sur salaire à payer",
        "Other payroll deductions payable",
    ),
    (NET_PAY_PAYABLE, "liability", "Salaires nets à payer", "Net pay payable"),
    (VACATION_PAY_PAYABLE, "liability", "Indemnités de vacances à payer", "Vacation pay payable"),
    (
        GUARANTEED_BUDGET,
        "liability",
        "Budget garanti des activités",
        "Guaranteed activity budget",
    ),
    (REIMBURSEMENTS_PAYABLE, "liability", "Remboursements à payer", "Reimbursements payable"),
    (CLIENT_CREDITS, "liability", "Crédits des clients", "Client credits"),
    (RISTOURNES_PAYABLE, "liability", "Ristournes à payer", "Ristournes payable"),
    (SHARES_TO_REPAY, "liability", "Parts sociales à rembourser", "Redeemed shares to repay"),
    (SHARE_TRANSFERS, "liability", "Transferts de parts en cours", "Share transfers in progress"),
    (SHARE_CAPITAL, "equity", "Capital social des membres", "Member share capital"),
    (GUARANTEE_FUND_RESERVE, "equity", "Réserve du fonds de garantie", "Guarantee fund reserve"),
    (GENERAL_RESERVE, "equity", "Réserve générale", "General reserve"),
    (UNDISTRIBUTED_SURPLUS, "equity", "Excédents non répartis", "Undistributed surplus"),
    (REVENUE, "revenue", "Chiffre d'affaires", "Revenue"),
    (CONTRIBUTION_INCOME, "revenue", "Contributions mutualisées", "Mutualized contribution income"),
    (SPACE_INCOME, "revenue", "Revenus d'espaces partagés", "Space income"),
    (INTEREST_INCOME, "revenue", "Intérêts créditeurs", "Interest income"),
    (
        CONTRIBUTION_EXPENSE,
        "expense",
        "Contribution mutualisée",
        "Mutualized contribution expense",
    ),
    (SALARIES, "expense", "Salaires bruts", "Salaries"),
    (EMPLOYER_CONTRIBUTIONS, "expense", "Cotisations de l'employeur", "Employer contributions"),
    (VACATION_PAY, "expense", "Indemnités de vacances", "Vacation pay"),
    (BAD_DEBTS, "expense", "Créances irrécouvrables", "Bad debts"),
    (SPACE_EXPENSE, "expense", "Frais d'espaces partagés", "Space expense"),
    (ACTIVITY_EXPENSES, "expense", "Frais des activités", "Activity expenses"),
    (BANK_FEES, "expense", "Frais bancaires", "Bank fees"),
    (ROUNDING, "expense", "Écarts d'arrondi", "Rounding differences"),
)
