"""Limits that several apps' rules share."""

# Hours a week: a citizen's capacity, an opening's range, a placement's hours (SPEC: more
# than 0 and at most 37).
MAX_WEEKLY_HOURS = 37
