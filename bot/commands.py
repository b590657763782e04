"""Every command people can type, declared once.

Each class is what a person asked for, parsed and validated, nothing more. Its fields'
annotations say which parameters it takes (``bot.grammar.params``); ``@declare`` gives its
name, summary, examples and Toggl call budget. From these come the text parser, help on
every platform, usage lines, the Slack usage hint and the Discord app commands. The
handler joins with ``@handles(<class>)`` (``bot.handlers``).

Order matters: it is the order of `help` and of the Slack usage hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Annotated, Literal

from pydantic import SecretStr

from bot.errors import UsageError
from bot.grammar.declare import DECLARATIONS, declaration, declare, find
from bot.grammar.params import (
    Billable,
    Choice,
    ClientName,
    Clock,
    ClockOrOff,
    Confirm,
    Day,
    Days,
    Duration,
    DurationParam,
    Entries,
    EntryRef,
    Flag,
    Form,
    Mark,
    NewName,
    PeriodParam,
    Secret,
    Tags,
    Topic,
    WhenParam,
    Words,
    Zone,
)
from bot.grammar.periods import Period, PeriodName
from bot.grammar.phrases import When

__all__ = ["DECLARATIONS", "Command", "Period", "PeriodName", "When", "declaration", "find"]



class Command:
    """What every command is: a frozen dataclass declared below."""

    __slots__ = ()


Status = Literal["active", "archived", "both"]
STATUS = Choice(
    "Which ones (default: active)", form=Form.HEAD, default="active",
    words={"active": "active", "archived": "archived", "both": "both", "all": "both"},
)
MAX_DESCRIPTION = 3000
TODAY = Period("today")
DESCRIPTION = Words("What you're working on (@project #tag $ work here too)",
                    max_length=MAX_DESCRIPTION, inline=True, usage_text="[description]")
PROJECT = Mark("Project name (or the start of it)")
TAGS = Tags("Tags, separated by commas")
BILLABLE = Billable("Mark the entry billable")
CLIENT = ClientName("The client's name", required=True, usage_text="<name>")


@declare(
    "start",
    "Start a timer, with a project (any unique start of its name), tags and billable; "
    "it may have started a while ago.",
    examples=("start Weekly sync @Website #meeting", 'start Review @"Web shop" $',
              "start Standup 15m ago", "start Planning at 9:30"),
    calls=1, worst_calls=3,
)
@dataclass(frozen=True, slots=True)
class Start(Command):
    """``since`` None: now. A start in the past that overlaps the last entry is allowed."""

    description: Annotated[str, DESCRIPTION] = ""
    project: Annotated[str | None, PROJECT] = None
    tags: Annotated[tuple[str, ...], TAGS] = ()
    billable: Annotated[bool, BILLABLE] = False
    since: Annotated[When | None, WhenParam("When it started, e.g. 15m ago or at 9:30",
                                            option_name="when")] = None


@declare(
    "stop", "Stop the running timer, now or when you actually stopped.",
    examples=("stop", "stop 10m ago", "stop at 17:30"), calls=1, worst_calls=3,
)
@dataclass(frozen=True, slots=True)
class Stop(Command):
    at: Annotated[When | None, WhenParam("When you stopped, e.g. 10m ago or at 17:30",
                                         option_name="when")] = None


@declare(
    "switch", "Stop the running timer and start another.",
    # One POST (Toggl stops the running timer itself) and one look, so the reply gives
    # the stopped timer's duration as Toggl recorded it; +1 for a project new to the bot.
    examples=("switch Standup @Internal #meeting",), calls=2, worst_calls=3,
)
@dataclass(frozen=True, slots=True)
class Switch(Command):
    description: Annotated[str, DESCRIPTION] = ""
    project: Annotated[str | None, PROJECT] = None
    tags: Annotated[tuple[str, ...], TAGS] = ()
    billable: Annotated[bool, BILLABLE] = False


@declare("current", "Show the running timer and how long it has run.",
         aliases=("status", "now"), calls=1)
@dataclass(frozen=True, slots=True)
class Current(Command):
    pass


@declare(
    "continue", "Start again what you tracked last, or the recent entry your words match.",
    examples=("continue", "continue review"), aliases=("resume",), calls=1, worst_calls=2,
)
@dataclass(frozen=True, slots=True)
class Continue(Command):
    which: Annotated[str, Words("Words of a recent entry (default: the last one)",
                                max_length=200, usage_text="[words]")] = ""


@declare("recent", "Your last five different entries, each with a Continue button.", calls=0,
         worst_calls=1)
@dataclass(frozen=True, slots=True)
class Recent(Command):
    pass


@declare(
    "summary", "Totals by project and client, in your Toggl time zone.",
    examples=("summary", "summary week", "summary 2026-11-01..2026-11-15"),
    aliases=("report",), calls=1,
)
@dataclass(frozen=True, slots=True)
class Summary(Command):
    period: Annotated[Period, PeriodParam("Which days (default: today)")] = TODAY


@declare("clients", "List your workspace's clients.", examples=("clients", "clients archived"),
         calls=1)
@dataclass(frozen=True, slots=True)
class ListClients(Command):
    status: Annotated[Status, STATUS] = "active"
    name_filter: Annotated[str, Words("Part of a name", max_length=100, option_name="filter",
                                      completes="client", usage_text="[name filter]")] = ""


@declare("projects", "List your workspace's projects.", calls=1)
@dataclass(frozen=True, slots=True)
class ListProjects(Command):
    status: Annotated[Status, STATUS] = "active"


@declare("add client", "Create a client in your default workspace.",
         examples=('add client "Acme Corp"',), calls=1)
@dataclass(frozen=True, slots=True)
class AddClient(Command):
    name: Annotated[str, ClientName("The new client's name", required=True,
                                    usage_text="<name>")]


@declare("rename client", "Rename a client.", examples=("rename client Globex to Globex Ltd",),
         calls=1, worst_calls=2)
@dataclass(frozen=True, slots=True)
class RenameClient(Command):
    name: Annotated[str, CLIENT]
    new_name: Annotated[str, NewName("Its new name", required=True, what="client",
                                     max_length=100, usage_text="to <new name>")]


@declare("archive client", "Archive a client and its projects (a paid Toggl plan feature).",
         examples=("archive client Globex",), calls=1, worst_calls=2)
@dataclass(frozen=True, slots=True)
class ArchiveClient(Command):
    name: Annotated[str, CLIENT]


@declare("restore client",
         "Restore an archived client, and its projects too if you ask.",
         examples=("restore client Globex with projects",), calls=1, worst_calls=2)
@dataclass(frozen=True, slots=True)
class RestoreClient(Command):
    name: Annotated[str, CLIENT]
    with_projects: Annotated[bool, Flag(
        "Restore its projects too (default: no)", usage_text="[with projects]",
        phrase=r"(?:with|and|all) (?:all )?projects",
    )] = False


@declare("delete client",
         "Delete a client after you confirm; its projects stay, without a client.",
         examples=('delete client "Acme Corp"',), calls=0, worst_calls=1)
@dataclass(frozen=True, slots=True)
class DeleteClient(Command):
    """Without ``confirm``: ask. With it: ``name`` is the client id the button carries."""

    name: Annotated[str, CLIENT]
    confirm: Annotated[str, Confirm("")] = ""


@declare("add project", "Create a project, optionally for a client.",
         examples=('add project "Mobile app" $Acme', "add project Internal"),
         calls=1, worst_calls=2)
@dataclass(frozen=True, slots=True)
class AddProject(Command):
    name: Annotated[str, Words("The new project's name", required=True, what="project",
                               max_length=255, usage_text="<name>")]
    client: Annotated[str | None, Mark("Its client (optional)", sign="$", what="client",
                                       max_length=100)] = None


@declare("tags", "List your workspace's tags.", calls=1)
@dataclass(frozen=True, slots=True)
class ListTags(Command):
    pass


@declare("add tag", "Create a tag.", examples=("add tag billable",), calls=1)
@dataclass(frozen=True, slots=True)
class AddTag(Command):
    name: Annotated[str, Words("The new tag's name", required=True, what="tag", max_length=100,
                               strip_prefix="#", usage_text="<name>")]


@declare(
    "entries", "List your time entries with the short ids that edit, delete and tag take.",
    examples=("entries", "entries yesterday", "entries 2026-11-20"), calls=1,
)
@dataclass(frozen=True, slots=True)
class ListEntries(Command):
    period: Annotated[Period, PeriodParam("Which days (default: today)")] = TODAY


def _changes_something(cmd: EditEntry) -> None:
    if cmd == EditEntry(cmd.ref):
        raise UsageError("Say what to change, e.g. `edit last @Website #meeting`.")


@declare(
    "edit",
    "Change an entry: its description, project, tags, billable, start or stop time "
    "(in your Toggl time zone, on the entry's day).",
    examples=("edit last Weekly sync @Website", "edit 4821 #meeting -#deep-work",
              "edit last start 09:15 stop 10:00"),
    calls=1, worst_calls=3, check=_changes_something,
)
@dataclass(frozen=True, slots=True)
class EditEntry(Command):
    """``ref`` is ``last``, a full Toggl id or the short id shown by ``entries``.

    ``None`` means "leave as it is"; ``project == ""`` removes the project.
    """

    ref: Annotated[str, EntryRef("last, or an id from entries", option_name="entry")]
    description: Annotated[str | None, Words(
        "A new description", max_length=MAX_DESCRIPTION, explicit=True, keyword="description",
        usage_text="[description]",
    )] = None
    project: Annotated[str | None, Mark("A new project (or its start)", clear="-@",
                                        clear_option="no-project")] = None
    add_tags: Annotated[tuple[str, ...], Tags("Tags to add, separated by commas",
                                              usage_text="[#tag]")] = ()
    remove_tags: Annotated[tuple[str, ...], Tags("Tags to remove, separated by commas",
                                                 sign="-#", usage_text="[-#tag]")] = ()
    start: Annotated[time | None, Clock("New start time, HH:MM", keyword="start")] = None
    stop: Annotated[time | None, Clock("New stop time, HH:MM", keyword="stop")] = None
    billable: Annotated[bool | None, Billable("Billable or not", off_signs=("-$",))] = None


@declare("delete", "Delete a time entry after you confirm.",
         examples=("delete last", "delete 4821"), calls=0, worst_calls=1)
@dataclass(frozen=True, slots=True)
class DeleteEntry(Command):
    ref: Annotated[str, EntryRef("last, or an id from entries (you confirm with a button)",
                                 option_name="entry")]
    confirm: Annotated[str, Confirm("")] = ""


def _when_added(cmd: AddEntry) -> None:
    if cmd.duration is not None:
        if cmd.stop is not None:
            raise UsageError("Give a start and a stop, or a duration, not both.")
        if cmd.start is None and (cmd.day is not None or cmd.days_ago):
            raise UsageError("Say when it started, e.g. `add Review 1h30 yesterday at 14:00`.")
    elif cmd.start is None or cmd.stop is None:
        raise UsageError("Say how long or from when to when, e.g. `add Review 1h30` or "
                         "`add Review 09:00-10:30`.")


@declare(
    "add", "Add a finished entry, e.g. one you forgot to track, in your time zone.",
    examples=("add Code review 14:00-15:30 @Website",
              "add Planning 09:00-09:30 yesterday #meeting", "add Support call 45m",
              "add Workshop 1h30 yesterday at 14:00", "add Night shift 23:00-01:00"),
    calls=1, worst_calls=2, check=_when_added,
)
@dataclass(frozen=True, slots=True)
class AddEntry(Command):
    """A finished entry on ``day``, or ``days_ago`` days before today in the person's zone.

    From ``start`` to ``stop`` (a stop at or before the start is the next morning), or
    ``duration`` long: from ``start``, or ending now when no start is given.
    """

    description: Annotated[str, Words("What you worked on", required=True,
                                      max_length=MAX_DESCRIPTION, inline=True,
                                      usage_text="<description>")]
    start: Annotated[time | None, Clock(
        "Start time, HH:MM in your Toggl time zone", form=Form.RANGE,
        usage_text="<HH:MM-HH:MM|duration [at HH:MM]>",
    )] = None
    stop: Annotated[time | None, Clock("Stop time, HH:MM", form=Form.RANGE, usage_text=" ")] = None
    day: Annotated[date | None, Day("today (default), yesterday or YYYY-MM-DD")] = None
    days_ago: int = 0  # filled by ``day``
    project: Annotated[str | None, PROJECT] = None
    tags: Annotated[tuple[str, ...], TAGS] = ()
    billable: Annotated[bool, BILLABLE] = False
    duration: Annotated[timedelta | None, DurationParam(
        "How long, e.g. 45m or 1h30 (instead of a stop time)"
    )] = None


def _tags_something(cmd: TagEntries) -> None:
    if not cmd.add_tags and not cmd.remove_tags:
        raise UsageError("Say which tags, e.g. `tag today #billable`.")


@declare(
    "tag", "Add or remove tags on many entries at once: by id, or a whole day or week.",
    examples=("tag today #billable", "tag 4821 4822 #client -#internal"),
    calls=2, check=_tags_something,
)
@dataclass(frozen=True, slots=True)
class TagEntries(Command):
    """Bulk tag edit of the entries named by ``refs``, or of every entry in ``period``."""

    refs: Annotated[tuple[str, ...], Entries("Which entries", required=True,
                                             option_name="entries")] = ()
    period: Period | None = None  # filled by ``refs``
    add_tags: Annotated[tuple[str, ...], Tags("Tags to add, separated by commas",
                                              usage_text="#tag")] = ()
    remove_tags: Annotated[tuple[str, ...], Tags("Tags to remove, separated by commas",
                                                 sign="-#", usage_text="[-#tag]")] = ()


@declare("quota", "How many Toggl requests you have left this hour.")
@dataclass(frozen=True, slots=True)
class QuotaStatus(Command):
    pass


@declare("refresh", "Reload your projects, clients and tags from Toggl.", calls=1)
@dataclass(frozen=True, slots=True)
class Refresh(Command):
    pass


@declare("login", "Connect your Toggl account (token from Toggl's Profile settings).", calls=1)
@dataclass(frozen=True, slots=True)
class Login(Command):
    token: Annotated[SecretStr | None, Secret("Your Toggl API token")] = field(
        default=None, repr=False
    )  # None: ask privately


@declare("logout", "Disconnect and delete everything the bot stored for you.")
@dataclass(frozen=True, slots=True)
class Logout(Command):
    pass


def _known_topic(cmd: Help) -> None:
    if cmd.topic and find(cmd.topic) is None:
        raise UsageError(f"There's no command `{cmd.topic[:40]}`.")


@declare("help", "Show commands, or one command in detail.", aliases=("?",),
         check=_known_topic)
@dataclass(frozen=True, slots=True)
class Help(Command):
    topic: Annotated[str, Topic("One command in detail", option_name="command")] = ""


@declare(
    "digest at",
    "Post a daily summary of who tracked what to this channel, every day or on weekdays. "
    "The time zone defaults to your Toggl time zone.",
    examples=("digest at 18:00 Europe/Berlin weekdays", "digest at 9:30"),
)
@dataclass(frozen=True, slots=True)
class DigestAt(Command):
    """Subscribe the channel; ``timezone`` None means the person's Toggl time zone."""

    at: Annotated[time, Clock("24-hour HH:MM, e.g. 18:00", required=True, form=Form.HEAD,
                              option_name="time")]
    timezone: Annotated[str | None, Zone(
        "An IANA time zone such as Europe/Berlin (default: your Toggl time zone)"
    )] = None
    weekdays_only: Annotated[bool, Choice(
        "Every day (default), or weekdays only", option_name="schedule", default=False,
        words={"weekdays": "weekdays", "weekday": "weekdays", "daily": "daily",
               "everyday": "daily"},
        values={"weekdays": True, "daily": False},
    )] = False


