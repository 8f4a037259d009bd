"""Freed buffers stay in the process: new buffers stop faulting in fresh pages."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

# Buffers of a section's sizes (1-9 s of audio as float32, the PCM of a clip or section), made,
# filled and freed in a varying order: what a render's sections and clips do. (Clip statistics
# alone no longer show the difference: since their transforms run in float64 they make few
# large temporaries.)
PROBE = """
import resource, sys
import numpy as np
if sys.argv[1] == "tuned":
    from briefing.speech.allocator import keep_freed_buffers
    keep_freed_buffers()
sizes = [22050 * (1 + (7 * i) % 9) for i in range(20)]
np.ones(max(sizes), dtype=np.float32).sum()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    for n in sizes:
        np.ones(n, dtype=np.float32).sum()
        np.ones(2 * n, dtype=np.float32).sum()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_freed_buffers_are_reused() -> None:
    default, tuned = _faults("default"), _faults("tuned")
    assert tuned * 3 < default  # measured: ~200 page faults against ~1,100


def test_worker_environment_matches_the_in_process_settings() -> None:
    from briefing.speech import allocator

    assert allocator.ENVIRONMENT["MALLOC_MMAP_THRESHOLD_"] == str(allocator.MMAP_THRESHOLD)
    assert allocator.ENVIRONMENT["MALLOC_TRIM_THRESHOLD_"] == str(allocator.TRIM_THRESHOLD)
    assert allocator.ENVIRONMENT["MALLOC_TOP_PAD_"] == str(allocator.TOP_PAD)
