"""No view over 30 lines: a view reads the request, calls the area's functions and answers.

A view is a function the app routes to (its decorators unwrapped), or any function of a
``views.py`` module; its length runs from ``def`` to its last line.
"""

import ast
import inspect
from pathlib import Path

import tracker

LIMIT = 30
ROOT = Path(tracker.__file__).parent


def routed(app) -> set[tuple[str, str]]:
    """(file, name) of every function the app routes to."""
    found = set()
    for view in app.view_functions.values():
        view = inspect.unwrap(view)
        source = inspect.getsourcefile(view)
        if source and Path(source).is_relative_to(ROOT):
            found.add((str(Path(source).relative_to(ROOT.parent)), view.__name__))
    return found


def long_views(app) -> list[str]:
    views = routed(app)
    files = {ROOT.parent / name for name, _ in views} | set(ROOT.rglob("views.py"))
    long = []
    for path in sorted(files):
        name = str(path.relative_to(ROOT.parent))
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            size = node.end_lineno - node.lineno + 1
            if size > LIMIT and (path.name == "views.py" or (name, node.name) in views):
                long.append(f"{name}:{node.lineno} {node.name}: {size} lines")
    return long


def test_no_view_is_over_30_lines():
    assert long_views(tracker.create_app("test")) == []


if __name__ == "__main__":  # python -m tests.test_view_sizes lists them
    print("\n".join(long_views(tracker.create_app("test"))) or "No view is over 30 lines.")