@declare("digest join",
         "Include yourself in this channel's digest (nobody is included otherwise).")
@dataclass(frozen=True, slots=True)
class DigestJoin(Command):
    pass


@declare("digest leave", "Leave this channel's digest.")
@dataclass(frozen=True, slots=True)
class DigestLeave(Command):
    pass


@declare("digest show", "Show this channel's digest: time, time zone and members.",
         aliases=("digest",))
@dataclass(frozen=True, slots=True)
class DigestShow(Command):
    pass


@declare("digest off", "Stop this channel's digest.")
@dataclass(frozen=True, slots=True)
class DigestOff(Command):
    pass


def _names_a_project(cmd: ChannelProject) -> None:
    if not cmd.project:
        raise UsageError("Name the project, e.g. `channel project @Website #meeting`.")


@declare(
    "channel project",
    "Set this channel's project and tags, for start and Track this message here. "
    "A project or tags you name still win; anyone in the channel may set it.",
    examples=("channel project @Website #meeting",), check=_names_a_project,
)
@dataclass(frozen=True, slots=True)
class ChannelProject(Command):
    project: Annotated[str | None, Mark("The channel's project (or the start of its name)",
                                        required=True)] = None
    tags: Annotated[tuple[str, ...], TAGS] = ()


@declare("channel show", "Show this channel's default project and tags.", aliases=("channel",))
@dataclass(frozen=True, slots=True)
class ChannelShow(Command):
    pass


