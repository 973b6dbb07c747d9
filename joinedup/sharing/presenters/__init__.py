"""Display-ready values for the sharing pages, by area."""
