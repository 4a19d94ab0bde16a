"""The sandbox: fake forums served over real HTTP, and a seeded CoTech scenario, for tests and ``cotechbot demo``.

* :mod:`cotechbot.sandbox.discourse` — ``FakeDiscourse``, an in-memory Discourse faithful to the API contract.
* :mod:`cotechbot.sandbox.scenario` — ``cotech_scenario(now)`` / ``seed(forum, now)``, dates relative to ``now``.
* :mod:`cotechbot.sandbox.schemas` — validation of what the fake serves against the real upstream contracts.
* :mod:`cotechbot.sandbox.markup` — the raw → cooked renderer and the poll/event/local-date parsers.
"""
