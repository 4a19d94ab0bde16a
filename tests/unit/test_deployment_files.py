"""What an operator copies or builds from a clone: .gitignore and .dockerignore keep state and secrets out of
commits and images, make and the image install through the same pins, and the README's commands are whole."""

from __future__ import annotations

import ast
import fnmatch
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import REPO_ROOT

# What running the bot leaves in its working directory: the SQLite file and its journals, the leader lock,
# calendar output, the demo's state, the operator's config and env file.
STATE_FILES = (
    "cotechbot.db",
    "cotechbot.db-wal",
    "cotechbot.db-shm",
    "cotechbot.db-journal",
    "cotechbot.db.leader.lock",
    "other.lock",
    "cotechbot.ics",
    "exports/meetings.ics",
    "demo.db",
    "config/cotechbot.toml",
    ".env",
)


def _normalised(requirement: str) -> str:
    name = re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _ignore_patterns(name: str) -> list[str]:
    lines = (REPO_ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _matches(pattern: list[str], parts: list[str]) -> bool:
    """Docker's matching: each pattern part matches one path part, ``**`` any number of them; a match on a
    directory covers everything below it."""
    if not pattern:
        return True
    if pattern[0] == "**":
        return any(_matches(pattern[1:], parts[skip:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], pattern[0]) and _matches(pattern[1:], parts[1:])


def _docker_ignores(path: str) -> bool:
    return any(
        _matches(pattern.strip("/").split("/"), path.split("/"))
        for pattern in _ignore_patterns(".dockerignore")
    )


@pytest.mark.skipif(
    shutil.which("git") is None or not (REPO_ROOT / ".git").exists(), reason="not a git checkout"
)
@pytest.mark.parametrize("path", STATE_FILES)
def test_git_ignores_what_running_the_bot_leaves_behind(path: str) -> None:
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", path], cwd=REPO_ROOT, capture_output=True, timeout=30
    )

    assert result.returncode == 0, f"{path} is not in .gitignore"


@pytest.mark.parametrize("path", [*STATE_FILES, ".venv/bin/python", ".git/HEAD", "tests/conftest.py"])
def test_the_docker_build_context_leaves_out_state_tests_and_the_virtualenv(path: str) -> None:
    assert _docker_ignores(path), f"{path} would be sent into the image"


@pytest.mark.parametrize("path", ["pyproject.toml", "README.md", "constraints.txt", "cotechbot/cli.py"])
def test_the_docker_build_context_keeps_what_the_image_installs(path: str) -> None:
    assert not _docker_ignores(path)


def test_every_dependency_is_pinned_in_the_constraints_file() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += [r for r in extra if _normalised(r) != "cotechbot"]
    pinned = {
        _normalised(line)
        for line in (REPO_ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    }

    assert sorted({_normalised(r) for r in wanted} - pinned) == []


def test_make_and_the_image_install_through_the_same_constraints_and_the_image_without_extras() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    dockerfile = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8")
    image_installs = [line for line in dockerfile.splitlines() if "pip install" in line]

    assert re.search(r"pip install .*-c constraints\.txt", makefile)
    assert image_installs and all("-c constraints.txt" in line for line in image_installs)
    assert not any("[" in line.split("pip install", 1)[1] for line in image_installs)  # no sandbox/dev extra
    assert "COPY constraints.txt" in dockerfile or re.search(r"COPY .*constraints\.txt", dockerfile)


def _readme_commands(block_language: str = "sh") -> list[str]:
    """Every command in the README's shell blocks, continuation lines joined, comments dropped."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.findall(rf"```{block_language}\n(.*?)```", text, flags=re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        commands += [line.split("#", 1)[0].strip() for line in joined.splitlines() if line.strip()]
    return commands


def test_the_readme_quickstart_is_make_demo_and_make_test() -> None:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]

    assert [line.split("#")[0].strip() for line in quickstart.strip().splitlines()] == [
        "make demo",
        "make test",
    ]


def test_every_docker_run_in_the_readme_has_the_forum_the_key_the_volume_and_the_config() -> None:
    runs = [command for command in _readme_commands() if command.startswith("docker run")]

    assert len(runs) >= 2
    for run in runs:
        assert "-v cotechbot-data:/data" in run, run
        assert ":/data/config/cotechbot.toml" in run, run
        assert "-e COTECHBOT_DISCOURSE_URL=https://" in run, run
        assert re.search(r"-e COTECHBOT_DISCOURSE_API_KEY(\s|$)", run), run  # from the shell, never inline
        assert "COTECHBOT_DISCOURSE_API_USERNAME=" in run, run


def test_the_readme_shows_how_to_try_the_bot_against_the_sandbox() -> None:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Try it against the sandbox", 1)[1].split("\n## ", 1)[0]

    for command in ("cotechbot sandbox", "cotechbot check", "cotechbot once --dry-run", "cotechbot plan"):
        assert command in section


def _third_party_imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {name for name in names if name not in sys.stdlib_module_names and name != "cotechbot"}


@pytest.mark.parametrize("part", ["runtime", "sandbox"])
def test_every_library_the_code_imports_is_a_declared_dependency(part: str) -> None:
    """A library that only arrives as another's dependency (or only with the dev tools) breaks the runtime
    install and the Docker image: each one imported must be declared, the sandbox's in its extra."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_normalised(r) for r in project["dependencies"]}
    sandbox_only = ("cotechbot/sandbox/", "cotechbot/demo.py")
    files = [
        path
        for path in (REPO_ROOT / "cotechbot").rglob("*.py")
        if "migrations" not in path.parts
        and (part == "sandbox") == path.relative_to(REPO_ROOT).as_posix().startswith(sandbox_only)
    ]
    if part == "sandbox":
        declared |= {_normalised(r) for r in project["optional-dependencies"]["sandbox"]}
    distributions = importlib.metadata.packages_distributions()
    # A library's own dependency, pinned with it, that the code may import directly.
    companions = {"markupsafe": "jinja2"}

    missing = {}
    for path in files:
        for module in _third_party_imports(path):
            names = {_normalised(d) for d in distributions.get(module, [module])}
            if not names & declared and companions.get(module) not in declared:
                missing[module] = path.relative_to(REPO_ROOT).as_posix()

    assert missing == {}
