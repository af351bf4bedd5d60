"""Limits that several apps' rules share."""

# Hours a week: a citizen's capacity, an opening's range, a placement's hours (SPEC: more
# than 0 and at most 37).
MAX_WEEKLY_HOURS = 37

# Positions in one opening or pledge: a large employer's pledge is tens of jobs; more than 100
# in one is a typo (and would swamp the task force's figures).
MAX_POSITIONS = 100

# Free text a person writes. A comment is a few sentences and a vision a paragraph or two; a
# description, a list of tasks or an agenda a page at most, and a workshop's minutes a few
# pages. Each limit leaves room for several times that, while no single post can fill a page
# (and the database) with hundreds of thousands of characters.
COMMENT_MAX_LENGTH = 2_000
TEXT_MAX_LENGTH = 5_000
MINUTES_MAX_LENGTH = 20_000
