import pytest

from joinedup.core.errors import ValidationFailed
from joinedup.people import nhs_numbers


@pytest.mark.parametrize("typed", ["9434765919", "943 476 5919", "943-476-5919", " 943 476 5919 "])
def test_accepts_the_usual_formats(typed):
    assert nhs_numbers.normalise(typed) == "9434765919"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter an NHS number"),
        ("943 476 591X", "can only contain numbers"),
        ("94347659", "must be 10 digits"),
        ("9434765918", "not a valid NHS number"),
    ],
)
def test_bad_numbers_get_a_clear_message(typed, message):
    with pytest.raises(ValidationFailed, match=message) as raised:
        nhs_numbers.normalise(typed)
    assert raised.value.field == "nhs_number"


def test_synthetic_numbers_are_valid_and_never_issued():
    made = [n for i in range(200) if (n := nhs_numbers.synthetic(i))]
    assert len(made) > 150
    assert all(n.startswith("999") and len(n) == 10 for n in made)
    assert all(nhs_numbers.normalise(n) == n for n in made)
