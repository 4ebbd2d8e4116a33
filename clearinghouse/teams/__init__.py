"""Teams within an authority: who works with whom, for audits and families' feedback."""
