"""Reads of sharing data, by area: always through sharing.policy for person-level data, and audited."""
