"""Where the contributor's guide's pictures go (editorial/templates/editorial/guide/).

They are taken by tests/browser/test_editorial_flow.py, which walks the editorial path (a
rédactrice submits a study, a modératrice approves it…) on the test suite's throwaway database,
with the capture code of this package. The folder, in this order:

- GUIDE_SCREENSHOTS_DIR when set (`make screenshots` sets it to its own `guide/` folder);
- the guide's own pictures, editorial/static/editorial/guide/, with UPDATE_GUIDE_SCREENSHOTS=1
  (`make screenshots SCREENSHOTS_ARGS=--update-guide`), to be committed when the admin changed;
- otherwise a temporary folder: `make test` leaves the checkout as it found it.
"""

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE_STATIC = ROOT / "editorial" / "static" / "editorial" / "guide"
# The guide keeps its pictures in git: a palette keeps each to a few dozen KB.
GUIDE_COLOURS = 256
GUIDE_TEST = "tests/browser/test_editorial_flow.py"


def guide_folder():
    if os.environ.get("GUIDE_SCREENSHOTS_DIR"):
        return Path(os.environ["GUIDE_SCREENSHOTS_DIR"])
    if os.environ.get("UPDATE_GUIDE_SCREENSHOTS"):
        return GUIDE_STATIC
    return Path(tempfile.mkdtemp(prefix="cress-guide-"))
