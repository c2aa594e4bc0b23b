"""Placeholder: the booth side of onboarding and the booth profile."""
from flask import Blueprint

bp = Blueprint("vendors", __name__)
