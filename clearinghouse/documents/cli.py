"""Commands for documents."""

commands: list = []
