"""The digest's bar chart: hours per member as a small PNG, drawn with Pillow.

Pillow draws the same picture matplotlib did (a horizontal bar per member, the name on the
left, the hours at the bar's end, an hours axis below) about ten times faster, and a name is
only ever drawn as plain text: nothing in it is parsed (matplotlib read `$…$` as TeX).
Pure function of its input, so charts can be drawn in a thread or a process pool.
"""

from __future__ import annotations

import asyncio
import io
import math
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from functools import cache
from typing import Any

Bars = tuple[tuple[str, float], ...]  # (member name, hours), largest first

WIDTH_PX = 640
ROW_PX = 30
MARGIN_PX = 70  # axis labels and padding, above and below the bars
MAX_BARS = 25
LABEL_CHARS = 22
COLOR = "#d94fb1"  # Toggl's magenta
INK = "#222222"
GRID = "#bbbbbb"
LEFT_PX = 192  # the bars start here; names are right-aligned before it
RIGHT_PX = 48  # room for the value printed after the longest bar
TOP_PX = 15
BAR_FILL = 0.6  # of a row's height
# Fonts tried in order (DejaVu covers most scripts); Pillow's own font when none is there.
FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# One thread: charts never block the event loop.
_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="digest-chart")


def chart_size(bars: int) -> tuple[int, int]:
    """(width, height) in pixels of the chart for this many members."""
    rows = max(1, min(bars, MAX_BARS))
    return WIDTH_PX, MARGIN_PX + ROW_PX * rows


@cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def render_chart(bars: Sequence[tuple[str, float]]) -> bytes:
    """A horizontal bar per member, hours on the x axis; returns PNG bytes."""
    # Imported here: only processes that draw charts pay Pillow's import time.
    from PIL import Image, ImageDraw

    shown = list(bars)[:MAX_BARS]
    width, height = chart_size(len(shown))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    label_font, small = _font(12), _font(11)
    top, bottom = TOP_PX, height - (MARGIN_PX - TOP_PX)
    span = width - LEFT_PX - RIGHT_PX
    top_hours = max([*(h for _, h in shown), 1.0]) * 1.15
    step = _tick_step(top_hours)
    # The hours axis: a baseline, ticks with their values, and its title.
    draw.line([(LEFT_PX, top), (LEFT_PX, bottom)], fill=INK)
    draw.line([(LEFT_PX, bottom), (LEFT_PX + span, bottom)], fill=INK)
    tick = 0.0
    while tick <= top_hours:
        x = LEFT_PX + round(tick / top_hours * span)
        draw.line([(x, bottom), (x, bottom + 4)], fill=INK)
        draw.text((x, bottom + 6), f"{tick:g}", font=small, fill=INK, anchor="ma")
        tick += step
    draw.text((LEFT_PX + span // 2, bottom + 26), "hours", font=label_font, fill=INK,
              anchor="ma")
    row_px = (bottom - top) / max(1, len(shown))
    for row, (name, hours) in enumerate(shown):
        middle = top + row_px * (row + 0.5)
        half = row_px * BAR_FILL / 2
        end = LEFT_PX + round(max(0.0, hours) / top_hours * span)
        if end > LEFT_PX:
            draw.rectangle([(LEFT_PX + 1, middle - half), (end, middle + half)], fill=COLOR)
        # Plain text: draw.text never interprets what it is given.
        draw.text((LEFT_PX - 6, middle), _short(name), font=label_font, fill=INK, anchor="rm")
        draw.text((end + 4, middle), f"{hours:.1f}", font=small, fill=INK, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=1)
    return buffer.getvalue()


def _tick_step(top: float) -> float:
    """A round tick step giving about five ticks up to ``top``."""
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for nice in (1, 2, 2.5, 5, 10):
        if raw <= nice * magnitude:
            return float(nice * magnitude)
    return float(10 * magnitude)


async def render_off_loop(bars: Bars, executor: Executor | None = None) -> bytes:
    """Render in ``executor`` (a process pool in the worker), by default in one thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor or _THREAD, render_chart, bars)


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
