"""Models of the elections app (built in its own issue)."""
