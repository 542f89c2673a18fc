from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maille.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # Payments and payroll sit below governance and never import it: a
        # deposit paying shares, ristournes in cash and share instalments
        # withheld from pay reach them through what governance registers here.
        from maille.governance import convocation
        from maille.governance.bank import SharePayments
        from maille.governance.instalments import ShareInstalments
        from maille.governance.ristournes import RistourneBankCredits
        from maille.payments.member_shares import share_payment_handler_register
        from maille.payroll.bankfile import bank_file_provider_register
        from maille.payroll.deductions import deduction_provider_register

        convocation.declare()
        share_payment_handler_register(SharePayments())
        bank_file_provider_register("governance-ristournes", RistourneBankCredits())
        deduction_provider_register("governance-shares", ShareInstalments())
