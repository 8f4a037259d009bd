"""The read-along page in a real browser: headless Chromium (the system's) driven by Playwright.

The page is the one `briefing render examples/*.txt -o b.mp3 --page b.html` writes (fake engine),
served from a local http.server. The tests play it and check the highlight against the VTT cues,
seek by click and Enter, press the shortcuts, and run axe-core in both colour schemes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from readalong_helpers import (
    AXE_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    Rendered,
    VttCue,
    chromium_available,
    need,
    read_vtt,
    render_examples,
    serve,
)

# A sentence is "settled" this far from a boundary: the highlight is checked only there, since
# currentTime moves on between the two reads of one evaluate.
EDGE = 0.25


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render_examples(tmp_path_factory.mktemp("readalong"))


@pytest.fixture(scope="module")
def cues(rendered: Rendered) -> list[VttCue]:
    return read_vtt(rendered.vtt)


@pytest.fixture(scope="module")
def base_url(rendered: Rendered) -> Iterator[str]:
    with serve(rendered.folder) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(chromium_available(), f"needs Playwright and Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(f"{base_url}/b.html")
    _wait(tab, "document.getElementById('audio').readyState >= 1")
    yield tab
    context.close()
    # Nothing but the page and its audio, both from the local server: no network at view time.
    assert requests, "the page made no request at all"
    assert all(url.startswith(base_url) for url in requests), requests


def _wait(tab: Any, condition: str, seconds: float = 20.0) -> None:
    """Poll a JS condition (wait_for_function's own polling is an eval, which the CSP forbids)."""
    for _ in range(int(seconds * 20)):
        if tab.evaluate(f"() => Boolean({condition})"):
            return
        tab.wait_for_timeout(50)
    raise AssertionError(f"still not true after {seconds} s: {condition}")


def _now(tab: Any) -> dict[str, Any]:
    result: dict[str, Any] = tab.evaluate(
        """() => { const now = document.querySelectorAll('.s.now');
        return { t: document.getElementById('audio').currentTime,
                 ids: Array.from(now, e => e.id),
                 current: Array.from(document.querySelectorAll('[aria-current]'), e => e.id),
                 paused: document.getElementById('audio').paused }; }"""
    )
    return result


def _expected(cues: list[VttCue], t: float) -> int | None:
    """Index of the cue begun last at time t; None when t is too close to a boundary."""
    begun = [i for i, cue in enumerate(cues) if cue.start <= t]
    if not begun:
        return None
    i = begun[-1]
    near = [abs(t - cues[i].start)] + ([abs(cues[i + 1].start - t)] if i + 1 < len(cues) else [])
    return None if min(near) < EDGE else i


def test_the_highlight_follows_current_time_across_a_voice_change(
    page: Any, cues: list[VttCue]
) -> None:
    change = next(
        i for i in range(1, len(cues))
        if cues[i - 1].speaker == "Narrator" and cues[i].speaker != "Narrator"
    )  # fmt: skip
    page.evaluate(f"() => {{ const a = document.getElementById('audio');"
                  f" a.currentTime = {cues[change].start - 0.6}; return a.play(); }}")  # fmt: skip
    seen: set[int] = set()
    checked = 0
    for _ in range(40):
        state = _now(page)
        expected = _expected(cues, state["t"])
        if expected is not None:
            assert state["ids"] == [f"s{expected + 1}"], (state, expected)
            assert state["current"] == state["ids"]
            seen.add(expected)
            checked += 1
        if state["t"] > cues[change].start + 1.0:
            break
        page.wait_for_timeout(100)
    assert not _now(page)["paused"]
    # Both sides of the change were seen highlighted: the narrator's sentence and the quote's.
    assert {change - 1, change} <= seen, (seen, change)
    assert checked >= 5
    quote = page.locator(f"#s{change + 1}")
    who = quote.locator("xpath=ancestor::span[contains(@class,'quote')]/span[@class='who']")
    assert who.inner_text() == f"{cues[change].speaker}:"


def _record_seeks(page: Any) -> None:
    """Keep where each seek went and what was highlighted then (playing moves on at once)."""
    page.evaluate(
        """() => { window.seeks = []; const a = document.getElementById('audio');
        a.addEventListener('seeking', () => window.seeks.push({ t: a.currentTime,
          ids: Array.from(document.querySelectorAll('.s.now'), e => e.id) })); }"""
    )


def _seek(page: Any) -> dict[str, Any]:
    _wait(page, "window.seeks.length > 0 && !document.getElementById('audio').paused")
    seeks: list[dict[str, Any]] = page.evaluate("window.seeks")
    assert len(seeks) == 1, seeks
    return seeks[0]


def test_a_click_on_a_sentence_seeks_to_it_and_plays(page: Any, cues: list[VttCue]) -> None:
    target = len(cues) * 2 // 3
    _record_seeks(page)
    page.locator(f"#s{target + 1}").click()
    seek = _seek(page)
    assert abs(seek["t"] - cues[target].start) < 0.05
    assert seek["ids"] == [f"s{target + 1}"]


def test_enter_on_a_focused_sentence_seeks_to_it(page: Any, cues: list[VttCue]) -> None:
    target = len(cues) // 2
    page.locator(f"#s{target + 1}").focus()
    _record_seeks(page)
    page.keyboard.press("Enter")
    assert abs(_seek(page)["t"] - cues[target].start) < 0.05
    # The highlight moved; the focus stayed where the user put it.
    assert page.evaluate("document.activeElement.id") == f"s{target + 1}"


def _story_starts(page: Any) -> list[str]:
    starts: list[str] = page.evaluate(
        "Array.from(document.querySelectorAll('section.story'), s => s.querySelector('.s').id)"
    )
    return starts


def test_keyboard_shortcuts(page: Any, cues: list[VttCue]) -> None:
    page.locator("h1").click()  # focus on the page, not on a control
    page.keyboard.press("k")
    _wait(page, "!document.getElementById('audio').paused")
    page.keyboard.press("k")
    _wait(page, "document.getElementById('audio').paused")
    page.keyboard.press("l")
    page.keyboard.press("l")
    first = _now(page)
    index = int(first["ids"][0][1:]) - 1
    assert abs(first["t"] - cues[index].start) < 0.05
    page.keyboard.press("j")
    assert _now(page)["ids"] == [f"s{index}"]
    stories = _story_starts(page)
    numbers = [int(start[1:]) for start in stories]
    story = max(k for k, start in enumerate(numbers) if start <= index)  # j left us here
    assert story == 0
    page.keyboard.press("n")
    state = _now(page)
    assert state["ids"] == [stories[1]]
    assert abs(state["t"] - cues[numbers[1] - 1].start) < 0.05
    page.keyboard.press("n")
    assert _now(page)["ids"] == [stories[2]]
    page.keyboard.press("p")
    assert _now(page)["ids"] == [stories[1]]
    assert _now(page)["paused"]
    # The shortcuts can be turned off (WCAG 2.1.4, character key shortcuts).
    page.locator("#shortcuts-on").uncheck()
    page.locator("h1").click()
    page.keyboard.press("n")
    assert _now(page)["ids"] == [stories[1]]


def test_the_speed_control_sets_the_playback_rate(page: Any) -> None:
    page.get_by_label("Speed").select_option("1.5")
    assert page.evaluate("document.getElementById('audio').playbackRate") == 1.5


def test_the_chapter_list_seeks_to_each_story(page: Any, cues: list[VttCue]) -> None:
    links = page.locator("nav.chapters a")
    assert links.count() == len(_story_starts(page)) == 3
    links.nth(2).click()
    assert abs(_now(page)["t"] - float(links.nth(2).get_attribute("data-begin"))) < 0.05


def _axe(page: Any) -> dict[str, Any]:
    page.add_script_tag(path=AXE_JS)
    result: dict[str, Any] = page.evaluate(
        """async () => { const r = await axe.run(document, { runOnly: { type: 'tag', values:
        ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
        return { version: axe.version, violations: r.violations.map(v => ({ id: v.id,
        help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })), passes: r.passes.length,
        incomplete: r.incomplete.map(v => v.id) }; }"""
    )
    return result


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_core_finds_no_violations(browser: Any, base_url: str, scheme: str) -> None:
    need(Path(AXE_JS).is_file(), f"needs axe-core at {AXE_JS} (npm install axe-core)")
    # The page's CSP forbids any script but its own: axe is let in by the browser's bypass.
    context = browser.new_context(color_scheme=scheme, reduced_motion="reduce", bypass_csp=True)
    tab = context.new_page()
    tab.goto(f"{base_url}/b.html")
    tab.locator(".quote .s").nth(1).click()  # a highlighted quote is part of what is checked
    tab.evaluate("document.getElementById('audio').pause()")
    # At the top nothing is under the sticky player, so axe can see every text's background.
    tab.evaluate("window.scrollTo(0, 0)")
    result = _axe(tab)
    context.close()
    print(f"axe-core {result['version']} ({scheme}): {len(result['violations'])} violations, "
          f"{result['passes']} rules passed, incomplete: {result['incomplete']}")  # fmt: skip
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)


