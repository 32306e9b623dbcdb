"""The command registry: declared once, typed options, who may run what where."""

import pytest

from bot.bootstrap import FEATURES
from bot.core.app import Steward
from bot.core.clock import VirtualClock
from bot.core.commands import Access, CommandRegistry, CommandSpec, Option, OptionType, may_run
from bot.core.errors import UsageError
from bot.store.database import Store
from jobs.runner import JobRunner
from tests.conftest import START
from tests.recording import Recorded


async def _noop(ctx) -> None:
    return None


def make_registry() -> CommandRegistry:
    registry = CommandRegistry()
    registry.command("help", "List commands.")(_noop)
    registry.command(
        "poll create",
        "Start a poll.",
        Option("question", required=True, max_length=300),
        Option("options", required=True),
        Option("multi", OptionType.BOOLEAN),
        Option("winners", OptionType.INTEGER, min_value=1, max_value=10),
    )(_noop)
    registry.command(
        "calendar add",
        "Schedule a post.",
        Option("type", required=True, choices=("article", "video")),
        access=Access.MANAGER,
    )(_noop)
    registry.command("feedback", "Tell us.", Option("text", required=True))(_noop)
    return registry


def test_resolves_multi_word_commands_and_types_options() -> None:
    spec, raw = make_registry().resolve_text('poll create question:"Q?" options:"a | b" multi:yes')
    assert spec.name == "poll create"
    assert spec.bind(raw) == {"question": "Q?", "options": "a | b", "multi": True}


def test_free_words_fill_the_required_option_keeping_their_case() -> None:
    spec, raw = make_registry().resolve_text("Feedback The new Onboarding is great")
    assert spec.bind(raw) == {"text": "The new Onboarding is great"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("poll create options:x", "needs `question`"),
        ('poll create question:"q" options:x colour:red', "has no option `colour`"),
        ('poll create question:"q" options:x multi:maybe', "must be true or false"),
        ('poll create question:"q" options:x winners:0', "at least 1"),
        ('poll create question:"q" options:x winners:two', "whole number"),
        ("calendar add type:podcast", "must be one of article, video"),
        ("poll create question:" + '"' + "x" * 301 + '" options:y', "limit is 300"),
    ],
)
def test_bad_options_say_what_is_wrong_and_show_usage(line: str, message: str) -> None:
    registry = make_registry()
    with pytest.raises(UsageError) as caught:
        spec, raw = registry.resolve_text(line)
        spec.bind(raw)
    assert message in caught.value.message
    assert caught.value.usage.startswith("/")


def test_unknown_commands_suggest_siblings_or_help() -> None:
    registry = make_registry()
    with pytest.raises(UsageError, match="Did you mean: /poll create"):
        registry.resolve_text("poll launch")
    with pytest.raises(UsageError, match="/help"):
        registry.resolve_text("dance")


def test_manager_commands_only_for_managers_in_the_managers_channel() -> None:
    spec = make_registry().get("calendar add")
    assert "for community managers" in may_run(spec, is_manager=False, in_admin_channel=True)
    assert "only in the managers' channel" in may_run(spec, is_manager=True, in_admin_channel=False)
    assert may_run(spec, is_manager=True, in_admin_channel=True) is None


def test_available_lists_what_a_member_may_run_here() -> None:
    registry = make_registry()
    member = [s.name for s in registry.available(is_manager=False, in_admin_channel=False)]
    manager = [s.name for s in registry.available(is_manager=True, in_admin_channel=True)]
    assert "calendar add" not in member
    assert "calendar add" in manager


@pytest.mark.parametrize("again", ["help", "poll create"])
def test_a_command_declared_twice_is_refused(again: str) -> None:
    registry = make_registry()
    with pytest.raises(ValueError, match=f"/{again} is declared twice"):
        registry.command(again, "again")(_noop)
    assert [s.help for s in registry if s.name == again] != ["again"]


@pytest.mark.parametrize("name", ["Help", "poll  create", " feedback", "poll create now", ""])
def test_a_malformed_command_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="lowercase words separated by one space"):
        make_registry().command(name, "x")(_noop)


class DeclarationLog(CommandRegistry):
    """A registry that also keeps every declaration, in order, even one it refuses."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: list[CommandSpec] = []

    def add(self, spec: CommandSpec) -> None:
        self.declared.append(spec)
        super().add(spec)


def test_every_declared_command_is_unique_and_well_formed(settings) -> None:
    """Walk every command each feature declares: unique names, and Discord's rules."""
    registry = DeclarationLog()
    store = Store.open(settings.storage.url)
    app = Steward(settings, store, VirtualClock(START), JobRunner(VirtualClock(START)), registry)
    for feature in FEATURES:
        feature.install(app)
    store.close()
    names = [spec.name for spec in registry.declared]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert {"help", "stats me", "poll create", "calendar add", "privacy forget"} <= set(names)
    assert all(len(spec.words) <= 2 for spec in registry.declared)  # a command, a subcommand
    assert registry.violations() == []
    assert registry.group_help("poll") == "poll commands: close, create, results"
    for group in {spec.words[0] for spec in registry.declared if len(spec.words) == 2}:
        assert 1 <= len(registry.group_help(group)) <= 100, group


async def test_an_unknown_command_with_typed_options_gets_the_same_refusal(
    recorded: Recorded,
) -> None:
    """Discord delivers a name and typed options: the refusal reads as for a typed line."""
    [sibling] = (await recorded.invoke("poll launch", question="x")).told("you")
    assert sibling.startswith("`/poll launch` is not a command. Did you mean: /poll")
    assert "/poll create" in sibling
    [unknown] = (await recorded.invoke("dance")).told("you")
    assert unknown == "`/dance` is not a command. Type `/help` to see what you can run here."
