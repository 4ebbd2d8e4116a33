"""The implementation self-assessment: where an authority sees itself on the 0 to 10 scale."""
