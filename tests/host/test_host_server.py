"""The workshop host through Starlette's TestClient (HTTP and websockets): joining,
rejoining, simultaneous quarters, late teams, privacy, refused requests, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from game.core.replay import read_json, run_replay
from game.host.room import Room
from game.host.server import MAX_BODY, create_app

PIN = "2468"


def make(tmp_path: Path, teams: int = 3, names=("Alfa", "Beta", "Gamma")):
    room = Room.new("tutorial", tmp_path / "session.json", teams=teams, seed=7, pin=PIN)
    client = TestClient(create_app(room))
    tokens = []
    for k, name in enumerate(names[:teams]):
        r = client.post("/api/join", json={"room": room.room_code, "name": name, "colour": k})
        assert r.status_code == 200, r.text
        assert r.json()["seat"] == k
        tokens.append(r.json()["token"])
    return room, client, tokens


def fac_token(client: TestClient) -> str:
    r = client.post("/api/fac/login", json={"pin": PIN})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def started(tmp_path: Path, teams: int = 3):
    room, client, tokens = make(tmp_path, teams)
    fac = fac_token(client)
    assert client.post("/api/fac/do", json={"op": "start"}, headers=auth(fac)).status_code == 200
    return room, client, tokens, fac


def act(client, token, action, status=200):
    r = client.post("/api/team/act", json={"action": action}, headers=auth(token))
    assert r.status_code == status, r.text
    return r


def test_join_checks_room_name_colour_and_capacity(tmp_path):
    room, client, _ = make(tmp_path, teams=2, names=("Alfa", "Beta"))
    assert client.post("/api/join", json={"room": "NOPE1", "name": "X"}).status_code == 403
    full = client.post("/api/join", json={"room": room.room_code, "name": "Delta"})
    assert full.status_code == 409 and full.json()["error"] == "host.error.room_full"
    room2, client2, _ = make(tmp_path / "b", teams=3, names=("Alfa",))
    same = client2.post("/api/join", json={"room": room2.room_code, "name": " alfa "})
    assert same.status_code == 409 and same.json()["error"] == "host.error.name_taken"
    colour = client2.post("/api/join", json={"room": room2.room_code, "name": "Beta", "colour": 0})
    assert colour.status_code == 409 and colour.json()["error"] == "host.error.colour_taken"
    long = client2.post("/api/join", json={"room": room2.room_code, "name": "x" * 41})
    assert long.status_code == 422
    # Lower-case room codes typed on a phone are fine.
    ok = client2.post("/api/join", json={"room": room2.room_code.lower(), "name": "Beta", "colour": 1})
    assert ok.status_code == 200 and ok.json()["seat"] == 1


def test_rejoin_by_token_gets_the_same_seat_over_http_and_websocket(tmp_path):
    room, client, tokens, _ = started(tmp_path)
    before = client.get("/api/team/state", headers=auth(tokens[1])).json()
    assert before["me"]["name"] == "Beta" and before["me"]["firm"] == "p2"
    # A fresh client (another tab, after a Wi-Fi drop) with the stored token.
    again = TestClient(client.app)
    assert again.get("/api/team/state", headers=auth(tokens[1])).json()["me"] == before["me"]
    with again.websocket_connect("/ws") as ws:
        ws.send_json({"role": "team", "token": tokens[1]})
        hello = ws.receive_json()
        assert hello["type"] == "hello" and hello["seat"] == 1
        assert room.connected[1] == 1
    with again.websocket_connect("/ws") as ws:
        ws.send_json({"role": "team", "token": "not-a-token-at-all-but-long"})
        assert ws.receive_json()["error"] == "host.error.no_seat"


def test_simultaneous_quarter_resolves_once_all_ended_and_tells_every_client(tmp_path):
    room, client, tokens, fac = started(tmp_path)
    socks = []
    with client.websocket_connect("/ws") as w0, client.websocket_connect("/ws") as w1, client.websocket_connect("/ws") as w2, client.websocket_connect("/ws") as wf:
        for ws, hello in ((w0, {"role": "team", "token": tokens[0]}), (w1, {"role": "team", "token": tokens[1]}), (w2, {"role": "team", "token": tokens[2]}), (wf, {"role": "facilitator", "token": fac})):
            ws.send_json(hello)
            assert ws.receive_json()["type"] == "hello"
            socks.append(ws)
        # Interleaved: every team acts before anyone ends.
        act(client, tokens[2], {"type": "train_staff"})
        act(client, tokens[0], {"type": "join_association"})
        act(client, tokens[1], {"type": "adopt_practices"})
        assert room.game.quarter == 1
        for k in (0, 2):
            r = client.post("/api/team/end", json={}, headers=auth(tokens[k]))
            assert r.json()["resolved"] is False
        # An ended team can no longer act this quarter; the others can.
        assert act(client, tokens[0], {"type": "train_staff"}, 409).json()["error"] == "host.error.already_ended"
        act(client, tokens[1], {"type": "train_staff"})
        r = client.post("/api/team/end", json={}, headers=auth(tokens[1]))
        assert r.json()["resolved"] is True
        assert room.game.quarter == 2
        for ws in socks:
            events = []
            while True:
                msg = ws.receive_json()
                events.append(msg["event"])
                if msg["event"] == "resolved":
                    assert msg["quarter"] == 1
                    break
            assert events.count("resolved") == 1
    turn = read_json(room.path, "session")["replay"]["turns"][0]
    assert [a["type"] for a in turn["actions"]] == ["train_staff", "join_association", "adopt_practices", "train_staff"]
    assert [a["firm"] for a in turn["actions"]] == ["p3", "p1", "p2", "p2"]


def test_late_team_is_handed_to_the_chosen_computer_strategy(tmp_path):
    room, client, tokens, fac = started(tmp_path)
    client.post("/api/team/end", json={}, headers=auth(tokens[0]))
    client.post("/api/team/end", json={}, headers=auth(tokens[2]))
    bad = client.post("/api/fac/do", json={"op": "computer", "strategy": "reckless"}, headers=auth(fac))
    assert bad.status_code == 422
    not_late = client.post("/api/fac/do", json={"op": "computer", "seats": [0], "strategy": "growth"}, headers=auth(fac))
    assert not_late.status_code == 409
    r = client.post("/api/fac/do", json={"op": "computer", "strategy": "growth"}, headers=auth(fac))
    assert r.status_code == 200
    assert room.game.quarter == 2
    data = read_json(room.path, "session")
    assert {"type": "facilitator.timed_out", "firm": "p2", "strategy": "growth"} in data["replay"]["turns"][0]["actions"]
    report = client.get("/api/team/state?lang=en", headers=auth(tokens[1])).json()["report"]
    assert any("growth" in line["text"].lower() or "computer" in line["text"].lower() for line in report["lines"]), report
    assert run_replay(room.path).ok


def test_team_a_never_sees_or_acts_for_team_b(tmp_path):
    room, client, tokens, fac = started(tmp_path)
    act(client, tokens[1], {"type": "train_staff"})
    a = client.get("/api/team/state?lang=en", headers=auth(tokens[0])).json()
    b = client.get("/api/team/state?lang=en", headers=auth(tokens[1])).json()
    assert a["firm"]["name"] == "Alfa" and b["firm"]["name"] == "Beta"
    assert a["firm"]["action_points"] != b["firm"]["action_points"]
    assert any("trained" in n["text"] for n in b["news"])
    assert not any("trained" in n["text"] for n in a["news"])
    allowed = {"seat", "name", "colour", "claimed", "connected", "firm", "alive", "tier", "consortium", "decided"}
    for t in a["teams"]:
        assert set(t) <= allowed
    # Acting, previewing or reading as someone else is refused and changes nothing.
    before = (room.game.hash(), room.path.read_bytes())
    assert act(client, tokens[0], {"type": "train_staff", "firm": "p2"}, 403).json()["error"] == "host.error.not_your_firm"
    assert client.post("/api/team/preview", json={"action": {"type": "train_staff", "firm": "p2"}}, headers=auth(tokens[0])).status_code == 403
    assert client.get("/api/fac/state", headers=auth(tokens[0])).status_code == 401
    assert client.post("/api/fac/do", json={"op": "computer"}, headers=auth(tokens[0])).status_code == 401
    assert (room.game.hash(), room.path.read_bytes()) == before
    # The projector gets public facts only: no team's cash anywhere.
    proj = client.get("/api/projector/state?lang=en").json()
    assert "firm" not in proj and "dashboards" not in proj
    assert a["firm"]["cash"] not in json.dumps(proj)


BAD_REQUESTS = [
    ("post", "/api/team/act", "A", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 400),
    ("post", "/api/team/act", "A", {"json": [1, 2]}, 400),
    ("post", "/api/team/act", "A", {"content": b"{" + b" " * (MAX_BODY + 10) + b"}", "headers": {"content-type": "application/json"}}, 413),
    ("post", "/api/team/act", "A", {"content": b'{"action": {"type": "train_staff"}}', "headers": {"content-type": "text/plain"}}, 415),
    ("post", "/api/team/act", "A", {"json": {"action": {"type": "train_staff"}, "extra": 1}}, 422),
    ("post", "/api/team/act", "A", {"json": {"action": "train_staff"}}, 422),
    ("post", "/api/team/act", "A", {"json": {"action": {"units": 5}}}, 422),
    ("post", "/api/team/act", "A", {"json": {"action": {"type": "print_money"}}}, 422),
    ("post", "/api/team/act", "A", {"json": {"action": {"type": "expand_capacity", "units": "many"}}}, 422),
    ("post", "/api/team/act", "A", {"json": {"action": {"type": "expand_capacity", "units": 10**30}}}, 422),
    ("post", "/api/team/act", "A", {"json": {"action": {"type": "expand_capacity", "units": 5, "colour": 1}}}, 422),
    ("post", "/api/team/act", "A", {"json": {"action": {"type": "facilitator.switch_policy", "policy": "x", "on": True}}}, 403),
    ("post", "/api/team/act", "A", {"json": {"action": {"type": "repay_loan", "amount": 1000}}}, 409),
    ("post", "/api/team/act", "A", {"content": b'{"action": {"type": "found_consortium", "name": "\\ud800"}}', "headers": {"content-type": "application/json"}}, 422),
    ("post", "/api/team/act", None, {"json": {"action": {"type": "train_staff"}}}, 401),
    ("post", "/api/team/act", "junk", {"json": {"action": {"type": "train_staff"}}}, 401),
    ("get", "/api/team/state", "junk-token-that-is-long-enough", {}, 401),
    ("post", "/api/team/end", None, {"json": {}}, 401),
    ("post", "/api/fac/do", None, {"json": {"op": "pause"}}, 401),
    ("post", "/api/fac/do", "F", {"json": {"op": "explode"}}, 422),
    ("post", "/api/fac/do", "F", {"json": {"op": "policy", "policy": "no_such_policy", "on": True}}, 409),
    ("post", "/api/fac/do", "F", {"json": {"op": "policy", "policy": 3, "on": "yes"}}, 422),
    ("post", "/api/fac/do", "F", {"json": {"op": "note", "text": "x" * 501}}, 409),
    ("post", "/api/fac/do", "F", {"json": {"op": "note", "text": "   "}}, 409),
    ("post", "/api/fac/do", "F", {"json": {"op": "inject", "event": "no_such_event"}}, 409),
    ("post", "/api/fac/do", "F", {"json": {"op": "kick", "seat": 9}}, 422),
    ("post", "/api/fac/do", "F", {"json": {"op": "kick", "seat": True}}, 422),
    ("post", "/api/fac/do", "F", {"json": {"op": "timer", "minutes": -1}}, 422),
    ("post", "/api/fac/do", "F", {"json": {"op": "computer", "seats": "all", "strategy": "growth"}}, 422),
    ("post", "/api/fac/do", "F", {"json": {"op": "start"}}, 409),
    ("post", "/api/fac/login", None, {"json": {"pin": "0000"}}, 403),
    ("post", "/api/fac/login", None, {"json": {"pin": 2468}}, 403),
    ("post", "/api/join", None, {"json": {"room": "ZZZZZ", "name": "Intruder"}}, 403),
    ("post", "/api/join", None, {"json": {"room": "ROOM", "name": "Delta", "colour": "red"}}, 422),
    ("post", "/api/join", None, {"json": {"room": "ROOM", "name": "Delta"}}, 409),
    ("get", "/static/../room.py", None, {}, 404),
]


@pytest.mark.parametrize("method,path,who,kwargs,status", BAD_REQUESTS, ids=[f"{i}-{r[1]}-{r[4]}" for i, r in enumerate(BAD_REQUESTS)])
def test_malformed_or_forbidden_requests_are_refused_and_change_nothing(tmp_path, method, path, who, kwargs, status):
    room, client, tokens, fac = started(tmp_path)
    act(client, tokens[1], {"type": "train_staff"})
    token = {"A": tokens[0], "F": fac, None: None}.get(who, who)
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if "json" in kwargs and isinstance(kwargs["json"], dict) and kwargs["json"].get("room") == "ROOM":
        kwargs["json"] = {**kwargs["json"], "room": room.room_code}
    before = (room.game.hash(), room.path.read_bytes(), room.version, [list(s.tokens) for s in room.seats])
    r = getattr(client, method)(path, headers=headers, **kwargs)
    assert r.status_code == status, r.text
    if path.startswith("/api/"):
        body = r.json()
        assert body["error"] and body["message"] and body["message"] != body["error"]
    assert (room.game.hash(), room.path.read_bytes(), room.version, [list(s.tokens) for s in room.seats]) == before


def test_wrong_pins_lock_the_console_for_a_while(tmp_path):
    room, client, _ = make(tmp_path)
    for _ in range(5):
        assert client.post("/api/fac/login", json={"pin": "1111"}).status_code == 403
    assert client.post("/api/fac/login", json={"pin": PIN}).status_code == 429


def test_kicked_seat_stops_working_and_can_be_taken_again(tmp_path):
    room, client, tokens, fac = started(tmp_path)
    assert client.post("/api/fac/do", json={"op": "kick", "seat": 2}, headers=auth(fac)).status_code == 200
    assert client.get("/api/team/state", headers=auth(tokens[2])).status_code == 401
    r = client.post("/api/join", json={"room": room.room_code, "seat": 2})
    assert r.status_code == 200 and r.json()["name"] == "Gamma"
    assert client.get("/api/team/state", headers=auth(r.json()["token"])).json()["me"]["seat"] == 2


def test_pause_refuses_team_actions_until_resumed(tmp_path):
    room, client, tokens, fac = started(tmp_path)
    client.post("/api/fac/do", json={"op": "pause"}, headers=auth(fac))
    assert act(client, tokens[0], {"type": "train_staff"}, 409).json()["error"] == "host.error.paused"
    client.post("/api/fac/do", json={"op": "resume"}, headers=auth(fac))
    act(client, tokens[0], {"type": "train_staff"})


SCRIPT = [
    ("team", 0, {"type": "train_staff"}),
    ("team", 1, {"type": "join_association"}),
    ("fac", None, {"op": "policy", "policy": None, "on": None}),
    ("team", 2, {"type": "adopt_practices"}),
    ("end", 0, None),
    ("end", 1, None),
    ("end", 2, None),
    ("team", 1, {"type": "found_consortium", "name": "Red Beta"}),
    ("team", 1, {"type": "invite_to_consortium", "to_firm": "p1"}),
    ("fac", None, {"op": "note", "text": "Beta invita a Alfa"}),
    ("team", 0, {"type": "join_consortium", "consortium": 0}),
    ("end", 0, None),
    ("end", 1, None),
    ("fac", None, {"op": "computer", "strategy": "cooperative"}),
    ("team", 2, {"type": "train_staff"}),
    ("end", 2, None),
]


def _play(room, client, tokens, fac, steps):
    for who, seat, payload in steps:
        if who == "team":
            r = client.post("/api/team/act", json={"action": payload}, headers=auth(tokens[seat]))
        elif who == "end":
            r = client.post("/api/team/end", json={}, headers=auth(tokens[seat]))
        else:
            if payload["op"] == "policy":
                pol = room.loaded.level.policies[0]
                payload = {"op": "policy", "policy": pol.id, "on": not pol.active}
            r = client.post("/api/fac/do", json=payload, headers=auth(fac))
        assert r.status_code == 200, (who, seat, payload, r.text)


def test_kill_and_resume_equals_an_uninterrupted_session(tmp_path):
    room, client, tokens, fac = started(tmp_path / "straight")
    _play(room, client, tokens, fac, SCRIPT)
    straight = read_json(room.path, "session")["replay"]

    for cut in (5, 10):
        room2, client2, tokens2, fac2 = started(tmp_path / f"cut{cut}")
        _play(room2, client2, tokens2, fac2, SCRIPT[:cut])
        path = room2.path
        del room2, client2  # the host is killed: only the file remains
        resumed = Room.resume(path)
        client3 = TestClient(create_app(resumed))
        # Every team (and the facilitator) comes back with the token it kept.
        for k, tok in enumerate(tokens2):
            assert client3.get("/api/team/state", headers=auth(tok)).json()["me"]["seat"] == k
        _play(resumed, client3, tokens2, fac2, SCRIPT[cut:])
        again = read_json(path, "session")["replay"]
        assert [t["hash"] for t in again["turns"]] == [t["hash"] for t in straight["turns"]]
        assert again["final_hash"] == straight["final_hash"]
        assert again["turns"] == straight["turns"] and again["pending"] == straight["pending"]
    assert len(straight["turns"]) == 2 and straight["pending"] == [{"type": "train_staff", "firm": "p3"}]
    assert run_replay(room.path).ok


def test_session_file_works_with_replay_whatif_export_and_the_window(tmp_path):
    room, client, tokens, fac = started(tmp_path)
    _play(room, client, tokens, fac, SCRIPT)
    from game.cli import main

    assert main(["replay", str(room.path)]) == 0
    assert main(["whatif", str(room.path), "--quarter", "2", "--team", "p1", "--strategy", "growth", "--json"]) == 0
    from game.ui.session import Session

    window = Session.from_save(read_json(room.path, "session"), str(room.path))
    assert window.game.hash() == room.game.hash()
    assert window.workshop is not None and window.workshop.check_pin(PIN)
    assert [s.colour for s in room.seats] == window.workshop.colours


def test_the_host_answers_without_waiting_for_a_delayed_ack():
    """The listening socket has TCP_NODELAY, which accepted connections inherit: without it
    every reply waited for the client's delayed ACK (bench-host p50 48 ms instead of 9-10 ms)."""
    import socket

    from game.host.server import listening_socket

    sock = listening_socket("127.0.0.1", 0)
    try:
        sock.listen()
        client = socket.create_connection(sock.getsockname())
        conn, _ = sock.accept()
        with client, conn:
            assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()


def test_resume_refuses_a_session_recorded_with_another_engine(tmp_path):
    """Another engine's rules give other results: the session is refused by name, not re-played
    into a hash mismatch, and the file is left as it was."""
    from game.host.room import SessionFileError

    room, client, tokens, _ = started(tmp_path)
    act(client, tokens[0], {"type": "train_staff"})
    data = read_json(room.path, "session")
    data["replay"]["engine_version"] = "2.0"
    old = tmp_path / "old.session.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    before = old.read_bytes()
    with pytest.raises(SessionFileError, match=r"old\.session\.json: replay: engine_version: recorded with engine '2\.0'"):
        Room.resume(old)
    assert old.read_bytes() == before
