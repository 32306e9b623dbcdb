"""`steward calendar import --platform`: only a platform configured here (or the console)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.main import cli
from bot.features.calendar.store import CalendarPost
from bot.store.database import Store
from bot.store.models import Channel

GOOD = Path(__file__).parent / "fixtures" / "good.ics"


@pytest.mark.parametrize(
    ("platform", "why"),
    [
        ("discord", "no Discord adapter is configured ([discord] enabled = false)"),
        ("slack", "no Slack adapter is configured ([slack] enabled = false)"),
        ("irc", "not a platform"),
    ],
)
def test_a_platform_not_configured_is_refused_at_import(
    db_url: str, platform: str, why: str
) -> None:
    runner = CliRunner()
    base = ["calendar", "import", str(GOOD), "--db", db_url, "--now", "2026-03-02T09:00Z"]
    refused = runner.invoke(cli, [*base, "--platform", platform])
    after = runner.invoke(cli, base)  # the same file on the console: nothing was stored before
    assert refused.exit_code == 2
    assert refused.output == f"steward: --platform {platform}: {why}; choose console.\n"
    assert "Imported 2 calendar posts from good.ics (#1, #2)." in after.output


def test_an_enabled_platform_is_accepted(db_url: str, tmp_path: Path) -> None:
    config = tmp_path / "steward.toml"
    config.write_text('[discord]\nenabled = true\ntoken = "x"\nguild_id = "1"\n')
    args = ["calendar", "import", str(GOOD), "--db", db_url, "--config", str(config)]
    result = CliRunner().invoke(cli, [*args, "--now", "2026-03-02T09:00Z", "--platform", "discord"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 calendar posts from good.ics (#1, #2)." in result.output
    assert "discord is not connected" in result.output


def test_with_no_adapter_here_the_channels_steward_has_seen_give_their_ids(
    db_url: str, tmp_path: Path
) -> None:
    """The command line cannot ask Discord: a channel seen before is stored by its id; one
    never seen keeps its name until the post goes out (then the id is looked up)."""
    store = Store.open(db_url)
    seen = Channel(platform="discord", platform_channel_id="1001", name="general")
    store.call(lambda session: session.add(seen))
    config = tmp_path / "steward.toml"
    config.write_text('[discord]\nenabled = true\ntoken = "x"\nguild_id = "1"\n')
    args = ["calendar", "import", str(GOOD), "--db", db_url, "--config", str(config)]
    result = CliRunner().invoke(cli, [*args, "--now", "2026-03-02T09:00Z", "--as", "ann"])
    stored = store.call(
        lambda session: [
            (p.channel_id, p.channel_name, p.author_id, p.source)
            for p in session.exec(select(CalendarPost).order_by(CalendarPost.id))
        ]
    )
    store.close()
    assert result.exit_code == 0, result.output
    assert stored == [
        ("announcements", "announcements", None, "good.ics line 4, imported by ann"),
        ("1001", "general", None, "good.ics line 15, imported by ann"),
    ]
