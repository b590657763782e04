"""How each platform says a command, read and written from the declarations in
``bot.commands``: ``text`` reads typed text, ``options`` reads Discord's option values
(both through the parameters' own validators), ``syntax`` writes usage lines, examples and
mentions in each platform's words. It sits above the declarations, which sit above the
grammar's building blocks (``bot.grammar``)."""
