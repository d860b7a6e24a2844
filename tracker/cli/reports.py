"""Documents the board sends out."""

from __future__ import annotations

import click

from tracker.extensions import db
from tracker.models import Meeting
from tracker.reports import hwb, render


@click.group()
def report() -> None:
    """Documents the board sends out."""


@report.command("hwb")
@click.option("--meeting", "meeting_id", type=int, required=True, help="The meeting's id.")
@click.option("--format", "file_format", type=click.Choice(["html", "docx", "pdf"]), required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def report_hwb(meeting_id: int, file_format: str, output: str) -> None:
    """The report to the Health and Wellbeing Board after a meeting."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise click.BadParameter(f"there is no meeting {meeting_id}", param_hint="--meeting")
    try:
        data = render.RENDERERS[file_format](hwb.build(db.session, meeting))
    except render.PdfUnavailable as error:
        raise click.ClickException(str(error)) from None
    with open(output, "wb") as file:
        file.write(data)
    click.echo(f"Wrote the report for {meeting} to {output}.")
