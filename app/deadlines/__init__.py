"""Legal deadlines: the French working-day calendar and the rules that count each period."""
