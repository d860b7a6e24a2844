"""The calendar feed (opened by its token, without signing in) and the page to get it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker import clock
from tracker.calendars.feed import feed, new_token, person_for_token
from tracker.calendars.forms import CalendarLinkForm
from tracker.extensions import db
from tracker.links import absolute_url
from tracker.permissions import with_board_navigation

bp = Blueprint("calendars", __name__)


@bp.get("/calendar/<token>.ics")
def feed_ics(token: str):
    # Not behind sign-in: calendar programs cannot sign in. The token is the credential, so
    # an unknown or reset one gets the same 404 as any missing page.
    person = person_for_token(db.session, token)
    if person is None:
        abort(404)
    body = feed(db.session, person, clock.now()).to_ical()
    response = Response(body, mimetype="text/calendar")
    # Personal: no shared cache may keep it or hand it to someone else.
    response.headers["Cache-Control"] = "private"
    response.headers["Content-Disposition"] = 'inline; filename="trust-tracker.ics"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
@with_board_navigation
def your_calendar():
    person = current_user._get_current_object()
    form = CalendarLinkForm()
    if form.validate_on_submit():
        had_one = person.calendar_token is not None
        person.calendar_token = new_token()
        db.session.commit()
        flash(
            "Your calendar has a new link. The old one no longer works: subscribe again with "
            "the new one."
            if had_one
            else "Your calendar link is ready. Copy it into your calendar program.",
            "success",
        )
        return redirect(url_for("calendars.your_calendar"))
    if person.calendar_token is not None:
        form.submit.label.text = "Reset my calendar link"
    link = (
        absolute_url("calendars.feed_ics", token=person.calendar_token)
        if person.calendar_token
        else None
    )
    return render_template("calendars/your_calendar.html", form=form, link=link)
