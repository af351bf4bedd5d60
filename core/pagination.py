"""Pages of a list that may hold a million rows: the count stops at a cap, so no request
counts every row, and the pages stop there too, so no page skips more than the cap's rows
(with an index for each sort order, a page costs the same however long the list is). A
person who needs a row beyond the first ten thousand narrows the search instead."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Rows counted at most: 400 pages of 25.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A Paginator whose count is at most `cap` (one COUNT over a LIMITed subquery);
    `capped` tells that the list goes on beyond it."""

    def __init__(self, object_list, per_page, *, cap=COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _found(self):
        """The rows there are, counted up to one past the cap."""
        if hasattr(self.object_list, "query"):
            return self.object_list[: self.cap + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self):
        return min(self._found, self.cap)

    @cached_property
    def capped(self):
        """Whether the list goes on beyond the count (the count stopped at the cap)."""
        return self._found > self.cap
