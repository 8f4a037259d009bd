"""Cast: cast files, and a voice for every speaker (deterministic, distinct, never the narrator's).

Imports `briefing.script` (for the script it casts), `briefing.speech` (voice facts) and the
shared modules; never audio or output.

  config.py   cast files (TOML): narrator, unattributed voice, pool, pins, pauses
  assign.py   voices for speakers; `Script`, the stories with their cast
"""
