"""The peers: the same operations done the documented way with two PyPI libraries.

Neither library has a base-URL setting, so each is pointed at the fake by patching the
constant its source builds URLs from (see ``how``). Both authenticate with HTTP Basic
``<token>:api_token``, which the fake checks. Imports are lazy: the harness imports a peer
only inside ``guard.isolated_env`` (temporary HOME, no TOGGL_* variables).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from benchmarks.systems import PeerUnavailable, Unsupported

DESCRIPTION = "Benchmark task"


def period(op: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The same ranges togglbot's ``summary today`` / ``summary week`` use."""
    start = datetime.combine(datetime.now(tz).date(), time(), tz)
    if op == "summary week":
        start -= timedelta(days=start.weekday())
        return start, start + timedelta(days=7)
    return start, start + timedelta(days=1)


def _missing(exc: ImportError) -> PeerUnavailable:
    return PeerUnavailable(f"not installed ({exc.name}); run: pip install -e '.[bench]'")


class WrapperSystem:
    """toggl-api-wrapper 2.x (``toggl_api``), sync endpoints over one httpx.Client."""

    name = "toggl-api-wrapper"
    notes = (
        "continue: no such method; last tracker from the cache (collect(refresh=True) if "
        "empty) + add()",
        "summary: no summary method; collect(start_date, end_date, refresh=True) + local "
        "totals (no project/client names)",
    )

    def __init__(self, base_url: str, token: str, workdir: Path, *, cache: bool = True) -> None:
        try:
            import toggl_api
            from toggl_api.meta import TogglEndpoint
            from toggl_api.meta.cache import JSONCache
        except ImportError as exc:
            raise _missing(exc) from None
        TogglEndpoint.BASE_ENDPOINT = f"{base_url}/api/v9/"
        self.how = (
            f"patched class constant toggl_api.meta.TogglEndpoint.BASE_ENDPOINT = "
            f"{base_url}/api/v9/ (no base-URL setting); BasicAuth(token, 'api_token'); "
            + ("a JSONCache per login, as in its docs" if cache else "no cache")
        )
        if not cache:
            self.name = "toggl-api-wrapper (no cache)"
        self._api = toggl_api
        self._json_cache = JSONCache if cache else None
        self._auth = httpx.BasicAuth(token, "api_token")
        self._http = httpx.Client(trust_env=False)
        self._workdir = workdir
        self._logins = 0
        self._tz = ZoneInfo("UTC")
        self._trackers: Any = None
        self._clients: Any = None

    def run(self, op: str, n: int) -> bool:
        api = self._api
        if op == "login":
            return self._login()
        if op == "start":
            self._trackers.add(api.TrackerBody(description=DESCRIPTION))
        elif op == "current":
            self._trackers.current()
        elif op == "stop":
            running = self._trackers.current(refresh=False) if self._json_cache else None
            running = running or self._trackers.current()
            if running is None:
                return False
            self._trackers.stop(running)
        elif op == "continue":
            known = self._trackers.collect() if self._json_cache else []
            last = max(known or self._trackers.collect(refresh=True), key=lambda t: t.start)
            body = api.TrackerBody(
                description=last.name, project_id=last.project, tags=[t.name for t in last.tags]
            )
            self._trackers.add(body)
        elif op == "add client":
            self._clients.add(api.ClientBody(name=f"Bench client {n}"))
        elif op in ("summary today", "summary week"):
            start, end = period(op, self._tz)
            found = self._trackers.collect(start_date=start, end_date=end, refresh=True)
            totals: dict[int | None, timedelta] = {}
            for t in found:
                totals[t.project] = totals.get(t.project, timedelta()) + (t.duration or timedelta())
        elif op == "list clients":
            self._clients.collect(refresh=True)
        else:
            raise Unsupported(f"no equivalent of {op!r}")
        return True

    def _login(self) -> bool:
        api = self._api
        # verify_authentication() uses GET /me/logged, which the fake does not serve;
        # get_details() (GET /me) verifies the token and gives the workspace in one request.
        me = api.UserEndpoint(self._auth, client=self._http).get_details()
        self._tz = ZoneInfo(me.get("timezone") or "UTC")
        wid = int(me["default_workspace_id"])
        self._logins += 1
        folder = self._workdir / f"login-{self._logins}"

        def cache(name: str) -> Any:
            return self._json_cache(folder / name) if self._json_cache else None

        self._trackers = api.TrackerEndpoint(wid, self._auth, cache("trackers"), client=self._http)
        self._clients = api.ClientEndpoint(wid, self._auth, cache("clients"), client=self._http)
        return True

    def close(self) -> None:
        self._http.close()


class TogglCliSystem:
    """togglcli 4.x (``toggl``): its API classes with an in-memory Config, like its CLI."""

    name = "togglcli"
    notes = (
        "summary: TimeEntry.objects.filter(start, stop) + local totals, as `toggl sum` does",
        "continue/stop: the calls `toggl continue` / `toggl stop` make (cli/commands.py)",
    )

    def __init__(
        self, base_url: str, token: str, workdir: Path, *, default_wid: bool = False
    ) -> None:
        del workdir  # configuration lives in memory only
        try:
            import toggl.toggl as entry
            from toggl import api, utils
        except ImportError as exc:
            raise _missing(exc) from None
        config_path = Path(utils.Config.DEFAULT_CONFIG_PATH)
        if config_path.exists():  # HOME is a fresh temp dir: only a real file can be there
            raise PeerUnavailable(f"togglcli would read a real config file at {config_path}")
        entry.TOGGL_URL = f"{base_url}/api/v9"
        entry.REPORTS_URL = f"{base_url}/reports/api/v2"
        self.how = (
            f"patched module constants toggl.toggl.TOGGL_URL = {base_url}/api/v9 and "
            "REPORTS_URL (read on every call by toggl.utils.toggl; no base-URL setting); "
            "Config.factory(None) + api_token, set as default; HOME = temp dir"
        )
        if default_wid:
            self.name = "togglcli (default_wid set)"
            self.how += "; [options] default_wid set from GET /me"
        self._default_wid = default_wid
        self._api = api
        self._utils = utils
        self._token = token
        self._config: Any = None

    def run(self, op: str, n: int) -> bool:
        api, config = self._api, self._config
        if op == "login":
            config = self._config = self._utils.Config.factory(None)
            config.api_token = self._token
            self._utils.Config.set_default(config)
            user = config.user  # GET /me, cached on the config
            if self._default_wid:  # what a .togglrc with `default_wid = <id>` gives
                config.default_wid = user.__dict__["default_workspace_id"]
            return user is not None
        if op == "start":
            api.TimeEntry.start_and_save(config=config, description=DESCRIPTION)
        elif op == "current":
            api.TimeEntry.objects.current(config=config)
        elif op == "stop":
            current = api.TimeEntry.objects.current(config=config)
            if current is None:
                return False
            current.stop_and_save()
        elif op == "continue":
            last = api.TimeEntry.objects.current(config=config)
            if last is None:
                last = api.TimeEntry.objects.all(order="desc", config=config)[0]
            last.continue_and_save()
        elif op == "add client":
            api.Client(config=config, name=f"Bench client {n}").save()
        elif op in ("summary today", "summary week"):
            start, end = period(op, ZoneInfo(config.user.timezone or "UTC"))
            found = api.TimeEntry.objects.filter(start=start, stop=end, config=config)
            _total = sum(e.duration for e in found if not e.is_running)
        elif op == "list clients":
            api.Client.objects.all(config=config)
        else:
            raise Unsupported(f"no equivalent of {op!r}")
        return True

    def close(self) -> None:
        self._config = None
