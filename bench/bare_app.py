"""The baseline: a bare Flask app rendering a trivial template, served under the same gunicorn settings."""
from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = "<!doctype html><html lang=vi><title>{{ title }}</title><p>{{ title }}</p></html>"


@app.get("/")
def index():
    return render_template_string(PAGE, title="Chợ OCOP")
