"""Background jobs (purges now, reminders later), claimed safely by several runners."""
