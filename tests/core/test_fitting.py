"""Content fitted within a platform's limits: long text split, never rejected; labels cut."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.capabilities import Capabilities, Dialect
from bot.core.commands import CommandSpec
from bot.core.context import CommandContext
from bot.core.fitting import cut_text, fit, fit_form, fit_one, split_text
from bot.core.markup import bold, link, plain, render
from bot.core.messages import Button, Form, FormField, Image, Message, Section
from tests.recording import Recorded

SMALL = Capabilities(message_length=50, section_text_length=40, sections_per_message=2)
WORDS = " ".join(f"w{n:02d}" for n in range(30))  # 30 words of 3 characters: 119 characters


def test_text_is_split_at_paragraphs_first() -> None:
    text = f"{'a' * 30}\n\n{'b' * 30}\n\n{'c' * 10}"
    assert split_text(text, 50, Dialect.PLAIN) == ["a" * 30, f"{'b' * 30}\n\n{'c' * 10}"]


def test_then_at_lines_then_words_then_anywhere() -> None:
    assert split_text("one two\nthree four", 12, Dialect.PLAIN) == ["one two", "three four"]
    assert split_text(WORDS, 50, Dialect.PLAIN) == [WORDS[:47], WORDS[48:95], WORDS[96:]]
    assert split_text("x" * 25, 10, Dialect.PLAIN) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_bold_span_cut_in_two_is_closed_and_opened_again() -> None:
    text = bold("alpha beta gamma delta")
    parts = split_text(text, 16, Dialect.DISCORD)
    assert [render(p, Dialect.DISCORD) for p in parts] == ["**alpha beta**", "**gamma delta**"]


def test_a_link_is_never_cut_and_lengths_count_what_the_platform_shows() -> None:
    text = f"see {link('https://example.org/a', 'the notes')} now"
    assert len(plain(text)) == 41 and len(render(text, Dialect.DISCORD)) == 42
    assert split_text(text, 41, Dialect.PLAIN) == [text]
    parts = [render(p, Dialect.DISCORD) for p in split_text(text, 41, Dialect.DISCORD)]
    assert parts == ["see [the notes](https://example.org/a)", "now"]


def test_escapes_count_towards_the_length() -> None:
    text = "a_b " * 10  # 40 characters, 50 on Discord (each _ is escaped)
    assert len(split_text(text, 45, Dialect.PLAIN)) == 1
    assert len(split_text(text, 45, Dialect.DISCORD)) == 2


def test_a_long_message_becomes_several_with_its_buttons_image_and_file_on_the_last() -> None:
    image = Image("chart.png", b"png")
    message = Message(text=WORDS, buttons=(Button("Vote", "poll:vote:1:0"),), image=image)
    parts = fit(message, SMALL)
    assert [len(p.text) for p in parts] == [47, 47, 23]
    assert [p.buttons for p in parts[:-1]] == [(), ()] and parts[-1].buttons == message.buttons
    assert parts[-1].image == image and parts[0].image is None
    assert " ".join(p.text for p in parts) == WORDS  # nothing lost


def test_sections_beyond_the_limits_move_to_following_messages() -> None:
    sections = (
        Section(title="Results", text="x " * 30),  # 60 characters: two sections of text
        Section(fields=tuple((f"f{n}", str(n)) for n in range(30))),  # 25 + 5 fields
    )
    parts = fit(Message(text="Poll 1", sections=sections), SMALL)
    assert [p.text for p in parts] == ["Poll 1", ""]
    assert [[s.title for s in p.sections] for p in parts] == [["Results", ""], ["", ""]]
    assert [len(s.fields) for p in parts for s in p.sections] == [0, 0, 25, 5]


def test_sections_longer_together_than_the_platform_allows_go_on_whole() -> None:
    caps = replace(SMALL, sections_per_message=10, sections_total_length=70)
    sections = tuple(Section(title=f"s{n}", text="y" * 30) for n in range(4))  # 32 each
    parts = fit(Message(text="Digest", sections=sections), caps)
    assert [[s.title for s in p.sections] for p in parts] == [["s0", "s1"], ["s2", "s3"]]
    edited = fit_one(Message(text="Digest", sections=sections), caps)
    assert [s.title for s in edited.sections] == ["s0", "s1"]


def test_a_message_that_fits_is_one_message_as_it_was() -> None:
    message = Message(text="short", sections=(Section(text="body", title="T"),))
    assert fit(message, SMALL) == [message]


def test_button_labels_are_cut_and_too_many_buttons_is_a_programming_error() -> None:
    caps = replace(SMALL, button_label_length=8, buttons_per_message=2)
    [part] = fit(Message(text="x", buttons=(Button("Wednesday evening", "p:1"),)), caps)
    assert part.buttons[0].label == "Wednesd…"
    with pytest.raises(ValueError, match="3 buttons"):
        fit(Message(text="x", buttons=tuple(Button(str(n), f"p:{n}") for n in range(3))), caps)


def test_an_edit_is_one_message_cut_with_an_ellipsis() -> None:
    edited = fit_one(Message(text=WORDS, sections=(Section(text="y " * 40),) * 3), SMALL)
    assert edited.text == WORDS[:47] + "…" and len(edited.sections) == 2
    assert len(edited.sections[0].text) <= 40 and edited.sections[0].text.endswith("…")
    assert cut_text("fits", 10, Dialect.PLAIN) == "fits"


def test_forms_are_cut_to_the_platform() -> None:
    form = Form("survey:1", "Community feedback for March", (FormField("q1", "Q" * 60),))
    fitted = fit_form(form, Capabilities())
    assert fitted.title == "Community feedback for…" and len(fitted.title) <= 24
    assert fitted.fields[0].label == "Q" * 44 + "…"
    with pytest.raises(ValueError, match="6 fields"):
        fit_form(replace(form, fields=(FormField("q", "q"),) * 6), Capabilities())


async def test_a_long_private_answer_arrives_in_parts_nothing_rejected(
    recorded: Recorded,
) -> None:
    recorded.adapter.capabilities = Capabilities(message_length=50)
    answer = WORDS + "!"  # 120 characters

    async def echo(ctx: CommandContext) -> None:
        await ctx.reply(answer)

    recorded.app.registry.add(CommandSpec(name="echo", help="Say a long answer.", handler=echo))
    said = await recorded.command("/echo")
    told = said.told("you")
    assert len(told) == 3 and all(len(text) <= 50 for text in told)
    assert " ".join(told) == answer


async def test_a_long_post_is_split_and_the_last_part_is_remembered(recorded: Recorded) -> None:
    recorded.adapter.capabilities = Capabilities(message_length=50)
    general = recorded.channel("general").channel_id
    message = Message(text=WORDS, buttons=(Button("Vote", "poll:vote:1:0"),))
    sent = await recorded.app.send(recorded.adapter.platform, general, message)
    parts = recorded.posts
    assert [len(p.text) for p in parts] == [47, 47, 23]
    assert sent.message_id == parts[-1].message_id and parts[-1].labels == ["Vote"]


async def test_a_form_title_longer_than_the_platform_allows_is_cut(recorded: Recorded) -> None:
    recorded.manager("mia")
    line = '/survey create title:"Community feedback for March" questions:"How was it?"'
    [survey] = (await recorded.command(line, by="mia", in_="managers")).public("survey")
    await recorded.click(survey, "Respond", by="bob")
    form = recorded.form_for("bob").form
    assert form.title == "Community feedback for…"


def test_an_edit_keeps_as_much_text_as_fits_cut_at_a_word_nearby() -> None:
    text = f"Short first paragraph.\n\n{WORDS}"
    assert (
        cut_text(text, 60, Dialect.PLAIN)
        == "Short first paragraph.\n\nw00 w01 w02 w03 w04 w05 w06 w07 w08…"
    )
    assert cut_text("x" * 80, 60, Dialect.PLAIN) == "x" * 59 + "…"
    assert render(cut_text(bold(WORDS), 20, Dialect.SLACK), Dialect.SLACK) == "*w00 w01 w02 w03*…"


def test_a_command_in_plain_backticks_is_not_cut() -> None:
    text = "Run the command `/poll close id:1`"
    assert split_text(text, 25, Dialect.DISCORD) == ["Run the command", "`/poll close id:1`"]
