"""The digest's bar chart: hours per member as a small PNG, drawn without a display.

matplotlib's object API with the Agg canvas (no pyplot, no global state), so charts can be
drawn off the event loop, in a thread or a process pool.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor

Bars = tuple[tuple[str, float], ...]  # (member name, hours), largest first

DPI = 100
WIDTH_PX = 640
ROW_PX = 30
MARGIN_PX = 70  # axis labels and padding, above and below the bars
MAX_BARS = 25
LABEL_CHARS = 22
COLOR = "#d94fb1"  # Toggl's magenta

# One thread: charts never block the event loop, and fonts are never shared across threads.
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="digest-chart")


def chart_size(bars: int) -> tuple[int, int]:
    """(width, height) in pixels of the chart for this many members."""
    rows = max(1, min(bars, MAX_BARS))
    return WIDTH_PX, MARGIN_PX + ROW_PX * rows


def render_chart(bars: Sequence[tuple[str, float]]) -> bytes:
    """A horizontal bar per member, hours on the x axis; returns PNG bytes."""
    # Imported here: only processes that draw charts pay matplotlib's import time.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = list(bars)[:MAX_BARS]
    width, height = chart_size(len(shown))
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    # Fixed margins instead of tight_layout: the size stays exact and it renders faster.
    axes = figure.add_axes((0.3, 45 / height, 0.62, 1 - 60 / height))
    labels = [_short(name) for name, _ in shown]
    hours = [value for _, value in shown]
    axes.barh(range(len(shown)), hours, color=COLOR, height=0.6)
    # Names are plain text: with mathtext on, a `$` in a name is parsed as TeX and can raise.
    axes.set_yticks(range(len(shown)), labels, fontsize=9, parse_math=False)
    axes.invert_yaxis()
    axes.set_xlabel("hours", fontsize=9)
    axes.tick_params(axis="x", labelsize=8)
    axes.set_xlim(0, max([*hours, 1.0]) * 1.15)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for row, value in enumerate(hours):
        axes.text(value, row, f" {value:.1f}", va="center", fontsize=8)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


async def render_off_loop(bars: Bars, executor: Executor | None = None) -> bytes:
    """Render in ``executor`` (a process pool in the worker), by default in one thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor or _THREAD, render_chart, bars)


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
