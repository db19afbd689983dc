"""Starting the host: the addresses devices in the room can reach, what the terminal
shows (room code, join addresses, QR code), and the uvicorn server itself.

May import: game.core, game.text
"""

from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765


class HostLaunchError(Exception):
    """The host cannot start as asked (the port is taken, the address is not this machine's)."""


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (what devices in the room can reach)."""
    found: list[str] = []
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=2).stdout.split()
        found += out
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        found += [str(ai[4][0]) for ai in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    keep = []
    for a in found:
        try:
            ip = ipaddress.ip_address(a)
        except ValueError:
            continue
        if ip.version == 4 and not ip.is_loopback and not ip.is_link_local and a not in keep:
            keep.append(a)
    return keep


def join_urls(bind: str, port: int, room: str) -> list[str]:
    if bind in ("0.0.0.0", ""):
        hosts = lan_addresses() or [LOOPBACK]
    else:
        hosts = [bind]
    return [f"http://{h}:{port}/?room={room}" for h in hosts]


def announce(room, bind: str, port: int, urls: list[str], out=sys.stdout) -> None:  # noqa: ANN001
    import segno

    print(f"Enclave host · {room.loaded.level.id} · session file: {room.path}", file=out)
    if bind == LOOPBACK or bind.startswith("127."):
        print(f"Bound to {bind} only: devices in the room cannot join. To open it to the room's network: --bind 0.0.0.0", file=out)
        print(f"Solo en {bind}: los dispositivos de la sala no pueden unirse. Para abrirlo a la red de la sala: --bind 0.0.0.0", file=out)
    else:
        print(f"Listening on the local network ({bind}:{port}): anyone on this network with the room code can join.", file=out)
        print(f"Escuchando en la red local ({bind}:{port}): cualquiera en esta red con el código de sala puede unirse.", file=out)
    print(f"Room code / código de sala: {room.room_code}", file=out)
    for u in urls:
        print(f"Join / unirse: {u}", file=out)
    base = urls[0].split("/?")[0]
    print(f"Facilitator / facilitación: {base}/facilitator", file=out)
    print(f"Projector / proyector: {base}/projector", file=out)
    segno.make(urls[0], error="m").terminal(out=out, compact=True)


def serve(room, bind: str, port: int, open_browser: bool = False, new_pin: str | None = None) -> None:  # noqa: ANN001
    import uvicorn

    from game.host.server import create_app, listening_socket

    urls = join_urls(bind, port, room.room_code)
    app = create_app(room, urls)
    try:
        sock = listening_socket(bind, port)
    except OSError as exc:
        raise HostLaunchError(f"--port {port} / --bind {bind}: cannot listen there ({exc.strerror})") from None
    announce(room, bind, port, urls)
    if new_pin is not None:
        print(f"Facilitator PIN / PIN de facilitación: {new_pin} (keep it; --resume keeps the same PIN)")
    if open_browser:
        import webbrowser

        try:
            webbrowser.open(urls[0].split("/?")[0] + "/facilitator")
        except Exception:  # no browser here: the address is printed above
            pass
    config = uvicorn.Config(app, log_level="warning", ws_max_size=16 * 1024, lifespan="on", ws_per_message_deflate=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        room.close()
