"""Benchmarks at scale (`make bench`): the real selectors, policy and audit against an unfiltered,
unaudited baseline of the same query, timed in the same run, on generated partnerships of 10k to
1M people in PostgreSQL. Performance is a ratio to that baseline, never an assertion in a test."""
