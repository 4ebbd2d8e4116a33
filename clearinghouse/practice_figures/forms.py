"""The form choosing whether the authority's practice figures are shared (posted, CSRF)."""

from ..forms import sharing_form

SharingForm = sharing_form(
    "Who can see your authority's practice figures?",
    keep="Keep them within my authority",
    share="Share them with the other authorities' managers",
    button="Save who can see them",
)
