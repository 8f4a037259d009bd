// Read along: highlight the spoken sentence, seek on click or Enter, keyboard shortcuts, speed.
// Without this script the page is a plain transcript under a plain audio element.
(function () {
  "use strict";
  var audio = document.getElementById("audio");
  var sentences = Array.prototype.slice.call(document.querySelectorAll(".s[data-begin]"));
  var stories = Array.prototype.slice.call(document.querySelectorAll("section.story"));
  var begins = sentences.map(function (s) { return parseFloat(s.getAttribute("data-begin")); });
  var follow = document.getElementById("follow");
  var shortcuts = document.getElementById("shortcuts-on");
  var speed = document.getElementById("speed");
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)");
  var current = -1;

  document.documentElement.classList.add("js");
  Array.prototype.forEach.call(document.querySelectorAll("[data-js]"), function (el) {
    el.hidden = false;
  });
  sentences.forEach(function (s) { s.tabIndex = 0; });

  // The sticky player must never hide what has the focus (WCAG 2.4.11): what scrolls into view
  // below it keeps clear of it (a margin on those, not a padding on the page, which would
  // scroll the page whenever a control in the player itself took the focus).
  var player = document.querySelector(".player");
  function padScroll() {
    document.documentElement.style.setProperty("--player", (player.offsetHeight + 8) + "px");
  }
  padScroll();
  window.addEventListener("resize", padScroll);

  // The last sentence begun at time t (it stays highlighted through the pause after it).
  function indexAt(t) {
    var lo = 0, hi = begins.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (begins[mid] <= t + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function offscreen(el) {
    var box = el.getBoundingClientRect();
    var top = player.getBoundingClientRect().bottom;
    return box.top < top || box.bottom > window.innerHeight;
  }

  // Highlight only: focus never moves, nothing is announced.
  function show(i) {
    if (i === current) { return; }
    if (current >= 0) {
      sentences[current].classList.remove("now");
      sentences[current].removeAttribute("aria-current");
    }
    current = i;
    if (i < 0) { return; }
    var el = sentences[i];
    el.classList.add("now");
    el.setAttribute("aria-current", "true");
    if (follow.checked && offscreen(el)) {
      el.scrollIntoView({ block: "center", behavior: reduced.matches ? "auto" : "smooth" });
    }
  }

  function sync() { show(indexAt(audio.currentTime)); }

  function tick() {
    sync();
    if (!audio.paused) { window.requestAnimationFrame(tick); }
  }

  function seekTo(i) {
    i = Math.max(0, Math.min(sentences.length - 1, i));
    audio.currentTime = begins[i];
    show(i);
  }

  function storyAt(i) {
    var el = sentences[i];
    for (var k = stories.length - 1; k >= 0; k--) {
      if (stories[k].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING ||
          stories[k].contains(el)) { return k; }
    }
    return -1;
  }

  function seekStory(k) {
    k = Math.max(0, Math.min(stories.length - 1, k));
    var first = stories[k].querySelector(".s[data-begin]");
    if (first) { seekTo(sentences.indexOf(first)); }
  }

  // play() is refused until the audio can play (or the browser allows it); nothing to report.
  function play() {
    var started = audio.play();
    if (started && started.catch) { started.catch(function () {}); }
  }

  function toggle() {
    if (audio.paused) { play(); } else { audio.pause(); }
  }

  audio.addEventListener("play", tick);
  audio.addEventListener("timeupdate", sync);
  audio.addEventListener("seeked", sync);

  sentences.forEach(function (el, i) {
    el.addEventListener("click", function () { seekTo(i); play(); });
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); seekTo(i); play(); }
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll(".chapters a"), function (a) {
    a.addEventListener("click", function () {
      audio.currentTime = parseFloat(a.getAttribute("data-begin"));
      sync();
    });
  });

  speed.addEventListener("change", function () { audio.playbackRate = parseFloat(speed.value); });

  var keys = {
    k: toggle,
    j: function () { seekTo((current < 0 ? 0 : current) - 1); },
    l: function () { seekTo(current + 1); },
    p: function () { seekStory((current < 0 ? 0 : storyAt(current)) - 1); },
    n: function () { seekStory((current < 0 ? -1 : storyAt(current)) + 1); }
  };

  document.addEventListener("keydown", function (e) {
    if (!shortcuts.checked || e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) { return; }
    var tag = e.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || e.target.isContentEditable) {
      return;
    }
    var action = keys[e.key];
    if (action) { e.preventDefault(); action(); }
  });
})();
