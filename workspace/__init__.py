"""The task-force workspace: a task force's members and invitations, workshops, vision,
solutions and their ranking, the action plan with contributions and pledges, anonymised
candidate profiles and requests to meet them."""
