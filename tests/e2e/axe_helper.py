"""Run axe-core (bundled in axe-playwright-python, never fetched) and report violations."""

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.2 A and AA: axe tags each rule with the version that introduced it.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """Return axe's WCAG 2.2 A/AA violations for the page in its current state."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def describe_violations(violations: list[dict]) -> str:
    """Return a readable summary: rule, impact, help and each failing element."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" [{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = " ".join(node.get("html", "").split())[:200]
            lines.append(f"    at {target}: {html}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def assert_accessible(page, state: str = "") -> None:
    """Fail with a readable summary if axe finds WCAG 2.2 A/AA violations on the page."""
    violations = axe_violations(page)
    where = f"{page.url}" + (f" ({state})" if state else "")
    assert not violations, f"axe found accessibility violations on {where}:\n" + (
        describe_violations(violations)
    )
