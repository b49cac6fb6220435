"""Designed pictures for the demo content, drawn with Pillow in the chamber's palette.

The site has no photographs: each demo page or project gets its own composition, so that no
picture repeats from the home page to the cards. `draw_picture(motif, width, height, seed)`
returns PNG bytes; a motif is a small scene built from simple shapes (hills and houses, a
network of partners, people gathered, fields, a street, a cycle of reuse, coins, a road, a
stage, a heart and hands), its colours and layout varied by `seed`. `MOTIF_FOR_PICTOGRAM`
picks the scene matching a theme's pictogram (`cress_site.pictograms`).
"""

import io
import math
import random

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from PIL import Image, ImageDraw

DEMO_CREDIT = "Illustration générée pour la démonstration du site"

# The site's colours (static/css/site.css) and two lighter tints of them.
TEAL = (0, 89, 79)
TEAL_DARK = (0, 63, 56)
TEAL_MID = (68, 144, 127)
TEAL_LIGHT = (138, 196, 183)
TEAL_TINT = (230, 242, 239)
OCHRE = (160, 72, 0)
OCHRE_LIGHT = (242, 184, 75)
OCHRE_TINT = (253, 243, 230)
SLATE = (43, 58, 85)
WHITE = (255, 255, 255)

SCALE = 2  # drawn at twice the size, then reduced: smooth edges

# What each scene shows, for the pictures' alternative text.
MOTIF_DESCRIPTIONS = {
    "landscape": "un bocage normand, collines, arbres et maisons sous le soleil",
    "network": "un réseau de partenaires, des cercles de couleur reliés entre eux",
    "gathering": "des personnes rassemblées, de toutes les couleurs",
    "fields": "des champs cultivés en bandes de couleur, une ferme à l'horizon",
    "street": "une rue de maisons et de boutiques colorées",
    "cycle": "trois flèches qui forment un cercle, symbole du réemploi",
    "coins": "des piles de pièces qui montent, une courbe qui progresse",
    "road": "une route sinueuse entre les collines, des véhicules partagés",
    "stage": "une scène de spectacle éclairée par trois projecteurs, un public",
    "care": "un cœur posé au-dessus de deux mains ouvertes",
}

MOTIF_FOR_PICTOGRAM = {
    "briefcase-business": "network",
    "hand-heart": "care",
    "handshake": "network",
    "users": "gathering",
    "wheat": "fields",
    "shopping-basket": "fields",
    "utensils": "fields",
    "house": "street",
    "leaf": "landscape",
    "trees": "landscape",
    "zap": "landscape",
    "recycle": "cycle",
    "wrench": "cycle",
    "piggy-bank": "coins",
    "hand-coins": "coins",
    "heart-handshake": "care",
    "baby": "care",
    "stethoscope": "care",
    "accessibility": "care",
    "drama": "stage",
    "music": "stage",
    "bike": "road",
    "bus": "road",
    "graduation-cap": "gathering",
    "store": "street",
    "factory": "street",
    "landmark": "street",
    "lightbulb": "network",
    "chart-column": "coins",
    "map-pin": "landscape",
    "sprout": "fields",
}


def draw_picture(motif: str, width: int, height: int, seed: int) -> bytes:
    """PNG bytes of the scene `motif` at `width` × `height` pixels, varied by `seed`."""
    if motif not in MOTIFS:
        raise ValueError(f"Unknown motif {motif!r}; choose among {sorted(MOTIFS)}.")
    rng = random.Random(f"{motif}-{seed}")
    w, h = width * SCALE, height * SCALE
    background = rng.choice([TEAL_TINT, OCHRE_TINT])
    image = Image.new("RGB", (w, h), background)
    draw = ImageDraw.Draw(image, "RGBA")
    MOTIFS[motif](draw, w, h, rng)
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def demo_image(title, description, motif, size, seed, *, collection, created):
    """The demo image titled `title`, drawn (scene `motif`, `size` = (width, height)) and saved
    in `collection` if missing, and named in `created`; `description` is its alternative text."""
    model = get_image_model()
    image = model.objects.filter(title=title).first()
    if image is None:
        png = io.BytesIO(draw_picture(motif, *size, seed))
        image = model(
            title=title,
            description=description,
            collection=collection,
            credit=DEMO_CREDIT,
            file=ImageFile(png, name=f"demo-{motif}-{seed}.png"),
        )
        image.save()
        created.append(f"image « {title} »")
    return image


# ---------- Shapes ----------


