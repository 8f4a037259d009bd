"""The CLI's commands: each parses its options, calls the pipeline, prints what it made.

Only `briefing.cli` (which registers them on the Typer app) imports these; they may import
every stage below. Like `cli.py`, they are the only modules allowed typer and rich.

  options.py   the option types shared by several commands, and what they become
  running.py   one failure = one line on stderr and an exit code (`guard`)
  render.py    `briefing render`
  publish.py   `briefing publish`;  batch.py  `briefing batch`
  inspect.py   `briefing script`, `briefing voices`, `briefing cache info|clear`
"""
