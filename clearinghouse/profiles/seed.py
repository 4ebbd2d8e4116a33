"""Demo profiles for seed-demo: policies/<slug>/profile.json, loaded once per authority."""

import json
from pathlib import Path

from . import service


def profile_seed(editor, path: Path) -> bool:
    """Save the file as the editor's authority's profile unless it has one; return if saved."""
    if not path.is_file() or service.profile_show(editor).number:
        return False  # never overwrite what an editor has changed since
    service.profile_update(editor, json.loads(path.read_text(encoding="utf-8")))
    return True


def profiles_seed_demo(editors: dict, policies_dir: Path) -> None:
    """Give each demo authority (editors by slug) the profile in its policies folder."""
    for slug, editor in editors.items():
        profile_seed(editor, policies_dir / slug / "profile.json")