def _sun(draw, x, y, r, colour=OCHRE_LIGHT):
    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def _hill(draw, w, h, base, amplitude, phase, colour, waves=1.5):
    points = [(0, h)]
    for step in range(0, 101):
        x = w * step / 100
        points.append((x, base - amplitude * math.sin(phase + waves * math.pi * step / 100)))
    points.append((w, h))
    draw.polygon(points, fill=colour)


def _house(draw, x, base, size, wall, roof, window=WHITE):
    draw.rectangle((x, base - size, x + size, base), fill=wall)
    draw.polygon(
        [
            (x - size * 0.12, base - size),
            (x + size / 2, base - size * 1.6),
            (x + size * 1.12, base - size),
        ],
        fill=roof,
    )
    pane = size * 0.22
    draw.rectangle(
        (x + size * 0.18, base - size * 0.7, x + size * 0.18 + pane, base - size * 0.7 + pane),
        fill=window,
    )
    draw.rectangle((x + size * 0.58, base - size * 0.55, x + size * 0.82, base), fill=window)


def _tree(draw, x, base, size, leaves=TEAL_MID, trunk=TEAL_DARK):
    draw.rectangle((x - size * 0.08, base - size, x + size * 0.08, base), fill=trunk)
    draw.ellipse(
        (x - size * 0.45, base - size * 1.6, x + size * 0.45, base - size * 0.7), fill=leaves
    )


def _person(draw, x, base, size, colour):
    head = size * 0.22
    draw.ellipse(
        (x - head, base - size - head * 2.2, x + head, base - size - head * 0.2), fill=colour
    )
    draw.rounded_rectangle(
        (x - size * 0.35, base - size, x + size * 0.35, base), radius=size * 0.3, fill=colour
    )


# ---------- Scenes ----------


def _landscape(draw, w, h, rng):
    _sun(draw, w * rng.uniform(0.6, 0.85), h * rng.uniform(0.2, 0.35), h * 0.13)
    _hill(draw, w, h, h * 0.62, h * 0.08, rng.uniform(0, 3), TEAL_LIGHT)
    _hill(draw, w, h, h * 0.75, h * 0.06, rng.uniform(0, 3), TEAL_MID, waves=2.2)
    for _ in range(rng.randint(5, 8)):
        x = rng.uniform(0.05, 0.95) * w
        _tree(draw, x, h * rng.uniform(0.72, 0.8), h * rng.uniform(0.1, 0.16))
    for index in range(rng.randint(2, 4)):
        _house(
            draw,
            w * (0.15 + 0.22 * index + rng.uniform(0, 0.05)),
            h * 0.9,
            h * 0.12,
            WHITE,
            rng.choice([OCHRE, SLATE, TEAL_DARK]),
            TEAL_LIGHT,
        )
    _hill(draw, w, h, h * 0.92, h * 0.03, rng.uniform(0, 3), TEAL, waves=3)


