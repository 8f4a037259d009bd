"""Which quotes a voice reads: kept apart from attribution so that casting a cached script
never imports the attribution patterns."""

NARRATOR_BELOW = 0.5
"""A quote whose attribution confidence is below this is read by the narrator (a neutral voice
is better than a wrong one). Measured on PolNeAR dev: at 0.5 the narrator takes the quotes whose
speaker was wrong and no right one (README, "Attribution confidence")."""
