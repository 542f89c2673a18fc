"""Issue 10, bug 3: the GST field's help showed ``123456789 RT0001``, which the
field refuses. Examples pass their own check, and read as examples."""

from __future__ import annotations

from maille.clients.forms import ClientForm
from maille.core.validators import GST_EXAMPLE, QST_EXAMPLE, clean_gst_number, clean_qst_number


def test_the_examples_pass_their_own_checks():
    assert clean_gst_number(GST_EXAMPLE) == GST_EXAMPLE.replace(" ", "")
    assert clean_qst_number(QST_EXAMPLE) == QST_EXAMPLE.replace(" ", "")


def test_the_help_text_says_it_is_an_example():
    form = ClientForm()
    help_text = str(form.fields["gst_number"].help_text)
    assert GST_EXAMPLE in help_text
    assert help_text != GST_EXAMPLE
    assert QST_EXAMPLE in str(form.fields["qst_number"].help_text)
