"""Text helpers every feature shares: times, durations, bar lists, excerpts, charts, sentiment."""
