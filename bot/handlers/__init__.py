"""Command handlers: free functions taking a command and the Context, returning a Reply."""
