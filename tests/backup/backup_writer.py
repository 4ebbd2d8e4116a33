"""A writer for the backup tests: upload new versions through the documents service, as a
busy server would, until the stop file appears (or a bound is reached).

Run: python backup_writer.py INSTANCE EMAIL DOCUMENT_ID STOP_FILE MOST
Prints each version number it committed, one a line.
"""

import sys
from pathlib import Path

from clearinghouse import create_app
from clearinghouse.documents.writing import version_add
from clearinghouse.extensions import db
from clearinghouse.models import User


def main(instance: str, email: str, document_id: str, stop: str, most: str) -> None:
    """Add versions to the document as the user until stop exists or most were added."""
    app = create_app({"ENV": "testing", "SECRET_KEY": "writer", "INSTANCE_PATH": instance})
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        for n in range(int(most)):
            if Path(stop).exists():
                break
            data = f"# Edition {n}\n\nThe text of edition {n}, written during a backup.\n"
            added = version_add(user, int(document_id), data.encode(), "edition.md", f"Ed {n}")
            print(added.number, flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
