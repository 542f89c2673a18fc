from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "maille.collection"
    label = "collection"
    verbose_name = _("Collection")

    def ready(self) -> None:
        from maille.collection.mail import FORMAL_NOTICE
        from maille.documents.kinds import register

        register(FORMAL_NOTICE)
