"""The grammar: commands as people type them on each platform.

``bot.commands`` declares every command with the parameter kinds of ``params``;
``declare`` keeps the declarations; ``text`` reads typed text and ``options`` Discord's
option values, both through the parameters' validators; ``syntax`` writes usage, examples
and mentions in each platform's words; ``periods``, ``clock`` and ``tokens`` read the
small pieces. Nothing is imported here, so importing a submodule imports only what it needs.
"""
