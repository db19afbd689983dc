"""The window's screens, one module each; they form a push/pop stack (see game/ui/app.py)."""
