"""Page images of the demo's PDFs for the documentation:
`.venv/bin/python -m workshop.export.sample docs/images` (needs pdftoppm)."""

from __future__ import annotations

from sqlalchemy import select

from ..auth import actor_of
from ..db import Database
from ..models import Participant


def render_docs_images(folder: str = "docs/images") -> list[str]:
    """Page 1 of the demo's chantiers.pdf and map.pdf as PNG (needs pdftoppm):
    `.venv/bin/python -m workshop.export.sample docs/images`."""
    import subprocess
    import tempfile
    from pathlib import Path

    from .. import demo
    from . import collect, pdf

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/docs.db")
        db.migrate()
        links = demo.create_demo(db)
        with db.read() as s:
            facilitator = actor_of(
                s.scalars(
                    select(Participant).where(
                        Participant.workshop_id == links["workshop_id"], Participant.role == "facilitator"
                    )
                ).one()
            )
        doc = collect.workshop_document(db, facilitator, links["workshop_id"])
        db.dispose()
        made = []
        for name, data in (("chantiers", pdf.render_chantiers(doc)), ("map", pdf.render_map(doc, links["map_id"]))):
            path = Path(tmp) / f"{name}.pdf"
            path.write_bytes(data)
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "60",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(path),
                    str(out / f"demo-{name}-page1"),
                ],
                check=True,
            )
            made.append(str(out / f"demo-{name}-page1.png"))
    return made


if __name__ == "__main__":
    import sys

    print("\n".join(render_docs_images(*sys.argv[1:])))
