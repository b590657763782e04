"""Chat platform adapters: they translate between a platform and bot.core, nothing more."""
