"""briefing: turn news articles into one narrated, multi-voice audio briefing."""

__version__ = "0.1.0"
