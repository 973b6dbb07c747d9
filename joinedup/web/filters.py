"""Template filters: the display formats from core.formatting."""

from joinedup.core.formatting import age, format_date, format_datetime, format_nhs_number

FILTERS = {
    "date": format_date,
    "datetime": format_datetime,
    "nhs_number": format_nhs_number,
    "age": age,
}
