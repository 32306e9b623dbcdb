"""Neutral messages and forms as Slack Block Kit, within Slack's limits."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from adapters.slack.render import (
    BLOCKS_TEXT,
    SLACK,
    blocks,
    fallback_text,
    form_values,
    modal,
    mrkdwn,
    post_kwargs,
    update_kwargs,
)
from bot.core.fitting import fit
from bot.core.markup import bold, channel_mention, link, mention
from bot.core.messages import Button, ButtonStyle, Form, FormField, Image, Message, Section


def _texts(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [v for k, v in node.items() if k == "text" and isinstance(v, str)]
        return own + [t for k, v in node.items() if k != "text" for t in _texts(v)]
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


def _check_text(obj: dict[str, Any], limit: int) -> None:
    assert obj["type"] in ("plain_text", "mrkdwn")
    assert obj["text"].strip(), f"empty text object: {obj}"
    assert len(obj["text"]) <= limit, f"{len(obj['text'])} > {limit}"


def _check_block(block: dict[str, Any]) -> None:
    kind = block["type"]
    if kind == "section":
        assert "text" in block or block.get("fields")
        if "text" in block:
            _check_text(block["text"], 3000)
        assert len(block.get("fields", [])) <= 10
        for field in block.get("fields", []):
            _check_text(field, 2000)
    elif kind == "header":
        assert block["text"]["type"] == "plain_text"
        _check_text(block["text"], 150)
    elif kind == "context":
        assert 1 <= len(block["elements"]) <= 10
        for element in block["elements"]:
            _check_text(element, 3000)
    elif kind == "actions":
        assert 1 <= len(block["elements"]) <= 25
        ids = [e["action_id"] for e in block["elements"]]
        assert len(set(ids)) == len(ids)
        for button in block["elements"]:
            assert button["text"]["type"] == "plain_text"
            _check_text(button["text"], 75)
            assert button.get("style") in (None, "primary", "danger")
    else:
        raise AssertionError(f"unexpected block {kind}")
    Block.parse(block).validate_json()  # slack_sdk's own checks too


def check_slack_message(shown: list[dict[str, Any]]) -> None:
    """Slack's limits for one message's blocks."""
    assert 1 <= len(shown) <= 50
    assert sum(len(t) for t in _texts(shown)) <= BLOCKS_TEXT
    for block in shown:
        _check_block(block)


def _poll() -> Message:
    return Message(
        text=f"{bold('Lunch?')} Pick one",
        sections=(
            Section(
                title="Poll 3 · single choice",
                fields=(("pizza", "██░ 2 · 67%"), ("pasta", "█░░ 1 · 33%"), ("salad", "0")),
            ),
            Section(text="3 voters · closes Fri 18:00"),
            Section(text="Votes are not anonymous."),
        ),
        buttons=(
            Button("pizza", "poll:vote:3:0", ButtonStyle.PRIMARY),
            Button("pasta", "poll:vote:3:1"),
            Button("Close poll", "poll:close:3", ButtonStyle.DANGER),
        ),
        tag="poll",
    )


def test_a_poll_is_a_header_fields_a_status_line_and_its_buttons() -> None:
    shown = blocks(_poll())
    check_slack_message(shown)
    assert [b["type"] for b in shown] == [
        "context", "section", "header", "section", "context", "actions",
    ]  # fmt: skip
    tag, text, header, counts, status, actions = shown
    assert tag["elements"][0]["text"] == "📊 poll"
    assert text["text"] == {"type": "mrkdwn", "text": "*Lunch?* Pick one"}
    assert header["text"]["text"] == "Poll 3 · single choice"
    assert [f["text"] for f in counts["fields"]] == [
        "*pizza*\n██░ 2 · 67%", "*pasta*\n█░░ 1 · 33%", "*salad*\n0",
    ]  # fmt: skip
    assert status["elements"][0]["text"] == "3 voters · closes Fri 18:00\nVotes are not anonymous."
    buttons = actions["elements"]
    assert [b["action_id"] for b in buttons] == ["poll:vote:3:0", "poll:vote:3:1", "poll:close:3"]
    assert [b["value"] for b in buttons] == ["poll:vote:3:0", "poll:vote:3:1", "poll:close:3"]
    assert [b.get("style") for b in buttons] == ["primary", None, "danger"]  # no "secondary"
    assert buttons[0]["text"] == {"type": "plain_text", "text": "pizza", "emoji": True}


def test_a_lone_plain_section_with_nothing_before_it_stays_a_section() -> None:
    shown = blocks(Message(text="Poll 3", sections=(Section(text="Results are hidden."),)))
    assert [b["type"] for b in shown] == ["section", "section"]
    linked = Section(text=f"see {link('https://example.org', 'the rules')}")
    after = blocks(Message(text="", sections=(Section(title="Poll"), linked)))
    assert after[-1] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "see <https://example.org|the rules>"},
    }


def test_markup_is_slack_mrkdwn_and_member_text_is_escaped() -> None:
    text = f"{bold('Poll 3')} by {mention('U123', 'bob')} in {channel_mention('C7', 'general')}"
    text += f": {link('https://example.org/?a=1&b=2', 'results')} for Tom & Jerry <3 >_<"
    assert mrkdwn(text) == (
        "*Poll 3* by <@U123> in <#C7>: <https://example.org/?a=1&amp;b=2|results>"
        " for Tom &amp; Jerry &lt;3 &gt;_&lt;"
    )
    [section] = blocks(Message(text="<!channel> & <@U999>"))
    assert section["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U999&gt;"


def test_a_long_text_is_several_section_blocks_and_loses_no_word() -> None:
    words = [f"w{n}" for n in range(2500)]
    text = " ".join(words)
    text = (text + " " + "x" * 10_000)[:10_000]
    shown = blocks(Message(text=text))
    check_slack_message(shown)
    assert len(shown) >= 4 and all(b["type"] == "section" for b in shown)
    assert all(len(b["text"]["text"]) <= 3000 for b in shown)
    joined = " ".join(b["text"]["text"] for b in shown)
    assert joined.split() == text.split()


def test_twenty_five_buttons_are_one_actions_block() -> None:
    buttons = tuple(Button(f"option {n}", f"poll:vote:1:{n}") for n in range(25))
    shown = blocks(Message(text="Pick", buttons=buttons))
    check_slack_message(shown)
    [actions] = [b for b in shown if b["type"] == "actions"]
    assert len(actions["elements"]) == 25
    assert [b["value"] for b in actions["elements"]] == [b.action_id for b in buttons]


def test_labels_are_plain_and_cut_and_a_repeated_action_id_stays_unique() -> None:
    buttons = (Button(bold("snake_case ") + "y" * 100, "a:1"), Button("again", "a:1"))
    [actions] = blocks(Message(text="", buttons=buttons))
    first, second = actions["elements"]
    assert len(first["text"]["text"]) == 75 and first["text"]["text"].endswith("…")
    assert first["text"]["text"].startswith("snake_case y")
    assert (first["action_id"], second["action_id"]) == ("a:1", "a:1#2")
    assert second["value"] == "a:1"  # the core's id, to route the click


def test_a_message_fitted_for_slack_fits_each_of_slacks_limits() -> None:
    sections = tuple(
        Section(
            title=f"Section {n}",
            text=f"About {n}",
            fields=tuple((f"name {n}.{m}", f"value {m} " * 8) for m in range(25)),
        )
        for n in range(40)
    )
    buttons = tuple(Button(f"b{n}", f"t:{n}") for n in range(25))
    parts = fit(Message(text="word " * 3000, sections=sections, buttons=buttons), SLACK)
    shown = [blocks(part) for part in parts]
    for one in shown:
        check_slack_message(one)
    every = [b for one in shown for b in one]
    assert not any(b["type"] == "context" for b in every)  # the last-resort "…" never needed
    fields = [f for b in every for f in b.get("fields", [])]
    assert len(fields) == 40 * 25  # nothing left out
    assert sum(b["type"] == "actions" for b in every) == 1
    assert shown[-1][-1]["type"] == "actions"


def test_an_unfitted_message_too_big_for_slack_is_cut_short_but_valid() -> None:
    many = tuple(Section(title=f"S{n}", text="v" * 100) for n in range(40))  # 80 blocks
    long = tuple(Section(title=f"S{n}", fields=(("n", "v " * 1500),) * 4) for n in range(3))
    for sections in (many, long):
        shown = blocks(Message(text="x", sections=sections, buttons=(Button("ok", "a"),)))
        check_slack_message(shown)
        assert shown[-2]["elements"][0]["text"] == "…"
        assert shown[-1]["type"] == "actions"
    [field, *_] = blocks(Message(text="", sections=long[:1]))[1]["fields"]
    assert len(field["text"]) <= 2000 and field["text"].endswith("…")


def test_a_long_form_title_is_cut_to_24_characters() -> None:
    view = modal(Form("survey:answer:4", "A survey title far longer than Slack shows", ()))
    assert view["title"]["text"] == "A survey title far long…"
    assert len(view["title"]["text"]) == 24


def test_a_form_is_a_modal_and_its_submission_reads_back_by_field_id() -> None:
    form = Form(
        "survey:answer:4",
        bold("Our_survey"),
        (
            FormField("q1", "How was it (1-5)", min_value=1, max_value=5, default="3"),
            FormField("q2", "What would you change?", multiline=True, required=False),
            FormField("q3", "Your name", max_length=40, default="Bob"),
        ),
    )
    view = modal(form, private_metadata='{"channel": "C1"}')
    View(**view).validate_json()
    assert (view["callback_id"], view["title"]["text"]) == ("survey:answer:4", "Our_survey")
    assert (view["submit"]["text"], view["close"]["text"]) == ("Submit", "Cancel")
    assert view["private_metadata"] == '{"channel": "C1"}'
    number, changes, name = view["blocks"]
    assert [b["block_id"] for b in view["blocks"]] == ["q1", "q2", "q3"]
    assert number["element"] == {
        "type": "number_input",
        "action_id": "q1",
        "is_decimal_allowed": False,
        "min_value": "1",
        "max_value": "5",
        "initial_value": "3",
    }
    assert changes["optional"] is True and changes["element"]["multiline"] is True
    assert changes["element"]["max_length"] == 3000
    assert name["element"]["max_length"] == 40 and name["element"]["initial_value"] == "Bob"
    assert name["optional"] is False and name["label"]["text"] == "Your name"
    submitted = {
        "state": {
            "values": {
                b["block_id"]: {
                    b["element"]["action_id"]: {"type": b["element"]["type"], "value": value}
                }
                for b, value in zip(view["blocks"], ["4", None, "Ann"], strict=True)
            }
        }
    }
    assert form_values(submitted) == {"q1": "4", "q2": "", "q3": "Ann"}


def test_fallback_text_is_the_plain_message_within_3000_and_never_empty() -> None:
    assert fallback_text(_poll()).startswith("*Lunch?* Pick one\n*Poll 3 · single choice*")
    long = fallback_text(Message(text="word " * 2000))
    assert len(long) <= 3000 and long.endswith("…")
    assert fallback_text(Message(text="", tag="poll")) == "poll"
    chart = Image("chart.png", b"png", alt="Bar chart of the votes")
    assert fallback_text(Message(text="", image=chart)) == "Bar chart of the votes"
    assert fallback_text(Message(text="  ")) == "Steward"


def test_kwargs_leave_out_empty_blocks_but_an_update_clears_them() -> None:
    assert post_kwargs(Message(text="", tag="")) == {"text": "Steward"}
    kwargs = post_kwargs(Message(text="Hi & bye"))
    assert kwargs == {
        "text": "Hi &amp; bye",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi &amp; bye"}}],
    }
    assert update_kwargs(Message(text=""))["blocks"] == []
