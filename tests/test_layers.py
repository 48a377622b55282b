"""The layers the code keeps, checked by import-linter (the contracts are in pyproject.toml):
core is pure, adapters are given what they need, commands never import each other."""

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import trackside
from trackside.commands import COMMANDS, module_name

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"
CONTRACTS = {contract["id"]: contract for contract in
             tomllib.loads(PYPROJECT.read_text("utf-8"))["tool"]["importlinter"]["contracts"]}


def test_every_import_contract_is_kept() -> None:
    # In a process of its own: import-linter configures logging for the whole process.
    lint = ("import sys; from importlinter.cli import lint_imports; "
            f"sys.exit(lint_imports({str(PYPROJECT)!r}, no_cache=True, no_logo=True))")
    done = subprocess.run([sys.executable, "-c", lint], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout  # the report names each broken import chain


def test_core_may_import_no_other_part_of_trackside_however_new() -> None:
    parts = {f"trackside.{module.name}" for module in pkgutil.iter_modules(trackside.__path__)}
    assert parts - {"trackside.core"} <= set(CONTRACTS["core"]["forbidden_modules"])


def test_every_command_is_held_apart_from_the_others() -> None:
    assert {module_name(name) for name in COMMANDS} == set(CONTRACTS["commands"]["modules"])
