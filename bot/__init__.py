"""togglbot: Toggl Track time tracking from chat. The platform-neutral core lives here."""
