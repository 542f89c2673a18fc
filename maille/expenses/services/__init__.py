"""Writes of expenses: claims made, approved or returned; purchases approved and paid.

``checks`` holds what both check first and the lines they post; ``claims`` and
``purchases`` the decisions on each.

Posting scheme (ARCHITECTURE §3, "expense claim approved"), through the ledger's
services only, one entry per decision, idempotency keys from the document:

- claim approved: debit Activity expenses [A] (net of credits), ITC receivable
  [COOP] (GST/HST), ITR receivable [COOP] (QST); credit Reimbursements payable
  [A] (the amount);
- its bank file sent (``reimbursements.py``): debit Reimbursements payable [A];
  credit Bank [COOP];
- purchase approved (both approvals): debit Activity expenses [A], ITC and ITR
  receivable [COOP]; credit Suppliers payable [COOP];
- purchase paid (by hand, or its bank file sent): debit Suppliers payable
  [COOP]; credit Bank [COOP].

Budget: a claim reserves its net cost on the activity's budget when it is made
(if the budget holds it), so a salary request cannot spend the same money;
approving checks the available budget (``maille.budgets``) with the activity's
row locked, and refuses a claim the budget does not hold unless staff record
an exception. The reservation is released in the transaction that posts the
cost, or when the claim is returned.

Concurrency: a decision locks the claim's row and checks its status, so two
staff approving at once give one approval and one ``ClaimConflict``; a
mileage claim locks the member's row, so two claims at once count the year's
kilometres one after the other.
"""

from maille.expenses.services.checks import (
    MAX_AMOUNT,
    MAX_KM_PER_CLAIM,
    Figures,
    figures_check,
    rules_on,
)
from maille.expenses.services.claims import (
    BulkResult,
    expense_claim_approve,
    expense_claim_create,
    expense_claim_return,
    expense_claims_approve_many,
    mileage_claim_create,
)
from maille.expenses.services.purchases import (
    purchase_approve,
    purchase_create,
    purchase_pay,
    purchase_refuse,
)

__all__ = [
    "MAX_AMOUNT",
    "MAX_KM_PER_CLAIM",
    "BulkResult",
    "Figures",
    "expense_claim_approve",
    "expense_claim_create",
    "expense_claim_return",
    "expense_claims_approve_many",
    "figures_check",
    "mileage_claim_create",
    "purchase_approve",
    "purchase_create",
    "purchase_pay",
    "purchase_refuse",
    "rules_on",
]
