"""The task-force workspace (vision, solutions, action plan) lives here; see issue 4."""
