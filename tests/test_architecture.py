"""The layers of docs/architecture.md hold: every module imports, imports go one way
(down), there is no import cycle (imports inside functions counted), and ccsim imports
inside functions appear only in the command line."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import ccsim
from conftest import ROOT

SRC = ROOT / "src" / "ccsim"
# bottom first; a module may import its own layer and the layers below it
LAYERS = [
    ("version", "erlang", "atomic"),
    ("scenario",),
    ("model",),
    ("measure",),
    ("finance",),
    ("experiment",),
    ("history",),
    ("planning",),
    ("report",),
    ("api", "logs"),  # the application layer (logs: contact logs, apart for start-up)
    ("__init__",),  # the package face: the API notebooks use, which the CLI is a layer over
    ("cli",),
    ("__main__",),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _layer(module: str) -> int:
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else "__init__"
    for level, names in enumerate(LAYERS):
        if head in names:
            return level
    raise AssertionError(f"{module}: not in any layer of LAYERS (docs/architecture.md)")


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported ccsim module, line, inside a function) for every import statement."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = {
        id(node)
        for fn in ast.walk(tree)
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(fn)
    }
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from ccsim import erlang` imports the module ccsim.erlang, not the face;
            # `from ccsim import plan` the face (plan is no module)
            subs = [f"{base}.{a.name}" for a in node.names]
            names = [n for n in subs if n in MODULES]
            names += [base] if len(names) < len(subs) else []
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            # its own packages do not count (`from ccsim.model import engine` in a model
            # module), but the package face does: `from ccsim import plan` in a model
            # module was not seen until 2026-12-06
            own = module.startswith(name + ".") and name != "ccsim"
            if name and name != module and not own:
                out.append((name, node.lineno, id(node) in inside))
    return out


@pytest.mark.parametrize("module", sorted(set(MODULES) - {"ccsim.__main__"}))  # runs the CLI
def test_every_module_imports(module):
    importlib.import_module(module)


def test_imports_go_down_the_layers():
    upward = [
        f"{MODULES[m].relative_to(ROOT)}:{line}: {m} (layer {_layer(m)}) imports {target} "
        f"(layer {_layer(target)})"
        for m in MODULES
        for target, line, _ in _imports(m)
        if _layer(target) > _layer(m)
    ]
    assert not upward, "\n".join(upward)


def test_no_package_module_imports_the_package_face():
    face = [
        f"{MODULES[m].relative_to(ROOT)}:{line}"
        for m in MODULES
        if m not in ("ccsim", "ccsim.__main__") and not m.startswith("ccsim.cli")
        for target, line, _ in _imports(m)
        if target == "ccsim"
    ]
    assert not face, "modules inside ccsim import `ccsim` itself:\n" + "\n".join(face)


def test_ccsim_imports_inside_functions_only_in_the_command_line():
    hidden = [
        f"{MODULES[m].relative_to(ROOT)}:{line}: {target}"
        for m in MODULES
        if not m.startswith("ccsim.cli")
        for target, line, inside in _imports(m)
        if inside
    ]
    assert not hidden, "imports hidden in functions:\n" + "\n".join(hidden)


def test_no_import_cycle_counting_imports_inside_functions():
    graph = {m: {t for t, _, _ in _imports(m)} for m in MODULES}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                return [*path[path.index(t) :], t]
            if t not in state and (cycle := visit(t)):
                return cycle
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (cycle := visit(m)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def test_the_layer_test_fails_on_an_upward_import(tmp_path, monkeypatch):
    """The checker itself: a model module that imports the planner is caught."""
    fake = tmp_path / "ccsim" / "model" / "sneaky.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ccsim.planning import plan\n\n\ndef f():\n    import ccsim.report\n")
    monkeypatch.setitem(MODULES, "ccsim.model.sneaky", fake)
    found = _imports("ccsim.model.sneaky")
    assert ("ccsim.planning.plan", 1, False) in found
    assert ("ccsim.report", 5, True) in found
    assert _layer("ccsim.planning.plan") > _layer("ccsim.model.sneaky")
    # the package face too (it was left out as a package the module sits in)
    fake.write_text("from ccsim import plan\nimport ccsim.model\n")
    found = _imports("ccsim.model.sneaky")
    assert ("ccsim", 1, False) in found and _layer("ccsim") > _layer("ccsim.model.sneaky")
    assert not any(t == "ccsim.model" for t, _, _ in found)  # its own package: not counted


def test_docs_draw_the_same_layers():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = [names[0] for names in LAYERS[1:-1]]  # the packages, api, the face, bottom first
    files = {"api": "api.py", "__init__": "__init__.py"}
    positions = [text.find("\n" + files.get(name, f"{name}/")) for name in packages]
    assert all(p >= 0 for p in positions), dict(zip(packages, positions, strict=True))
    assert positions == sorted(positions, reverse=True), "docs draw the layers top down"


def test_the_package_face_loads_each_public_name_from_its_module():
    """`ccsim.X` is the object of the module `_HOME` names, the one the face shows type
    checkers (its `if TYPE_CHECKING:` imports); `__all__` lists exactly those."""
    tree = ast.parse(MODULES["ccsim"].read_text(encoding="utf-8"))
    shown = {
        alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module != "ccsim.version"
        for alias in node.names
        if node.module and node.module.startswith("ccsim.")
    }
    assert shown == ccsim._HOME
    assert sorted(ccsim.__all__) == sorted([*shown, "__version__"])
    for name, home in shown.items():
        assert getattr(ccsim, name) is getattr(importlib.import_module(home), name), name
    assert set(ccsim.__all__) <= set(dir(ccsim))
    with pytest.raises(AttributeError, match="no attribute 'plann'"):
        ccsim.plann  # noqa: B018


RUN_AND_LIST = """
import atexit, runpy, sys
args, unwanted = sys.argv[1:-1], sys.argv[-1].split(",")
atexit.register(lambda: print("LOADED", [m for m in unwanted if m in sys.modules], file=sys.stderr))
sys.argv = ["ccsim", *args]
runpy.run_module("ccsim", run_name="__main__")
"""
API = ("ccsim.api", "ccsim.experiment.runner", "ccsim.model.replication", "scipy.stats")


@pytest.mark.parametrize(
    ("args", "unwanted"),
    [
        (["--help"], (*API, "pandas", "scipy", "pydantic")),
        (["validate", "scenarios/small_shop.yaml"], (*API, "scipy", "simpy", "openpyxl")),
        (
            ["erlang", "c", "--calls", "100", "--per", "30min", "--aht", "3min", "--agents", "14"],
            (*API, "pandas", "scipy.optimize", "ccsim.scenario.model"),
        ),
        (  # contact logs are another module: a run does not load fitting's scipy.stats
            ["run", "scenarios/small_shop.yaml", "-n", "1", "-w", "1", "-q"],
            ("scipy.stats", "ccsim.logs", "ccsim.history.fit", "ccsim.report.history"),
        ),
    ],
    ids=["help", "validate", "erlang", "run"],
)
def test_the_quick_commands_do_not_wait_for_the_api(args, unwanted):
    """`ccsim --help`, `validate` and `erlang` load only what they use: not api.py and
    everything below it (docs/architecture.md, "Start-up"); they took ~2.5 s until
    2026-12-07, most of it imports. `run` loads api.py but not what fitting a contact
    log needs (scipy.stats: ~0.8 s of every run until 2026-12-07)."""
    r = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, *args, ",".join(unwanted)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "LOADED []", r.stderr


def test_the_package_face_imports_a_module_asked_for_by_name():
    """`import ccsim` then `ccsim.erlang` (or `ccsim.scenario`): the module, imported on
    that first use, as before the face became lazy; nothing else of the API with it."""
    code = (
        "import sys, ccsim; m = ccsim.erlang; "
        "print(m is sys.modules['ccsim.erlang'], 'ccsim.api' in sys.modules, "
        "ccsim.scenario.__name__, 'erlang' in dir(ccsim))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["True", "False", "ccsim.scenario", "True"]
