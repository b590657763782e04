"""The scopes togglbot asks Slack for, each with the reason README gives for it.

Bot scopes come with the install; the one user scope is asked of each person separately,
only when they run `status on` (their own status, with their own token).
"""

from __future__ import annotations

BOT_SCOPE_REASONS: dict[str, str] = {
    "commands": "the `/toggl` slash command and the *Track this message* message shortcut",
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
USER_SCOPE_REASONS: dict[str, str] = {
    "users.profile:write": (
        "asked of each person who runs `status on`, not at install: setting their own status "
        "to the running timer (`users.profile.set`) with their own user token"
    ),
}
USER_SCOPES = tuple(USER_SCOPE_REASONS)
