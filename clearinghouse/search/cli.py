"""Commands for search."""

commands: list = []
