"""The runtime install works without the sandbox extra: nothing a running bot imports needs werkzeug or
jsonschema (they come with `cotechbot[sandbox]`, which `make demo` and `make test` install)."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib

from tests.conftest import REPO_ROOT

# Everything but the sandbox, the demo that drives it, and Alembic's env script (run by alembic, not imported).
NOT_RUNTIME = ("cotechbot.sandbox", "cotechbot.demo", "cotechbot.migrations")


def runtime_modules() -> list[str]:
    package = REPO_ROOT / "cotechbot"
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if not any(name == skip or name.startswith(skip + ".") for skip in NOT_RUNTIME):
            names.append(name)
    return names


def test_the_running_bot_imports_nothing_from_the_sandbox_extra() -> None:
    """Every module outside the sandbox and the demo imports with werkzeug and jsonschema unavailable."""
    modules = runtime_modules()
    assert "cotechbot.cli" in modules and "cotechbot.worker" in modules and "cotechbot.demo" not in modules
    blocker = (
        "import sys\n"
        "for name in ('werkzeug', 'jsonschema'):\n"
        "    sys.modules[name] = None  # importing it now raises ModuleNotFoundError\n"
        f"for module in {modules!r}:\n"
        "    __import__(module)\n"
        "print('imported', len(sys.modules) > 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", blocker], capture_output=True, text=True, timeout=60, cwd=REPO_ROOT
    )

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
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    runtime = _declared(project["dependencies"])
    sandbox = runtime | _declared(project["optional-dependencies"]["sandbox"])
    pinned = {
        line.split("==")[0].lower()
        for line in (REPO_ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for path in sorted((REPO_ROOT / "cotechbot").rglob("*.py")):
        allowed = sandbox if "sandbox" in path.relative_to(REPO_ROOT).parts else runtime
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
                    missing.append(f"{path.relative_to(REPO_ROOT)}: {module} ({', '.join(sorted(names))})")
    assert not missing, "imported but not declared in pyproject.toml and constraints.txt:\n" + "\n".join(
        sorted(set(missing))
    )


def test_tests_needing_shared_give_their_skip_reason_once(tmp_path) -> None:
    """Without ../shared/ (and outside CI) the run ends with the reason once, not once per skipped test."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["COTECHBOT_SHARED_DIR"] = str(tmp_path / "no-shared-here")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/contract/test_discourse_fixtures.py",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        env=env,
    )

    assert result.returncode == 0, result.stdout
    assert " skipped" in result.stdout.splitlines()[-1]
    assert result.stdout.count("no-shared-here is absent") == 1, result.stdout
