// Progressive enhancement for the case form: the Add and Remove buttons work without
// JavaScript (the server re-renders the form); this moves focus to where the change happened.
const form = document.querySelector(".app-generate-form");
if (form && form.dataset.focus) {
  const target = form.dataset.focus;
  const items = document.querySelectorAll(`[data-repeat="${CSS.escape(target)}"] [data-item]`);
  let focusOn = null;
  if (items.length) {
    // Added: the new (last) item's first field.
    focusOn = items[items.length - 1].querySelector("input, textarea, select");
  } else {
    // Removed: the repeating group that lost an item.
    const group = document.getElementById(target.replace(/-\d+$/, ""));
    focusOn = group;
  }
  if (focusOn) {
    focusOn.focus();
    focusOn.scrollIntoView({ block: "center" });
  }
}
