"""The bot scopes togglbot asks Slack for, each with the reason README gives for it."""

from __future__ import annotations

BOT_SCOPE_REASONS: dict[str, str] = {
    "commands": "the `/toggl` slash command",
    "chat:write": (
        "posting digests (and the `digest at` notice, which is the check that it can) in "
        "channels the bot is in, telling whoever set a digest up, in the app's "
        "Messages tab, when Slack refuses it, and sending reminders there"
    ),
    "chat:write.public": "posting digests in public channels without being invited first",
    "files:write": (
        "attaching the digest's bar chart (`files.getUploadURLExternal`, "
        "`files.completeUploadExternal`)"
    ),
}
BOT_SCOPES = tuple(BOT_SCOPE_REASONS)
