"""The decision log's settings sections, kept beside ``cotechbot.settings`` (which mounts them):

* ``[decisions]`` (COTECHBOT_DECISIONS_*): on/off and a switch per kind of post;
* ``[loomio]`` (COTECHBOT_LOOMIO_URL, COTECHBOT_LOOMIO_API_KEY, COTECHBOT_LOOMIO_GROUP_IDS, …): the Loomio server
  and groups to watch. Loomio is read only when the URL, the key and at least one group are set.

The forum-side settings named in the issue live at the top level of ``Settings``: ``decision_tags``
(COTECHBOT_DECISION_TAGS) and ``decision_log_topic_id`` (COTECHBOT_DECISION_LOG_TOPIC_ID).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

from pydantic import AnyHttpUrl, BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import NoDecode


def _id_list(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return (
            json.loads(text)
            if text.startswith("[")
            else [item.strip() for item in text.split(",") if item.strip()]
        )
    if isinstance(value, int):
        return [value]
    return value


class DecisionsSection(BaseModel):
    """``[decisions]``: the decision log (needs nothing to file decisions; posts only where a target is set)."""

    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    log_post: bool = True  # keep the log's post in COTECHBOT_DECISION_LOG_TOPIC_ID up to date
    cross_posts: bool = True  # one post per new Loomio proposal
    reminders: bool = True  # "closes in 24 hours" before a Loomio proposal closes
    outcomes: bool = True  # a Loomio proposal's outcome, when someone writes it
    reminder_before_hours: int = Field(24, gt=0, le=24 * 14)


class LoomioSettings(BaseModel):
    """``[loomio]``: a Loomio server the decision log reads (a bot user's API key; b2 API)."""

    model_config = ConfigDict(extra="forbid")
    url: AnyHttpUrl | None = None
    api_key: SecretStr | None = None
    group_ids: Annotated[list[int], NoDecode, BeforeValidator(_id_list)] = Field(default_factory=list)
    # Loomio 3.0.x reads the key only as an ``api_key`` parameter; newer servers only as a Bearer header.
    legacy_api_key_param: bool = False
    topic_id: int | None = Field(None, gt=0)  # cross-post proposals as replies in this topic …
    category_id: int | None = Field(None, gt=0)  # … or as new topics in this category
    timeout_seconds: float = Field(15.0, gt=0, le=300)
    # How long after a poll closes the bot keeps asking for its outcome.
    outcome_watch_days: int = Field(60, gt=0, le=3650)

    @field_validator("url", mode="before")
    @classmethod
    def _has_scheme(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and "://" not in value:
            raise ValueError(f"has no scheme; add https:// (https://{value.strip()})")
        return value or None

    @property
    def configured(self) -> bool:
        return bool(self.url and self.api_key and self.api_key.get_secret_value() and self.group_ids)

    @property
    def outcome_watch(self) -> timedelta:
        return timedelta(days=self.outcome_watch_days)
