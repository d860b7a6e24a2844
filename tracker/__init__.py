"""Trust Tracker: a Children's Trust Board's implementation plan, its leads and their updates."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy.exc import NoResultFound, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import INSTANCE, ROOT, config_for
from tracker.auth.sessions import init_login
from tracker.extensions import csrf, db, login_manager, migrate
from tracker.formatting import FILTERS
from tracker.forms import error_summary
from tracker.logs import redact_development_server_log
from tracker.permissions import may
from tracker.routing import use_safe_converters

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE), template_folder=str(ROOT / "templates"))
    use_safe_converters(app)
    app.config.from_object(config_for(config_name))
    app.config.update(overrides or {})
    if app.config["PROXY_COUNT"]:
        # The client's address (for the sign-in throttle) from the proxies' X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"])
    if not app.config.get("SECRET_KEY"):
        # SystemExit: a clear line, not a traceback, from flask commands and gunicorn alike.
        raise SystemExit("SECRET_KEY must be set in production (see README)")
    INSTANCE.mkdir(exist_ok=True)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["error_summary"] = error_summary
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    # Batch mode lets Alembic alter SQLite tables (by copying them), as it must there.
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    init_login(login_manager)
    WTFormsHelpers(app)

    import tracker.audit  # noqa: F401  (registers the audit and append-only session hooks)
    import tracker.sqlite  # noqa: F401  (SQLite transactions that SQLAlchemy controls)

    # The development server logs each request line, tokens in paths included.
    redact_development_server_log()
    _register_blueprints(app)
    _register_request_hooks(app)
    _register_error_pages(app)

    from tracker.cli import register_commands

    register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from tracker.actions.views import bp as actions
    from tracker.admin import bp as admin
    from tracker.api.views import bp as api
    from tracker.auth.views import bp as auth
    from tracker.calendars.views import bp as calendars
    from tracker.indicators.views import bp as indicators
    from tracker.meetings.views import bp as meetings
    from tracker.plans.views import bp as plans
    from tracker.privacy.views import bp as privacy
    from tracker.public.views import bp as public
    from tracker.publishing.account import bp as public_name
    from tracker.publishing.views import bp as publishing
    from tracker.reports.views import bp as reports

    for blueprint in (
        auth,
        calendars,
        plans,
        actions,
        meetings,
        reports,
        indicators,
        admin,
        privacy,
        publishing,
        public_name,
        public,
        api,
    ):
        app.register_blueprint(blueprint)


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def _attribute_changes_to_signed_in_person() -> None:
        db.session.info["actor_id"] = current_user.id if current_user.is_authenticated else None

    @app.after_request
    def _security_headers(response: Any) -> Any:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        return {
            "board": getattr(g, "board", None),
            "membership": getattr(g, "membership", None),
            "may": may(),
        }


def _register_error_pages(app: Flask) -> None:
    def page(template: str, status: int, **context: Any) -> tuple[str, int]:
        return render_template(template, **context), status

    app.register_error_handler(400, lambda e: page("errors/400.html", 400, error=e))
    app.register_error_handler(CSRFError, lambda e: page("errors/400.html", 400, error=e))
    app.register_error_handler(403, lambda e: page("errors/403.html", 403))
    app.register_error_handler(404, lambda e: page("errors/404.html", 404))
    app.register_error_handler(NoResultFound, lambda e: page("errors/404.html", 404))
    app.register_error_handler(413, lambda e: page("errors/413.html", 413))
    app.register_error_handler(500, lambda e: page("errors/500.html", 500))

    @app.errorhandler(OperationalError)
    def _database_unavailable(error: OperationalError) -> tuple[str, int, dict[str, str]]:
        # The database is down or restarting. The page must not touch it again: no signed-in
        # person or board to show, as loading either would fail the same way.
        app.logger.warning("database unavailable: %s", type(error.orig).__name__)
        g._login_user = login_manager.anonymous_user()
        g.board = g.membership = None
        return render_template("errors/503.html"), 503, {"Retry-After": "30"}