@declare("channel off", "Remove this channel's default project and tags.")
@dataclass(frozen=True, slots=True)
class ChannelOff(Command):
    pass


@declare(
    "status on",
    "Show your running timer in your Slack status (you allow it once, in Slack). "
    "The current command shows the timer anywhere.",
)
@dataclass(frozen=True, slots=True)
class StatusOn(Command):
    pass


@declare("status off", "Stop showing your timer in your Slack status, and give back the "
         "permission.")
@dataclass(frozen=True, slots=True)
class StatusOff(Command):
    pass


@dataclass(frozen=True, slots=True)
class Track(Command):
    """Not typed: a chat message made into an entry (Slack's message shortcut, Discord's
    context menu), as its form was filled in. Runs as `start`, or as `add` when
    ``duration`` is given (e.g. ``30m``, ``1h30``: that long, ending now)."""

    description: str
    project: str = ""
    tags: tuple[str, ...] = ()
    duration: str = ""


@declare(
    "remind show",
    "Your reminders: working hours, which reminders are on, and when each could come.",
    aliases=("remind",),
)
@dataclass(frozen=True, slots=True)
class RemindShow(Command):
    pass


@declare(
    "remind hours",
    "Set your working hours (in your Toggl time zone) and days: reminders come only then.",
    examples=("remind hours 09:00-17:30 mon-fri", "remind hours 08:00-16:00 mon,tue,thu"),
)
@dataclass(frozen=True, slots=True)
class RemindHours(Command):
    start: Annotated[time, Clock("Start of your working day, HH:MM", required=True,
                                 form=Form.RANGE, usage_text="<HH:MM>-<HH:MM>")]
    stop: Annotated[time, Clock("End of your working day, HH:MM", required=True,
                                form=Form.RANGE, usage_text=" ")]
    days: Annotated[frozenset[int], Days("Working days, e.g. mon-fri (default) or "
                                         "mon,wed,fri")] = frozenset(range(5))


