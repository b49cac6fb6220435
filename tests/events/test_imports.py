"""The events app has no import loop, and no import hidden in a function to dodge one: each
module imports, at its top, only what sits below it (events.models explains the order)."""

import ast
from pathlib import Path

import events

APP = Path(events.__file__).parent
# Imports a function may make: signal handlers registered once the apps are ready, and the
# personal-data links, whose module another app owns.
ALLOWED_IN_FUNCTIONS = {("events.apps", "events")}


def module_name(path):
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {
        module_name(path): ast.parse(path.read_text())
        for path in APP.rglob("*.py")
        if "migrations" not in path.parts
    }


def imported_names(node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(trees):
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


def test_no_import_loop_in_events():
    assert find_cycle(import_graph(modules())) is None


def test_the_loop_finder_finds_a_loop():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_inside_a_function():
    hidden = {
        (name, imported)
        for name, tree in modules().items()
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for imported in imported_names(node)[:1]
    }
    assert hidden <= ALLOWED_IN_FUNCTIONS
