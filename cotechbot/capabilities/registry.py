"""The registry: every capability the bot has, in the order they plan (a capability sees what the ones
before it shared). Adding a capability is one package and one line here.

Each factory is given the settings and the renderer the shell built from them (the bundled message templates
with the operator's overrides), so no capability loads a template or reads the environment itself."""

from __future__ import annotations

import inspect
from collections.abc import Callable

from cotechbot.capabilities.base import Capability
from cotechbot.capabilities.decisions.capability import DecisionsCapability
from cotechbot.capabilities.digest.capability import DigestCapability
from cotechbot.capabilities.events.capability import EventsCapability
from cotechbot.capabilities.membership.capability import MembershipCapability
from cotechbot.capabilities.polls.capability import PollsCapability
from cotechbot.messages import Renderer, TemplateRenderer
from cotechbot.settings import Settings

# ``from_settings(settings, render)``; a capability that renders no message may take the settings alone.
CapabilityFactory = Callable[..., Capability]

REGISTRY: tuple[tuple[str, CapabilityFactory], ...] = (
    # Date polls first: their winning times are shared with the events capability as events.
    (PollsCapability.name, PollsCapability.from_settings),
    (EventsCapability.name, EventsCapability.from_settings),
    # The decision log shares the decisions and open Loomio proposals the digest lists.
    (DecisionsCapability.name, DecisionsCapability.from_settings),
    # Membership requests share their pending counts with the digest.
    (MembershipCapability.name, MembershipCapability.from_settings),
    # The digest stays last: it lists what every capability before it shared (decisions, pending requests).
    (DigestCapability.name, DigestCapability.from_settings),
)


def build_capabilities(settings: Settings, render: Renderer | None = None) -> list[Capability]:
    """The enabled capabilities, built from the settings, in registry order, all rendering their messages
    with ``render`` (by default the templates the settings name)."""
    render = render if render is not None else renderer_for(settings)
    return [
        _build(factory, settings, render) for name, factory in REGISTRY if capability_enabled(settings, name)
    ]


def renderer_for(settings: Settings) -> Renderer:
    """The bundled templates, with the files in the ``templates_dir`` setting replacing them by name."""
    return TemplateRenderer(settings.templates_dir)


def _build(factory: CapabilityFactory, settings: Settings, render: Renderer) -> Capability:
    takes_renderer = len(inspect.signature(factory).parameters) >= 2
    return factory(settings, render) if takes_renderer else factory(settings)


def capability_enabled(settings: Settings, name: str) -> bool:
    section = getattr(settings, name, None)
    return bool(getattr(section, "enabled", True))


def kind_switched_on(settings: Settings, capability: Capability, kind: str) -> bool:
    """Whether ``capability`` may post actions of ``kind``: its ``post_switches`` map a kind to a switch
    in its settings section (``[polls] standings = false``); kinds without a switch are always on."""
    switch = getattr(capability, "post_switches", {}).get(kind)
    return switch is None or bool(getattr(getattr(settings, capability.name, None), switch, True))


def describe_switches(settings: Settings) -> list[str]:
    """One line per capability: on or off, and which of its switches are off — for ``cotechbot check``."""
    lines = []
    for name, _factory in REGISTRY:
        section = getattr(settings, name, None)
        if not capability_enabled(settings, name):
            lines.append(f"{name}: off")
            continue
        switches = [
            key
            for key, value in (section.model_dump() if section is not None else {}).items()
            if isinstance(value, bool) and key != "enabled"
        ]
        off = [key for key in switches if not getattr(section, key)]
        on = [key for key in switches if getattr(section, key)]
        detail = f" ({', '.join(on).replace('_', ' ')})" if on else ""
        detail += f"; off: {', '.join(off).replace('_', ' ')}" if off else ""
        lines.append(f"{name}: on{detail}")
    return lines
