"""The start-up floor for `prosperity`: the smallest Typer app that does what ours does.

A callback and one command that prints one line, so `python benchmarks/floor_app.py hello`
goes through the same path as `prosperity status`: Typer builds the group from the callback,
resolves the sub-command, converts its (absent) parameters and calls it. Nothing here is
lazy or clever: it even tears the interpreter down at exit, which prosperity's main()
skips (benchmarks/run.py also times this app ended the way prosperity ends).
"""

import typer

app = typer.Typer(add_completion=False)


@app.callback()
def main() -> None:
    """A minimal app."""


@app.command()
def hello() -> None:
    """Print one line."""
    typer.echo("hello")


if __name__ == "__main__":
    app()
