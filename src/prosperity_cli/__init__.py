"""prosperity: track quantified public-policy targets from a plain TOML registry."""

__version__ = "0.1.0"
