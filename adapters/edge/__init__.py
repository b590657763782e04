"""The web process's edge: what a request must get right before any app code reads it.

Limits on connections, headers and bodies (sizes and deadlines), and one short log line
for everything refused. Platform-neutral; the Slack signature gate lives in adapters.slack.
"""

from adapters.edge.body import BodyLimits
from adapters.edge.limits import WebLimits
from adapters.edge.refusals import RefusalLog
from adapters.edge.server import StoppableServer, uvicorn_options

__all__ = ["BodyLimits", "RefusalLog", "StoppableServer", "WebLimits", "uvicorn_options"]
