"""Tags for the PDF documents: labels in French, or French first then English."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from maille.contracts import tax_labels
from maille.contracts.documents import LABELS
from maille.contracts.tax_labels import TAX_NAMES

register = template.Library()


@register.simple_tag(takes_context=True)
def bi(context: template.Context, key: str, **params: Any) -> SafeString:
    """``{% bi "invoice" %}`` → ``Facture`` or ``Facture / Invoice`` (Charter of the French
    language: French first, at least as prominent)."""
    texts = []
    for language in context.get("doc_languages") or ["fr"]:
        with translation.override(language):
            text = translation.gettext(LABELS[key])
            texts.append(text % params if params else text)
    if len(texts) == 1 or texts[0] == texts[1]:
        return format_html("{}", texts[0])
    return format_html('{}<span class="en"> / {}</span>', texts[0], texts[1])


@register.simple_tag(takes_context=True)
def bi_block(context: template.Context, key: str, **params: Any) -> SafeString:
    """A paragraph in French, then (for an English client) the same in English below."""
    parts = []
    for language in context.get("doc_languages") or ["fr"]:
        with translation.override(language):
            text = translation.gettext(LABELS[key])
            parts.append(
                format_html('<p lang="{}">{}</p>', language, text % params if params else text)
            )
    return format_html("".join(["{}"] * len(parts)), *parts)


@register.filter
def dnumber(value: Decimal | None, language: str = "fr") -> str:
    """A quantity or a rate without trailing zeros: ``2,5`` or ``2.5``."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",") if language == "fr" else text


@register.filter
def tax_name(code: str) -> str:
    """``GST`` → ``TPS`` in French."""
    return str(TAX_NAMES.get(code, code))


@register.filter
def tax_label(tax: Any) -> str:
    """A tax line as a person reads it: ``TVQ (9,975 %)`` / ``QST (9.975%)``."""
    percent = format(Decimal(tax.percent).normalize(), "f")
    if (translation.get_language() or "fr")[:2] == "fr":
        return f"{tax_name(tax.code)} ({percent.replace('.', ',')}\u00a0%)"
    return f"{tax_name(tax.code)} ({percent}%)"


@register.filter
def place_name(place: str) -> str:
    """The place of supply in words: ``Québec``, ``outside Canada``…"""
    return tax_labels.place_name(place)
