"""Commands for generate."""

commands: list = []
