"""Publishing: a rendered briefing as an episode of a podcast feed (`briefing publish`)."""
