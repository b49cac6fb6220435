"""Regenerate the site's typeface files in static/fonts/ from a pinned upstream release.

    .venv/bin/python scripts/subset_fonts.py

The typeface is Source Sans 3 (Adobe, SIL Open Font License 1.1), taken from the npm package
`@expo-google-fonts/source-sans-3`, pinned below by version and SHA-256, which ships the full
Google Fonts TTF files and the licence. `npm pack` fetches it (npm's ordinary client), then
fontTools' subsetter (`pyftsubset`, the `fonttools[woff]` dev dependency) keeps only Latin and
French typography characters and writes WOFF2 files.

The OFL reserves the name "Source": a subset is a modified version, so it is renamed
("Cress Sans") in its name table and in the CSS. The licence goes with the files (OFL.txt).
"""

import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

PACKAGE = "@expo-google-fonts/source-sans-3"
VERSION = "0.4.1"
SHA256 = "eb41834f563921e19b18b40bc924b97110983aef800d9cb67b9186f546311828"

FAMILY = "Cress Sans"
OUT = Path(__file__).resolve().parent.parent / "static" / "fonts"

# file in the package -> (file written, style name)
WEIGHTS = {
    "400Regular/SourceSans3_400Regular.ttf": ("cress-sans-400.woff2", "Regular"),
    "700Bold/SourceSans3_700Bold.ttf": ("cress-sans-700.woff2", "Bold"),
}

# Basic Latin, Latin-1 (« » and accented capitals, æ, ç, °, ·, U+00A0 no-break space), Œ œ Ÿ,
# typographic spaces (thin, U+202F narrow no-break), dashes – —, quotes ‘ ’ “ ” ‹ ›, bullet,
# ellipsis …, €, ™, minus, arrows ← ↑ → ↓.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0152-0153,U+0178,U+02C6,U+02DA,U+02DC,"
    "U+2009,U+200A,U+2011,U+2013-2014,U+2018-201A,U+201C-201E,U+2022,U+2026,U+202F,"
    "U+2039-203A,U+20AC,U+2122,U+2190-2193,U+2212"
)
FEATURES = "kern,liga,locl,calt,ccmp,mark,mkmk,case,tnum,lnum,pnum,onum,frac"


def fetch_package(workdir):
    """The pinned npm tarball, checked against its SHA-256, unpacked in `workdir`."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", workdir],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = next(Path(workdir).glob("*.tgz"))
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{tarball.name}: SHA-256 {digest}, expected {SHA256}")
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return Path(workdir) / "package"


def rename(font, style):
    """Give the subset its own family name (the OFL's Reserved Font Name rule)."""
    names = font["name"]
    full = f"{FAMILY} {style}" if style != "Regular" else FAMILY
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    for record_id, value in {1: FAMILY, 2: style, 3: postscript, 4: full, 6: postscript}.items():
        names.setName(value, record_id, 3, 1, 0x409)
        names.setName(value, record_id, 1, 0, 0)
    for record_id in (16, 17, 21, 22):
        names.removeNames(nameID=record_id)


def build(source, target, style):
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES.split(",")
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14]
    options.name_languages = [0x409]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    rename(font, style)
    subset.save_font(font, str(target), options)


# Arial's advance widths (units per em: 2048) of the space and a-z, the same in Liberation Sans.
ARIAL_WIDTHS = [
    569,
    1139,
    1139,
    1024,
    1139,
    1139,
    569,
    1139,
    1139,
    455,
    455,
    1024,
    455,
    1706,
    1139,
    1139,
    1139,
    1139,
    682,
    1024,
    569,
    1139,
    1024,
    1479,
    1024,
    1024,
    1024,
]


def fallback_metrics(source):
    """size-adjust and overrides for a local fallback face (Arial or Liberation Sans) so that
    text barely moves when the web font arrives: the average width of the space and a-z."""
    font = TTFont(source)
    units = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    letters = " abcdefghijklmnopqrstuvwxyz"
    width = sum(metrics[cmap[ord(letter)]][0] for letter in letters) / len(letters) / units
    arial = sum(ARIAL_WIDTHS) / len(ARIAL_WIDTHS) / 2048
    size_adjust = width / arial
    hhea = font["hhea"]
    return {
        "size-adjust": f"{size_adjust:.2%}",
        "ascent-override": f"{hhea.ascent / units / size_adjust:.2%}",
        "descent-override": f"{-hhea.descent / units / size_adjust:.2%}",
        "line-gap-override": f"{hhea.lineGap / units / size_adjust:.2%}",
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        package = fetch_package(workdir)
        for source, (target, style) in WEIGHTS.items():
            build(package / source, OUT / target, style)
            print(f"{target}: {(OUT / target).stat().st_size / 1024:.1f} KB")
        licence = (package / "LICENSE_FONT").read_text()
        (OUT / "OFL.txt").write_text(licence)
        regular = package / next(iter(WEIGHTS))
        print("Fallback face:", fallback_metrics(regular))


if __name__ == "__main__":
    main()
