"""The shape every admin section shares: a list (live and archived), add, change, archive
and restore. Each section (agencies, teams, plans, areas, actions, meetings) describes only
what differs: its model, its form, how its rows are found on this board and how a form is
read into an object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from tracker import clock
from tracker.admin.blueprint import bp
from tracker.examples import Hint
from tracker.extensions import db
from tracker.forms import choices
from tracker.models import AreaOfFocus, Plan
from tracker.permissions import Right, requires


class Refused(Exception):
    """A form that validated field by field but cannot be saved, e.g. a duplicate.

    ``field`` names the form field the message belongs beside (None: the whole form).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass
class Section:
    name: str  # in URLs and endpoint names: "agencies"
    singular: str  # in headings: "agency"
    plural: str  # "Agencies"
    model: type
    form: type[FlaskForm]
    # Rows of this board, in list order.
    query: Callable[[], Select]
    # Fills a new or existing object from a validated form; raises Refused.
    save: Callable[[FlaskForm, Any], None]
    # The table columns of the list page: (heading, value of a row).
    columns: list[tuple[str, Callable[[Any], Any]]]
    # Sets the form's choices (run for every form, GET and POST).
    prepare: Callable[[FlaskForm, Any], None] = lambda form, obj: None
    # Fills the form from an existing object on GET; default: same-named attributes.
    load: Callable[[FlaskForm, Any], None] | None = None
    title: Callable[[Any], str] = str
    hint: str | Hint = ""
    # The list page's order where SQL cannot give it ("2.10" after "2.9").
    sort_key: Callable[[Any], Any] | None = None
    extra_templates: dict[str, str] = field(default_factory=dict)

    def one(self, object_id: int) -> Any:
        row = db.session.scalars(self.query().where(self.model.id == object_id)).one_or_none()
        if row is None:
            abort(404)
        return row

    def register(self) -> None:
        admin_only = requires(Right.ADMINISTER)
        bp.add_url_rule(f"/{self.name}", self.name, admin_only(self.list_view))
        bp.add_url_rule(
            f"/{self.name}/new",
            f"{self.name}_new",
            admin_only(self.edit_view),
            methods=["GET", "POST"],
        )
        bp.add_url_rule(
            f"/{self.name}/<int:object_id>",
            f"{self.name}_edit",
            admin_only(self.edit_view),
            methods=["GET", "POST"],
        )
        bp.add_url_rule(
            f"/{self.name}/<int:object_id>/archive",
            f"{self.name}_archive",
            admin_only(self.archive_view),
            methods=["POST"],
        )
        bp.add_url_rule(
            f"/{self.name}/<int:object_id>/restore",
            f"{self.name}_restore",
            admin_only(self.restore_view),
            methods=["POST"],
        )

    def list_view(self):
        rows = db.session.scalars(self.query()).all()
        if self.sort_key:
            rows.sort(key=self.sort_key)
        return render_template(
            "admin/section_list.html",
            section=self,
            live=[r for r in rows if not r.is_archived],
            archived=[r for r in rows if r.is_archived],
        )

    def edit_view(self, object_id: int | None = None):
        obj = self.one(object_id) if object_id is not None else None
        form = self.form()
        self.prepare(form, obj)
        if obj is not None and request.method == "GET":
            (self.load or _load_same_names)(form, obj)
        if form.validate_on_submit():
            target = obj if obj is not None else self.model()
            try:
                # A savepoint, so a refusal (or a duplicate caught by the database) undoes
                # only this attempt and the page can be shown again with the error.
                with db.session.begin_nested():
                    # Not flushed half-filled: save() queries while it fills the object.
                    with db.session.no_autoflush:
                        self.save(form, target)
                        if obj is None:
                            db.session.add(target)
                    db.session.flush()
            except Refused as refusal:
                _show_refusal(form, refusal)
            except IntegrityError:
                _show_refusal(form, Refused(f"This {self.singular} already exists", "name"))
            else:
                db.session.commit()
                verb = "added" if obj is None else "saved"
                flash(f"{self.singular.capitalize()} {verb}: {self.title(target)}", "success")
                return redirect(url_for(f"admin.{self.name}"))
        return render_template("admin/section_form.html", section=self, form=form, obj=obj)

    def archive_view(self, object_id: int):
        return self._set_archived(object_id, archived=True)

    def restore_view(self, object_id: int):
        return self._set_archived(object_id, archived=False)

    def _set_archived(self, object_id: int, *, archived: bool):
        obj = self.one(object_id)
        obj.archived_at = clock.now() if archived else None
        db.session.commit()
        flash(
            f"{self.singular.capitalize()} {'archived' if archived else 'restored'}: "
            f"{self.title(obj)}",
            "success",
        )
        return redirect(url_for(f"admin.{self.name}"))


def _load_same_names(form: FlaskForm, obj: Any) -> None:
    for name, form_field in form._fields.items():
        if hasattr(obj, name) and name not in {"csrf_token", "submit"}:
            form_field.data = getattr(obj, name)


def _show_refusal(form: FlaskForm, refusal: Refused) -> None:
    target = form._fields.get(refusal.field) if refusal.field else None
    if target is None:
        form.form_errors.append(refusal.message)
    else:
        target.errors = [*target.errors, refusal.message]


def refuse_if_taken(obj: Any, *conditions: Any, message: str, field: str) -> None:
    """Refuse to save ``obj`` when another row already has its unique key (``conditions``).

    Checked first so the person gets a message beside the field; the database's unique
    constraint stays the backstop for two people saving at the same moment.
    """
    model = type(obj)
    query = select(model.id).where(*conditions)
    if obj.id is not None:
        query = query.where(model.id != obj.id)
    if db.session.scalar(query) is not None:
        raise Refused(message, field)


def on_this_board(model: type) -> Select:
    """Rows of a model that has a board_id, on the board of this request."""
    return select(model).where(model.board_id == g.board.id)


def area_choices(blank: str) -> list[SelectChoice]:
    """The board's areas of focus, newest plan first, after a ``blank`` choice labelled so."""
    areas = db.session.scalars(
        select(AreaOfFocus)
        .join(Plan)
        .where(Plan.board_id == g.board.id, AreaOfFocus.archived_at.is_(None))
        .order_by(Plan.start_year.desc(), AreaOfFocus.position)
    )
    return choices([("", blank)] + [(a.id, f"{a.name} ({a.plan.name})") for a in areas])
