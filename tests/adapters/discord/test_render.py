"""Neutral messages and forms as Discord payloads, within Discord's limits."""

from __future__ import annotations

from adapters.discord.render import DISCORD, embeds, markdown, modal, send_kwargs, view
from bot.core.fitting import fit
from bot.core.markup import bold, channel_mention, link, mention
from bot.core.messages import Button, Form, FormField, Message, Section


def test_markup_is_written_as_discord_markdown() -> None:
    text = f"{bold('Poll 3')} by {mention('42', 'bob')} in {channel_mention('7', 'general')}"
    text += f": {link('https://example.org', 'results')} for snake_case"
    assert markdown(text) == (
        "**Poll 3** by <@42> in <#7>: [results](https://example.org) for snake\\_case"
    )


def test_embed_fields_and_titles_are_cut_to_discords_limits() -> None:
    section = Section(title="T" * 300, text="d", fields=(("n" * 300, "v" * 1100),))
    [shown] = embeds(Message(text="", sections=(section,)))
    payload = shown.to_dict()
    assert len(payload["title"]) == 256 and payload["title"].endswith("…")
    [field] = payload["fields"]
    assert len(field["name"]) == 256 and len(field["value"]) == 1024


def test_sections_over_6000_characters_go_on_into_another_message_whole() -> None:
    sections = tuple(Section(title=f"part {n}", text="x" * 1900) for n in range(5))
    parts = [embeds(part) for part in fit(Message(text="", sections=sections), DISCORD)]
    assert [[e.title for e in shown] for shown in parts] == [
        ["part 0", "part 1", "part 2"],
        ["part 3", "part 4"],
    ]
    assert all(sum(len(e) for e in shown) <= 6000 for shown in parts)
    assert all(e.description == "x" * 1900 for shown in parts for e in shown)


def test_a_message_fitted_for_discord_fits_each_limit() -> None:
    message = Message(text="word " * 1000, sections=(Section(text="line\n" * 1500),))
    for part in fit(message, DISCORD):
        kwargs = send_kwargs(part)
        assert len(kwargs.get("content") or "") <= 2000
        assert all(len(e.description or "") <= 4096 for e in kwargs.get("embeds", []))


def test_buttons_are_five_to_a_row_with_the_cores_action_ids() -> None:
    shown = view(Message(text="", buttons=tuple(Button(f"b{n}", f"t:{n}") for n in range(12))))
    assert shown is not None
    rows = [item.to_component_dict() for item in shown.children]
    assert [r["custom_id"] for r in rows] == [f"t:{n}" for n in range(12)]
    assert [len(row["components"]) for row in shown.to_components()] == [5, 5, 2]
    assert shown.timeout is None


def test_a_form_is_a_modal_of_text_inputs_within_discords_limits() -> None:
    form = Form(
        "survey:answer:4",
        "A survey title that is far longer than Discord allows for a modal",
        (
            FormField("q1", "How was it (1-5)", max_length=1),
            FormField("q2", "What would you change? " * 4, multiline=True, required=False),
        ),
    )
    payload = modal(form).to_dict()
    assert payload["custom_id"] == "survey:answer:4"
    assert len(payload["title"]) <= 45
    inputs = [row["components"][0] for row in payload["components"]]
    assert [i["custom_id"] for i in inputs] == ["q1", "q2"]
    assert inputs[0]["max_length"] == 1 and inputs[0]["style"] == 1
    assert inputs[1]["style"] == 2 and inputs[1]["required"] is False
    assert all(len(i["label"]) <= 45 for i in inputs)


def test_button_labels_and_form_titles_are_plain_text_discord_shows_as_is() -> None:
    shown = view(Message(text="", buttons=(Button(f"{bold('snake_case')} · 3", "t:1"),)))
    assert shown is not None
    [button] = shown.children
    assert button.to_component_dict()["label"] == "snake_case · 3"
    payload = modal(Form("f:1", bold("Our_survey"), (FormField("a", "first_name"),))).to_dict()
    assert payload["title"] == "Our_survey"
    assert payload["components"][0]["components"][0]["label"] == "first_name"


def test_a_status_line_after_a_section_is_its_footer_and_short_fields_sit_side_by_side():
    counts = Section(title="Poll 1 · single choice", fields=(("pizza", "██░ 2 · 67%"),))
    status = Section(text="3 voters · closes Fri 18:00")
    linked = Section(text=f"see {link('https://example.org', 'the rules')}")
    [shown, with_link] = embeds(Message(text="Pizza?", sections=(counts, status, linked)))
    assert shown.title == "Poll 1 · single choice"
    assert shown.footer.text == "3 voters · closes Fri 18:00"
    assert shown.fields[0].inline  # values of 16 characters or fewer
    assert with_link.description == "see [the rules](https://example.org)"  # links need text
    long = Section(fields=(("pizza", "█" * 20 + " 2 · 67%"), ("pasta", "1")))
    [listed] = embeds(Message(text="", sections=(long,)))
    assert not any(field.inline for field in listed.fields)
