"""The workshop host: teams play from their own browsers over the room's network.

A Starlette web server (uvicorn, websockets) runs the core and the core's
Recorder as the only authority; browsers only send actions and read views.
It never imports the window (the host runs on machines without a screen);
its command registration lives in :mod:`game.commands.host`.

May import: game.core, game.text, game.headless
"""
