"""The Discourse adapter: `DiscourseForum` implements `cotechbot.forum.port.Forum` for one Discourse site.

* `transport` — the wire: session, request budget, 429 policy, errors (`SessionClient` is pydiscourse's
  client with that transport);
* `parsing` — raw payloads into `cotechbot.models`, leaving out (and naming) posts that do not fit;
* `endpoints` — `DiscourseForum` itself, which holds a `SessionClient` as ``client`` and exposes only the port.
"""

from cotechbot.forum.discourse.endpoints import DiscourseForum, path_part
from cotechbot.forum.discourse.parsing import PostList, SkippedPost
from cotechbot.forum.discourse.transport import USER_AGENT, SessionClient, Transport
from cotechbot.forum.ratelimit import DEFAULT_RATE_LIMIT_WAIT, MAX_RATE_LIMIT_WAIT, rate_limit_wait

__all__ = [
    "DEFAULT_RATE_LIMIT_WAIT",
    "MAX_RATE_LIMIT_WAIT",
    "USER_AGENT",
    "DiscourseForum",
    "PostList",
    "SessionClient",
    "SkippedPost",
    "Transport",
    "path_part",
    "rate_limit_wait",
]
