"""Sales taxes, places of supply and tax regimes in words, for pages and the
change history (the PDFs take theirs from ``documents.LABELS``): TPS, TVQ and
TVH in French, never the codes ``GST`` or ``gst_qst``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from maille.core.models import Province
from maille.taxes import sales as taxes

TAX_NAMES = {"GST": _("GST"), "QST": _("QST"), "HST": _("HST")}
PLACE_NAMES = {
    taxes.ABROAD: _("outside Canada"),
    taxes.INTERNAL: _("within the co-op (internal invoice)"),
}
REGIME_NAMES = {
    taxes.Regime.GST_QST: _("GST and QST"),
    taxes.Regime.HST: _("HST"),
    taxes.Regime.GST: _("GST"),
    taxes.Regime.ZERO_RATED_EXPORT: _("zero-rated export"),
    taxes.Regime.UNDECIDED: _("to be decided by the co-op"),
    taxes.Regime.INTERNAL: _("no tax (internal)"),
}


def place_name(place: str) -> str:
    """The place of supply in words: ``Québec``, ``outside Canada``…"""
    if not place:
        return "—"
    if place in PLACE_NAMES:
        return str(PLACE_NAMES[place])
    return str(Province(place).label) if place in Province.values else place
