"""Whole-number options refuse numbers no store can hold, and number options numbers out of
range, naming the option and the usage."""

import pytest

from bot.bootstrap import build_app
from bot.core.clock import VirtualClock
from bot.core.commands import INTEGER_LIMIT, Option, OptionType
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from tests.conftest import START, Community
from tests.recording import Recorded

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "line",
    [
        f"/poll results id:{HUGE}",
        f"/poll close id:{HUGE}",
        f"/survey results id:{HUGE}",
        f"/contest enter id:{HUGE}",
        f"/contest draw id:{HUGE}",
        f"/calendar cancel id:{HUGE}",
        f"/calendar pause id:-{HUGE}",
    ],
)
async def test_a_huge_id_is_refused_with_its_name_and_usage(
    community: Community, line: str
) -> None:
    out = await community.run(f":as boss manager\n:in managers\n{line}")
    command, _, value = line.partition(" id:")
    refusal = f"`id` must be a whole number from 1 to 2,147,483,647 (got {value})."
    assert f"Steward → boss (private): {refusal}" in out
    assert f"Usage: {command} id:<integer>" in out
    assert "went wrong" not in out


async def test_the_largest_id_is_an_ordinary_not_found(community: Community) -> None:
    out = await community.run(f"/poll results id:{INTEGER_LIMIT}")
    assert "went wrong" not in out and "must be a whole number" not in out


def test_every_whole_number_option_of_every_command_refuses_a_huge_value(settings) -> None:
    app = build_app(settings, VirtualClock(START))
    checked = []
    for spec in app.registry:
        for option in spec.options:
            if option.type is OptionType.INTEGER:
                with pytest.raises(UsageError, match=f"`{option.name}` must be"):
                    option.convert(HUGE, spec.usage())
                checked.append(f"{spec.name} {option.name}")
    app.store.close()
    assert "poll results id" in checked and len(checked) >= 15


def test_a_long_non_number_is_cut_when_echoed(settings) -> None:
    app = build_app(settings, VirtualClock(START))
    spec = app.registry.get("poll results")
    app.store.close()
    with pytest.raises(UsageError) as caught:
        spec.bind({"id": "x" * 50_000})
    assert len(caught.value.message) < 120


async def test_a_number_option_takes_decimals_within_its_range(recorded: Recorded) -> None:
    seen: list[object] = []

    async def handler(ctx: CommandContext) -> None:
        seen.append(ctx.options.get("share"))
        await ctx.reply("ok")

    share = Option("share", OptionType.NUMBER, "a fraction", min_value=0, max_value=1)
    recorded.app.registry.command("split", "Split a prize.", share)(handler)
    usage = "Usage: /split [share:<number>]"
    for value, refusal in (
        ("1.5", "`share` must be at most 1."),
        ("-0.25", "`share` must be at least 0."),
        ("half", "`share` must be a number (got 'half')."),
        ("nan", "`share` must be a number (got 'nan')."),
        ("inf", "`share` must be a number (got 'inf')."),
    ):
        said = await recorded.command(f"/split share:{value}")
        assert said.told("you") == [f"{refusal}\n{usage}"], value
    assert seen == []
    await recorded.command("/split share:0.25")
    await recorded.invoke("split", share=1)  # Discord sends a number as a number
    assert seen == [0.25, 1.0]
