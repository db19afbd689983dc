"""What every command shares: exit codes, the error for bad input, argparse types."""

from __future__ import annotations

import argparse
from collections.abc import Callable

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input from the user: a flag, a file, a value. Exit 2."""


def int_at_least(name: str, minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than ``minimum``, named in errors."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be at least {minimum}, got {value}")
        return value

    return parse