@declare(
    "remind running",
    "A private message when a timer has run longer than this, to stop it or keep going.",
    examples=("remind running 3h", "remind running off"),
)
@dataclass(frozen=True, slots=True)
class RemindRunning(Command):
    after: Annotated[timedelta | None, Duration("How long, e.g. 3h, or off", required=True,
                                                off=True)]


@declare(
    "remind idle",
    "A private message when no timer has run for this long inside your working hours.",
    examples=("remind idle 30m", "remind idle off"),
)
@dataclass(frozen=True, slots=True)
class RemindIdle(Command):
    after: Annotated[timedelta | None, Duration("How long, e.g. 30m, or off", required=True,
                                                off=True)]


@declare(
    "remind recap",
    "A private recap of your working days at this time: totals by project and the gaps.",
    examples=("remind recap 17:45", "remind recap off"),
)
@dataclass(frozen=True, slots=True)
class RemindRecap(Command):
    at: Annotated[time | None, ClockOrOff("24-hour HH:MM, e.g. 17:45, or off",
                                          required=True, option_name="time")]


@declare(
    "remind snooze",
    "No reminders for a while, or for the rest of today.",
    examples=("remind snooze 1h", "remind snooze today"),
)
@dataclass(frozen=True, slots=True)
class RemindSnooze(Command):
    length: Annotated[timedelta | None, Duration("How long, e.g. 1h, or today",
                                                 required=True, today=True,
                                                 option_name="for")]
    today: bool = False  # filled by ``length``


@declare("remind off", "Turn every reminder off and delete your reminder settings.")
@dataclass(frozen=True, slots=True)
class RemindOff(Command):
    pass


@declare("remind ok", "Answer a reminder: no more of that kind today (its Keep going button).")
@dataclass(frozen=True, slots=True)
class RemindOk(Command):
    kind: Annotated[str, Choice(
        "Which reminder", form=Form.HEAD, required=True,
        words={"running": "running", "idle": "idle", "recap": "recap"},
    )]


@dataclass(frozen=True, slots=True)
class Overview(Command):
    """Not typed by people: the status panel (Slack App Home, Discord status)."""


