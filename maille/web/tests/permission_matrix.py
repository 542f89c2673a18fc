"""The rows of the permission matrix (``test_permission_matrix.py``).

One row per page (by its route name) and per API operation (by method and
OpenAPI path). A row gives the HTTP status each persona gets, in this order:

    anonymous  member  other_member  client_contact  other_client  staff  admin

on the objects of the world (see the test module): the member and the client
contact own them, the other member and the other client do not. So a row like
``"302  200  404  404  404  200  200"`` reads: login first; the owner sees it;
another member, a client contact and another client get 404; staff and admin
see it.

Adding a route? Add its row here: the test failure prints the line to paste
with ``???`` for the statuses, and, once you run it, the statuses it observed
(check each one is what you mean before you keep it). ``MATRIX_RECORD=rows.tsv
pytest maille/web/tests/test_permission_matrix.py`` writes every observed row
to that file instead of asserting. Placeholders in the URL
(``{activity}``, ``{invoice_id}``…) name objects of the world fixture; a write
(POST…) sends ``body`` (a form for pages, JSON for the API) and is rolled back
after each persona.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERSONAS = (
    "anonymous",
    "member",
    "other_member",
    "client_contact",
    "other_client",
    "staff",
    "admin",
)

# Routes covered elsewhere, with why: each one is still enumerated, and the
# admin's are walked by ``test_only_staff_reach_the_admin``.
EXEMPT_PREFIXES = {
    "admin:": "the Django admin: every route checked by test_only_staff_reach_the_admin",
    "api:": "the API: rows per OpenAPI operation in API below (docs and root in PAGES)",
    "account_": "allauth's login, logout, password and email pages: public or about oneself",
    "mfa_": "allauth's second-factor pages: about oneself (test_two_factor_every_door)",
    "set_language": "the language switch: public by design",
}


@dataclass(frozen=True)
class Case:
    target: str  # "GET /clients/{client}/"
    expected: str  # seven statuses, in PERSONAS order
    body: Any = field(default_factory=dict)

    def statuses(self) -> dict[str, int | str]:
        values = self.expected.split()
        assert len(values) == len(PERSONAS), f"{self.target}: {len(PERSONAS)} statuses expected"
        return {p: int(v) if v.isdigit() else v for p, v in zip(PERSONAS, values, strict=True)}


LINES = [{"description": "Travail", "quantity": "1", "unit_price": "100.00"}]
#: A board decision with the world's director present, dated today.
DECISION = {"date": "{today}", "text": "Approuvé", "directors_present": ["{director_id}"]}

PAGES: dict[str, Case | list[Case]] = {
    "web:home": Case("GET /", "302  200  200  200  200  200  200"),
    "web:api_tokens": Case("GET /tokens/", "302  200  200  200  200  200  200"),
    "web:api_token_revoke": Case(
        "POST /tokens/{api_token}/revoke/", "302  302  404  404  404  404  404"
    ),
    "web:favicon": Case("GET /favicon.ico", "302  302  302  302  302  302  302"),
    "coworking:home": Case("GET /coworking/", "302  200  200  404  404  200  200"),
    "coworking:week": Case(
        "GET /coworking/sites/{site}/week/", "302  200  200  404  404  200  200"
    ),
    "coworking:day": Case("GET /coworking/sites/{site}/day/", "302  200  200  404  404  200  200"),
    "coworking:staff_sites": Case(
        "GET /coworking/staff/sites/", "302  404  404  404  404  200  200"
    ),
    "coworking:staff_site_edit": Case(
        "GET /coworking/staff/sites/{site}/", "302  404  404  404  404  200  200"
    ),
    "coworking:staff_resource_new": Case(
        "GET /coworking/staff/resources/new/", "302  404  404  404  404  200  200"
    ),
    "coworking:staff_resource_edit": Case(
        "GET /coworking/staff/resources/{resource}/", "302  404  404  404  404  200  200"
    ),
    "coworking:book": Case(
        "GET /coworking/resources/{resource}/book/", "302  200  200  404  404  200  200"
    ),
    "coworking:mine": Case("GET /coworking/mine/", "302  200  200  404  404  200  200"),
    "coworking:cancel": Case(
        "POST /coworking/bookings/{booking}/cancel/", "302  302  404  404  404  302  302"
    ),
    "coworking:pass_buy": Case("POST /coworking/passes/buy/", "302  302  302  404  404  404  404"),
    "coworking:feed_revoke": Case(
        "POST /coworking/feed/revoke/", "302  302  302  404  404  404  404"
    ),
    "coworking:feed": Case(
        "GET /coworking/ical/{feed_token}/", "200  200  200  200  200  200  200"
    ),
    "coworking:booking_link": Case(
        "GET /coworking/b/{booking_link}/", "200  200  200  200  200  200  200"
    ),
    "coworking:guest": Case("GET /coworking/guest/", "200  200  200  200  200  200  200"),
    "coworking:staff_day": Case("GET /coworking/staff/day/", "302  404  404  404  404  200  200"),
    "coworking:guest_invoice": Case(
        "POST /coworking/staff/bookings/{guest_booking}/invoice/",
        "302  404  404  404  404  302  302",
    ),
    "coworking:staff_resources": Case(
        "GET /coworking/staff/resources/", "302  404  404  404  404  200  200"
    ),
    "coworking:staff_feed_revoke": Case(
        "POST /coworking/staff/resources/{resource}/feed/revoke/",
        "302  404  404  404  404  302  302",
    ),
    "coworking:loans": Case("GET /coworking/staff/loans/", "302  404  404  404  404  200  200"),
    "coworking:loan_check_in": Case(
        "POST /coworking/staff/loans/{loan}/check-in/",
        "302  404  404  404  404  302  302",
        {"condition": "Bon"},
    ),
    "coworking:occupancy": Case("GET /coworking/occupancy/", "302  404  404  404  404  200  200"),
    "clients:contact_edit": Case(
        "GET /clients/{client}/contacts/{contact}/", "302  200  404  404  404  200  200"
    ),
    "contracts:totals": Case("GET /quotes/totals/", "302  405  405  405  405  405  405"),
    "invoicing:discard": Case(
        "POST /invoices/{draft_invoice}/discard/", "302  302  404  404  404  302  302"
    ),
    "invoicing:portal_quote_pdf": Case(
        "GET /portal/quotes/{quote}/pdf/", "302  404  404  200  404  404  404"
    ),
    "payments:bank_accounts": Case("GET /bank/", "302  404  404  404  404  200  200"),
    "payments:bank_account": Case("GET /bank/{bank}/", "302  404  404  404  404  200  200"),
    "payments:bank_account_new": Case("GET /bank/new/", "302  404  404  404  404  404  200"),
    "payments:bank_account_edit": Case(
        "GET /bank/{bank}/edit/", "302  404  404  404  404  404  200"
    ),
    "payments:import": Case("GET /bank/{bank}/import/", "302  404  404  404  404  405  405"),
    "payments:mapping": Case("GET /bank/{bank}/mapping/", "302  404  404  404  404  200  200"),
    "payments:reconcile": Case("GET /bank/{bank}/reconcile/", "302  404  404  404  404  200  200"),
    "payments:import_detail": Case(
        "GET /bank/imports/{bank_import}/", "302  404  404  404  404  404  404"
    ),
    "payments:queue": Case("GET /bank/lines/", "302  404  404  404  404  200  200"),
    "payments:confirm": Case("GET /bank/lines/confirm/", "302  404  404  404  404  405  405"),
    "payments:rematch": Case("POST /bank/lines/rematch/", "302  404  404  404  404  302  302"),
    "payments:line": Case("GET /bank/lines/{bank_line}/", "302  404  404  404  404  404  404"),
    "payments:line_action": Case(
        "POST /bank/lines/{bank_line}/match/", "302  404  404  404  404  404  404"
    ),
    # Governance (issue 17): the application form is public; the board's and
    # staff's pages answer 404 to members who are not directors (none of the
    # personas is one). The world's objects are real (see the test module):
    # members see the meetings called and the ballots, their own shares.
    "governance:apply": Case("GET /adhesion/", "200  200  200  200  200  200  200"),
    "governance:convocation_public": Case(
        "GET /ag/not-a-token/", "404  404  404  404  404  404  404"
    ),
    "governance:applications": Case(
        "GET /gouvernance/demandes/", "302  404  404  404  404  200  200"
    ),
    "governance:application": Case(
        "GET /gouvernance/demandes/{application}/", "302  404  404  404  404  200  200"
    ),
    "governance:my_shares": Case(
        "GET /gouvernance/mes-parts/", "302  200  200  404  404  404  404"
    ),
    "governance:register": Case("GET /gouvernance/registre/", "302  404  404  404  404  200  200"),
    "governance:register_csv": Case(
        "GET /gouvernance/registre.csv", "302  404  404  404  404  200  200"
    ),
    "governance:register_pdf": Case(
        "GET /gouvernance/registre.pdf", "302  404  404  404  404  200  200"
    ),
    "governance:meetings": Case(
        "GET /gouvernance/assemblees/", "302  200  200  404  404  200  200"
    ),
    "governance:meeting": [
        Case("GET /gouvernance/assemblees/{meeting}/", "302  200  200  404  404  200  200"),
        Case("GET /gouvernance/assemblees/{draft_meeting}/", "302  404  404  404  404  200  200"),
    ],
    "governance:ballot": Case(
        "GET /gouvernance/scrutins/{ballot}/", "302  200  200  404  404  200  200"
    ),
    "governance:ristournes": Case(
        "GET /gouvernance/ristournes/", "302  404  404  404  404  200  200"
    ),
    "governance:ristourne": Case(
        "GET /gouvernance/ristournes/{ristourne}/", "302  404  404  404  404  200  200"
    ),
    # The board's acts: staff (and directors) only; a member gets 404 even on
    # a ballot or a meeting they may read.
    "governance:ballots": Case("GET /gouvernance/scrutins/", "302  404  404  404  404  200  200"),
    "governance:ballot_new": Case(
        "GET /gouvernance/scrutins/nouveau/", "302  404  404  404  404  200  200"
    ),
    "governance:ballot_action": Case(
        "POST /gouvernance/scrutins/{ballot}/count/", "302  404  404  404  404  302  302"
    ),
    "governance:meeting_new": Case(
        "GET /gouvernance/assemblees/nouvelle/", "302  404  404  404  404  200  200"
    ),
    "governance:meeting_action": Case(
        "POST /gouvernance/assemblees/{meeting}/hold/", "302  404  404  404  404  302  302"
    ),
    "governance:member_shares": Case(
        "GET /gouvernance/registre/{member}/", "302  404  404  404  404  200  200"
    ),
    "governance:member_action": Case(
        "POST /gouvernance/registre/{member}/pay/",
        "302  404  404  404  404  302  302",
        {"amount": "10.00", "date": "{today}", "method": "transfer"},
    ),
    "governance:my_resignation": Case(
        "POST /gouvernance/mes-parts/demission/",
        "302  302  302  404  404  404  404",
        {"requested_on": "{today}"},
    ),
    "governance:ristourne_action": [
        Case(
            "POST /gouvernance/ristournes/{ristourne}/allocate/",
            "302  404  404  404  404  302  302",
            {"date": "2026-05-21", "meeting": "{held_meeting}"},
        ),
        Case(
            "POST /gouvernance/ristournes/{voted_ristourne}/pay/",
            "302  404  404  404  404  302  302",
            {"date": "{today}"},
        ),
    ],
    "members:list": Case("GET /members/", "302  404  404  404  404  200  200"),
    "members:admit": Case("GET /members/new/", "302  404  404  404  404  200  200"),
    "members:me": Case("GET /members/me/", "302  302  302  404  404  404  404"),
    "members:detail": Case("GET /members/{member}/", "302  200  404  404  404  200  200"),
    "members:edit": Case("GET /members/{member}/edit/", "302  200  404  404  404  200  200"),
    "members:status": Case("POST /members/{member}/status/", "302  404  404  404  404  302  302"),
    "members:activity_list": Case("GET /activities/", "302  200  200  404  404  200  200"),
    "members:activity_create": Case("GET /activities/new/", "302  200  200  404  404  200  200"),
    "members:activity_detail": Case(
        "GET /activities/{activity}/", "302  200  404  404  404  200  200"
    ),
    "members:activity_edit": Case(
        "GET /activities/{activity}/edit/", "302  200  404  404  404  200  200"
    ),
    "members:activity_close": Case(
        "POST /activities/{activity}/close/", "302  302  404  404  404  302  302"
    ),
    # Clients are the co-op's: every member may quote any of them (contacts' emails
    # stay hidden from members, test_hardening); only staff change them.
    "clients:list": Case("GET /clients/", "302  200  200  404  404  200  200"),
    "clients:create": Case("GET /clients/new/", "302  200  200  404  404  200  200"),
    "clients:detail": Case("GET /clients/{client}/", "302  200  200  404  404  200  200"),
    # A member who works with a client (quoted or invoiced it, or created it)
    # corrects it and its contacts (issue 10); others get 404.
    "clients:edit": Case("GET /clients/{client}/edit/", "302  200  404  404  404  200  200"),
    "clients:contact_add": Case(
        "GET /clients/{client}/contacts/", "302  302  404  404  404  302  302"
    ),
    "payments:list": Case("GET /payments/", "302  404  404  404  404  200  200"),
    "payments:record": Case("GET /payments/record/", "302  404  404  404  404  200  200"),
    "payments:detail": Case("GET /payments/{payment}/", "302  200  404  200  404  200  200"),
    "payments:action": [
        Case("POST /payments/{payment}/reverse/", "302  404  404  404  404  302  302"),
        Case("POST /payments/{payment}/refund/", "302  404  404  404  404  302  302"),
        Case("POST /payments/{payment}/apply/", "302  404  404  404  404  302  302"),
    ],
    # The salary simulator is public: it shows the co-op's rules, no one's data.
    "payroll:simulator": Case("GET /simulateur/", "200  200  200  200  200  200  200"),
    "payroll:my_pay": Case("GET /paie/", "302  200  200  404  404  404  404"),
    "payroll:my_employment": Case("GET /paie/dossier/", "302  200  200  404  404  404  404"),
    "payroll:request_cancel": Case(
        "POST /paie/demandes/{salary_request}/annuler/", "302  302  404  404  404  302  302"
    ),
    "payroll:payslip_pdf": Case(
        "GET /paie/bulletins/{payslip}/pdf/", "302  200  404  404  404  200  200"
    ),
    # The emailed link: signed for one payslip, opened by its member (signed in) or staff.
    "payroll:payslip_link": Case(
        "GET /paie/b/{payslip_link}/", "302  200  404  404  404  200  200"
    ),
    "payroll:payslip_reverse": Case(
        "POST /paie/bulletins/{payslip}/annuler/", "302  404  404  404  404  302  302"
    ),
    "payroll:payslip_returned": Case(
        "POST /paie/bulletins/{payslip}/retour/", "302  404  404  404  404  302  302"
    ),
    # The world's payslip went to the bank: staff are refused (a message), others 404.
    "payroll:payslip_paid_otherwise": Case(
        "POST /paie/bulletins/{payslip}/paye-autrement/",
        "302  404  404  404  404  302  302",
        {"paid_on": "2026-01-20", "reference": "CHQ 1"},
    ),
    "payroll:staff_employment": Case("GET /paie/dossiers/", "302  404  404  404  404  200  200"),
    "payroll:employment_edit": Case(
        "GET /paie/dossiers/{member}/", "302  404  404  404  404  200  200"
    ),
    "payroll:staff_requests": Case("GET /paie/demandes/", "302  404  404  404  404  200  200"),
    "payroll:runs": Case("GET /paie/paies/", "302  404  404  404  404  200  200"),
    "payroll:run_detail": Case("GET /paie/paies/{run}/", "302  404  404  404  404  200  200"),
    "payroll:run_approve": Case(
        "POST /paie/paies/{run}/approuver/", "302  404  404  404  404  302  302"
    ),
    "payroll:run_resume": Case(
        "POST /paie/paies/{run}/reprendre/", "302  404  404  404  404  302  302"
    ),
    "payroll:run_pdfs": Case(
        "POST /paie/paies/{run}/bulletins-pdf/", "302  404  404  404  404  302  302"
    ),
    "payroll:run_bank_file": Case(
        "POST /paie/paies/{run}/fichier-bancaire/", "302  404  404  404  404  302  302"
    ),
    "payroll:run_bank_file_download": Case(
        "GET /paie/paies/{run}/fichier-bancaire.txt", "302  404  404  404  404  404  404"
    ),
    "payroll:returns_import": Case("POST /paie/retours/", "302  404  404  404  404  302  302"),
    "payroll:remittances": Case(
        "GET /paie/remises/?year=2026", "302  404  404  404  404  200  200"
    ),
    "contracts:list": Case("GET /quotes/", "302  200  200  404  404  200  200"),
    # Another member's activity in the link is not offered: the form shows
    # only the visitor's own activities (issue 10: the activity is chosen there).
    "contracts:create": Case(
        "GET /quotes/new/?activity={activity}", "302  200  200  404  404  200  200"
    ),
    "contracts:detail": [
        Case("GET /quotes/{quote}/", "302  200  404  404  404  200  200"),
        Case("GET /quotes/{draft_quote}/", "302  200  404  404  404  200  200"),
    ],
    "contracts:edit": Case("GET /quotes/{draft_quote}/edit/", "302  200  404  404  404  200  200"),
    "contracts:pdf": Case("GET /quotes/{quote}/pdf/", "302  200  404  404  404  200  200"),
    "contracts:action": [
        Case("POST /quotes/{draft_quote}/submit/", "302  302  404  404  404  302  302"),
        Case("POST /quotes/{draft_quote}/validate/", "302  404  404  404  404  302  302"),
        Case("POST /quotes/{quote}/send/", "302  302  404  404  404  302  302"),
        Case("POST /quotes/{quote}/cancel/", "302  404  404  404  404  302  302"),
    ],
    # Signed links: the token is the credential, whoever holds it.
    "contracts:public": Case("GET /q/{quote_link}/", "200  200  200  200  200  200  200"),
    "contracts:public_pdf": Case("GET /q/{quote_link}/pdf/", "200  200  200  200  200  200  200"),
    "invoicing:list": Case("GET /invoices/", "302  200  200  404  404  200  200"),
    "invoicing:create": Case(
        "GET /invoices/new/?activity={activity}", "302  200  404  404  404  200  200"
    ),
    "invoicing:issue_many": Case("POST /invoices/issue/", "302  404  404  404  404  302  302"),
    "invoicing:from_quote": Case(
        "GET /invoices/from-quote/{quote}/", "302  200  404  404  404  200  200"
    ),
    "invoicing:detail": [
        Case("GET /invoices/{invoice}/", "302  200  404  404  404  200  200"),
        Case("GET /invoices/{draft_invoice}/", "302  200  404  404  404  200  200"),
    ],
    "invoicing:edit": Case(
        "GET /invoices/{draft_invoice}/edit/", "302  200  404  404  404  200  200"
    ),
    "invoicing:pdf": Case("GET /invoices/{invoice}/pdf/", "302  200  404  404  404  200  200"),
    "invoicing:ubl": Case("GET /invoices/{invoice}/ubl/", "302  200  404  404  404  200  200"),
    "invoicing:action": [
        Case("POST /invoices/{draft_invoice}/issue/", "302  404  404  404  404  302  302"),
        Case("POST /invoices/{invoice}/send/", "302  404  404  404  404  302  302"),
        Case("POST /invoices/{invoice}/credit/", "302  404  404  404  404  302  302"),
        Case("POST /invoices/{invoice}/revoke/", "302  404  404  404  404  302  302"),
    ],
    "invoicing:pipeline": Case(
        "GET /activities/{activity}/pipeline/", "302  200  404  404  404  200  200"
    ),
    # The client portal: for client contacts only, each sees their own client's.
    "invoicing:portal": Case("GET /portal/", "302  404  404  200  200  404  404"),
    "invoicing:portal_pdf": Case(
        "GET /portal/invoices/{invoice}/pdf/", "302  404  404  200  404  404  404"
    ),
    "invoicing:public": Case("GET /i/{invoice_link}/", "200  200  200  200  200  200  200"),
    "ledger:activity_statement": Case(
        "GET /activities/{activity}/statement/", "302  200  404  404  404  200  200"
    ),
    "ledger:activity_statement_csv": Case(
        "GET /activities/{activity}/statement.csv", "302  200  404  404  404  200  200"
    ),
    "ledger:trial_balance": Case("GET /ledger/", "302  404  404  404  404  200  200"),
    "ledger:trial_balance_csv": Case(
        "GET /ledger/trial-balance.csv", "302  404  404  404  404  200  200"
    ),
    "ledger:general_ledger": Case(
        "GET /ledger/accounts/{account}/", "302  404  404  404  404  200  200"
    ),
    "ledger:general_ledger_csv": Case(
        "GET /ledger/accounts/{account}/ledger.csv", "302  404  404  404  404  200  200"
    ),
    "ledger:periods": Case("GET /ledger/periods/", "302  404  404  404  404  200  200"),
    "ledger:period_close": Case("POST /ledger/periods/close/", "302  404  404  404  404  302  302"),
    "ledger:period_reopen": Case(
        "POST /ledger/periods/reopen/", "302  404  404  404  404  302  302"
    ),
    "api:openapi-json": Case("GET /api/v1/openapi.json", "200  200  200  200  200  200  200"),
    "api:openapi-view": Case("GET /api/v1/docs", "200  200  200  200  200  200  200"),
    "api:api-root": Case("GET /api/v1/", "404  404  404  404  404  404  404"),
    # The guarantee fund: every member sees the fund (figures, no names); the
    # board (directors), staff and admins the simulation; staff the advances.
    "guarantee:fund": Case("GET /fonds/", "302  200  200  404  404  200  200"),
    "guarantee:stress": Case("GET /fonds/simulation/", "302  404  404  404  404  200  200"),
    "guarantee:advances": Case("GET /fonds/avances/", "302  404  404  404  404  200  200"),
    "guarantee:run": Case("POST /fonds/executer/", "302  404  404  404  404  302  302"),
    "guarantee:draft": Case(
        "GET /fonds/brouillon/?client={client}", "302  200  200  404  404  200  200"
    ),
    "guarantee:invoice": Case(
        "GET /fonds/factures/{invoice}/", "302  200  404  404  404  200  200"
    ),
    "guarantee:contract": Case(
        "POST /fonds/factures/{invoice}/contrat/",
        "302  404  404  404  404  302  302",
        {"signed_on": "2026-01-05", "reference": "Contrat signé 1"},
    ),
    "guarantee:quote": Case("GET /fonds/devis/{quote}/", "302  200  404  404  404  200  200"),
    "guarantee:client_risk": Case(
        "GET /fonds/clients/{client}/", "302  200  200  404  404  200  200"
    ),
    "guarantee:client_exclusion": Case(
        "POST /fonds/clients/{client}/exclude/",
        "302  404  404  404  404  302  302",
        {"on": "2026-01-05", "reason": "Défaut de paiement"},
    ),
    "expenses:mine": Case("GET /depenses/", "302  200  200  404  404  404  404"),
    "expenses:new": Case("GET /depenses/nouvelle/", "302  200  200  404  404  404  404"),
    "expenses:mileage_new": Case(
        "GET /depenses/kilometrage/nouveau/", "302  200  200  404  404  404  404"
    ),
    "expenses:detail": Case("GET /depenses/{expense}/", "302  200  404  404  404  200  200"),
    "expenses:approve": Case(
        "POST /depenses/{expense}/approuver/", "302  404  404  404  404  302  302"
    ),
    "expenses:return": Case(
        "POST /depenses/{expense}/retourner/",
        "302  404  404  404  404  302  302",
        {"reason": "Reçu illisible"},
    ),
    "expenses:receipt": Case(
        "GET /depenses/justificatifs/{receipt}/", "302  200  404  404  404  200  200"
    ),
    "expenses:queue": Case("GET /depenses/a-approuver/", "302  404  404  404  404  200  200"),
    "expenses:export": Case("GET /depenses/export/", "302  404  404  404  404  200  200"),
    "expenses:purchase_new": Case(
        "GET /depenses/achats/nouveau/", "302  200  200  404  404  200  200"
    ),
    "expenses:purchase_detail": Case(
        "GET /depenses/achats/{purchase}/", "302  200  404  404  404  200  200"
    ),
    "expenses:purchase_approve": Case(
        "POST /depenses/achats/{purchase}/approuver/", "302  302  404  404  404  302  302"
    ),
    "expenses:purchase_refuse": Case(
        "POST /depenses/achats/{purchase}/refuser/",
        "302  302  404  404  404  302  302",
        {"reason": "Doublon"},
    ),
    "expenses:purchase_pay": Case(
        "POST /depenses/achats/{purchase}/payer/",
        "302  404  404  404  404  302  302",
        {"paid_on": "2026-03-20"},
    ),
    "collection:queue": Case("GET /collection/", "302  404  404  404  404  200  200"),
    "collection:case": Case(
        "GET /collection/cases/{collection_case}/", "302  200  404  404  404  200  200"
    ),
    "collection:export": Case(
        "GET /collection/cases/{collection_case}/export/", "302  404  404  404  404  200  200"
    ),
    "collection:action": Case(
        "POST /collection/cases/{collection_case}/note/",
        "302  404  404  404  404  302  302",
        {"text": "Note"},
    ),
    "collection:notice_pdf": Case(
        "GET /collection/notices/{notice}/pdf/", "302  404  404  200  404  200  200"
    ),
    "collection:policy": Case("GET /collection/policy/", "302  404  404  404  404  200  200"),
    "collection:recoveries": Case(
        "GET /collection/recoveries/", "302  404  404  404  404  200  200"
    ),
    "collection:letter_pdf": Case(
        "GET /collection/letters/{letter}/pdf/", "302  404  404  404  404  200  200"
    ),
    "collection:aging": Case("GET /collection/aging/", "302  200  200  404  404  200  200"),
    "collection:mine": Case("GET /collection/mine/", "302  200  200  404  404  200  200"),
    "collection:hold": Case(
        "POST /collection/mine/{invoice}/hold/",
        "302  302  404  404  404  302  302",
        {"reason": "Le client paie"},
    ),
    "collection:dispute_answer": Case(
        "POST /collection/disputes/{dispute}/answer/",
        "302  302  404  404  404  302  302",
        {"answer": "Livré"},
    ),
    "collection:portal": Case("GET /portal/collection/", "302  404  404  200  200  404  404"),
    "collection:portal_answer": Case(
        "POST /portal/collection/dispute/",
        "302  404  404  302  302  404  404",
        {"invoice": "{invoice}", "what": "Erreur"},
    ),
    "collection:notice_public": Case("GET /mn/{notice_link}/", "200  200  200  200  200  200  200"),
}

API: dict[str, str | Case] = {
    "GET /api/v1/me": "401  200  200  200  200  200  200",
    "PATCH /api/v1/me": "401  200  200  200  200  200  200",
    # Lists answer 200 to everyone logged in, scoped to what each may see
    # (empty for client contacts); details of others' things answer 404.
    "GET /api/v1/members": "401  200  200  200  200  200  200",
    "GET /api/v1/members/{member_id}": "401  200  404  404  404  200  200",
    "GET /api/v1/activities": "401  200  200  200  200  200  200",
    "POST /api/v1/activities": Case(
        "POST /api/v1/activities",
        "401  201  201  404  404  404  404",
        {"name": "Nouvelle activité"},
    ),
    "GET /api/v1/activities/{activity_id}": "401  200  404  404  404  200  200",
    "PATCH /api/v1/activities/{activity_id}": "401  200  404  404  404  200  200",
    "POST /api/v1/activities/{activity_id}/close": Case(
        "POST /api/v1/activities/{activity_id}/close",
        "401  200  404  404  404  200  200",
        {"end_date": "2026-12-31"},
    ),
    "GET /api/v1/clients": "401  200  200  404  404  200  200",
    "POST /api/v1/clients": Case(
        "POST /api/v1/clients", "401  422  422  404  404  422  422", {"legal_name": "Nouveau inc."}
    ),
    "GET /api/v1/clients/{client_id}": "401  200  200  404  404  200  200",
    "PATCH /api/v1/clients/{client_id}": "401  403  403  404  404  200  200",
    "GET /api/v1/quotes": "401  200  200  404  404  200  200",
    "POST /api/v1/quotes": Case(
        "POST /api/v1/quotes",
        "401  201  404  404  404  201  201",
        {"activity_id": "{activity_id}", "client_id": "{client_id}", "title": "T", "lines": LINES},
    ),
    "GET /api/v1/quotes/{quote_id}": "401  200  404  404  404  200  200",
    "PATCH /api/v1/quotes/{quote_id}": "401  409  404  404  404  409  409",
    "POST /api/v1/quotes/{quote_id}/submit": "401  409  404  404  404  409  409",
    "POST /api/v1/quotes/{quote_id}/validate": "401  403  404  404  404  409  409",
    "POST /api/v1/quotes/{quote_id}/send": "401  200  404  404  404  200  200",
    "POST /api/v1/quotes/{quote_id}/cancel": Case(
        "POST /api/v1/quotes/{quote_id}/cancel",
        "401  403  404  404  404  409  409",
        {"cancelled_on": "2026-11-30", "reason": "Projet annulé"},
    ),
    # The acceptance endpoints take the signed link's token instead of an account.
    "GET /api/v1/quotes/acceptance/{token}": "200  200  200  200  200  200  200",
    "POST /api/v1/quotes/acceptance/{token}": "422  422  422  422  422  422  422",
    "GET /api/v1/invoices": "401  200  200  404  404  200  200",
    "POST /api/v1/invoices": Case(
        "POST /api/v1/invoices",
        "401  201  404  404  404  201  201",
        {"activity_id": "{activity_id}", "client_id": "{client_id}", "lines": LINES},
    ),
    "POST /api/v1/invoices/from-quote": Case(
        "POST /api/v1/invoices/from-quote",
        "401  409  404  404  404  409  409",
        {"quote_id": "{quote_id}"},
    ),
    "GET /api/v1/invoices/{invoice_id}": "401  200  404  404  404  200  200",
    "PATCH /api/v1/invoices/{invoice_id}": "401  409  404  404  404  409  409",
    "POST /api/v1/invoices/{invoice_id}/issue": "401  403  404  404  404  409  409",
    "POST /api/v1/invoices/{invoice_id}/credit-notes": Case(
        "POST /api/v1/invoices/{invoice_id}/credit-notes",
        "401  403  404  404  404  201  201",
        {"reason": "Erreur"},
    ),
    "POST /api/v1/invoices/{invoice_id}/send": "401  403  404  404  404  202  202",
    "GET /api/v1/invoices/{invoice_id}/ubl": "401  200  404  404  404  200  200",
    "POST /api/v1/tax-preview": Case(
        "POST /api/v1/tax-preview",
        "401  200  200  404  404  200  200",
        {"client_id": "{client_id}", "lines": LINES},
    ),
    "GET /api/v1/ledger/accounts": "401  200  200  404  404  200  200",
    "GET /api/v1/ledger/balance": "401  422  422  404  404  200  200",
    "GET /api/v1/ledger/activities/{activity_id}/statement": "401  200  404  404  404  200  200",
    "GET /api/v1/ledger/activities/{activity_id}/lines": "401  200  404  404  404  200  200",
    "GET /api/v1/ledger/trial-balance": "401  404  404  404  404  200  200",
    "GET /api/v1/ledger/accounts/{code}/lines": "401  404  404  404  404  200  200",
    "GET /api/v1/ledger/periods": "401  404  404  404  404  200  200",
    "POST /api/v1/ledger/periods/{month}/close": Case(
        "POST /api/v1/ledger/periods/{month}/close",
        "401  404  404  404  404  200  200",
        {"reason": "Fin de mois"},
    ),
    "POST /api/v1/ledger/periods/{month}/reopen": Case(
        "POST /api/v1/ledger/periods/{month}/reopen",
        "401  404  404  404  404  403  422",
        {"reason": "Correction"},
    ),
    "GET /api/v1/payroll/employment/me": "401  200  200  404  404  404  404",
    "PATCH /api/v1/payroll/employment/me": "401  200  200  404  404  404  404",
    "GET /api/v1/payroll/budgets": "401  200  200  404  404  404  404",
    "GET /api/v1/payroll/requests": "401  200  200  404  404  200  200",
    "POST /api/v1/payroll/requests": Case(
        "POST /api/v1/payroll/requests",
        "401  201  404  404  404  404  404",
        {"activity": "{activity_id}", "basis": "gross", "amount": "100.00", "hours": "4"},
    ),
    "POST /api/v1/payroll/requests/{request_id}/cancel": "401  409  404  404  404  409  409",
    "GET /api/v1/payroll/runs": "401  404  404  404  404  200  200",
    "POST /api/v1/payroll/runs": Case(
        "POST /api/v1/payroll/runs", "401  404  404  404  404  201  201", {"pay_date": "2026-01-22"}
    ),
    "GET /api/v1/payroll/runs/{run_id}": "401  404  404  404  404  200  200",
    "GET /api/v1/payroll/runs/{run_id}/preview": "401  404  404  404  404  200  200",
    "POST /api/v1/payroll/runs/{run_id}/approve": "401  404  404  404  404  409  409",
    "POST /api/v1/payroll/runs/{run_id}/pdfs": "401  404  404  404  404  202  202",
    "POST /api/v1/payroll/runs/{run_id}/resume": "401  404  404  404  404  202  202",
    # Like the statement import: the missing file is refused (422) before the
    # role is checked; with a file, anyone but staff gets 404 (test_bank_returns).
    "POST /api/v1/payroll/returns": "401  422  422  422  422  422  422",
    "GET /api/v1/payroll/payslips": "401  200  200  404  404  200  200",
    "GET /api/v1/payroll/payslips/{payslip_id}": "401  200  404  404  404  200  200",
    "GET /api/v1/payroll/owed": "401  404  404  404  404  200  200",
    # The world's payslip went to the bank: not owed (422) for staff; 404 for anyone else.
    "POST /api/v1/payroll/payslips/{payslip_id}/paid-otherwise": Case(
        "POST /api/v1/payroll/payslips/{payslip_id}/paid-otherwise",
        "401  404  404  404  404  422  422",
        {"paid_on": "2026-01-20", "reference": "CHQ 1"},
    ),
    "GET /api/v1/payroll/remittances": Case(
        "GET /api/v1/payroll/remittances?year=2026", "401  404  404  404  404  200  200"
    ),
    "POST /api/v1/payroll/remittances": Case(
        "POST /api/v1/payroll/remittances",
        "401  404  404  404  404  201  201",
        {"agency": "rq", "period_start": "2026-01-01", "paid_on": "2026-02-10"},
    ),
    "DELETE /api/v1/invoices/{invoice_id}": "401  409  404  404  404  409  409",
    "GET /api/v1/payroll/payslips/{payslip_id}/pdf": "401  200  404  404  404  200  200",
    "GET /api/v1/payments": "401  200  200  200  200  200  200",
    "GET /api/v1/coworking/resources": "401  200  200  404  404  200  200",
    "GET /api/v1/coworking/resources/{resource_id}/availability": Case(
        "GET /api/v1/coworking/resources/{resource_id}/availability?date={day}",
        "401  200  200  404  404  200  200",
    ),
    "POST /api/v1/coworking/bookings": "401  422  422  422  422  422  422",
    "POST /api/v1/coworking/bookings/{booking_id}/cancel": "401  200  404  404  404  200  200",
    "POST /api/v1/payments": "401  422  422  422  422  422  422",
    "GET /api/v1/payments/{payment_id}": "401  200  404  200  404  200  200",
    "POST /api/v1/payments/{payment_id}/reverse": "401  422  422  422  422  422  422",
    "POST /api/v1/bank-imports": "401  422  422  422  422  422  422",
    "GET /api/v1/bank-lines": "401  403  403  403  403  200  200",
    "POST /api/v1/bank-lines/{line_id}/match": "401  422  422  422  422  422  422",
    "POST /api/v1/bank-lines/{line_id}/unmatch": "401  422  422  422  422  422  422",
    # Governance (issue 17): the stable voting API; the register and the
    # applications are for staff and the board (directors), one's own entry
    # for the member; no one else sees them. Every member in good standing
    # votes (Camille and Jérôme both are); staff who are not members do not.
    "GET /api/v1/governance/ballots": "401  200  200  404  404  200  200",
    "POST /api/v1/governance/ballots/{ballot_id}/vote": Case(
        "POST /api/v1/governance/ballots/{open_ballot}/vote",
        "401  201  201  404  404  404  404",
        {"choices": ["{open_option}"]},
    ),
    "GET /api/v1/governance/ballots/{ballot_id}/results": Case(
        "GET /api/v1/governance/ballots/{counted_ballot}/results",
        "401  200  200  404  404  200  200",
    ),
    "POST /api/v1/governance/ballots/{ballot_id}/receipt": Case(
        "POST /api/v1/governance/ballots/{counted_ballot}/receipt",
        "401  200  200  404  404  200  200",
        {"code": "AAAA-BBBB-CCCC"},
    ),
    "GET /api/v1/governance/register": "401  404  404  404  404  200  200",
    "GET /api/v1/governance/register/me": "401  200  200  404  404  404  404",
    "POST /api/v1/governance/shares/subscriptions": Case(
        "POST /api/v1/governance/shares/subscriptions",
        "401  201  404  404  404  201  201",
        {"member_id": "{member_id}", "shares": 20},
    ),
    "POST /api/v1/governance/shares/payments": Case(
        "POST /api/v1/governance/shares/payments",
        "401  404  404  404  404  201  201",
        {"member_id": "{member_id}", "amount": "10.00", "method": "transfer", "date": "{today}"},
    ),
    "GET /api/v1/governance/shares/me": "401  200  200  404  404  404  404",
    "GET /api/v1/governance/applications": "401  404  404  404  404  200  200",
    "POST /api/v1/governance/applications/{application_id}/review": Case(
        "POST /api/v1/governance/applications/{application_id}/review",
        "401  404  404  404  404  200  200",
        {"notes": "ok"},
    ),
    "POST /api/v1/governance/applications/{application_id}/decide": Case(
        "POST /api/v1/governance/applications/{application_id}/decide",
        "401  404  404  404  404  200  200",
        {"admit": True, "date": "{today}", "text": "Admis", "directors_present": ["{director_id}"]},
    ),
    "GET /api/v1/governance/meetings": "401  200  200  404  404  200  200",
    "POST /api/v1/governance/ristournes": Case(
        "POST /api/v1/governance/ristournes",
        "401  404  404  404  404  201  201",
        {"fiscal_year": 2025, "surplus": "1000.00", "reserve": "200.00", "ristournes": "800.00"},
    ),
    "GET /api/v1/governance/ristournes/{allocation_id}": Case(
        "GET /api/v1/governance/ristournes/{ristourne}", "401  404  404  404  404  200  200"
    ),
    # Staff and the board (issue 17): meetings, ballots, shares, withdrawals,
    # ristournes, on the world's real objects. Members who are not directors
    # get 404, even on a meeting or a ballot they may read; staff get the
    # act done, or 422 with the rule that refuses it.
    "POST /api/v1/governance/meetings": Case(
        "POST /api/v1/governance/meetings",
        "401  404  404  404  404  201  201",
        {
            "kind": "special",
            "starts_at": "2026-09-01T18:00:00-04:00",
            "agenda": "1. Règlement",
            "place": "Salle commune",
        },
    ),
    "GET /api/v1/governance/meetings/{meeting_id}": Case(
        "GET /api/v1/governance/meetings/{draft_meeting}", "401  404  404  404  404  200  200"
    ),
    "POST /api/v1/governance/meetings/{meeting_id}/call": Case(
        "POST /api/v1/governance/meetings/{draft_meeting}/call",
        "401  404  404  404  404  200  200",
        {"called_on": "{today}", "decision": DECISION},
    ),
    "POST /api/v1/governance/meetings/{meeting_id}/attendance": Case(
        "POST /api/v1/governance/meetings/{meeting}/attendance",
        "401  404  404  404  404  200  200",
        {"member_id": "{member_id}", "mode": "online"},
    ),
    "POST /api/v1/governance/meetings/{meeting_id}/hold": Case(
        "POST /api/v1/governance/meetings/{meeting}/hold",
        "401  404  404  404  404  200  200",
        {},
    ),
    "POST /api/v1/governance/meetings/{meeting_id}/minutes": Case(
        "POST /api/v1/governance/meetings/{held_meeting}/minutes",
        "401  404  404  404  404  200  200",
        {"minutes": "PV"},
    ),
    "POST /api/v1/governance/meetings/{meeting_id}/minutes/approve": Case(
        "POST /api/v1/governance/meetings/{held_meeting}/minutes/approve",
        "401  404  404  404  404  200  200",
        {"at_meeting_id": "{later_meeting}"},
    ),
    "POST /api/v1/governance/ballots": Case(
        "POST /api/v1/governance/ballots",
        "401  404  404  404  404  201  201",
        {
            "question": "Adopter le rapport?",
            "kind": "resolution",
            "record_date": "2026-01-14",
            "opens_at": "2026-01-15T14:00:00-05:00",
            "closes_at": "2026-01-15T15:00:00-05:00",
        },
    ),
    "POST /api/v1/governance/ballots/{ballot_id}/count": Case(
        "POST /api/v1/governance/ballots/{ballot}/count", "401  404  404  404  404  200  200", {}
    ),
    "POST /api/v1/governance/ballots/{ballot_id}/seat": Case(
        "POST /api/v1/governance/ballots/{counted_ballot}/seat",
        "401  404  404  404  404  201  201",
        {"started_on": "{today}"},
    ),
    # A director's fully paid shares to Camille: all of them (fewer would
    # leave fewer than the qualifying shares).
    "POST /api/v1/governance/shares/transfers": Case(
        "POST /api/v1/governance/shares/transfers",
        "401  404  404  404  404  201  201",
        {
            "member_id": "{director_id}",
            "to_member_id": "{member_id}",
            "shares": 20,
            "date": "{today}",
            "decision": DECISION,
        },
    ),
    # Camille has not resigned: nothing to redeem, nothing to repay, no withdrawal.
    "POST /api/v1/governance/shares/redemptions": Case(
        "POST /api/v1/governance/shares/redemptions",
        "401  404  404  404  404  422  422",
        {"member_id": "{member_id}", "shares": 1, "date": "{today}", "decision": DECISION},
    ),
    "POST /api/v1/governance/shares/repayments": Case(
        "POST /api/v1/governance/shares/repayments",
        "401  404  404  404  404  422  422",
        {"member_id": "{member_id}", "amount": "10.00", "date": "{today}"},
    ),
    "POST /api/v1/governance/members/{member_id}/resignation": Case(
        "POST /api/v1/governance/members/{member_id}/resignation",
        "401  200  404  404  404  200  200",
        {"requested_on": "{today}"},
    ),
    "POST /api/v1/governance/members/{member_id}/withdrawal": Case(
        "POST /api/v1/governance/members/{member_id}/withdrawal",
        "401  404  404  404  404  422  422",
        {"effective_on": "{today}"},
    ),
    "POST /api/v1/governance/ristournes/{allocation_id}/allocate": Case(
        "POST /api/v1/governance/ristournes/{ristourne}/allocate",
        "401  404  404  404  404  200  200",
        {"date": "2026-05-21", "meeting_id": "{held_meeting}"},
    ),
    "POST /api/v1/governance/ristournes/{allocation_id}/pay": Case(
        "POST /api/v1/governance/ristournes/{voted_ristourne}/pay",
        "401  404  404  404  404  200  200",
        {"date": "{today}"},
    ),
    # The public application (no account): anyone may apply, through the
    # same form and rate limit as the page; the world's applicant is new.
    "POST /api/v1/governance/applications": Case(
        "POST /api/v1/governance/applications",
        "201  201  201  201  201  201  201",
        {
            "first_name": "Rosalie",
            "last_name": "Gagnon",
            "email": "rosalie@exemple.test",
            "street": "12, rue des Érables",
            "city": "Sherbrooke",
            "province": "QC",
            "postal_code": "J1H 1A1",
            "activity_planned": "Reliure",
            "consent": True,
        },
    ),
    # A meeting's documents: members read those of a meeting called; staff and
    # the board read all; clients, none (a draft's, denied to members, and a
    # document through another meeting's path: governance's test_api_gaps).
    "GET /api/v1/governance/meetings/{meeting_id}/documents": Case(
        "GET /api/v1/governance/meetings/{meeting}/documents",
        "401  200  200  404  404  200  200",
    ),
    "GET /api/v1/governance/meetings/{meeting_id}/documents/{document_id}": Case(
        "GET /api/v1/governance/meetings/{meeting}/documents/{meeting_document}",
        "401  200  200  404  404  200  200",
    ),
    # The board's lists and one member's statement: staff and the board only
    # (a member reads their own at register/me and shares/me).
    "GET /api/v1/governance/ballots/all": "401  404  404  404  404  200  200",
    "GET /api/v1/governance/ristournes": "401  404  404  404  404  200  200",
    "GET /api/v1/governance/members/{member_id}/shares": "401  404  404  404  404  200  200",
    "GET /api/v1/governance/ristourne-slips/{year}": Case(
        "GET /api/v1/governance/ristourne-slips/2026", "401  404  404  404  404  200  200"
    ),
    "GET /api/v1/payroll/simulate": Case(
        "GET /api/v1/payroll/simulate?invoiced=1000.00", "200  200  200  200  200  200  200"
    ),
    "GET /api/v1/guarantee/fund": "401  200  200  404  404  200  200",
    "GET /api/v1/guarantee/fund/history": "401  200  200  404  404  200  200",
    "POST /api/v1/guarantee/simulation": Case(
        "POST /api/v1/guarantee/simulation", "401  404  404  404  404  200  200", {"largest": 3}
    ),
    "GET /api/v1/guarantee/invoices/{invoice_id}/eligibility": "401  200  404  404  404  200  200",
    "GET /api/v1/guarantee/quotes/{quote_id}/eligibility": "401  200  404  404  404  200  200",
    "GET /api/v1/guarantee/clients/{client_id}/risk": "401  200  200  404  404  200  200",
    "GET /api/v1/guarantee/policy": "401  200  200  404  404  200  200",
    "POST /api/v1/guarantee/policies": Case(
        "POST /api/v1/guarantee/policies",
        "401  403  403  404  404  403  201",
        {"valid_from": "2031-01-01"},
    ),
    "POST /api/v1/guarantee/clients/{client_id}/exclusion": Case(
        "POST /api/v1/guarantee/clients/{client_id}/exclusion",
        "401  403  403  404  404  201  201",
        {"reason": "Défaut de paiement"},
    ),
    "DELETE /api/v1/guarantee/clients/{client_id}/exclusion": "401  403  403  404  404  422  422",
    "POST /api/v1/guarantee/invoices/{invoice_id}/signed-contract": Case(
        "POST /api/v1/guarantee/invoices/{invoice_id}/signed-contract",
        "401  403  403  404  404  201  201",
        {"signed_on": "2026-01-05", "reference": "Contrat signé 1"},
    ),
    "POST /api/v1/guarantee/run": Case(
        "POST /api/v1/guarantee/run", "401  403  403  404  404  200  200", {}
    ),
    "POST /api/v1/expenses": "401  422  422  422  422  422  422",
    "POST /api/v1/expenses/mileage": Case(
        "POST /api/v1/expenses/mileage",
        "401  201  422  404  404  403  403",
        {
            "activity_id": "{activity_id}",
            "date": "2026-03-02",
            "km": "12.0",
            "origin": "Montréal",
            "destination": "Laval",
            "purpose": "Client",
        },
    ),
    "GET /api/v1/expenses": "401  200  200  404  404  200  200",
    "GET /api/v1/expenses/{expense_id}": "401  200  404  404  404  200  200",
    "POST /api/v1/expenses/{expense_id}/approve": Case(
        "POST /api/v1/expenses/{expense_id}/approve", "401  403  404  404  404  200  200", {}
    ),
    "POST /api/v1/expenses/{expense_id}/return": Case(
        "POST /api/v1/expenses/{expense_id}/return",
        "401  403  404  404  404  200  200",
        {"reason": "Reçu flou"},
    ),
    "POST /api/v1/purchases": "401  422  422  422  422  422  422",
    "GET /api/v1/purchases": "401  200  200  404  404  200  200",
    "GET /api/v1/purchases/{purchase_id}": "401  200  404  404  404  200  200",
    "POST /api/v1/purchases/{purchase_id}/approve": Case(
        "POST /api/v1/purchases/{purchase_id}/approve", "401  409  404  404  404  200  200", {}
    ),
    "POST /api/v1/purchases/{purchase_id}/refuse": Case(
        "POST /api/v1/purchases/{purchase_id}/refuse",
        "401  200  404  404  404  200  200",
        {"reason": "Doublon"},
    ),
    # Waiting for staff's approval: not payable yet (409); members never pay (403).
    "POST /api/v1/purchases/{purchase_id}/pay": Case(
        "POST /api/v1/purchases/{purchase_id}/pay",
        "401  403  404  404  404  409  409",
        {"paid_on": "2026-03-16"},
    ),
    "GET /api/v1/collection/cases": "401  200  200  200  200  200  200",
    "GET /api/v1/collection/cases/{case_id}": "401  200  404  200  404  200  200",
    "POST /api/v1/collection/promises": Case(
        "POST /api/v1/collection/promises",
        "401  403  403  201  422  201  201",
        {"invoice_id": "{invoice_id}", "promised_on": "{tomorrow}", "amount": "10.00"},
    ),
    "POST /api/v1/collection/disputes": Case(
        "POST /api/v1/collection/disputes",
        "401  403  403  201  422  201  201",
        {"invoice_id": "{invoice_id}", "what": "Erreur de quantité", "raised_by": "N. Roy"},
    ),
    "POST /api/v1/collection/disputes/{dispute_id}/decision": Case(
        "POST /api/v1/collection/disputes/{dispute_id}/decision",
        "401  403  403  403  403  422  422",
        {"outcome": "rejected", "decision": "Dû"},
    ),
    "POST /api/v1/collection/write-offs": Case(
        "POST /api/v1/collection/write-offs",
        "401  403  403  403  403  422  422",
        {"invoice_id": "{invoice_id}", "amount": "1.00", "reason": ""},
    ),
    "GET /api/v1/collection/recoveries": "401  403  403  403  403  200  200",
    "POST /api/v1/collection/recoveries": Case(
        "POST /api/v1/collection/recoveries",
        "401  403  403  403  403  422  422",
        {"invoice_id": "{invoice_id}", "payment_id": "{invoice_id}", "amount": "1.00"},
    ),
    "POST /api/v1/collection/interest": Case(
        "POST /api/v1/collection/interest",
        "401  403  403  403  403  422  422",
        {"invoice_id": "{invoice_id}", "payment_id": "{invoice_id}", "amount": "1000.00"},
    ),
    "POST /api/v1/collection/interest/{interest_id}/undo": Case(
        "POST /api/v1/collection/interest/{interest_id}/undo",
        "401  403  403  403  403  422  422",
        {"reason": "Chèque sans provision"},
    ),
}
