"""Running sweeps on a Dask distributed cluster (`sweep ... --scheduler ADDRESS`).

Dask is optional (the ``research`` extra): the game never imports it, and
this module imports it only when a scheduler address is given. Every worker
must run the same Enclave code as the machine that sends the games (same
engine version), so the rows are bit for bit those of a local run; the
connection checks that before any game is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class ClusterError(Exception):
    """The scheduler cannot be used: not installed, unreachable, no workers, other code."""


CONNECT_TIMEOUT_S = 10
WORKERS_TIMEOUT_S = 60


def _worker_version() -> str:
    from game.core.engine import ENGINE_VERSION

    return ENGINE_VERSION


@contextmanager
def dask_client(address: str) -> Iterator[Any]:
    """A connected ``distributed.Client`` with at least one worker that runs this engine."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "--scheduler needs Dask: install the research extra (pip install -e \".[research]\")"
        ) from None
    from distributed.comm import get_address_host_port, normalize_address

    from game.core.engine import ENGINE_VERSION

    try:
        get_address_host_port(normalize_address(address))
    except (ValueError, TypeError) as exc:
        raise ClusterError(
            f"--scheduler: {address!r} is not a scheduler address ({exc}); give e.g. tcp://10.0.0.5:8786"
        ) from None
    try:
        client = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterError(f"--scheduler: cannot reach the Dask scheduler at {address!r} ({reason})") from None
    try:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except (TimeoutError, OSError):
            raise ClusterError(
                f"--scheduler: the Dask scheduler at {address!r} has no workers after {WORKERS_TIMEOUT_S} s "
                "(start some with: dask worker ADDRESS)"
            ) from None
        try:
            versions = client.run(_worker_version)
        except Exception as exc:  # noqa: BLE001 - a worker without Enclave installed fails to unpickle
            raise ClusterError(
                f"--scheduler: the workers at {address!r} cannot run Enclave ({type(exc).__name__}: {exc}); "
                "install the same Enclave on every worker machine"
            ) from None
        wrong = sorted(w for w, v in versions.items() if v != ENGINE_VERSION)
        if wrong:
            raise ClusterError(
                f"--scheduler: worker(s) {', '.join(wrong)} run engine {versions[wrong[0]]}, "
                f"this machine runs {ENGINE_VERSION}; install the same Enclave everywhere"
            )
        yield client
    finally:
        client.close()


def total_threads(client: Any) -> int:
    """How many games the cluster runs at once (one per worker thread)."""
    return max(1, sum(client.nthreads().values()))
