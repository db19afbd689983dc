"""Player decisions, one block each, grouped by domain (OpenTTD's command files).

- ``base``: what every decision shares: :class:`~game.core.decisions.base.Action`,
  :class:`~game.core.decisions.base.Cost`, :class:`~game.core.decisions.base.Refusal`,
  and the dict form used by replays.
- ``capabilities``: training, technology, capacity, certifications,
  innovation, management practices.
- ``finance``: bank loans and public programmes.
- ``cooperation``: consortia, subcontracts, universities, the association,
  supplier-development programmes.
- ``market``: bids on calls and the local market.

Each decision is a frozen dataclass whose ``cost``, ``check`` and
``execute`` sit side by side; :mod:`game.core.actions` is the one entry
point that validates and applies them. This package imports only the state,
the rules and the phase modules whose mechanics a decision triggers
(``policies``, ``rfq``, ``contracts``, ``cooperation``); it never imports
:mod:`game.core.actions`, the engine or anything outside ``game.core``.

May import: game.core
Except: game.core.actions, game.core.engine
"""
