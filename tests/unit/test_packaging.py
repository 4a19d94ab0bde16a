"""The runtime install works without the sandbox extra: nothing a running bot imports needs werkzeug or
jsonschema (they come with `cotechbot[sandbox]`, which `make demo` and `make test` install)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RUNTIME_MODULES = (
    "cotechbot.cli",
    "cotechbot.app",
    "cotechbot.scheduler",
    "cotechbot.worker",
    "cotechbot.web.face",
    "cotechbot.web.server",
    "cotechbot.calendar",
    "cotechbot.planview",
)


def test_the_running_bot_imports_nothing_from_the_sandbox_extra() -> None:
    blocker = (
        "import sys\n"
        "for name in ('werkzeug', 'jsonschema'):\n"
        "    sys.modules[name] = None  # importing it now raises ModuleNotFoundError\n"
        f"for module in {RUNTIME_MODULES!r}:\n"
        "    __import__(module)\n"
        "print('imported', len(sys.modules) > 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert "imported True" in result.stdout


def test_demo_without_the_sandbox_extra_says_how_to_get_it(tmp_path) -> None:
    blocker = (
        "import sys\n"
        "sys.modules['werkzeug'] = None\n"
        "from cotechbot.cli import main\n"
        "sys.exit(main(['demo']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocker], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )

    assert result.returncode == 2
    assert "pip install 'cotechbot[sandbox]'" in result.stderr
    assert "Traceback" not in result.stderr


def _declared(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!\[; ]", requirement, maxsplit=1)[0].lower() for requirement in requirements}


def test_every_library_the_package_imports_is_a_declared_dependency() -> None:
    """A module imported by cotechbot/ (the sandbox: by the sandbox extra) must be installed by pip for
    its own sake, not because some other dependency happens to pull it in today."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _declared(project["dependencies"])
    sandbox = runtime | _declared(project["optional-dependencies"]["sandbox"])
    pinned = {
        line.split("==")[0].lower()
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for path in sorted((ROOT / "cotechbot").rglob("*.py")):
        allowed = sandbox if "sandbox" in path.relative_to(ROOT).parts else runtime
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "cotechbot":
                    continue
                names = {name.lower() for name in distributions.get(top, [top])}
                if not names & allowed or not names & pinned:
                    missing.append(f"{path.relative_to(ROOT)}: {module} ({', '.join(sorted(names))})")
    assert not missing, "imported but not declared in pyproject.toml and constraints.txt:\n" + "\n".join(
        sorted(set(missing))
    )
