"""REST routes under /api/v10, split by area."""
