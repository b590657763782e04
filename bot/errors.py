"""Errors the core raises; each carries a message a person can read.

Nothing here ever holds a token: messages are built from status codes and Toggl's own
error text, which never echoes credentials.
"""

from __future__ import annotations

from datetime import datetime


class TogglbotError(Exception):
    """Base for every error that becomes a reply instead of a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(TogglbotError):
    """The text did not parse; ``command`` names the declaration whose usage to show."""

    def __init__(self, message: str, command: str = "") -> None:
        super().__init__(message)
        self.command = command


class NotLoggedIn(TogglbotError):
    def __init__(self) -> None:
        super().__init__("You're not connected to Toggl yet.")


class TooManyCommands(TogglbotError):
    """The runaway guard: far more Toggl-spending commands than a person types."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"Slow down a little: try again in {seconds} s.")


class TokenUnreadable(TogglbotError):
    """The person's stored token was encrypted with a key the bot no longer has."""

    def __init__(self) -> None:
        super().__init__(
            "Your saved Toggl connection can't be read any more (the bot's settings changed). "
            "Please log in again."
        )


class LookupFailed(TogglbotError):
    """A name (project, client) matched nothing, or more than one thing."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.candidates = candidates


class TogglError(TogglbotError):
    """Base for failures talking to Toggl."""


class TokenRejected(TogglError):
    def __init__(self) -> None:
        super().__init__("Toggl rejected your API token: connect again with a new one.")


class QuotaExhausted(TogglError):
    """Toggl's hourly request quota is used up (402 with quota headers, or our ledger)."""

    def __init__(self, resets_at: datetime | None) -> None:
        super().__init__("Your Toggl request quota for this hour is used up.")
        self.resets_at = resets_at


class PremiumRequired(TogglError):
    def __init__(self, what: str = "This") -> None:
        super().__init__(f"{what} needs a paid Toggl plan.")


class RateLimited(TogglError):
    """429: Toggl's per-second limit; short by nature."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__("Toggl is busy, try again in a few seconds.")
        self.retry_after = retry_after


class TogglUnavailable(TogglError):
    """5xx, timeouts, dropped connections or garbage after our bounded retries."""

    def __init__(self, detail: str = "", *, maybe_applied: bool = False) -> None:
        super().__init__("Toggl isn't answering right now. Try again in a moment.")
        self.detail = detail
        # True when a write may have reached Toggl before the failure: reconcile, don't repeat.
        self.maybe_applied = maybe_applied


class TogglUnreachable(TogglUnavailable):
    """We never got a connection to Toggl (DNS, refused, TLS, connect timeout): a problem
    between this server and Toggl, not Toggl being slow."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.message = (
            "Can't reach Toggl from this server right now; the bot's operator can see why in "
            "its log. Try again later."
        )
        self.args = (self.message,)


class TogglSlow(TogglUnavailable):
    """Connected, but Toggl did not answer in time."""

    def __init__(self, detail: str, *, maybe_applied: bool = False) -> None:
        super().__init__(detail, maybe_applied=maybe_applied)
        self.message = "Toggl is slow to answer right now. Try again in a moment."
        self.args = (self.message,)


class TogglRejected(TogglError):
    """Toggl said no to the request itself (400/404/409...)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"Toggl said: {detail}" if detail else f"Toggl refused ({status}).")
        self.status = status
        self.detail = detail


class StorageUnavailable(TogglbotError):
    def __init__(self) -> None:
        super().__init__("The bot's database is unavailable. Try again in a moment.")


class ConfigError(TogglbotError):
    """The configuration (for example the encryption key) is missing or wrong.

    Messages say what to fix and never include secret material.
    """
