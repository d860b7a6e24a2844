"""Publishing: what of a board is shown on its public pages, its open data and to anonymous
callers of the read API, decided item by item by the secretariat or the chair.

Nothing is public by default. ``models`` holds the decisions, ``approvals`` makes and
withdraws them (every one audited), ``data`` reads a board as an audience sees it (the public,
or a partner's API token that sees what a member sees), and ``cache`` gives every public
answer its ETag and Last-Modified.
"""
