"""Seeing how practice is going: audit and feedback figures by quarter, small groups withheld."""
