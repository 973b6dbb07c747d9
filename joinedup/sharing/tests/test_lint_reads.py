"""Person-level data is queried only where DESIGN §3 allows: the policy, selectors, services,
migrations and tests. Anything else must go through a selector (and so through the policy)."""

import ast
import importlib
from pathlib import Path

from joinedup.people.models import Person, PersonRecord
from joinedup.sharing import registry

PACKAGE = Path(__file__).resolve().parents[2]
ALLOWED_FILES = {"policy.py", "selectors.py", "services.py", "conftest.py"}
ALLOWED_PARTS = {"migrations", "tests", "services", "selectors"}
# Tasks read by id what a service already decided to send; the policy module is a package of one.
ALLOWED_EXTRA = {("sharing", "tasks.py")}


def _person_level_models() -> set[type]:
    models = {Person, *registry.record_models()}
    return models | {m for m in PersonRecord.__subclasses__() if not m._meta.abstract}


def _module_of(path: Path, root: Path) -> str:
    return ".".join(("joinedup", *path.relative_to(root).with_suffix("").parts))


def _resolve(module: str, name: str) -> object:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _local_names(tree: ast.Module, path: Path, root: Path, models: set[type]) -> dict[str, object]:
    """What each bare name in the file is: its own classes and what `from … import …` brings in.
    Matching on the object rather than the class name keeps other apps' models that share a name
    (the service directory's Address, say) out of the net."""
    here = _module_of(path, root)
    own = {m.__name__: m for m in models if m.__module__ == here}
    names: dict[str, object] = {n.name: own.get(n.name) for n in tree.body if isinstance(n, ast.ClassDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative import: resolve against this file's package
                base = here.split(".")[: -node.level]
                module = ".".join([*base, module] if module else base)
            for alias in node.names:
                names[alias.asname or alias.name] = _resolve(module, alias.name)
    return names


def _offences(path: Path, models: set[type], root: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = _local_names(tree, path, root, models)
    found = []
    for node in ast.walk(tree):
        # Model.objects / Model._default_manager / Model._base_manager
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and names.get(node.value.id) in models
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def _checked_files(root: Path = PACKAGE) -> list[Path]:
    files = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if path.name in ALLOWED_FILES or ALLOWED_PARTS & set(rel.parts[:-1]):
            continue
        if (rel.parts[0], path.name) in ALLOWED_EXTRA:
            continue
        files.append(path)
    return files


def test_no_direct_queries_of_person_level_models_outside_the_allowed_modules():
    models = _person_level_models()
    offences = [o for path in _checked_files() for o in _offences(path, models)]
    assert offences == []


def test_the_lint_catches_an_offence(tmp_path):
    # The probe tree lives outside the package: the SQLite and PostgreSQL runs share one checkout,
    # and a probe written into it would be seen (or deleted) by the other run.
    offending = "from joinedup.people.models import Person\nPerson.objects.all()\n"
    for where in ("web/probe.py", "people/selectors.py"):
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / where).write_text(offending)
    models = _person_level_models()
    offences = [o for path in _checked_files(tmp_path) for o in _offences(path, models, tmp_path)]
    assert offences == ["web/probe.py:2 Person.objects"]
