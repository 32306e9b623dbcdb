"""What Steward lacks on Slack, in words a manager can act on: a channel it is not in or
cannot see at all, a scope the app was not given. Each is told once per start in the
managers' channel and the log; a post that cannot be made raises, so the outbox keeps it
and tries again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from adapters.slack.inbound import PLATFORM
from adapters.slack.manifest import BOT_SCOPES

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

SCOPES_HEADER = "x-oauth-scopes"  # auth.test's answer lists the token's scopes here
SCOPES_KEY = "scopes"  # the notice of the scopes found lacking at start
_SCOPES_FIX = (
    "api.slack.com/apps → Steward → OAuth & Permissions → Bot Token Scopes → add {scope}, "
    "then reinstall the app to the workspace"
)


class SlackProblem(RuntimeError):
    """Slack refused a post Steward must make; the text says why and how to fix it."""


def not_in_channel(name: str) -> str:
    return (
        f"⚠️ Steward is not a member of #{name}, so it cannot read or post there. "
        f"Fix: in #{name}, type `/invite @Steward`."
    )


def cannot_see(name: str, keys: list[str]) -> str:
    shown = name.strip().lstrip("#")
    return (
        f"⚠️ Steward cannot see a channel #{shown} ({' / '.join(keys)}): if it is private, "
        "`/invite @Steward` there; otherwise correct the setting."
    )


def missing_scopes(scopes: list[str]) -> str:
    listed = ", ".join(f"`{scope}`" for scope in scopes)
    noun = "scopes" if len(scopes) > 1 else "scope"
    return (
        f"⚠️ Steward's Slack app lacks the {noun} {listed}, so some of its work fails. Fix: "
        + _SCOPES_FIX.format(scope=listed)
    )


def granted_scopes(answer: Any) -> set[str] | None:
    """The scopes in auth.test's answer headers (None when Slack did not say)."""
    headers = {key.lower(): value for key, value in (answer.headers or {}).items()}
    listed = headers.get(SCOPES_HEADER)
    if listed is None:
        return None
    if isinstance(listed, list):
        listed = ",".join(listed)
    return {scope.strip() for scope in listed.split(",") if scope.strip()}


def explain(exc: SlackApiError, channel_id: str, adapter: SlackAdapter) -> tuple[str, str] | None:
    """A refused call as (notice key, text to tell the managers), or None when it is not
    something a manager can fix."""
    error = exc.response.get("error")
    name = adapter.directory.place(channel_id).name
    if error in ("not_in_channel", "channel_not_found", "is_archived"):
        return f"channel:{channel_id}", not_in_channel(name)
    if error == "missing_scope":
        needed = [s for s in str(exc.response.get("needed") or "").split(",") if s]
        told = bool(needed) and set(needed) <= adapter.lacking_scopes  # at start, already
        return SCOPES_KEY if told else f"scope:{','.join(needed)}", missing_scopes(needed)
    return None


async def find_configured(adapter: SlackAdapter, configured: list[tuple[str, str]]) -> list[str]:
    """The ids of the channels `configured` as (setting, name or id); one Steward cannot see
    at all (a private channel it is not in, a typo) is told instead, once per start."""
    found: list[str] = []
    unseen: dict[str, list[str]] = {}
    for key, name in configured:
        place = adapter.directory.find_place(name)
        if place is not None:
            found.append(place.channel_id)
        elif key not in unseen.setdefault(name, []):
            unseen[name].append(key)
    for name, keys in unseen.items():
        await adapter.tell_once(f"unseen:{name}", cannot_see(name, keys), every_start=True)
    return found


async def check_start(adapter: SlackAdapter, scopes: set[str] | None) -> None:
    """At start: the scopes Steward needs, and every channel it must read or post in."""
    if scopes is not None:
        lacking = [scope for scope in BOT_SCOPES if scope not in scopes]
        adapter.lacking_scopes = set(lacking)
        if lacking:
            await adapter.tell_once(SCOPES_KEY, missing_scopes(lacking), True)
    for channel_id in await channels_to_check(adapter):
        place = await adapter.directory.fetch_place(channel_id)
        if place is None:
            continue
        if not place.is_member:
            await adapter.tell_once(f"channel:{channel_id}", not_in_channel(place.name), True)


async def channels_to_check(adapter: SlackAdapter) -> list[str]:
    """Every channel Steward must read or post in, by id: the managers', the digest's, the
    help channels and those scheduled posts go to. A configured one Steward cannot see at
    all is told to the managers instead (once per start)."""
    configured = [
        ("[slack] admin_channel", adapter.admin_channel),
        ("[slack] digest_channel", adapter.digest_channel),
        *(("[inquiries] help_channels", n) for n in adapter.settings.inquiries.help_channels),
    ]
    wanted = await find_configured(adapter, [(k, n) for k, n in configured if n])
    wanted += sorted(await adapter.require_app().channels_in_use(PLATFORM))
    return list(dict.fromkeys(wanted))
