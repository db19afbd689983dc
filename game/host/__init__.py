"""The workshop host: teams play from their own browsers over the room's network.

A Starlette web server (uvicorn, websockets) runs the core and the core's
Recorder as the only authority; browsers only send actions and read views.
May import game.core, game.text and the translation files; never game.ui
or pygame (the host runs on machines without a screen).
"""
