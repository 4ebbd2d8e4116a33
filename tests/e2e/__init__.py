"""Browser tests (Playwright with Debian's Chromium) and accessibility checks (axe-core)."""
