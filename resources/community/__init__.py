"""Communities of practice: membership, the discussion board, the shared work members
keep reaching after their collaborative ends.

The board exists only while the collaborative is a community of practice (status
"community"): during the active phase teams already talk through comments on their
cycles and with their coaches, and opening a second place to talk then would split
the conversation. Everything here answers 404 for a collaborative in any other status.
"""
