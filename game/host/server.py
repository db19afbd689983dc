"""The host's web server: Starlette routes and websockets over a :class:`Room`.

Every request is checked before anything changes: body size, JSON object,
field types, the seat token (a team acts only for its own firm), the
facilitator token (obtained with the PIN), then the core's ``validate``. A
refused request gets a 4xx with ``{"error": key, "message": text}`` and
changes nothing. Handlers never await between checking and applying, so
requests from many teams are applied one at a time in arrival order.

Websockets only tell clients that something changed (a version number and
what happened); each client then fetches its own view over HTTP, so a
private view never travels on a shared channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from game import text
from game.core.replay import JournaledFile
from game.host import views
from game.host.room import STRATEGIES, HostError, Room

STATIC = Path(__file__).parent / "static"
MAX_BODY = 8 * 1024
"""Largest request body accepted (a team's action is a few hundred bytes)."""
MAX_WS_MESSAGE = 2 * 1024
PAGES = {"/": "team", "/facilitator": "facilitator", "/projector": "projector"}
"""Each page's name: page.html with its body class (page-<name>) and its script (<name>.js)."""
ASSETS = {"app.js": "text/javascript", "style.css": "text/css", "team.js": "text/javascript", "facilitator.js": "text/javascript", "projector.js": "text/javascript"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; connect-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
REACHES_OTHERS = frozenset({"found_consortium", "join_consortium", "invite_to_consortium", "decline_invitation", "leave_consortium", "offer_subcontract", "accept_subcontract"})
"""Decisions that change what other teams see (a consortium's members, an invitation, an offer)."""
TEXT_PREFIXES = ("host.", "action.", "family.", "lever.", "strategy.", "tag.")


def _lang(request: Request, room: Room) -> str:
    lang = request.query_params.get("lang") or room.lang
    return lang if lang in text.LANGS else room.lang


def error(status: int, key: str, lang: str, params: dict[str, Any] | None = None, message: str | None = None) -> JSONResponse:
    body = {"error": key, "message": message or text.t_safe(key, lang, **(params or {}))}
    return JSONResponse(body, status_code=status, headers=SECURITY_HEADERS)


def host_error(exc: HostError, lang: str, room: Room) -> JSONResponse:
    if exc.refusal is not None:
        msg = text.refusal_text(exc.refusal, lang, room.loaded.level)
        body = {"error": "host.error.refused", "reason": exc.refusal.reason, "message": msg}
        return JSONResponse(body, status_code=exc.status, headers=SECURITY_HEADERS)
    return error(exc.status, exc.key, lang, exc.params)


def ok(data: Any) -> JSONResponse:
    return JSONResponse(data, headers=SECURITY_HEADERS)


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object; HostError 413/415/400 otherwise."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
        raise HostError(413, "host.error.too_large", {"max": MAX_BODY})
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HostError(413, "host.error.too_large", {"max": MAX_BODY})
    ctype = request.headers.get("content-type", "")
    if body and not ctype.startswith("application/json"):
        raise HostError(415, "host.error.json_only")
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise HostError(400, "host.error.bad_json") from None
    if not isinstance(data, dict):
        raise HostError(400, "host.error.json_object")
    return data


def bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


class Saver:
    """Writes the session file off the event loop, several changes in one write (group commit).

    A handler changes the room, then awaits :meth:`commit` before answering: the
    answer leaves only once the change is on disk (a complete line of the session's
    journal, flushed; see :class:`~game.core.replay.JournaledFile`), so a host killed
    at any moment never acknowledged a change it lost. The snapshot is
    taken on the event loop, so it is consistent; only the write runs in a thread.
    """

    def __init__(self, room: Room):
        self.room = room
        self.lock = asyncio.Lock()
        self.written = 0
        room.autosave = False
        # Appending to the session's journal costs one flush, not a rewrite and two
        # (see JournaledFile); start from a file that holds everything so far.
        self.journal = room.journal = JournaledFile(room.path, room.commit)
        self.journal.compact(room.to_file())

    async def commit(self) -> None:
        wanted = self.room.dirty
        async with self.lock:
            if self.written >= wanted:
                return
            target = self.room.dirty
            data = self.room.to_file()
            await asyncio.to_thread(self.journal.write, data)
            self.written = target


class Hub:
    """Open websockets: who is connected, and telling them all at once."""

    def __init__(self, room: Room):
        self.room = room
        self.clients: dict[WebSocket, tuple[str, int]] = {}

    async def broadcast(self, event: str, only_seat: int | None = None, **extra: Any) -> None:
        """Tell every client (or, with ``only_seat``, that team's devices and the facilitator)."""
        msg = json.dumps({"type": "update", "event": event, "version": self.room.version, **extra}, separators=(",", ":"))
        clients = [ws for ws, (role, seat) in self.clients.items() if only_seat is None or role == "facilitator" or (role == "team" and seat == only_seat)]
        if clients:
            await asyncio.gather(*(self._send(ws, msg) for ws in clients))

    async def _send(self, ws: WebSocket, msg: str) -> None:
        try:
            await ws.send_text(msg)
        except Exception:  # a client that went away: forget it
            self.drop(ws)

    def drop(self, ws: WebSocket) -> None:
        role_seat = self.clients.pop(ws, None)
        if role_seat and role_seat[0] == "team":
            seat = role_seat[1]
            self.room.connected[seat] = max(0, self.room.connected.get(seat, 0) - 1)

    def kick(self, seat: int) -> list[WebSocket]:
        return [ws for ws, (role, s) in self.clients.items() if role == "team" and s == seat]


def create_app(room: Room, join_urls: list[str] | None = None) -> Starlette:
    hub = Hub(room)
    saver = Saver(room)
    join_urls = join_urls or []

    shell = (STATIC / "page.html").read_text(encoding="utf-8")
    pages = {path: shell.replace("{page}", name) for path, name in PAGES.items()}

    async def page(request: Request) -> Response:
        return HTMLResponse(pages[request.url.path], headers=SECURITY_HEADERS)

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return error(404, "host.error.not_found", room.lang)
        return FileResponse(STATIC / name, media_type=ASSETS[name], headers=SECURITY_HEADERS)

    async def qr_svg(request: Request) -> Response:
        import segno

        url = join_urls[0] if join_urls else str(request.base_url)
        buf = io.BytesIO()
        segno.make(url, error="m").save(buf, kind="svg", scale=8, border=2, xmldecl=False)
        svg = buf.getvalue()
        return Response(svg, media_type="image/svg+xml", headers=SECURITY_HEADERS)

    async def texts(request: Request) -> Response:
        lang = _lang(request, room)
        all_texts = text.load_texts(lang)
        # The pages pick a plural form (K.zero / K.one / K.other) as game/text.plural_key does:
        # the count is the first of these params, its CLDR category from the browser's
        # Intl.PluralRules (the same CLDR data Babel reads).
        return ok({"texts": {k: v for k, v in all_texts.items() if k.startswith(TEXT_PREFIXES)}, "count_params": list(text.COUNT_PARAMS)})

    async def info(request: Request) -> Response:
        """What a join page needs: the level, the lobby's seats (names and colours taken)."""
        lang = _lang(request, room)
        try:
            room.check_room(request.query_params.get("room"))
        except HostError as exc:
            return host_error(exc, lang, room)
        free = [k for k, s in enumerate(room.seats) if not s.claimed and (not room.started or room.alive(k))]
        return ok({"game": views._game_header(room, lang), "teams": views.public_teams(room, lang), "free_seats": free, "colours": list(views.TEAM_COLOURS)})

    async def join(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            data = await read_json(request)
            _only(data, {"room", "name", "colour", "seat"})
            seat, token = room.join(data.get("room"), data.get("name"), data.get("colour"), data.get("seat"))
        except HostError as exc:
            return host_error(exc, lang, room)
        await saver.commit()
        await hub.broadcast("join", seat=seat)
        return ok({"seat": seat, "token": token, "name": room.seats[seat].name})

    def team_seat(request: Request) -> int:
        return room.seat_of(bearer(request))

    async def team_state(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            seat = team_seat(request)
            return ok(views.team_view(room, seat, lang))
        except HostError as exc:
            return host_error(exc, lang, room)

    async def team_action(request: Request) -> tuple[int, Any]:
        """The seat of a team's request and the action it carries (``{"action": ...}`` and
        nothing else; parse_team_action checks the action's type and fields)."""
        seat = team_seat(request)
        data = await read_json(request)
        _only(data, {"action"})
        return seat, data.get("action")

    async def team_preview(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            seat, action = await team_action(request)
            return ok(views.preview(room, seat, action, lang))
        except HostError as exc:
            return host_error(exc, lang, room)

    async def team_act(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            seat, action = await team_action(request)
            room.team_action(seat, action)
        except HostError as exc:
            return host_error(exc, lang, room)
        await saver.commit()
        # A team's own decision changes only its own view (and the console), unless it
        # reaches other firms (consortia, subcontracts): then everyone refetches.
        kind = action.get("type")
        await hub.broadcast("action", only_seat=None if kind in REACHES_OTHERS else seat, seat=seat)
        return ok({"ok": True, "version": room.version})

    async def team_end(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            seat = team_seat(request)
            await read_json(request)
            report = room.end_turn(seat)
        except HostError as exc:
            return host_error(exc, lang, room)
        await saver.commit()
        if report is not None:
            await hub.broadcast("resolved", quarter=report.quarter)
        else:
            await hub.broadcast("decided", seat=seat)
        return ok({"ok": True, "resolved": report is not None, "version": room.version})

    async def team_device(request: Request) -> Response:
        """Another device for the same team (its own token, same seat)."""
        lang = _lang(request, room)
        try:
            seat = team_seat(request)
            await read_json(request)
            token = room.add_device(seat)
        except HostError as exc:
            return host_error(exc, lang, room)
        await saver.commit()
        return ok({"token": token, "seat": seat})

    async def fac_login(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            data = await read_json(request)
            _only(data, {"pin"})
            token = room.login(data.get("pin"))
        except HostError as exc:
            return host_error(exc, lang, room)
        await saver.commit()
        return ok({"token": token})

    async def fac_state(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            room.check_facilitator(bearer(request))
        except HostError as exc:
            return host_error(exc, lang, room)
        return ok({**views.facilitator_view(room, lang), "join_urls": join_urls})

    async def fac_do(request: Request) -> Response:
        lang = _lang(request, room)
        try:
            room.check_facilitator(bearer(request))
            data = await read_json(request)
            event, extra, kicked = _facilitate(room, data)
        except HostError as exc:
            return host_error(exc, lang, room)
        await saver.commit()
        for ws in kicked:
            hub.drop(ws)
            try:
                await ws.close(code=4401)
            except Exception:  # already gone
                pass
        await hub.broadcast(event, **extra)
        return ok({"ok": True, "version": room.version})

    def _facilitate(room: Room, data: dict[str, Any]) -> tuple[str, dict[str, Any], list[WebSocket]]:
        op = data.get("op")
        if op == "start":
            _only(data, {"op"})
            room.start()
            return "started", {}, []
        if op in ("pause", "resume"):
            _only(data, {"op"})
            room.set_paused(op == "pause")
            return op, {}, []
        if op == "policy":
            _only(data, {"op", "policy", "on"})
            room.facilitator_action({"type": "facilitator.switch_policy", "policy": data.get("policy"), "on": data.get("on")})
            return "policy", {}, []
        if op == "inject":
            _only(data, {"op", "event"})
            room.facilitator_action({"type": "facilitator.inject_event", "event": data.get("event")})
            return "event", {}, []
        if op == "note":
            _only(data, {"op", "text"})
            room.facilitator_action({"type": "facilitator.note", "text": data.get("text")})
            return "note", {}, []
        if op == "computer":
            _only(data, {"op", "seats", "strategy"})
            seats = data.get("seats")
            if seats is not None and (not isinstance(seats, list) or len(seats) > 8 or not all(isinstance(s, int) and not isinstance(s, bool) for s in seats)):
                raise HostError(422, "host.error.bad_seat")
            report = room.hand_to_computer(seats, data.get("strategy", room.strategy))
            return ("resolved", {"quarter": report.quarter}, []) if report is not None else ("decided", {}, [])
        if op == "kick":
            _only(data, {"op", "seat"})
            seat = data.get("seat")
            kicked = hub.kick(seat) if isinstance(seat, int) and not isinstance(seat, bool) else []
            room.free_seat(seat)
            return "kick", {"seat": seat}, kicked
        if op == "timer":
            _only(data, {"op", "minutes"})
            room.set_timer(data.get("minutes"))
            return "timer", {}, []
        if op == "add_minute":
            _only(data, {"op"})
            room.add_minute()
            return "timer", {}, []
        if op == "strategy":
            _only(data, {"op", "strategy"})
            if data.get("strategy") not in STRATEGIES:
                raise HostError(422, "host.error.bad_strategy", {"strategies": ", ".join(STRATEGIES)})
            room.strategy = data["strategy"]
            room._changed(bump=False)
            return "strategy", {}, []
        raise HostError(422, "host.error.bad_op")

    async def projector_state(request: Request) -> Response:
        lang = _lang(request, room)
        return ok(views.projector_view(room, lang))

    async def ws_endpoint(ws: WebSocket) -> None:
        await ws.accept()
        try:
            raw = await asyncio.wait_for(ws.receive_text(), timeout=10)
            if len(raw) > MAX_WS_MESSAGE:
                raise HostError(413, "host.error.too_large", {"max": MAX_WS_MESSAGE})
            hello = json.loads(raw)
            if not isinstance(hello, dict):
                raise HostError(400, "host.error.json_object")
            role = hello.get("role")
            seat = -1
            if role == "team":
                seat = room.seat_of(hello.get("token"))
                room.connected[seat] = room.connected.get(seat, 0) + 1
            elif role == "facilitator":
                room.check_facilitator(hello.get("token"))
            elif role != "projector":
                raise HostError(422, "host.error.bad_role")
        except (TimeoutError, HostError, ValueError, WebSocketDisconnect) as exc:
            key = exc.key if isinstance(exc, HostError) else "host.error.bad_json"
            try:
                await ws.send_json({"type": "error", "error": key, "message": text.t_safe(key, room.lang)})
                await ws.close(code=4401 if key in ("host.error.no_seat", "host.error.facilitator_only") else 4400)
            except Exception:  # the client already left
                pass
            return
        hub.clients[ws] = (role, seat)
        await ws.send_json({"type": "hello", "version": room.version, "seat": seat})
        if role == "team":
            await hub.broadcast("presence", seat=seat)
        try:
            while True:
                msg = await ws.receive_text()
                if msg == "ping":
                    await ws.send_text("pong")
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            hub.drop(ws)
            if role == "team":
                await hub.broadcast("presence", seat=seat)

    routes = [
        Route("/", page),
        Route("/facilitator", page),
        Route("/projector", page),
        Route("/static/{name}", asset),
        Route("/qr.svg", qr_svg),
        Route("/api/texts", texts),
        Route("/api/info", info),
        Route("/api/join", join, methods=["POST"]),
        Route("/api/team/state", team_state),
        Route("/api/team/preview", team_preview, methods=["POST"]),
        Route("/api/team/act", team_act, methods=["POST"]),
        Route("/api/team/end", team_end, methods=["POST"]),
        Route("/api/team/device", team_device, methods=["POST"]),
        Route("/api/fac/login", fac_login, methods=["POST"]),
        Route("/api/fac/state", fac_state),
        Route("/api/fac/do", fac_do, methods=["POST"]),
        Route("/api/projector/state", projector_state),
        WebSocketRoute("/ws", ws_endpoint),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        # The server stops (Ctrl+C, SIGTERM): fold the journal into the session file.
        async with saver.lock:
            room.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.room = room
    app.state.hub = hub
    return app


def _only(data: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(k for k in data if k not in allowed)
    if extra:
        raise HostError(422, "host.error.unknown_field", {"field": extra[0]})


def listening_socket(host: str, port: int) -> socket.socket:
    """The host's listening socket, bound. Accepted connections inherit its TCP_NODELAY, so a
    reply goes out at once instead of waiting for the client's delayed ACK (bench-host, 8 teams
    x 5 clients on a quiet machine: round trip p50 48 ms without it, 9-10 ms with it)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


@contextlib.contextmanager
def running(room: Room, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``room`` with a real uvicorn server in a thread on a free port; yields the base URL.

    For tests and the browser check: loopback only by default.
    """
    import threading
    import time

    import uvicorn

    sock = listening_socket(host, 0)
    base = f"http://{host}:{sock.getsockname()[1]}"
    server = uvicorn.Server(uvicorn.Config(create_app(room, [f"{base}/?room={room.room_code}"]), log_level="warning", lifespan="on", ws_per_message_deflate=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            sock.close()
            raise RuntimeError("the host did not start")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        room.close()