def _network(draw, w, h, rng):
    nodes = []
    for row in range(3):
        for column in range(5):
            nodes.append(
                (
                    w * (0.12 + 0.19 * column + rng.uniform(-0.05, 0.05)),
                    h * (0.22 + 0.28 * row + rng.uniform(-0.07, 0.07)),
                )
            )
    for a, b in zip(nodes, nodes[1:] + nodes[:1], strict=True):
        draw.line((a, b), fill=(*TEAL_MID, 160), width=max(2, h // 120))
    for _ in range(8):
        a, b = rng.sample(nodes, 2)
        draw.line((a, b), fill=(*SLATE, 70), width=max(2, h // 160))
    for x, y in nodes:
        r = h * rng.uniform(0.035, 0.075)
        draw.ellipse(
            (x - r, y - r, x + r, y + r),
            fill=rng.choice([TEAL, TEAL_MID, OCHRE, OCHRE_LIGHT, SLATE]),
        )
        draw.ellipse((x - r * 0.4, y - r * 0.4, x + r * 0.4, y + r * 0.4), fill=WHITE)


def _gathering(draw, w, h, rng):
    draw.ellipse((w * 0.1, h * 0.55, w * 0.9, h * 1.25), fill=TEAL_LIGHT)
    colours = [TEAL, OCHRE, SLATE, TEAL_MID, OCHRE_LIGHT, TEAL_DARK]
    for row, (base, size) in enumerate(((h * 0.62, h * 0.2), (h * 0.9, h * 0.26))):
        count = 6 - row
        for index in range(count):
            x = w * (0.18 + (0.64 * index / max(count - 1, 1))) + rng.uniform(-1, 1) * w * 0.02
            _person(draw, x, base, size, rng.choice(colours))
    _sun(draw, w * 0.85, h * 0.18, h * 0.08, OCHRE_LIGHT)


def _fields(draw, w, h, rng):
    _sun(draw, w * rng.uniform(0.15, 0.4), h * 0.2, h * 0.1)
    horizon = h * 0.42
    draw.rectangle((0, horizon, w, h), fill=TEAL_LIGHT)
    colours = [TEAL_MID, OCHRE_LIGHT, TEAL, (214, 160, 60)]
    bands = 6
    for index in range(bands):
        top = horizon + (h - horizon) * (index / bands) ** 1.4
        bottom = horizon + (h - horizon) * ((index + 1) / bands) ** 1.4
        draw.rectangle((0, top, w, bottom), fill=colours[(index + rng.randint(0, 3)) % 4])
        for row in range(12):
            x = w * (row + 0.5) / 12
            draw.line(
                ((x, top + 2), (x + (x - w / 2) * 0.08, bottom - 2)),
                fill=(*WHITE, 70),
                width=max(2, h // 200),
            )
    _house(draw, w * 0.72, horizon + h * 0.02, h * 0.1, WHITE, OCHRE, TEAL_LIGHT)


def _street(draw, w, h, rng):
    draw.rectangle((0, h * 0.82, w, h), fill=SLATE)
    x = w * 0.04
    while x < w * 0.94:
        size = h * rng.uniform(0.22, 0.34)
        _house(
            draw,
            x,
            h * 0.82,
            size,
            rng.choice([WHITE, OCHRE_LIGHT, TEAL_LIGHT]),
            rng.choice([TEAL, OCHRE, TEAL_DARK]),
            rng.choice([TEAL_TINT, SLATE]),
        )
        x += size * rng.uniform(1.35, 1.6)
    for index in range(8):
        x = w * (index + 0.3) / 8
        draw.rectangle((x, h * 0.9, x + w * 0.05, h * 0.915), fill=WHITE)


def _cycle(draw, w, h, rng):
    cx, cy, r = w / 2, h / 2, h * 0.32
    colours = [TEAL, OCHRE, TEAL_MID]
    rng.shuffle(colours)
    width = int(h * 0.07)
    for index, colour in enumerate(colours):
        start = index * 120 + 10
        draw.arc((cx - r, cy - r, cx + r, cy + r), start, start + 95, fill=colour, width=width)
        angle = math.radians(start + 95)
        tip = (cx + r * math.cos(angle), cy + r * math.sin(angle))
        normal = (math.cos(angle), math.sin(angle))
        tangent = (-math.sin(angle), math.cos(angle))
        size = width * 1.1
        draw.polygon(
            [
                (tip[0] + normal[0] * size, tip[1] + normal[1] * size),
                (tip[0] - normal[0] * size, tip[1] - normal[1] * size),
                (tip[0] + tangent[0] * size * 1.4, tip[1] + tangent[1] * size * 1.4),
            ],
            fill=colour,
        )
    for _ in range(6):
        x, y = rng.uniform(0.05, 0.95) * w, rng.uniform(0.1, 0.9) * h
        if math.dist((x, y), (cx, cy)) < r * 1.4:
            continue
        s = h * rng.uniform(0.04, 0.07)
        draw.rounded_rectangle(
            (x - s, y - s, x + s, y + s),
            radius=s * 0.3,
            fill=rng.choice([TEAL_LIGHT, OCHRE_LIGHT, SLATE]),
        )


def _coins(draw, w, h, rng):
    stacks = 6
    base = h * 0.85
    for index in range(stacks):
        x = w * (0.12 + 0.76 * index / (stacks - 1))
        coins = 2 + index + rng.randint(0, 2)
        rx, ry = w * 0.045, h * 0.025
        for level in range(coins):
            y = base - level * ry * 1.6
            colour = OCHRE_LIGHT if level % 2 else (214, 160, 60)
            draw.ellipse(
                (x - rx, y - ry, x + rx, y + ry), fill=colour, outline=OCHRE, width=max(2, h // 200)
            )
    draw.line(
        ((w * 0.08, h * 0.6), (w * 0.5, h * 0.35), (w * 0.92, h * 0.12)),
        fill=TEAL,
        width=int(h * 0.02),
        joint="curve",
    )
    _sun(draw, w * 0.92, h * 0.12, h * 0.03, TEAL)
    draw.rectangle((0, base + h * 0.03, w, h), fill=TEAL_LIGHT)


def _road(draw, w, h, rng):
    _hill(draw, w, h, h * 0.5, h * 0.05, rng.uniform(0, 3), TEAL_LIGHT)
    phase = rng.uniform(0, 2 * math.pi)
    points = [
        (w * t / 80, h * (0.75 + 0.08 * math.sin(t / 80 * 2 * math.pi + phase))) for t in range(81)
    ]
    draw.line(points, fill=SLATE, width=int(h * 0.12), joint="curve")
    draw.line(points, fill=(*WHITE, 200), width=max(2, h // 150), joint="curve")
    for index in range(3):
        x, y = points[16 + 24 * index]
        r = h * 0.045
        colour = [OCHRE, TEAL, OCHRE_LIGHT][index]
        draw.rounded_rectangle(
            (x - r * 2.4, y - r * 2.6, x + r * 2.4, y - r * 0.6), radius=r * 0.6, fill=colour
        )
        for dx in (-1.4, 1.4):
            draw.ellipse(
                (x + dx * r - r * 0.6, y - r * 1.2, x + dx * r + r * 0.6, y), fill=TEAL_DARK
            )
    for _ in range(5):
        _tree(draw, rng.uniform(0.05, 0.95) * w, h * 0.55, h * 0.1)


def _stage(draw, w, h, rng):
    draw.rectangle((0, 0, w, h * 0.75), fill=SLATE)
    for index in range(3):
        x = w * (0.25 + 0.25 * index + rng.uniform(-0.03, 0.03))
        draw.polygon(
            [(x, 0), (x - w * 0.12, h * 0.75), (x + w * 0.12, h * 0.75)], fill=(*OCHRE_LIGHT, 60)
        )
        draw.ellipse((x - w * 0.12, h * 0.7, x + w * 0.12, h * 0.8), fill=(*OCHRE_LIGHT, 120))
    for side in (0, 1):
        for fold in range(4):
            x0 = (w * 0.03 * fold) if side == 0 else w - w * 0.03 * (fold + 1)
            draw.rectangle(
                (x0, 0, x0 + w * 0.03, h * 0.75), fill=(OCHRE if fold % 2 else (130, 58, 0))
            )
    draw.rectangle((0, h * 0.75, w, h), fill=TEAL_DARK)
    for index in range(7):
        _person(
            draw,
            w * (0.1 + 0.8 * index / 6),
            h * 1.02,
            h * 0.16,
            rng.choice([TEAL, TEAL_MID, TEAL_LIGHT]),
        )


def _care(draw, w, h, rng):
    cx, cy, s = w * rng.uniform(0.45, 0.55), h * 0.45, h * 0.2
    colour = rng.choice([OCHRE, TEAL])
    draw.ellipse((cx - s, cy - s * 0.8, cx, cy + s * 0.2), fill=colour)
    draw.ellipse((cx, cy - s * 0.8, cx + s, cy + s * 0.2), fill=colour)
    draw.polygon(
        [(cx - s * 0.97, cy - s * 0.1), (cx + s * 0.97, cy - s * 0.1), (cx, cy + s * 1.1)],
        fill=colour,
    )
    # Two open hands underneath: a cupped shape.
    draw.chord((cx - s * 2.2, cy + s * 0.2, cx + s * 2.2, cy + s * 2.6), 0, 180, fill=TEAL_LIGHT)
    for index in range(4):
        x = cx - s * 1.9 + index * s * 0.35
        draw.rounded_rectangle(
            (x, cy + s * 0.8, x + s * 0.28, cy + s * 1.6), radius=s * 0.14, fill=TEAL_LIGHT
        )
        x = cx + s * 1.62 - index * s * 0.35
        draw.rounded_rectangle(
            (x, cy + s * 0.8, x + s * 0.28, cy + s * 1.6), radius=s * 0.14, fill=TEAL_LIGHT
        )
    for _ in range(10):
        x, y = rng.uniform(0.05, 0.95) * w, rng.uniform(0.05, 0.95) * h
        if abs(x - cx) < s * 2.4:
            continue
        r = h * rng.uniform(0.01, 0.03)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice([OCHRE_LIGHT, TEAL_MID]))


MOTIFS = {
    "landscape": _landscape,
    "network": _network,
    "gathering": _gathering,
    "fields": _fields,
    "street": _street,
    "cycle": _cycle,
    "coins": _coins,
    "road": _road,
    "stage": _stage,
    "care": _care,
}
