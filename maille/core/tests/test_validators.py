import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from maille.core.validators import clean_gst_number, clean_neq, clean_qst_number, clean_sin


def test_a_valid_sin_is_kept_as_nine_digits():
    assert clean_sin("130 692 544") == "130692544"


@pytest.mark.parametrize("value", ["130692545", "12345", "abcdefghi", ""])
def test_a_sin_that_fails_its_check_digit_is_refused(value):
    with pytest.raises(ValidationError):
        clean_sin(value)


def test_a_gst_number_needs_a_valid_business_number_check_digit():
    assert clean_gst_number("123456782 RT 0001") == "123456782RT0001"
    with pytest.raises(ValidationError) as err:
        clean_gst_number("123456789 RT0001")
    assert err.value.code == "invalid_gst"


def test_a_gst_number_must_use_the_rt_program():
    with pytest.raises(ValidationError):
        clean_gst_number("123456782RC0001")


def test_a_bare_business_number_asks_for_the_program_account():
    with pytest.raises(ValidationError) as err:
        clean_gst_number("123456782")
    assert "RT0001" in err.value.messages[0]


def test_qst_numbers_are_checked_for_their_format():
    assert clean_qst_number("1234567890 TQ 0001") == "1234567890TQ0001"
    for bad in ("1234567890TQ001", "123456789TQ0001", "1234567890RT0001"):
        with pytest.raises(ValidationError):
            clean_qst_number(bad)


def test_neq_numbers_start_with_a_known_prefix():
    assert clean_neq("1145678901") == "1145678901"
    with pytest.raises(ValidationError):
        clean_neq("9945678901")


def test_messages_exist_in_french_and_english():
    with pytest.raises(ValidationError) as err:
        clean_qst_number("nope")
    with translation.override("fr"):
        french = err.value.messages[0]
    with translation.override("en"):
        english = err.value.messages[0]
    assert french.startswith("Ce numéro de TVQ est mal formé")
    assert english.startswith("This QST number is malformed")
