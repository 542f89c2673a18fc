from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoworkingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "maille.coworking"
    label = "coworking"
    verbose_name = _("Coworking")

    def ready(self) -> None:
        from maille.coworking.mail import BOOKING, FEED
        from maille.documents.kinds import register

        register(BOOKING)
        register(FEED)
