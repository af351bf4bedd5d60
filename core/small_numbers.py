"""The small-number rule, in one place: figures shown to a viewer who sees aggregated numbers
only (business leaders, the outside facilitator) must not let a count from 1 to 4 be read
or worked out, since so small a count could point to a person (SPEC, "Counting rules").

Figures come in *units*: cells that add up to each other or to a shown total. A unit is
shown exactly only when every cell, and every figure a reader can work out from the cells
and the shown total (complements, differences), is 0 or at least SMALL_COUNT; otherwise
every cell of the unit reads HIDDEN. A headline total on its own reads "under 5".

`disclosed` is the rule; `shown_unit` and `shown_total` present its answer, so every
caller (the dashboard, the pledge path, the action's progress, the workspace's own
figures) decides by the one function.
"""

from django.utils.translation import gettext_lazy as _

SMALL_COUNT = 5
HIDDEN = "–"  # every cell of a unit that would let a figure from 1 to 4 be worked out
UNDER_SMALL_COUNT = _("under 5")


def disclosed(values):
    """Whether figures may be shown exactly: each is 0 or at least SMALL_COUNT (in size, for
    a difference)."""
    return all(value == 0 or abs(value) >= SMALL_COUNT for value in values)


def shown_unit(cells, derived=()):
    """{key: value} for an aggregated viewer: the cells as they are, or every one of them
    HIDDEN. `derived`: the figures a reader can work out from the cells and what else is
    shown."""
    exact = disclosed([*cells.values(), *derived])
    return {key: value if exact else HIDDEN for key, value in cells.items()}


def shown_total(count):
    """A headline count for an aggregated viewer: the count, or "under 5" from 1 to 4."""
    return count if disclosed([count]) else UNDER_SMALL_COUNT


def total_hidden(count):
    """Whether a headline count is hidden, and with it everything that would reveal it."""
    return not disclosed([count])
