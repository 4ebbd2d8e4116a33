import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// "Go back" links on error pages: return to the page as it was (with what was typed in it)
// rather than load it again; without JavaScript the link still goes to the previous page.
for (const link of document.querySelectorAll("a[data-app-back]")) {
  link.addEventListener("click", (event) => {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
}
