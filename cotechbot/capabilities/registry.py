"""The registry: every capability the bot has, in the order they plan (a capability sees what the ones
before it shared). Adding a capability is one package and one line here."""

from __future__ import annotations

from collections.abc import Callable

from cotechbot.capabilities.base import Capability
from cotechbot.capabilities.digest.capability import DigestCapability
from cotechbot.capabilities.events.capability import EventsCapability
from cotechbot.capabilities.polls.capability import PollsCapability
from cotechbot.settings import Settings

CapabilityFactory = Callable[[Settings], Capability]

REGISTRY: tuple[tuple[str, CapabilityFactory], ...] = (
    # Date polls first: their winning times are shared with the events capability as events.
    (PollsCapability.name, PollsCapability.from_settings),
    (EventsCapability.name, EventsCapability.from_settings),
    # The digest stays last: it lists what every capability before it shared (decisions, pending requests).
    (DigestCapability.name, DigestCapability.from_settings),
)


def build_capabilities(settings: Settings) -> list[Capability]:
    """The enabled capabilities, built from the settings, in registry order."""
    return [factory(settings) for name, factory in REGISTRY if capability_enabled(settings, name)]


def capability_enabled(settings: Settings, name: str) -> bool:
    section = getattr(settings, name, None)
    return bool(getattr(section, "enabled", True))
