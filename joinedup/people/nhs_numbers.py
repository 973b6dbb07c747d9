"""NHS numbers: validated with `nhs-number`, stored as 10 digits, shown 3-3-4."""

import re

import nhs_number

from joinedup.core.errors import ValidationFailed

_SEPARATORS = re.compile(r"[\s-]")


def normalise(raw: str, *, field: str = "nhs_number") -> str:
    """10 digits from what was typed, or a clear message about what is wrong."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits:
        raise ValidationFailed({field: "Enter an NHS number"})
    if not digits.isdigit():
        raise ValidationFailed({field: "An NHS number can only contain numbers, spaces and dashes"})
    if len(digits) != 10:
        raise ValidationFailed({field: "An NHS number must be 10 digits long"})
    if not nhs_number.is_valid(digits):
        raise ValidationFailed({field: "That is not a valid NHS number: check the digits"})
    return digits


def synthetic(nine_digits_after_999: int) -> str | None:
    """A valid NHS number from the never-issued 999 range, or None when that stem has no check digit."""
    stem = f"999{nine_digits_after_999:06d}"
    check = nhs_number.calculate_checksum(stem)
    return None if check is None or check == 10 else f"{stem}{check}"
