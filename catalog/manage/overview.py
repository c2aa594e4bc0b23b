"""GET /vendor/<booth>/: how the booth's catalogue stands, each count linking to those products."""
from datetime import date

from flask import render_template

from catalog.manage import bp, queries
from catalog.manage.helpers import load_booth
from storefront.accounts.permissions import BOOTH_MANAGE, permission_required


@bp.get("/")
@permission_required(BOOTH_MANAGE, load=load_booth)
def overview(vendor, booth):
    today = date.today()
    return render_template("manage/overview_show.html", vendor=vendor,
                           counts=queries.booth_counts(vendor.id, today), today=today,
                           warning_days=queries.EXPIRY_WARNING_DAYS)
