"""The composition root: the one place that assembles the core, the features and the adapters."""

from __future__ import annotations

from pathlib import Path

from bot.core.app import Steward
from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.export_files import BadExport, Export
from bot.core.feature import Feature
from bot.features import (
    calendar,
    contests,
    digest,
    feedback,
    help,
    inquiries,
    member_stats,
    objectives,
    polls,
    privacy,
    surveys,
)
from bot.store.database import Store
from jobs.runner import JobRunner

FEATURES: tuple[Feature, ...] = tuple(
    package.FEATURE
    for package in (
        help,
        member_stats,
        privacy,
        surveys,
        feedback,
        polls,
        contests,
        calendar,
        inquiries,
        objectives,
        digest,
    )
)


def build_app(settings: Settings, clock: Clock, store: Store | None = None) -> Steward:
    """A ready core with every feature installed; no adapters yet, nothing started."""
    store = store or Store.open(settings.storage.url)
    app = Steward(settings, store, clock, jobs=JobRunner(clock))
    for feature in FEATURES:
        feature.install(app)
    return app


def console_adapter(settings: Settings, **options):
    """The console adapter for these settings (`out`, `member` as the console takes them)."""
    from adapters.console import ConsoleAdapter

    return ConsoleAdapter(settings.console, zone_name=settings.community.timezone, **options)


BUILT_PLATFORMS = ("discord", "slack")  # the chat platforms this build has adapters for


def platform_app(settings: Settings, clock: Clock, store: Store | None = None) -> Steward:
    """The core with an adapter for every chat platform the settings enable, as `steward run`
    runs it (see BUILT_PLATFORMS); nothing started."""
    app = build_app(settings, clock, store)
    if settings.discord.enabled:
        from adapters.discord.adapter import DiscordAdapter

        app.add_adapter(DiscordAdapter(settings))
    if settings.slack.enabled:
        from adapters.slack.adapter import SlackAdapter

        app.add_adapter(SlackAdapter(settings))
    return app


def slack_manifest(settings: Settings, request_url: str) -> dict:
    """The Slack app manifest for these settings and every installed command (`request_url`
    in http mode); ValueError when a command does not fit Slack."""
    from adapters.slack.manifest import manifest
    from bot.core.clock import SystemClock

    store = Store.open("sqlite://", migrate=False)  # for the registry only: never touched
    try:
        app = build_app(settings, SystemClock(), store)
        return manifest(settings.slack, app.registry, request_url=request_url)
    finally:
        store.close()


def open_export(platform: str, paths: list[Path], settings: Settings) -> Export:
    """Open a `platform` export for `steward import` (BadExport naming what is wrong):
    managers and the managers' channel as the settings name them."""
    if platform == "slack":
        from adapters.slack.export import open_slack_export

        if len(paths) != 1:
            raise BadExport(" ".join(map(str, paths)), "give one Slack export (folder or .zip)")
        slack = settings.slack
        return open_slack_export(
            paths[0], managers=slack.managers, admin_channel=slack.admin_channel
        )
    from adapters.discord.export import open_discord_export

    discord = settings.discord
    return open_discord_export(
        paths, manager_role=discord.manager_role, admin_channel=discord.admin_channel
    )
