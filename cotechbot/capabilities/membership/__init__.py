"""Membership requests for moderators: who is asking and why, what the group's rules say, one notice per
request, one nudge, the outcome once a moderator acted, and who added whom (``planning``, ``rules``)."""
