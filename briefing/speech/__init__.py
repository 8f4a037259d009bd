"""Speech: text → verified clips. The engine Protocol, its engines, the worker pool, the clip cache.

Imports `briefing.audio` (clip statistics, measured where a clip is made) and the shared modules;
never cast, output or the CLI.

  engines/       TTSEngine Protocol, pyttsx3 (eSpeak NG) and fake engines, verification, workers
  pool.py        synthesis front: cache first, same-voice utterances in a row, open_executor
  executor.py    the Executor interface: SynthJob in, SynthResult back
  process_pool.py  the default executor: spawned worker processes, kills and retries
  dask_executor.py the Dask distributed executor (the `cluster` extra)
  clip_cache.py  content-addressed clips and their statistics
  allocator.py   glibc malloc tuning for the render and its workers
"""
