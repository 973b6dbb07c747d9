"""Pages of the sharing app, one module per area (consent, notes, governance, emergency access)."""
