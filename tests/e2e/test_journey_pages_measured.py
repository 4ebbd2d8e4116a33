"""Every page of the case journey for a full case, measured: each part, each item of each list,
each list inside an item and each group of questions with its own page. None is taller than
3,600 px at 1280 px wide, none scrolls sideways at 375 px. The case is every library sample's
parts in one file, uploaded as a practitioner would."""

import json

from playwright.sync_api import expect

from clearinghouse.paths import PROJECT_ROOT

from .journey_steps import MAX_HEIGHT, PHONE_WIDTH

LIBRARY = PROJECT_ROOT / "templates_library"

OPEN_PAGE_JS = """([at, back]) => {
  const source = document.querySelector('input[name=case_state]');
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/case/edit';
  const values = {csrf_token: document.querySelector('input[name=csrf_token]').value,
                  case_state: source.value, at: at, back: back, action: 'show'};
  for (const [name, value] of Object.entries(values)) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = name; input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""
PAGES_JS = """() => [...document.querySelectorAll('main button')].map(b => b.value || '')
  .filter(v => v.startsWith('change:')).map(v => v.slice(7))
  .concat([...document.querySelectorAll('main button[name=at]')].map(b => b.value))"""


def full_case() -> dict:
    """Return one case holding every part any library sample has (first sample wins)."""
    case: dict = {}
    for sample in sorted(LIBRARY.glob("*/sample.json")):
        for key, value in json.loads(sample.read_text()).items():
            case.setdefault(key, value)
    return case


def test_every_page_of_a_full_case_fits(page, sign_in, tmp_path):
    sign_in("practitioner")
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(full_case()))
    page.goto("/case")
    page.get_by_label("Case file (.json)").set_input_files(str(case_file))
    page.locator("main").get_by_role("button", name="Upload the case file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
    assert page.get_by_role("heading", level=1).inner_text() == "Your case"
    to_visit = page.evaluate(PAGES_JS)
    assert len(to_visit) >= 20, to_visit
    seen, heights, problems = set(), {}, []
    while to_visit:
        at = to_visit.pop(0)
        if at in seen or at == "tasks":
            continue
        seen.add(at)
        with page.expect_navigation():
            page.evaluate(OPEN_PAGE_JS, [at, "tasks"])
        height = page.evaluate("document.documentElement.scrollHeight")
        heights[at] = height
        if height > MAX_HEIGHT:
            problems.append(f"{at} is {height} px tall")
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > PHONE_WIDTH:
            problems.append(f"{at} is {wide} px wide at 375 px")
        page.set_viewport_size({"width": 1280, "height": 900})
        to_visit += [p for p in page.evaluate(PAGES_JS) if p not in seen]
    tallest = sorted(heights.items(), key=lambda item: -item[1])[:5]
    print(f"{len(heights)} journey pages measured; the tallest: {tallest}")
    assert len(heights) >= 60, sorted(heights)
    assert problems == []
