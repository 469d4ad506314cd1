"""Output formats for `status`. Each format is one module with `render(assessment) -> str`,
except the Rich table, which writes to a console; `FORMATS` maps every format to its module
(a test checks that every member of `OutputFormat` has one).
"""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


#: Module (under prosperity_cli.render) implementing each format; imported only when used.
FORMATS = {
    OutputFormat.TABLE: "table",
    OutputFormat.JSON: "json",
    OutputFormat.CSV: "csv",
    OutputFormat.MARKDOWN: "markdown",
}
