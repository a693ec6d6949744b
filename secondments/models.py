"""Models of the secondments app (built in its own issue)."""
