"""No app has an import loop between its modules, and no module hides an import of the project
in a function to dodge one: each module imports, at its top, only what sits below it.

import-linter (`make lint`) checks the layers between apps and loops between the sibling
modules of the packages it lists; this test checks every module file of every app against
every other, and that no module of the apps is over 500 lines.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "cress_site",
    "editorial",
    "publications",
    "events",
    "projects_showcase",
    "search",
    "home",
    "personal_data",
]
# Imports of the project a function may make: signal handlers and checks registered once the
# apps are ready, and the form pages' submissions view, which needs the page models loaded (as
# Wagtail's own admin views do).
ALLOWED_IN_FUNCTIONS = {
    ("cress_site.apps", "cress_site"),
    ("editorial.apps", "editorial.roles"),
    ("events.apps", "events"),
    ("publications.apps", "cress_site.visibility"),
    ("publications.apps", "publications"),
    ("publications.apps", "publications.document_users"),
    ("home.models", "home.views"),
}


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {
        module_name(path): ast.parse(path.read_text())
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def imported_names(node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(trees):
    """{module: the project's modules it imports}, a package's `__init__` included."""
    graph = {}
    for name, tree in trees.items():
        graph[name] = {
            imported
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for imported in imported_names(node)
            if imported in trees and imported != name
        }
    return graph


def find_cycle(graph):
    """One import loop as a list of modules, or None."""
    state = {}

    def visit(module, path):
        state[module] = "open"
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state:
                cycle = visit(imported, [*path, imported])
                if cycle:
                    return cycle
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module, [module])
            if cycle:
                return cycle
    return None


def test_no_import_loop_between_modules():
    assert find_cycle(import_graph(modules())) is None


def test_the_loop_finder_finds_a_loop():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def hidden_imports(trees):
    project = tuple(APPS)
    return {
        (name, imported)
        for name, tree in trees.items()
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for imported in imported_names(node)[:1]
        if imported.split(".")[0] in project
    }


def test_no_import_of_the_project_inside_a_function():
    assert hidden_imports(modules()) <= ALLOWED_IN_FUNCTIONS


def test_a_hidden_import_is_found():
    tree = ast.parse("def f():\n    from events.models import EventPage\n")
    assert hidden_imports({"home.models": tree}) == {("home.models", "events.models")}


@pytest.mark.parametrize("app", APPS)
def test_no_module_over_500_lines(app):
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and (n := len(path.read_text().splitlines())) > 500
    }
    assert long == {}
