"""`briefing publish`: a feed real podcast clients read, episodes served the way hosts serve them.

The feed is read back with gPodder's podcastparser and with feedparser; the episode is fetched
from a local http.server on 127.0.0.1 by HEAD and byte ranges, as podcast apps download.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import feedparser
import podcastparser
import pytest
from feed_helpers import serve
from lxml import etree
from typer.testing import CliRunner

from briefing.cli import app

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
CHANNEL = EXAMPLES / "channel.toml"
COVER = EXAMPLES / "cover.png"
FIRST = [str(EXAMPLES / "harbor-bridge.txt")]
SECOND = [str(EXAMPLES / "library-hours.txt"), str(EXAMPLES / "river-cleanup.txt")]
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
runner = CliRunner()


def _publish(site: Path, base: str, sources: list[str], *extra: str) -> str:
    args = ["publish", *sources, "--feed-dir", str(site), "--base-url", base]
    args += ["--channel", str(CHANNEL), "--cover", str(COVER), "--engine", "fake", *extra]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def _parse(site: Path, base: str) -> dict:  # type: ignore[type-arg]
    with (site / "feed.xml").open("rb") as f:
        parsed: dict = podcastparser.parse(base + "feed.xml", f)  # type: ignore[type-arg]
    return parsed


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The done-when feed: one article, then two others, into one feed directory."""
    site = tmp_path_factory.mktemp("site")
    base = "http://127.0.0.1:8000/"
    _publish(site, base, FIRST)
    _publish(site, base, SECOND)
    return site, base


def test_podcastparser_reads_two_episodes_with_everything(published: tuple[Path, str]) -> None:
    site, base = published
    feed = _parse(site, base)
    assert feed["title"] == "Harbour Town Briefing"
    assert feed["cover_url"].startswith(base) and (site / feed["cover_url"][len(base) :]).is_file()
    episodes = feed["episodes"]
    assert len(episodes) == 2
    assert episodes[0]["title"].endswith("and 1 more story")  # newest first
    for episode in episodes:
        (enclosure,) = episode["enclosures"]
        local = site / enclosure["url"][len(base) :]
        assert enclosure["file_size"] == local.stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        assert episode["total_time"] > 10
        assert episode["episode_art_url"] == feed["cover_url"]
        assert episode["transcript_url"].endswith(".vtt")
        assert (site / episode["transcript_url"][len(base) :]).read_text().startswith("WEBVTT")
        chapters = json.loads((site / episode["chapters_json_url"][len(base) :]).read_text())
        assert [c["title"] for c in chapters["chapters"]] == [c["title"] for c in
                                                              episode["chapters"]]  # fmt: skip
        assert episode["guid"].startswith("briefing-")
    assert len(episodes[0]["chapters"]) == 2  # two stories, two chapters


