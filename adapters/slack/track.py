""""Track this message": the message shortcut's form, and reading it back.

The form is prefilled with the message as plain text and the channel's default project and
tags; it offers *Start now* or *Add* (that long, ending now). What the person submits goes
to the core as one ``Track`` command, validated there like typed text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from adapters.slack.blocks import MAX_VIEW_BLOCKS, Block, plain, reply_blocks
from bot.channels import ChannelDefault
from bot.commands import MAX_DESCRIPTION, Track
from bot.replies import Reply

SHORTCUT = "track_message"  # the manifest's callback_id
SUBMIT = "track_message_form"
DESCRIPTION, PROJECT, TAGS, WHEN, DURATION = "description", "project", "tags", "when", "duration"
START, ADD = "start", "add"
DURATIONS = ("15m", "30m", "45m", "1h", "1h30", "2h", "3h", "4h")
MAX_TITLE = 24

# Slack's markup in message text (https://api.slack.com/reference/surfaces/formatting).
_LABELLED = re.compile(r"<[@#!][^|>]*\|([^>]*)>")  # <@U1|ada>, <#C1|general>, <!date^…|x>
_SPECIAL = re.compile(r"<!(here|channel|everyone)>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)\|([^>]+)>|<((?:https?|mailto):[^>]+)>")
_BARE = re.compile(r"<[@#!][^>]*>")  # a user or channel by id alone: no name to show
_EMOJI = re.compile(r":[a-z0-9_+'-]+:(?::skin-tone-[2-6]:)?", re.IGNORECASE)
_MARKS = re.compile(r"(?<![\w*_~`])([*_~]+)(\S(?:.*?\S)?)\1(?![\w*_~`])")
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}


def plain_text(text: str) -> str:
    """A Slack message's text as a description: mentions and links as their words, no emoji
    codes or formatting marks, trimmed."""
    text = _SPECIAL.sub(lambda m: f"@{m[1]}", text)
    text = _LINK.sub(lambda m: m[2] or (m[3] or "").removeprefix("mailto:"), text)
    text = _LABELLED.sub(lambda m: _named(m[0], m[1]), text)
    text = _BARE.sub("", text)
    text = _EMOJI.sub("", text)
    text = text.replace("```", " ").replace("`", "")
    text = _MARKS.sub(lambda m: m[2], text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = " ".join(text.split())
    return text[:MAX_DESCRIPTION]


def _named(markup: str, label: str) -> str:
    sign = markup[1]
    if sign in "@#" and not label.startswith(sign):
        return sign + label
    return label


def _input(block_id: str, label: str, element: Block, *, optional: bool = False,
           hint: str = "") -> Block:
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label, 2000),
                    "element": {**element, "action_id": block_id}, "optional": optional}
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _text_input(initial: str, max_length: int, placeholder: str) -> Block:
    element: Block = {"type": "plain_text_input", "max_length": max_length,
                      "placeholder": plain(placeholder, 150)}
    if initial:
        element["initial_value"] = initial[:max_length]
    return element


def _option(text: str, value: str) -> Block:
    return {"text": plain(text, 75), "value": value}


def form(description: str, default: ChannelDefault | None, channel_id: str) -> dict[str, Any]:
    """The modal the shortcut opens."""
    project = default.project if default else ""
    tags = ", ".join(default.tags) if default else ""
    starts = [_option("Start now", START), _option("Add, ending now", ADD)]
    lengths = [_option(d, d) for d in DURATIONS]
    blocks = [
        _input(DESCRIPTION, "Description",
               {**_text_input(description, MAX_DESCRIPTION, "What you're working on"),
                "multiline": True}, optional=True),
        _input(PROJECT, "Project", _text_input(project, 255, "Project name (or its start)"),
               optional=True, hint="This channel's project" if project else ""),
        _input(TAGS, "Tags", _text_input(tags, 500, "Tags, separated by commas"),
               optional=True),
        _input(WHEN, "When", {"type": "radio_buttons", "options": starts,
                              "initial_option": starts[0]}),
        _input(DURATION, "How long (for Add)", {"type": "static_select", "options": lengths,
                                                "initial_option": lengths[1]}),
    ]
    return {
        "type": "modal",
        "callback_id": SUBMIT,
        "title": plain("Track this message", MAX_TITLE),
        "submit": plain("Track", MAX_TITLE),
        "close": plain("Cancel", MAX_TITLE),
        "private_metadata": json.dumps({"channel": channel_id}),
        "blocks": blocks,
    }


def submitted(view: Mapping[str, Any]) -> Track:
    """The form's values as the core's ``Track`` (validated by the core, not here)."""
    values = view.get("state", {}).get("values", {})

    def value(block: str) -> str:
        element = values.get(block, {}).get(block, {})
        chosen = element.get("selected_option") or {}
        return str(element.get("value") or chosen.get("value") or "")

    tags = tuple(t.strip().lstrip("#") for t in value(TAGS).split(",") if t.strip())
    duration = value(DURATION) if value(WHEN) == ADD else ""
    return Track(value(DESCRIPTION), value(PROJECT).strip(), tags, duration)


def channel_of(view: Mapping[str, Any]) -> str:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return ""
    return str(data.get("channel") or "") if isinstance(data, dict) else ""


def result(reply: Reply) -> dict[str, Any]:
    """The form, replaced by what happened."""
    return {"type": "modal", "callback_id": SUBMIT, "title": plain("Track this message",
                                                                   MAX_TITLE),
            "close": plain("Done", MAX_TITLE),
            "blocks": reply_blocks(reply, buttons=False)[:MAX_VIEW_BLOCKS]}


def working() -> dict[str, Any]:
    return {"type": "modal", "callback_id": SUBMIT, "title": plain("Track this message",
                                                                   MAX_TITLE),
            "blocks": [{"type": "section", "text": plain("Asking Toggl…")}]}
