"""The layers of the project are checked by import-linter (`make lint`), from the contracts in
pyproject.toml: the real tree keeps them, and a forbidden import breaks them.

A forbidden import is tried on a copy of the apps in a temporary folder, so that the checkout is
left as it was; import-linter runs in a subprocess there, where that copy is the one imported.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
APPS = CONFIG["root_packages"]
LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


def lint_imports(folder):
    """import-linter's exit code and report for the apps found in `folder`."""
    result = subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout + result.stderr


def python_sources_only(directory, names):
    """What `shutil.copytree` leaves out: everything but Python modules and their packages."""
    return [
        name
        for name in names
        if name in ("__pycache__", "templates", "static")
        or not (name.endswith(".py") or (Path(directory) / name).is_dir())
    ]


@pytest.fixture(scope="module")
def copy_of_the_apps(tmp_path_factory):
    """The apps' Python modules and the contracts, copied into a temporary folder."""
    folder = tmp_path_factory.mktemp("layers")
    for app in APPS:
        shutil.copytree(ROOT / app, folder / app, ignore=python_sources_only)
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


@pytest.fixture
def add_module(copy_of_the_apps):
    """Adds a module to the copy of the apps, removed after the test."""
    added = []

    def add(path, source):
        module = copy_of_the_apps / path
        module.write_text(source)
        added.append(module)
        return copy_of_the_apps

    yield add
    for module in added:
        module.unlink()


def contract_name(contract_id):
    return next(c["name"] for c in CONFIG["contracts"] if c["id"] == contract_id)


def test_the_project_keeps_its_layers():
    code, report = lint_imports(ROOT)
    assert code == 0, report
    assert "BROKEN" not in report


def test_the_copy_of_the_apps_keeps_them_too(copy_of_the_apps):
    """The copy the other tests break is, unbroken, as good as the checkout."""
    code, report = lint_imports(copy_of_the_apps)
    assert code == 0, report


@pytest.mark.parametrize(
    ("path", "source", "contract"),
    [
        # The ground floor importing a feature app.
        ("cress_site/forbidden.py", "from events.models import EventPage\n", "layers"),
        # Hidden in a function, it still counts.
        (
            "cress_site/forbidden.py",
            "def late():\n    from home.models import HomePage\n",
            "layers",
        ),
        # Siblings: publications and events do not import each other.
        ("publications/forbidden.py", "import events.registration\n", "layers"),
        ("events/forbidden.py", "from publications import models\n", "layers"),
        # projects_showcase sits above publications, not the reverse.
        ("publications/forbidden.py", "import projects_showcase.models\n", "layers"),
        # personal_data is on top: nothing imports it.
        ("home/forbidden.py", "import personal_data.records\n", "layers"),
        # search knows no feature app: pages declare what they contribute to it.
        ("search/forbidden.py", "from publications.models import PublicationPage\n", "layers"),
        ("search/forbidden.py", "import projects_showcase.models\n", "layers"),
        # editorial sits under the feature apps.
        ("editorial/forbidden.py", "import publications.models\n", "layers"),
        # Two modules of an app importing each other.
        ("home/forbidden.py", "import home.forbidden_too\n", "no-cycles"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(add_module, path, source, contract):
    folder = add_module(path, source)
    if path == "home/forbidden.py" and contract == "no-cycles":
        add_module("home/forbidden_too.py", "import home.forbidden\n")
    code, report = lint_imports(folder)
    assert code != 0
    assert f"{contract_name(contract)} BROKEN" in report
