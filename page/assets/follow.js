// The follow-along page: it looks up the span of the "where am I" data that
// holds the audio's current time and shows it. Everything it shows comes
// from that span; the only arithmetic is the time left to a span's end.
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("cues").textContent);
  const files = JSON.parse(document.getElementById("files").textContent);
  const pictures = JSON.parse(document.getElementById("pictures").textContent);
  const audio = document.getElementById("audio");
  const $ = id => document.getElementById(id);
  // The page's words, in its language, from the phrasebook: say fills a
  // label's {variables}.
  const words = JSON.parse($("words").textContent);
  const say = (key, vars = {}) => words[key].replace(/\{(\w+)\}/g, (m, k) => k in vars ? String(vars[k]) : m);
  const state = { wakeLock: "none", wakeLockRequests: 0, offline: "" };
  window.followAlong = state;

  // spanAt finds the span that holds t: the first that ends after it.
  const spans = data.spans;
  const spanAt = t => {
    let lo = 0, hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].end > t) hi = mid; else lo = mid + 1;
    }
    return spans[lo];
  };

  const clock = s => {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, ss = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
  };
  const countdown = s => s < 60 ? String(s) : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  const timerName = (kind, p) => {
    switch (kind) {
      case "settle": return say("get_ready");
      case "hold": return say("hold");
      case "rest": return say(!p.rep && p.set && p.sets > 1 ? "set_break" : "rest");
      case "breathe_in": return say("breathe_in");
      case "breathe_out": return say("breathe_out");
    }
    return "";
  };
  const counts = p => {
    const parts = [];
    if (p.rep && p.reps > 1) parts.push(say("rep_of", { n: p.rep, of: p.reps }));
    if (p.set && p.sets > 1) parts.push(say("set_of", { n: p.set, of: p.sets }));
    if (p.breath) parts.push(say("breath_of", { n: p.breath, of: p.breaths }));
    return parts.join(" · ");
  };
  const nextText = n => {
    if (!n) return "";
    if (n.chapter) return say("next") + " " + n.title;
    const p = n.place, parts = [];
    if (p.set && p.sets > 1) parts.push(say("set_of", { n: p.set, of: p.sets }));
    if (p.side) parts.push(say("side", { side: p.side }));
    if (p.rep && p.reps > 1) parts.push(say("rep_of", { n: p.rep, of: p.reps }));
    if (p.breath) parts.push(say("breath_of", { n: p.breath, of: p.breaths }));
    let text = say("next") + " " + parts.join(", ");
    if (n.instruction) text += (parts.length ? " — " : "") + n.instruction;
    return parts.length || n.instruction ? text : "";
  };
  const set = (id, text) => { const el = $(id); if (el.textContent !== text) el.textContent = text; };

  let shownChapter = -2;
  const render = () => {
    const t = audio.currentTime, s = spanAt(t), p = s.place, ch = data.chapters[s.chapter];
    set("chapter", s.chapter >= 0 ? say("chapter_of", { n: s.chapter + 1, of: data.chapters.length }) : "");
    set("label", p.exercise ? say("exercise_of", { n: p.exercise, of: p.exercises }) : "");
    set("name", p.exercise && p.name ? p.name : ch ? ch.title : data.title);
    const pic = $("picture"), src = (p.exercise && pictures[p.name]) || "";
    pic.hidden = !src;
    if (src && pic.getAttribute("src") !== src) pic.setAttribute("src", src);
    const side = $("side");
    side.hidden = !p.side;
    set("side", p.side ? say("side", { side: p.side }).toUpperCase() : "");
    set("count", counts(p));
    set("instruction", s.instruction || "");
    $("instruction").classList.toggle("saying", !!s.speaking && s.speaking === s.instruction);
    set("speaking", s.speaking && s.speaking !== s.instruction ? "“" + s.speaking + "”" : "");
    const timer = $("timer"), tm = s.timer;
    if (tm) {
      const secs = Math.max(0, Math.ceil(tm.end - t));
      timer.dataset.kind = tm.kind;
      timer.classList.toggle("soon", tm.kind === "hold" && secs <= 3);
      set("timer-kind", timerName(tm.kind, p));
      set("countdown", countdown(secs));
      set("timer-of", say("timer_of", { time: countdown(Math.round(tm.end - tm.start)) + " s" }));
    } else {
      timer.dataset.kind = "";
      set("timer-kind", ""); set("countdown", ""); set("timer-of", "");
    }
    set("next", nextText(s.next));
    if (ch) {
      set("left-chapter", say(p.exercise ? "left_in_exercise" : "left_in_part", { time: clock(ch.end - t) }));
      $("bar-chapter").value = (t - ch.start) / Math.max(ch.end - ch.start, 0.001);
    }
    set("left-total", say("left", { time: clock(data.seconds - t) }));
    $("bar-total").value = t / Math.max(data.seconds, 0.001);
    if (s.chapter !== shownChapter) {
      shownChapter = s.chapter;
      mediaMetadata(ch);
    }
  };

  let frame = 0;
  const loop = () => { render(); frame = audio.paused ? 0 : requestAnimationFrame(loop); };
  const kick = () => { if (!frame) frame = requestAnimationFrame(loop); };
  for (const ev of ["timeupdate", "seeked", "loadedmetadata", "ratechange"]) audio.addEventListener(ev, render);

  // Chapters: back goes to the start of this chapter, or to the one before
  // within its first three seconds, as media players do.
  const chapterAt = t => {
    let i = -1;
    data.chapters.forEach((c, k) => { if (c.start <= t + 0.001) i = k; });
    return i;
  };
  const seek = t => { audio.currentTime = Math.min(Math.max(t, 0), data.seconds); render(); };
  const back = () => {
    const i = chapterAt(audio.currentTime);
    if (i < 0) return seek(0);
    const c = data.chapters[i];
    seek(audio.currentTime - c.start > 3 || i === 0 ? c.start : data.chapters[i - 1].start);
  };
  const forward = () => {
    const i = chapterAt(audio.currentTime);
    if (i + 1 < data.chapters.length) seek(data.chapters[i + 1].start);
  };
  const toggle = () => audio.paused ? audio.play().catch(() => {}) : audio.pause();
  $("play").addEventListener("click", toggle);
  $("back").addEventListener("click", back);
  $("forward").addEventListener("click", forward);
  document.addEventListener("keydown", e => {
    if (e.target.closest && e.target.closest("button, a")) return;
    if (e.key === " ") { e.preventDefault(); toggle(); }
    if (e.key === "ArrowRight") forward();
    if (e.key === "ArrowLeft") back();
  });

  // The screen stays on while the audio plays: a phone on the floor is
  // looked at, not touched. The lock goes when the page is hidden; it is
  // asked for again when the page shows while playing.
  let lock = null;
  const wake = async () => {
    if (!("wakeLock" in navigator) || lock || audio.paused || document.visibilityState !== "visible") {
      if (!("wakeLock" in navigator)) state.wakeLock = "unsupported";
      return;
    }
    state.wakeLockRequests++;
    state.wakeLock = "requested";
    try {
      lock = await navigator.wakeLock.request("screen");
      state.wakeLock = "held";
      lock.addEventListener("release", () => { lock = null; if (state.wakeLock === "held") state.wakeLock = "released"; });
    } catch (err) {
      state.wakeLock = "refused: " + err.name;
    }
  };
  const sleep = () => { if (lock) { lock.release().catch(() => {}); lock = null; state.wakeLock = "released"; } };
  audio.addEventListener("play", () => { document.body.classList.add("playing"); $("play").setAttribute("aria-label", say("pause")); kick(); wake(); });
  audio.addEventListener("pause", () => { document.body.classList.remove("playing"); $("play").setAttribute("aria-label", say("play")); sleep(); render(); });
  audio.addEventListener("ended", sleep);
  document.addEventListener("visibilitychange", wake);

  // The lock screen shows the routine and the chapter, and its buttons
  // skip chapters.
  const ms = "mediaSession" in navigator ? navigator.mediaSession : null;
  function mediaMetadata(ch) {
    if (!ms || typeof MediaMetadata === "undefined") return;
    ms.metadata = new MediaMetadata({ title: ch ? ch.title : data.title, artist: data.title, album: "routinecast" });
  }
  if (ms) {
    const handlers = {
      play: () => audio.play().catch(() => {}), pause: () => audio.pause(),
      previoustrack: back, nexttrack: forward,
      seekbackward: d => seek(audio.currentTime - (d.seekOffset || 10)),
      seekforward: d => seek(audio.currentTime + (d.seekOffset || 10)),
      seekto: d => seek(d.seekTime),
    };
    for (const [action, h] of Object.entries(handlers)) {
      try { ms.setActionHandler(action, h); } catch (_) { /* an action this browser lacks */ }
    }
    const position = () => {
      if (!ms.setPositionState || !isFinite(audio.duration)) return;
      try { ms.setPositionState({ duration: audio.duration, playbackRate: audio.playbackRate, position: Math.min(audio.currentTime, audio.duration) }); } catch (_) { /* not yet known */ }
    };
    for (const ev of ["loadedmetadata", "seeked", "ratechange", "play", "pause"]) audio.addEventListener(ev, position);
  }

  // Offline: where service workers are allowed (http, https; not file://),
  // one is registered and told to keep this page and its files; the page
  // says when they are kept.
  if ("serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
    const page = location.pathname.replace(/.*\//, "") || "./";
    navigator.serviceWorker.register("sw.js").then(() => navigator.serviceWorker.ready).then(reg => {
      state.offline = "saving";
      set("offline", say("saving_offline"));
      const ch = new MessageChannel();
      ch.port1.onmessage = e => {
        state.offline = e.data.ok ? "ready" : "failed: " + e.data.error;
        set("offline", e.data.ok ? say("works_offline") : "");
      };
      reg.active.postMessage({ keep: [page, ...files.files], stamp: files.stamp }, [ch.port2]);
    }).catch(err => { state.offline = "failed: " + err; });
  }

  render();
})();
