"""Keyboard-only helpers: move with Tab, act with Enter or Space, and check focus is visible."""

# A focused element shows a visible focus indicator when it has a visible outline, or when its
# look (or its label's, for GOV.UK radios and checkboxes, whose input is transparent) differs
# from the unfocused look in a visible property.
_FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {visible: false, what: "nothing (the page body)", id: "", tag: ""};
  }
  const describe = () => {
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "")
      .trim().replace(/\\s+/g, " ").slice(0, 60);
    return `<${el.tagName.toLowerCase()}${el.id ? " id=" + el.id : ""}`
      + `${el.name ? " name=" + el.name : ""}> ${text}`;
  };
  const transparent = (c) => !c || c === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(c);
  const cs = getComputedStyle(el);
  const outlined = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1
    && !transparent(cs.outlineColor);
  const snap = () => {
    const parts = [];
    const push = (s) => parts.push([s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow,
      s.backgroundColor, s.borderTopColor, s.borderTopWidth, s.textDecorationLine,
      s.textDecorationThickness, s.color].join("|"));
    push(getComputedStyle(el));
    for (const label of el.labels || []) {
      push(getComputedStyle(label));
      push(getComputedStyle(label, "::before"));
      push(getComputedStyle(label, "::after"));
    }
    return parts.join(";");
  };
  let visible = outlined;
  if (!visible) {
    const focused = snap();
    el.blur();
    const unfocused = snap();
    el.focus({preventScroll: true});
    visible = focused !== unfocused;
  }
  const box = el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0;
  return {visible: visible && onScreen, what: describe(), id: el.id, tag: el.tagName};
}
"""


def focused(page) -> dict:
    """Return what has focus and whether its focus indicator is visible."""
    return page.evaluate(_FOCUS_JS)


def assert_focus_visible(page) -> dict:
    """Fail unless the focused element shows a visible focus indicator; return it."""
    state = focused(page)
    assert state["visible"], f"Focus is not visible on {state['what']} at {page.url}"
    return state


def tab_to(page, matches, limit: int = 80, backwards: bool = False) -> dict:
    """Press Tab until matches(state) is true, checking focus is visible at every step."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = assert_focus_visible(page)
        if matches(state):
            return state
        seen.append(state["what"])
    raise AssertionError(f"Tabbed {limit} times without reaching the target. Seen: {seen[-15:]}")


def by_id(element_id: str):
    """Match the focused element by its id."""
    return lambda state: state["id"] == element_id


def by_text(text: str):
    """Match the focused element by (the start of) its text or accessible name."""
    return lambda state: state["what"].split("> ", 1)[-1].startswith(text)
