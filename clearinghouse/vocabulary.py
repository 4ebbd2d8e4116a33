"""The controlled vocabulary: practice stages and the seed's list of document types."""

STAGES = [
    ("front-door", "Front door"),
    ("early-help", "Early help"),
    ("assessment", "Assessment"),
    ("child-in-need", "Child in need"),
    ("child-protection", "Child protection"),
    ("pre-proceedings", "Pre-proceedings (PLO)"),
    ("proceedings", "Proceedings"),
    ("looked-after", "Looked after and care planning"),
    ("fostering-adoption", "Fostering and adoption"),
    ("organisational", "Organisational (supervision, quality assurance)"),
]
STAGE_LABELS = dict(STAGES)

# (slug, label, usual practice stage), in the seed's order.
DOC_TYPES = [
    ("plo-letter-before-proceedings", "PLO letter before proceedings", "pre-proceedings"),
    ("plo-guidance-notes", "PLO letter before proceedings guidance notes", "pre-proceedings"),
    ("plo-family-guide", "Guidance to help families understand PLO", "pre-proceedings"),
    ("plo-planning-meeting-report", "PLO planning meeting report", "pre-proceedings"),
    ("pre-proceedings-report", "Pre-proceedings report", "pre-proceedings"),
    ("plo-expectations", "PLO expectations", "pre-proceedings"),
    ("family-feedback-form", "Family feedback form", "organisational"),
    ("multi-agency-referral-form", "Multi-agency referral form", "front-door"),
    ("screening", "Screening through to front line", "front-door"),
    ("statutory-assessment", "Statutory assessment", "assessment"),
    ("caf", "CAF", "early-help"),
    ("single-assessment", "Single assessment", "assessment"),
    ("early-help-plan", "Early help service delivery plan", "early-help"),
    ("family-network-meeting", "Family network meeting", "child-in-need"),
    ("agency-report-to-conference", "Agency report to conference", "child-protection"),
    ("cp-conference-report", "Child protection conference report", "child-protection"),
    ("cp-conference-summary-family", "CP conference summary for the family", "child-protection"),
    ("safety-plan", "Safety plan", "child-protection"),
    ("words-and-pictures", "Words and Pictures explanation", "child-protection"),
    ("care-planning", "Care planning", "looked-after"),
    ("lac-panel", "LAC panel", "looked-after"),
    ("supervision", "Supervision", "organisational"),
    ("aide-memoire", "Aide-memoire", "organisational"),
    ("policy", "Policy", "organisational"),
    ("procedure", "Procedure", "organisational"),
    ("practice-guidance", "Practice guidance", "organisational"),
    # Beyond the seed's list: the letter when the authority decides to apply to court.
    ("letter-of-issue", "Letter of issue", "proceedings"),
]
