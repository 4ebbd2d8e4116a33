"""The authority profile: its details used in every document, kept once and versioned."""
