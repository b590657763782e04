"""`python -m benchmarks`: togglbot against toggl-api-wrapper and togglcli on a local fake Toggl.

Every system talks to the same in-memory Toggl emulator (``bot.emulator``) over
real HTTP on 127.0.0.1; requests are counted by the emulator's own log. Nothing leaves the
machine: a socket guard fails the run if anything tries to reach a non-loopback address.
"""
