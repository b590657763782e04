"""The parser: typed commands from text, and nothing but UsageError for bad text."""

from __future__ import annotations

import contextlib
from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import commands as c
from bot.commands import DECLARATIONS
from bot.dialects.syntax import usage
from bot.dialects.text import parse
from bot.errors import UsageError


class TestStart:
    def test_description_project_tags_and_billable(self) -> None:
        assert parse("start Weekly sync @Acme Website #meeting #client $") == c.Start(
            "Weekly sync", "Acme Website", ("meeting", "client"), billable=True
        )

    def test_quoted_names(self) -> None:
        assert parse('start "fix #12" @"Web shop" #"deep work"') == c.Start(
            "fix #12", "Web shop", ("deep work",)
        )

    def test_smart_quotes_from_phones_work_too(self) -> None:
        assert parse("start x @“Web shop”") == c.Start("x", "Web shop")

    def test_empty_start_is_allowed(self) -> None:
        assert parse("start") == c.Start()

    def test_duplicate_tags_collapse(self) -> None:
        assert parse("start x #a #a").tags == ("a",)  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        "text", ["start x @", "start x #", "start x @a @b", "start " + "x" * 3001]
    )
    def test_malformed(self, text: str) -> None:
        with pytest.raises(UsageError):
            parse(text)


class TestOthers:
    @pytest.mark.parametrize(
        ("text", "command"),
        [
            ("stop", c.Stop()),
            ("STOP", c.Stop()),
            ("/toggl stop", c.Stop()),
            ("status", c.Current()),
            ("resume", c.Continue()),
            ("add client Acme Corp", c.AddClient("Acme Corp")),
            ("clients", c.ListClients()),
            ("clients archived ac", c.ListClients("archived", "ac")),
            ("projects all", c.ListProjects("both")),
            ("summary", c.Summary(c.Period("today"))),
            ("summary last week", c.Summary(c.Period("last week"))),
            ("summary 2026-11-01", c.Summary(c.Period("range", date(2026, 11, 1),
                                                      date(2026, 11, 1)))),
            ("summary 2026-11-01..2026-11-15",
             c.Summary(c.Period("range", date(2026, 11, 1), date(2026, 11, 15)))),
            ("help", c.Help()),
            ("", c.Help()),
            ("help add client", c.Help("add client")),
            ("quota", c.QuotaStatus()),
            ("logout", c.Logout()),
            ("login", c.Login()),
        ],
    )
    def test_parses(self, text: str, command: c.Command) -> None:
        assert parse(text) == command

    def test_login_keeps_the_token_secret(self) -> None:
        command = parse("login 0123456789abcdef0123456789abcdef")
        assert isinstance(command, c.Login) and command.token is not None
        assert "0123456789abcdef" not in repr(command)

    @pytest.mark.parametrize(
        "text",
        [
            "stop now",
            "summary 2026-11-15..2026-11-01",
            "summary 2020-01-01..2026-01-01",
            "summary someday",
            "projects weird",
            "help nothing",
            "login has spaces in it",
            "frobnicate",
            "add",
        ],
    )
    def test_usage_errors(self, text: str) -> None:
        with pytest.raises(UsageError):
            parse(text)

    def test_a_pasted_token_is_never_echoed(self) -> None:
        with pytest.raises(UsageError) as caught:
            parse("0123456789abcdef0123456789abcdef")
        assert "0123456789abcdef" not in caught.value.message


def test_every_command_has_a_usage_summary_and_handler() -> None:
    import bot.handlers  # noqa: F401  (joins the handlers)

    for decl in DECLARATIONS:
        assert usage(decl, "console").startswith(decl.name)
        assert decl.summary.endswith(".")
        assert decl.worst_calls >= decl.calls
        assert decl.handler is not None, decl.name


@settings(max_examples=1500, deadline=None)
@given(st.text(max_size=300))
def test_no_text_makes_the_parser_raise_anything_else(text: str) -> None:
    with contextlib.suppress(UsageError):
        parse(text)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from([d.name for d in DECLARATIONS]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
)
def test_every_command_with_any_arguments_parses_or_explains(name: str, rest: str) -> None:
    try:
        parse(f"{name} {rest}")
    except UsageError as exc:
        assert exc.message


class TestTogglCoverage:
    @pytest.mark.parametrize(
        ("text", "command"),
        [
            ("rename client Acme to Acme Corp", c.RenameClient("Acme", "Acme Corp")),
            ('rename client "To do" to Done', c.RenameClient("To do", "Done")),
            ("archive client Globex", c.ArchiveClient("Globex")),
            ("restore client Globex", c.RestoreClient("Globex")),
            ("restore client Globex with projects", c.RestoreClient("Globex", True)),
            ("restore client Globex all projects", c.RestoreClient("Globex", True)),
            ("delete client Initech", c.DeleteClient("Initech")),
            ("delete client 42 confirm 7.18.ab12", c.DeleteClient("42", "7.18.ab12")),
            ("add project Website", c.AddProject("Website")),
            ('add project "Mobile app" $Acme Corp', c.AddProject("Mobile app", "Acme Corp")),
            ("tags", c.ListTags()),
            ("add tag #billable", c.AddTag("billable")),
            ("entries", c.ListEntries()),
            ("entries yesterday", c.ListEntries(c.Period("yesterday"))),
            ("edit last Weekly sync @Website", c.EditEntry("last", "Weekly sync", "Website")),
            ("edit 4821 #a -#b -@ -$", c.EditEntry("4821", None, "", ("a",), ("b",),
                                                   billable=False)),
            ("edit last start 09:15 stop 10:00",
             c.EditEntry("last", start=time(9, 15), stop=time(10))),
            ("edit last start the server", c.EditEntry("last", "start the server")),
            ("delete last", c.DeleteEntry("last")),
            ("delete 4821 confirm 7.1.ab", c.DeleteEntry("4821", "7.1.ab")),
            ("add Review 14:00-15:30 @Website #x $",
             c.AddEntry("Review", time(14), time(15, 30), project="Website", tags=("x",),
                        billable=True)),
            ("add Review 09:00-09:30 yesterday", c.AddEntry("Review", time(9), time(9, 30),
                                                            days_ago=1)),
            ("add client call 09:00-09:30", c.AddEntry("client call", time(9), time(9, 30))),
            ("tag 4821 4822 #b", c.TagEntries(("4821", "4822"), add_tags=("b",))),
            ("tag week -#b", c.TagEntries(period=c.Period("week"), remove_tags=("b",))),
        ],
    )
    def test_parses(self, text: str, command: c.Command) -> None:
        assert parse(text) == command

    @pytest.mark.parametrize(
        "text",
        ["rename client Acme", "rename client to X", "archive client", "add client " + "x" * 101,
         "add project", "add project x $", "add tag", "edit", "edit last", "edit abc #x",
         "delete", "delete last please", "add x 9-10", "tag #x",
         "tag 4821", "tag 4821 @p #x", "entries someday", "delete client", "tags x",
         "add x 09:00-10:00 2026-13-45", "edit last stop", "edit last start 25:00",
         "delete 0", "edit 482 #x", "tag 12 #x",
         "summary 9999-12-31", "entries 0001-01-01", "tag 9999-12-31 #x"],
    )
    def test_usage_errors(self, text: str) -> None:
        with pytest.raises(UsageError):
            parse(text)
