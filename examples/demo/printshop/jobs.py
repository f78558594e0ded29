"""Print jobs and the page-range syntax customers type at the counter (``1-3,7``)."""

from __future__ import annotations

from dataclasses import dataclass


class JobError(ValueError):
    """A job the shop cannot print as written."""


@dataclass(frozen=True)
class PrintJob:
    """One customer's document: which pages, how many copies, colour or not."""

    customer: str
    document: str
    pages: tuple[int, ...]
    copies: int = 1
    colour: bool = False

    @property
    def sheets(self) -> int:
        return len(self.pages) * self.copies


def parse_pages(text: str, page_count: int) -> tuple[int, ...]:
    """Expand ``"1-3,7"`` into ``(1, 2, 3, 7)``, refusing pages the document lacks."""
    pages: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = int(first), int(last)
            if start > end:
                raise JobError(f"page range {part!r} runs backwards")
            pages.extend(range(start, end + 1))
        else:
            pages.append(int(part))
    for page in pages:
        if not 1 <= page <= page_count:
            raise JobError(f"page {page} is outside 1-{page_count}")
    return tuple(pages)


def make_job(
    customer: str, document: str, pages: str, page_count: int, copies: int = 1
) -> PrintJob:
    """A validated job; copies must be positive."""
    if copies < 1:
        raise JobError("copies must be at least 1")
    return PrintJob(customer, document, parse_pages(pages, page_count), copies)
