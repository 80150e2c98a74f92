"""Measuring answers: `reportqa eval` and re-fitting the ranker on question files with known figures."""
