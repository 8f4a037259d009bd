"""Output: a cast script → the audio file, transcripts and chapters, reusing finished work.

The top of the render: imports speech, audio, cast, script and the shared modules; only the CLI
and `briefing.pipeline` import it.

  render.py        the entry point: plan, reuse a finished render, else render section by section
  timeline.py      what is said in which order, with pauses, chimes and chapters
  sectioned.py     gains from clip statistics; sections stitched, levelled, encoded in order
  mp3_sections.py  MP3 sections (gapless, cached); pcm_sections.py WAV and ffmpeg formats
  finished.py      the finished-render cache
  transcript.py    WebVTT, SRT, JSON and text transcripts; chapters JSON
  scriptout.py     `briefing script` as text or JSON
"""
