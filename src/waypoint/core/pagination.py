from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

from waypoint.core.bounds import MAX_PAGE
from waypoint.core.errors import ValidationFailed

M = TypeVar("M", bound=Model)

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    count: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def paginate(
    queryset: QuerySet[M], *, page: int, page_size: int, count: int | None = None
) -> Page[M]:
    """One page of ``queryset``. Pass ``count`` when the caller already knows it (it saves a
    query that, on an annotated queryset, costs as much as the page itself)."""
    if not 1 <= page <= MAX_PAGE:
        raise ValidationFailed(
            f"Pages are numbered from 1 to {MAX_PAGE:,}.",
            fields={"page": f"must be 1 to {MAX_PAGE}"},
        )
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(
            "Page size out of range.", fields={"page_size": f"must be 1 to {MAX_PAGE_SIZE}"}
        )
    if count is None:
        count = queryset.count()
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size])
    return Page(items=items, count=count, page=page, page_size=page_size)
