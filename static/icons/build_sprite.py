"""Rebuild `pictograms.svg` and `LICENSE` here from the npm package lucide-static.

Usage, from the repository's root (needs Node's npm; nothing is left in the repository):

    python static/icons/build_sprite.py

Installs `lucide-static@VERSION` in a temporary folder, writes one `<symbol>` per value of
`cress_site.pictograms.Pictogram` (its id is the Lucide name), and copies the ISC licence.
"""

import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from cress_site.pictograms import Pictogram  # noqa: E402

PACKAGE = "lucide-static"
VERSION = "1.87.0"
SVG_NS = "http://www.w3.org/2000/svg"
# The presentation attributes of Lucide's <svg>, kept on each symbol.
KEPT = ("fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin")


def symbol(name: str, source: Path) -> str:
    root = ET.parse(source).getroot()
    attributes = " ".join(f'{key}="{root.get(key)}"' for key in KEPT if root.get(key))
    for child in root:
        child.tail = None
    children = "".join(
        re.sub(r"\s+", " ", ET.tostring(child, encoding="unicode"))
        .replace(f' xmlns:ns0="{SVG_NS}"', "")
        .replace("ns0:", "")
        .replace(" />", "/>")
        for child in root
    )
    return f'<symbol id="{name}" viewBox="{root.get("viewBox")}" {attributes}>{children}</symbol>'


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                folder,
                "--no-audit",
                "--no-fund",
                f"{PACKAGE}@{VERSION}",
            ],
            check=True,
        )
        package = Path(folder) / "node_modules" / PACKAGE
        symbols = [symbol(name, package / "icons" / f"{name}.svg") for name in Pictogram.values]
        header = f"<!-- {PACKAGE} {VERSION}, ISC licence (see LICENSE): cress_site.pictograms -->"
        sprite = "\n".join([f'<svg xmlns="{SVG_NS}">', header, *sorted(symbols), "</svg>", ""])
        (HERE / "pictograms.svg").write_text(sprite, encoding="utf-8")
        (HERE / "LICENSE").write_text(
            (package / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
