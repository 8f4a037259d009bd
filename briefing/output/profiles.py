"""Output profiles: the delivery settings a platform asks for, chosen by name (`--profile`).

Each value names the spec it follows. Loudness is what a meter (ffmpeg's `ebur128`, BS.1770)
reads on the encoded file: a stereo profile is rendered as mono 3 dB quieter and written to both
channels, which BS.1770 sums, so both read at their own target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from briefing.errors import ConfigError
from briefing.output.options import RenderOptions


@dataclass(frozen=True)
class Profile:
    """Sample rate, channels, MP3 bitrate, loudness and true-peak ceiling of an output."""

    name: str
    sample_rate: int
    channels: int
    bitrate_kbps: int
    loudness_lufs: float
    true_peak_dbtp: float
    follows: str
    """The specs the values come from (shown in `--help` and the README)."""


PODCAST = Profile(
    name="podcast",
    sample_rate=44100,  # Apple Podcasts Connect: MP3 at 44.1 kHz; Spotify's delivery spec: 44.1 kHz
    channels=1,  # Apple accepts mono at 44.1 kHz (>= 32 kbps); speech gains nothing from stereo
    bitrate_kbps=96,  # Apple: 96-128 kbps recommended at 44.1 kHz (>= 32 kbps mono required)
    loudness_lufs=-19.0,  # AES TD1004: -19 LUFS for mono (plays as -16 on two speakers)
    true_peak_dbtp=-1.0,  # AES TD1004 and Apple: true peak at most -1 dBTP
    follows="Apple Podcasts Connect, Spotify delivery spec, AES TD1004 (mono)",
)
PODCAST_STEREO = Profile(
    name="podcast-stereo",
    sample_rate=44100,  # as `podcast`
    channels=2,  # for hosts or players that insist on two channels
    bitrate_kbps=128,  # Apple: 128 kbps recommended for stereo
    loudness_lufs=-16.0,  # Apple Podcasts and AES TD1004: -16 LUFS for stereo
    true_peak_dbtp=-1.0,  # AES TD1004 and Apple: true peak at most -1 dBTP
    follows="Apple Podcasts Connect, Spotify delivery spec, AES TD1004 (stereo)",
)
SPEECH = Profile(
    name="speech",
    sample_rate=22050,  # eSpeak's own rate: it has nothing above 11 kHz (MPEG-2 Layer III)
    channels=1,
    bitrate_kbps=64,  # compact: half the size of `podcast`, clean for synthetic speech
    loudness_lufs=-16.0,  # the tool's level before profiles (Apple's -16 LUFS figure)
    true_peak_dbtp=-1.0,  # AES TD1004: true peak at most -1 dBTP
    follows="compact speech (the tool's output before profiles)",
)

PROFILES: dict[str, Profile] = {p.name: p for p in (PODCAST, PODCAST_STEREO, SPEECH)}
DEFAULT_PROFILE = PODCAST.name


def get_profile(name: str) -> Profile:
    """The profile called `name`; a ConfigError lists the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ConfigError(
            f"--profile {name!r}: unknown profile", hint="use one of " + ", ".join(PROFILES)
        ) from None


def apply_profile(
    options: RenderOptions, profile: Profile, loudness_lufs: float | None = None
) -> RenderOptions:
    """`options` with the profile's settings; `loudness_lufs` (the file's) overrides its target."""
    target = profile.loudness_lufs if loudness_lufs is None else loudness_lufs
    return replace(
        options,
        sample_rate=profile.sample_rate,
        channels=profile.channels,
        bitrate_kbps=profile.bitrate_kbps,
        loudness=target - 10 * math.log10(profile.channels),
        true_peak_dbtp=profile.true_peak_dbtp,
    )
