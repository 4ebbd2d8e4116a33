"""Keyboard-only helpers: move with Tab, act with Enter or Space, and check focus is visible."""

# A focused element shows a visible focus indicator when it has a visible outline, or when its
# look (or its label's, for GOV.UK radios and checkboxes, whose input is transparent) differs
# from the unfocused look in a visible property.
_FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {visible: false, what: "nothing (the page body)", id: "", tag: "", name: "",
      type: "", checked: false};
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
  return {visible: visible && onScreen, what: describe(), id: el.id, tag: el.tagName,
    name: el.name || "", type: el.type || "", checked: !!el.checked};
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
        state = focused(page)
        assert state["visible"], (
            f"Focus is not visible on {state['what']} at {page.url}, on the way to "
            f"{getattr(matches, 'target', '?')}, after: {seen[-5:]}"
        )
        if matches(state):
            return state
        seen.append(state["what"])
    raise AssertionError(
        f"Tabbed {limit} times without reaching {getattr(matches, 'target', '?')}."
        f" Seen: {seen[-15:]}"
    )


def by_id(element_id: str):
    """Match the focused element by its id."""

    def matches(state):
        return state["id"] == element_id

    matches.target = f"#{element_id}"
    return matches


def by_name(name: str):
    """Match the focused form control by its name (any radio or checkbox of a group)."""

    def matches(state):
        return state["name"] == name

    matches.target = f"[name={name}]"
    return matches


def choose(page, name: str, option_id: str, limit: int = 120) -> None:
    """Tab to a radio group or checkbox and select option_id, as keyboard users do: arrow keys
    move between radios (and select them); Space ticks a checkbox."""
    state = tab_to(page, by_name(name), limit=limit)
    if state["type"] == "checkbox":
        while state["id"] != option_id:
            page.keyboard.press("Tab")
            state = assert_focus_visible(page)
        if not state["checked"]:
            page.keyboard.press("Space")
        return
    for _ in range(12):
        if state["id"] == option_id:
            break
        page.keyboard.press("ArrowUp")
        state = assert_focus_visible(page)
    assert state["id"] == option_id, f"Could not reach {option_id} with the arrow keys"
    if not state["checked"]:
        page.keyboard.press("Space")


def by_text(text: str):
    """Match the focused element by (the start of) its text or accessible name."""

    def matches(state):
        return state["what"].split("> ", 1)[-1].startswith(text)

    matches.target = repr(text)
    return matches
