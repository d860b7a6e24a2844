"""Signing in and out, invitations, password reset. (Stub: being written.)"""

from flask import Blueprint, redirect, url_for
from flask_login import login_required

bp = Blueprint("auth", __name__)


@bp.get("/")
@login_required
def home():
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    return "sign in"


@bp.post("/sign-out")
def sign_out():
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    return "change password"