def test_feedparser_and_apple_required_tags(published: tuple[Path, str]) -> None:
    site, _ = published
    parsed = feedparser.parse(str(site / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "Harbour Town Briefing"
    assert parsed.feed.language == "en"
    assert len(parsed.entries) == 2
    assert all(e.enclosures[0].type == "audio/mpeg" for e in parsed.entries)
    root = etree.parse(str(site / "feed.xml")).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    # Apple Podcasts' required channel tags, then its required and recommended episode tags.
    for path in ("title", "description", "language", "link", "itunes:author",
                 "itunes:owner/itunes:email", "podcast:guid"):  # fmt: skip
        assert (channel.findtext(path, namespaces=NS) or "").strip(), path
    assert channel.find("itunes:image", NS).get("href").endswith(".png")
    assert channel.find("itunes:category", NS).get("text") == "News"
    assert channel.findtext("itunes:explicit", namespaces=NS) in ("true", "false")
    for item in channel.findall("item"):
        for path in ("title", "guid", "pubDate", "description", "itunes:duration",
                     "content:encoded"):  # fmt: skip
            assert (item.findtext(path, namespaces=NS) or "").strip(), path
        enclosure = item.find("enclosure")
        assert enclosure is not None and int(enclosure.get("length", "0")) > 0
        types = sorted(t.get("type") for t in item.findall("podcast:transcript", NS))
        assert types == ["application/json", "text/vtt"]
        chapters = item.find("podcast:chapters", NS)
        assert chapters is not None and chapters.get("type") == "application/json+chapters"
    stories = channel.findall("item")[0].findtext("description") or ""
    assert "Libraries" in stories and "River" in stories  # the description lists the stories


def test_enclosure_fetched_by_head_and_byte_ranges(published: tuple[Path, str]) -> None:
    import mutagen.mp3

    site, _ = published
    with serve(site) as base:
        shutil.copy(site / "feed.xml", site / "feed-local.xml")
        text = (site / "feed.xml").read_text().replace("http://127.0.0.1:8000/", base)
        (site / "feed-local.xml").write_text(text)
        with urllib.request.urlopen(base + "feed-local.xml") as response:
            feed = podcastparser.parse(base + "feed-local.xml", response)
        enclosure = feed["episodes"][0]["enclosures"][0]
        head = urllib.request.Request(enclosure["url"], method="HEAD")
        with urllib.request.urlopen(head) as response:
            assert int(response.headers["Content-Length"]) == enclosure["file_size"]
        parts, start, size = [], 0, enclosure["file_size"]
        while start < size:
            ranged = urllib.request.Request(
                enclosure["url"], headers={"Range": f"bytes={start}-{start + 65535}"}
            )
            with urllib.request.urlopen(ranged) as response:
                assert response.status == 206
                assert response.headers["Content-Range"].endswith(f"/{size}")
                parts.append(response.read())
            start += len(parts[-1])
    fetched = site / "fetched.mp3"
    fetched.write_bytes(b"".join(parts))
    assert fetched.read_bytes() == (site / enclosure["url"][len(base) :]).read_bytes()
    audio = mutagen.mp3.MP3(fetched)
    assert audio.info is not None and audio.info.sample_rate == 44100
    assert audio.tags is not None
    (picture,) = audio.tags.getall("APIC")
    assert picture.data == COVER.read_bytes() and picture.mime == "image/png"
    fetched.unlink()
    (site / "feed-local.xml").unlink()


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="no ffprobe on PATH (apt ffmpeg)")
def test_ffprobe_reads_44100_and_the_chapters(published: tuple[Path, str]) -> None:
    site, base = published
    episode = _parse(site, base)["episodes"][0]
    local = site / episode["enclosures"][0]["url"][len(base) :]
    cmd = ["ffprobe", "-v", "error", "-show_streams", "-show_chapters", "-of", "json", str(local)]
    probe = json.loads(subprocess.run(cmd, capture_output=True, check=True, text=True).stdout)
    (stream,) = [s for s in probe["streams"] if s["codec_type"] == "audio"]
    assert stream["sample_rate"] == "44100" and stream["codec_name"] == "mp3"
    titles = [c["tags"]["title"] for c in probe["chapters"]]
    assert titles == [c["title"] for c in episode["chapters"]]


def test_same_inputs_twice_give_one_item(published: tuple[Path, str]) -> None:
    site, base = published
    before = (site / "feed.xml").read_bytes()
    message = _publish(site, base, SECOND)
    assert "already in the feed" in message
    assert (site / "feed.xml").read_bytes() == before


def test_keep_deletes_the_oldest_episode_and_its_files(tmp_path: Path) -> None:
    base = "http://127.0.0.1:8000/"
    _publish(tmp_path, base, FIRST)
    first = _parse(tmp_path, base)["episodes"][0]
    old_audio = tmp_path / first["enclosures"][0]["url"][len(base) :]
    assert old_audio.is_file()
    _publish(tmp_path, base, SECOND, "--keep", "1")
    episodes = _parse(tmp_path, base)["episodes"]
    assert [e["guid"] for e in episodes] != [first["guid"]] and len(episodes) == 1
    assert not old_audio.exists()
    assert not old_audio.with_suffix(".vtt").exists()
    assert sorted(p.suffix for p in tmp_path.glob("episode-*")) == [".json", ".json", ".mp3",
                                                                     ".vtt"]  # fmt: skip


def test_interrupted_third_publish_leaves_the_feed_of_two(tmp_path: Path) -> None:
    """Two publishes, then a third stopped by Ctrl-C mid-synthesis: the feed is as it was."""
    base = "http://127.0.0.1:8000/"
    _publish(tmp_path, base, FIRST)
    _publish(tmp_path, base, SECOND)
    before = (tmp_path / "feed.xml").read_bytes()
    files = sorted(p.name for p in tmp_path.iterdir())
    third = tmp_path.parent / "third.txt"
    third.write_text("Ferry Timetable Changes\n\nThe ferry will stall here at noon.\n")
    env = {**os.environ, "BRIEFING_FAKE_FAIL": "hang:stall here"}
    cmd = [sys.executable, "-m", "briefing", "publish", str(third), "--feed-dir", str(tmp_path),
           "--base-url", base, "--channel", str(CHANNEL), "--cover", str(COVER), "--engine",
           "fake"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".partial-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob(".partial-*")), "the third publish never started rendering"
    time.sleep(1.0)  # it is synthesizing (the hang marker holds it there)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert (tmp_path / "feed.xml").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # nothing half-written left
    assert len(_parse(tmp_path, base)["episodes"]) == 2
    assert not feedparser.parse(str(tmp_path / "feed.xml")).bozo


def test_failed_render_leaves_the_feed(tmp_path: Path) -> None:
    base = "http://127.0.0.1:8000/"
    _publish(tmp_path, base, FIRST)
    before = (tmp_path / "feed.xml").read_bytes()
    broken = tmp_path.parent / "broken.txt"
    broken.write_text("Broken Story\n\nThe engine will fail on this sentence.\n")
    args = ["publish", str(broken), "--feed-dir", str(tmp_path), "--base-url", base,
            "--channel", str(CHANNEL), "--cover", str(COVER), "--engine", "fake"]  # fmt: skip
    os.environ["BRIEFING_FAKE_FAIL"] = "raise:fail on this"
    try:
        result = runner.invoke(app, args)
    finally:
        del os.environ["BRIEFING_FAKE_FAIL"]
    assert result.exit_code == 1, result.stderr
    assert (tmp_path / "feed.xml").read_bytes() == before
    assert not list(tmp_path.glob(".partial-*"))


@pytest.mark.parametrize(
    ("channel", "needle"),
    [
        ('title = "T"\n', "missing author"),
        (CHANNEL.read_text().replace('category = "News"', 'category = "Newz"'), "Apple Podcasts"),
        (CHANNEL.read_text().replace("explicit = false", 'explicit = "no"'), "explicit"),
        (CHANNEL.read_text().replace('email = "podcast@example.org"', 'email = "x"'), "e-mail"),
        (CHANNEL.read_text() + 'colour = "red"\n', "unknown field 'colour'"),
        ("title = [", "not valid TOML"),
    ],
)
def test_bad_channel_fails_before_synthesis(tmp_path: Path, channel: str, needle: str) -> None:
    path = tmp_path / "channel.toml"
    path.write_text(channel)
    site = tmp_path / "site"
    args = ["publish", *FIRST, "--feed-dir", str(site), "--base-url", "http://127.0.0.1:8000/",
            "--channel", str(path), "--cover", str(COVER), "--engine", "fake"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert needle in line and "\n" not in line and str(path) in line
    assert not site.exists()


def test_bad_base_url_and_missing_cover(tmp_path: Path) -> None:
    args = ["publish", *FIRST, "--feed-dir", str(tmp_path / "s"), "--channel", str(CHANNEL),
            "--engine", "fake"]  # fmt: skip
    result = runner.invoke(app, [*args, "--base-url", "ftp://x/"])
    assert result.exit_code == 2 and "--base-url" in result.stderr
    bare = tmp_path / "bare.toml"
    bare.write_text(CHANNEL.read_text().replace('image = "cover.png"\n', ""))
    args[args.index(str(CHANNEL))] = str(bare)
    result = runner.invoke(app, [*args, "--base-url", "http://127.0.0.1:8000/"])
    assert result.exit_code == 2 and "no cover art" in result.stderr


def test_publish_an_edited_script(tmp_path: Path) -> None:
    script = runner.invoke(app, ["script", *FIRST, "--format", "json", "--engine", "fake"])
    assert script.exit_code == 0, script.stderr
    document = json.loads(script.stdout)
    document["stories"][0]["title"] = "Harbor Bridge: the Edited Cut"
    edited = tmp_path.parent / "edited.json"
    edited.write_text(json.dumps(document))
    base = "http://127.0.0.1:8000/"
    _publish(tmp_path, base, [str(edited)])
    (episode,) = _parse(tmp_path, base)["episodes"]
    assert episode["title"] == "Harbor Bridge: the Edited Cut"
    assert len(episode["enclosures"]) == 1 and episode["total_time"] > 10


def test_publish_has_help() -> None:
    result = runner.invoke(app, ["publish", "--help"])
    assert result.exit_code == 0
    assert "--feed-dir" in result.stdout and "--keep" in result.stdout
