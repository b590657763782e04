"""Opt-in reminders and a personal day recap (issue #18).

``plan`` decides, without Toggl, when a person could next need a reminder; the scheduler
looks only at people whose indexed ``next_at`` has come, spends at most one Toggl request
to confirm, and sends each (person, kind, day) at most once (``bot.store.reminders``).
"""
