"""The grammar's building blocks, below the declarations in ``bot.commands``.

``params`` holds the parameter kinds and their validators; ``declare`` turns an annotated
dataclass into a declaration; ``periods``, ``clock``, ``phrases`` and ``tokens`` read the
small pieces. Reading whole commands and writing them per platform is ``bot.dialects``.
Nothing is imported here, so importing a submodule imports only what it needs.
"""
