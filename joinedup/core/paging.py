"""One page of a list whose count and paging are exact (policy-filtered lists exclude what is hidden)."""

from dataclasses import dataclass


def pages_for(total: int, size: int) -> int:
    """How many pages `total` rows make, never fewer than one (an empty list is one empty page)."""
    return max(1, -(-total // size))


def page_number(requested: int, total: int, size: int) -> int:
    """The requested page, clamped to the pages that exist."""
    return max(1, min(requested, pages_for(total, size)))


@dataclass(frozen=True)
class Page[T]:
    rows: list[T]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return pages_for(self.total, self.size)

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1
