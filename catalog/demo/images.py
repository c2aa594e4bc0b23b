"""Product pictures drawn with Pillow (no downloads): a square in the group's colour with a simple motif,
the product's initials and its name in a font that renders Vietnamese. The same product always gives the
same pixels, so storage deduplicates them."""
import hashlib
import textwrap
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from storefront.text import nfc

SIZE = 800
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
COLOURS = {  # background, motif
    "thuc_pham": ((214, 122, 46), (245, 196, 120)),
    "do_uong": ((36, 118, 160), (140, 200, 230)),
    "duoc_lieu": ((58, 128, 72), (160, 210, 150)),
    "thu_cong_my_nghe": ((142, 96, 52), (214, 176, 120)),
    "sinh_vat_canh": ((120, 70, 140), (210, 170, 225)),
    "du_lich": ((24, 140, 130), (250, 220, 110)),
}


@cache
def font(size, bold=False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _shade(colour, seed):
    return tuple(max(0, min(255, c + (seed % 41) - 20)) for c in colour)


def _motif(draw, group, colour, seed):
    c, s = SIZE // 2, SIZE
    if group == "do_uong":  # a bottle
        draw.rounded_rectangle((c - 90, 250, c + 90, 560), 40, outline=colour, width=14)
        draw.rectangle((c - 30, 170, c + 30, 250), outline=colour, width=14)
    elif group == "duoc_lieu":  # a leaf
        draw.ellipse((c - 200, 200, c + 200, 480), outline=colour, width=14)
        draw.line((c - 220, 500, c + 160, 220), fill=colour, width=12)
    elif group == "thu_cong_my_nghe":  # weaving
        for x in range(-s, s, 70):
            draw.line((x, 120, x + 480, 600), fill=colour, width=10)
            draw.line((x + 480, 120, x, 600), fill=colour, width=10)
    elif group == "du_lich":  # sun over waves
        draw.ellipse((c - 110, 150, c + 110, 370), fill=colour)
        for y in (430, 490, 550):
            draw.arc((-40, y - 40, c, y + 40), 180, 360, fill=colour, width=12)
            draw.arc((c - 40, y - 40, s + 40, y + 40), 180, 360, fill=colour, width=12)
    else:  # rings, like a coconut or a tray
        for r in range(260, 40, -55):
            draw.ellipse((c - r, 380 - r, c + r, 380 + r), outline=colour, width=12)
    draw.ellipse((40 + seed % 60, 40, 100 + seed % 60, 100), fill=colour)


def initials(name):
    words = [w for w in nfc(name).split() if w[:1].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def picture(name, group, variant=""):
    """An 800×800 RGB image for a product called `name` in OCOP `group`."""
    seed = int(hashlib.sha1(f"{name}|{variant}".encode()).hexdigest()[:8], 16)
    background, motif = COLOURS.get(group, COLOURS["thuc_pham"])
    image = Image.new("RGB", (SIZE, SIZE), _shade(background, seed))
    draw = ImageDraw.Draw(image)
    _motif(draw, group, motif, seed)
    draw.text((SIZE // 2, 380), initials(name), font=font(190, bold=True), fill="white", anchor="mm",
              stroke_width=6, stroke_fill=_shade(background, seed // 7))
    draw.rectangle((0, 610, SIZE, SIZE), fill=(255, 255, 255))
    lines = textwrap.wrap(nfc(name), width=24)[:3]
    for i, line in enumerate(lines):
        draw.text((SIZE // 2, 660 + i * 52 - (len(lines) - 1) * 18), line, font=font(44, bold=True),
                  fill=background, anchor="mm")
    return image