def test_without_scripts_it_is_a_transcript_with_a_plain_player(
    browser: Any, base_url: str, cues: list[VttCue]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{base_url}/b.html")
    assert tab.locator("audio[controls]").count() == 1
    assert tab.locator(".s").count() == len(cues)
    assert tab.locator(".s[tabindex]").count() == 0
    assert not tab.locator("#speed").is_visible()
    assert not tab.locator("section.shortcuts").is_visible()
    text = tab.locator("#transcript").inner_text()
    assert all(cue.text in text for cue in cues)
    context.close()


def test_screenshot_for_the_readme(page: Any, tmp_path: Path) -> None:
    """BRIEFING_SCREENSHOT=examples/read-along.png keeps the picture (the README's)."""
    page.set_viewport_size({"width": 900, "height": 640})
    page.locator(".quote .s").nth(1).click()
    page.evaluate("document.getElementById('audio').pause()")
    page.evaluate("document.querySelector('.s.now').scrollIntoView({block: 'center'})")
    page.evaluate("window.scrollBy(0, 150)")  # the next speakers' quotes too
    page.mouse.move(0, 0)  # no hover underline in the picture
    target = Path(os.environ.get("BRIEFING_SCREENSHOT") or tmp_path / "read-along.png")
    page.screenshot(path=str(target), type="png")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
