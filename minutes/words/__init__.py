"""Word lists of the minutes drafter, one entry a line with an example (see README.md)."""
