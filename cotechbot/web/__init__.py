"""The bot's HTTP face, served only when ``COTECHBOT_HTTP_PORT`` is set: signed Discourse webhooks that trigger
an immediate cycle, the events calendar feed, the decision log export, a health check and Prometheus metrics.

Only the webhook changes anything (it asks for a cycle); every other route reads the ledger.
"""
