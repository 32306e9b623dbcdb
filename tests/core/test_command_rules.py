"""Discord's application-command rules: each one broken by a small registry, then the real one."""

import pytest

from bot.core.command_rules import violations
from bot.core.commands import CommandRegistry, Option, OptionType
from tests.recording import Recorded


async def _noop(ctx) -> None:
    return None


def registry_of(*commands: tuple) -> CommandRegistry:
    """A registry of (name, help, *options) declarations."""
    registry = CommandRegistry()
    for name, help, *options in commands:
        registry.command(name, help, *options)(_noop)
    return registry


def words(n: int) -> str:
    return "x" * n


def test_a_well_formed_registry_has_no_violations() -> None:
    registry = registry_of(
        ("poll create", "Start a poll.", Option("question", required=True, help="the question")),
        ("poll close", "Close a poll.", Option("id", OptionType.INTEGER, "poll id", required=True)),
        ("feedback", "Tell us.", Option("text", required=True, help="your feedback")),
    )
    assert violations(registry) == []
    assert registry.violations() == []


def test_a_name_is_a_command_or_a_group_never_both() -> None:
    registry = registry_of(
        ("feedback", "Tell us.", Option("text", required=True, help="your feedback")),
        ("feedback summary", "Read it.", Option("days", OptionType.INTEGER, help="window")),
    )
    assert violations(registry) == [
        "/feedback is both a command and the group of /feedback summary: "
        "a name is one or the other."
    ]


@pytest.mark.parametrize(
    ("name", "option", "expected"),
    [
        (
            "poll " + words(33),
            "id",
            f"/poll {words(33)}: the name part '{words(33)}' does not match [-_a-z0-9]{{1,32}}.",
        ),
        (
            "poll",
            "Due Date",
            "/poll option `Due Date`: the name does not match [-_a-z0-9]{1,32}.",
        ),
        ("poll", "", "/poll option ``: the name does not match [-_a-z0-9]{1,32}."),
    ],
)
def test_names_are_lowercase_words_of_1_to_32_characters(
    name: str, option: str, expected: str
) -> None:
    registry = registry_of((name, "Polls.", Option(option, help="an option")))
    assert violations(registry) == [expected]


@pytest.mark.parametrize("length", [0, 101])
def test_a_command_has_a_description_of_1_to_100_characters(length: int) -> None:
    registry = registry_of(("poll", words(length)))
    assert violations(registry) == [
        f"/poll: its description is {length} characters; it must be 1 to 100."
    ]


@pytest.mark.parametrize("length", [0, 101])
def test_an_option_has_a_description_of_1_to_100_characters(length: int) -> None:
    registry = registry_of(("poll", "Polls.", Option("id", help=words(length))))
    assert violations(registry) == [
        f"/poll option `id`: its description is {length} characters; it must be 1 to 100."
    ]


def test_required_options_come_before_optional_ones() -> None:
    registry = registry_of(
        (
            "poll create",
            "Start a poll.",
            Option("question", required=True, help="the question"),
            Option("multi", OptionType.BOOLEAN, help="several answers"),
            Option("options", required=True, help="the answers"),
        )
    )
    assert violations(registry) == [
        "/poll create: the required option `options` comes after the optional `multi`; "
        "required options come first."
    ]


def test_only_integer_and_number_options_have_a_range() -> None:
    registry = registry_of(
        (
            "poll",
            "Polls.",
            Option("id", OptionType.INTEGER, "a number", min_value=1),
            Option("share", OptionType.NUMBER, "a fraction", min_value=0, max_value=1),
            Option("question", help="the question", max_value=10),
        )
    )
    assert violations(registry) == [
        "/poll option `question`: a string option has no min or max value."
    ]


@pytest.mark.parametrize(
    "option",
    [
        Option("text", help="a text", max_length=6001),
        Option("text", help="a text", max_length=0),
        Option("id", OptionType.INTEGER, "a number", max_length=10),
    ],
)
def test_a_max_length_is_for_strings_of_at_most_6000(option: Option) -> None:
    registry = registry_of(("poll", "Polls.", option))
    assert violations(registry) == [
        f"/poll option `{option.name}`: a max length is for string options, from 1 to 6000."
    ]


def test_a_command_has_at_most_25_options() -> None:
    options = [Option(f"o{n}", help="an option") for n in range(26)]
    registry = registry_of(("poll", "Polls.", *options))
    assert violations(registry) == ["/poll has 26 options; the limit is 25."]


def test_a_group_has_at_most_25_subcommands() -> None:
    registry = registry_of(*((f"poll s{n}", "A subcommand.") for n in range(26)))
    assert violations(registry) == ["/poll has 26 subcommands; the limit is 25."]


def test_there_are_at_most_100_top_level_commands() -> None:
    registry = registry_of(*((f"c{n}", "A command.") for n in range(101)))
    assert violations(registry) == ["There are 101 top-level commands; the limit is 100."]


def test_an_option_has_at_most_25_choices() -> None:
    choices = tuple(f"c{n}" for n in range(26))
    registry = registry_of(("poll", "Polls.", Option("kind", help="a kind", choices=choices)))
    assert violations(registry) == ["/poll option `kind` has 26 choices; the limit is 25."]


def test_a_choice_is_at_most_100_characters() -> None:
    option = Option("kind", help="a kind", choices=("short", words(101)))
    registry = registry_of(("poll", "Polls.", option))
    assert violations(registry) == [
        f"/poll option `kind`: the choice {words(20)!r} is 101 characters; it must be 1 to 100."
    ]


def test_a_top_level_command_has_at_most_4000_characters_in_all() -> None:
    options = [Option(f"o{n}", help=words(100)) for n in range(20)]
    registry = registry_of(("poll a", "A.", *options), ("poll b", "B.", *options))
    [found] = violations(registry)
    assert found.startswith("/poll has 4")
    assert found.endswith("characters of names, descriptions and choices; the limit is 4000.")


def test_the_installed_registry_registers_on_discord_as_is(recorded: Recorded) -> None:
    assert violations(recorded.app.registry) == []
