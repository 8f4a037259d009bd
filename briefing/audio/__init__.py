"""Audio: PCM in, audio files out. Levels, loudness, limiter, stitching, encoders and their tags.

Imports only the shared modules (`model`, `errors`, `storage`); knows nothing of scripts,
speakers or engines.

  stitch.py      clips, pauses and chimes laid end to end; cue and chapter times
  loudness.py    BS.1770 loudness, gains; limiter.py the true-peak limiter
  clip_stats.py  per-clip loudness statistics: gains without the audio
  encode.py      format dispatch; mp3.py (lameenc), ffmpeg.py; tags.py (mutagen)
"""
