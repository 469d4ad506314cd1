"""Every command and option has help text, and `--help` works everywhere."""

from __future__ import annotations

import subprocess
import sys

import typer.main

from conftest import Cli
from prosperity_cli.cli import app


def test_every_command_and_option_has_help(cli: Cli) -> None:
    group = typer.main.get_command(app)
    assert cli("--help").exit_code == 0
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.opts} has no help"
            else:
                assert getattr(param, "help", None), f"{name} {param.name} has no help"
        result = cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage" in result.stdout


def test_help_does_not_import_the_registry_or_rich_tables() -> None:
    code = (
        "import sys; sys.argv=['prosperity','--help']\n"
        "from prosperity_cli.cli import app\n"  # main() would end the process
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('prosperity_cli.registry', 'tomllib', 'rich.table',"
        " 'prosperity_cli.progress', 'dateutil') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in result.stderr, result.stderr
