"""Block Kit as Slack checks it: message blocks and modal views, each error worded like
Slack's `response_metadata.messages` ("[ERROR] … [json-pointer:/blocks/0/text/text]")."""

from __future__ import annotations

import copy
import secrets
import string
from typing import Any

MESSAGE_BLOCKS, MODAL_BLOCKS = 50, 100
INTERACTIVE = {
    "button", "static_select", "multi_static_select", "users_select", "multi_users_select",
    "conversations_select", "channels_select", "overflow", "datepicker", "timepicker",
    "checkboxes", "radio_buttons", "plain_text_input", "number_input", "email_text_input",
    "url_text_input", "external_select", "multi_external_select", "multi_conversations_select",
    "multi_channels_select", "datetimepicker", "rich_text_input",
}  # fmt: skip
MESSAGE_TYPES = {"section", "header", "context", "actions", "divider", "image", "rich_text"}
ALPHABET = string.ascii_letters + string.digits


def rich_text_of(text: str) -> dict:
    """The rich_text block a Slack client attaches to a typed message."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return {"type": "rich_text", "block_id": random_id(), "elements": [section]}


def random_id(n: int = 5) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


class Checker:
    """Collects errors while walking blocks; `ids` are the block and action ids seen."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.block_ids: set[str] = set()
        self.action_ids: set[str] = set()

    def err(self, message: str, pointer: str) -> None:
        self.errors.append(f"[ERROR] {message} [json-pointer:{pointer}]")

    def length(self, value: Any, limit: int, pointer: str, *, required: bool = True) -> None:
        if value is None:
            if required:
                self.err("must provide a string", pointer)
        elif not isinstance(value, str):
            self.err("must provide a string", pointer)
        elif len(value) > limit:
            self.err(f"must be less than {limit + 1} characters", pointer)
        elif not value and required:
            self.err("must be more than 0 characters", pointer)

    def text(self, obj: Any, limit: int, pointer: str, *, plain: bool = False) -> None:
        """A text object: plain_text (or mrkdwn unless `plain`) with 1..limit characters."""
        if not isinstance(obj, dict):
            self.err("must provide an object", pointer)
            return
        allowed = ("plain_text",) if plain else ("plain_text", "mrkdwn")
        if obj.get("type") not in allowed:
            self.err(f"must be one of: {', '.join(allowed)}", pointer + "/type")
            return
        self.length(obj.get("text"), limit, pointer + "/text")

    def count(self, items: Any, limit: int, pointer: str, *, minimum: int = 1) -> list:
        if not isinstance(items, list):
            self.err("must provide an array", pointer)
            return []
        if len(items) > limit:
            self.err(f"no more than {limit} items allowed", pointer)
        elif len(items) < minimum:
            self.err(f"must provide at least {minimum} items", pointer)
        return items

    def blocks(self, blocks: Any, pointer: str, *, limit: int, types: set[str]) -> None:
        for i, block in enumerate(self.count(blocks, limit, pointer, minimum=0)):
            self.block(block, f"{pointer}/{i}", types)

    def block(self, block: Any, pointer: str, types: set[str]) -> None:
        if not isinstance(block, dict):
            self.err("must provide an object", pointer)
            return
        kind = block.get("type")
        if kind not in types:
            self.err(f"unsupported type: {kind}", pointer + "/type")
            return
        if "block_id" in block:
            self.length(block["block_id"], 255, pointer + "/block_id")
            if block["block_id"] in self.block_ids:
                self.err("block_id already exists", pointer + "/block_id")
            self.block_ids.add(block["block_id"])
        getattr(self, f"_{kind}")(block, pointer)

    def _section(self, block: dict, pointer: str) -> None:
        if "text" not in block and "fields" not in block:
            self.err("must provide either text or fields", pointer)
        if "text" in block:
            self.text(block["text"], 3000, pointer + "/text")
        if "fields" in block:
            for i, field in enumerate(self.count(block["fields"], 10, pointer + "/fields")):
                self.text(field, 2000, f"{pointer}/fields/{i}")
        if "accessory" in block:
            self.element(block["accessory"], pointer + "/accessory")

    def _header(self, block: dict, pointer: str) -> None:
        self.text(block.get("text"), 150, pointer + "/text", plain=True)

    def _context(self, block: dict, pointer: str) -> None:
        for i, el in enumerate(self.count(block.get("elements"), 10, pointer + "/elements")):
            where = f"{pointer}/elements/{i}"
            if isinstance(el, dict) and el.get("type") == "image":
                self._image_fields(el, where)
            else:
                self.text(el, 3000, where)

    def _actions(self, block: dict, pointer: str) -> None:
        for i, el in enumerate(self.count(block.get("elements"), 25, pointer + "/elements")):
            self.element(el, f"{pointer}/elements/{i}")

    def _divider(self, block: dict, pointer: str) -> None:
        return None

    def _image(self, block: dict, pointer: str) -> None:
        self._image_fields(block, pointer)
        if "title" in block:
            self.text(block["title"], 2000, pointer + "/title", plain=True)

    def _image_fields(self, obj: dict, pointer: str) -> None:
        if "image_url" in obj:
            self.length(obj["image_url"], 3000, pointer + "/image_url")
        elif "slack_file" not in obj:
            self.err("missing required field: image_url", pointer)
        if "alt_text" not in obj:
            self.err("missing required field: alt_text", pointer)
        else:
            self.length(obj["alt_text"], 2000, pointer + "/alt_text")

    def _rich_text(self, block: dict, pointer: str) -> None:
        self.count(block.get("elements"), 1000, pointer + "/elements", minimum=0)

    def _input(self, block: dict, pointer: str) -> None:
        self.text(block.get("label"), 2000, pointer + "/label", plain=True)
        if "hint" in block:
            self.text(block["hint"], 2000, pointer + "/hint", plain=True)
        if not isinstance(block.get("element"), dict):
            self.err("missing required field: element", pointer)
            return
        self.element(block["element"], pointer + "/element")

    def element(self, el: Any, pointer: str) -> None:
        """An interactive element: action_id unique, a button's text, value, url and style."""
        if not isinstance(el, dict) or el.get("type") not in INTERACTIVE | {"image"}:
            kind = el.get("type") if isinstance(el, dict) else el
            self.err(f"unsupported type: {kind}", pointer + "/type")
            return
        if el["type"] == "image":
            self._image_fields(el, pointer)
            return
        if "action_id" in el:
            self.length(el["action_id"], 255, pointer + "/action_id")
            if el["action_id"] in self.action_ids:
                self.err("action_id already exists", pointer + "/action_id")
            self.action_ids.add(el["action_id"])
        if el["type"] == "button":
            self.text(el.get("text"), 75, pointer + "/text", plain=True)
            if "value" in el:
                self.length(el["value"], 2000, pointer + "/value")
            if "url" in el:
                self.length(el["url"], 3000, pointer + "/url")
            if "style" in el and el["style"] not in ("primary", "danger"):
                self.err("must be one of: primary, danger", pointer + "/style")
        elif el["type"] == "plain_text_input":
            max_length = el.get("max_length", 3000)
            if not isinstance(max_length, int) or not 0 < max_length <= 3000:
                self.err("must be between 1 and 3000", pointer + "/max_length")
            if "placeholder" in el:
                self.text(el["placeholder"], 150, pointer + "/placeholder", plain=True)
        for key, limit in (("options", 100), ("option_groups", 100)):
            for i, option in enumerate(
                self.count(el[key], limit, f"{pointer}/{key}") if key in el else []
            ):
                if key == "options":
                    self.text(option.get("text"), 75, f"{pointer}/options/{i}/text")
                    self.length(option.get("value"), 150, f"{pointer}/options/{i}/value")


