"""What every command shares: exit codes, the error for bad input, argparse types."""

from __future__ import annotations

import argparse
from collections.abc import Callable

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input from the user: a flag, a file, a value. Exit 2."""


def int_at_least(name: str, minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in [minimum, maximum], named in errors (long input is cut)."""

    def parse(text: str) -> int:
        shown = text if len(text) <= 40 else text[:40] + "..."
        if len(text) > 40:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {shown!r}")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {shown!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"{name} must be at most {maximum:,}, got {value:,}")
        return value

    return parse
