"""Forms of the sharing app, by area."""