def message_block_errors(blocks: Any) -> list[str]:
    """Why Slack would refuse these message blocks (`invalid_blocks`); [] when it would not."""
    checker = Checker()
    checker.blocks(blocks, "/blocks", limit=MESSAGE_BLOCKS, types=MESSAGE_TYPES)
    return checker.errors


def view_errors(view: Any) -> list[str]:
    """Why Slack would refuse this modal (`invalid_arguments`); [] when it would not."""
    checker = Checker()
    if not isinstance(view, dict):
        checker.err("must provide an object", "/view")
        return checker.errors
    if view.get("type") != "modal":
        checker.err("must be one of: modal", "/view/type")
    checker.text(view.get("title"), 24, "/view/title", plain=True)
    for key in ("submit", "close"):
        if key in view:
            checker.text(view[key], 24, f"/view/{key}", plain=True)
    for key, limit in (("callback_id", 255), ("private_metadata", 3000), ("external_id", 255)):
        if key in view:
            checker.length(view[key], limit, f"/view/{key}", required=False)
    blocks = view.get("blocks")
    checker.blocks(blocks, "/view/blocks", limit=MODAL_BLOCKS, types=MESSAGE_TYPES | {"input"})
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if has_input and "submit" not in view:
        checker.err("must provide submit when the view has input blocks", "/view/submit")
    return checker.errors


def filled(blocks: list[dict]) -> list[dict]:
    """The blocks as Slack stores them: every block a block_id, every element an action_id,
    every plain_text an `emoji` flag."""
    out = copy.deepcopy(blocks)
    for block in out:
        block.setdefault("block_id", random_id())
        for el in _elements(block):
            if el.get("type") in INTERACTIVE:
                el.setdefault("action_id", random_id())
    _emoji(out)
    return out


def text_object(obj: dict | None) -> dict | None:
    """A text object as Slack echoes it (plain_text gains `emoji: true`)."""
    out = copy.deepcopy(obj)
    _emoji(out)
    return out


def _elements(block: dict) -> list[dict]:
    found = [e for e in block.get("elements") or [] if isinstance(e, dict)]
    found += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
    return found if block.get("type") != "rich_text" else []


def _emoji(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "plain_text" and isinstance(node.get("text"), str):
            node.setdefault("emoji", True)
        for value in node.values():
            _emoji(value)
    elif isinstance(node, list):
        for value in node:
            _emoji(value)
