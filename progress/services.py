"""Target workflows: a manager's edit of a target keeps a colleague's concurrent change."""


def target_save(*, form):
    """A new target as the form holds it; an edited one saves only what this user changed,
    refusing a field a colleague changed meanwhile (core.edits)."""
    return form.save()
