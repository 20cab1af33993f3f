// routinecast studio: the page. Plain JavaScript, no libraries, no build step.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

let st = null;        // the server's state: lines by chapter, counts
let selected = null;  // key of the selected line
let level = "standard";
let music = "none"; // a built-in bed under the session, or none
let rec = null;       // the recording in progress
let lastTimeline = null;
let savedText = null; // the routine as saved, to tell a draft from it
let savedVersion = null; // the version of the file on disk that the editor's text is based on
let diskVersion = null;  // the file's version after someone else changed it: overwriting names it

// api calls the studio's API and returns its JSON, throwing the server's
// error message when it refuses.
async function api(path, opts) {
  const r = await fetch(path, Object.assign({credentials: "same-origin"}, opts || {}));
  const type = r.headers.get("content-type") || "";
  const body = type.includes("json") ? await r.json() : await r.text();
  if (!r.ok) {
    const err = new Error((body && body.error) || body || r.statusText);
    err.status = r.status;
    err.body = body;
    throw err;
  }
  return body;
}

function setStatus(id, text, kind) {
  const s = $(id);
  s.textContent = text;
  s.className = "status" + (kind ? " " + kind : "");
}

function allLines() {
  return st ? st.chapters.flatMap((c) => c.lines) : [];
}

function lineByKey(key) {
  return allLines().find((l) => l.key === key);
}

// --- lines ---

async function loadState() {
  const before = st;
  st = await api("/api/state");
  // Clips came or went (a synthesis finished): the timeline's times and
  // labels follow, unless the editor holds a draft the timeline shows.
  if (before && (before.synthesised !== st.synthesised || before.recorded !== st.recorded) && $("#src").value === savedText) {
    loadTimeline();
  }
  $("#title").textContent = st.title;
  renderCounter();
  renderLines();
  renderCurrent();
  renderSessionNote();
}

function renderCounter() {
  const left = st.total - st.recorded;
  let t = `${st.recorded} of ${st.total} recorded · ${left} left`;
  if (st.engine) t += ` (${st.synthesised} synthesised by ${st.engine})`;
  $("#counter").textContent = t;
}

function renderLines() {
  const box = $("#lines");
  box.textContent = "";
  for (const ch of st.chapters) {
    const h = el("h3", null, ch.title);
    const done = ch.lines.filter((l) => l.state === "recorded").length;
    h.append(el("span", "count", `${done}/${ch.lines.length}`));
    box.append(h);
    if (ch.picture) box.append(pictureImg(ch.picture, ch.title));
    const ol = el("ol");
    for (const l of ch.lines) {
      const li = el("li", l.state);
      li.dataset.key = l.key;
      li.dataset.state = l.state;
      li.append(el("span", "n", String(l.n)), el("span", "text", l.text));
      if (l.levels !== "all") li.append(el("span", "lv", l.levels));
      li.append(el("span", "badge " + l.state, l.state));
      if (l.key === selected) li.classList.add("selected");
      li.addEventListener("click", () => select(l.key));
      ol.append(li);
    }
    box.append(ol);
  }
}

// pictureImg is the exercise's picture, kept across renders so that the
// lines can be drawn again without loading it again.
const pictures = new Map();
function pictureImg(src, title) {
  let img = pictures.get(src);
  if (!img) {
    img = el("img", "picture");
    img.src = src;
    pictures.set(src, img);
  }
  img.alt = title;
  return img;
}

function select(key) {
  selected = key;
  for (const li of document.querySelectorAll("#lines li")) {
    li.classList.toggle("selected", li.dataset.key === key);
    if (li.dataset.key === key) li.scrollIntoView({block: "nearest"});
  }
  renderCurrent();
}

function renderCurrent() {
  const l = selected && lineByKey(selected);
  if (!l) {
    $("#current").textContent = "Select a line, or press Enter for the next missing one.";
    $("#current-meta").textContent = "";
    $("#undo").disabled = true;
    return;
  }
  $("#current").textContent = l.text;
  let meta = `Line ${l.n} of ${st.total} · ${l.state}`;
  if (l.levels !== "all") meta += ` · said at ${l.levels} only`;
  $("#current-meta").textContent = meta;
  $("#undo").disabled = !l.undo || !!rec;
}

// nextMissing selects the next line after the selected one that has no
// recording, going round to the start.
function nextMissing() {
  const lines = allLines();
  if (!lines.length) return;
  const at = lines.findIndex((l) => l.key === selected);
  for (let i = 1; i <= lines.length; i++) {
    const l = lines[(at + i + lines.length) % lines.length];
    if (l.state !== "recorded") {
      select(l.key);
      setStatus("#status", "");
      return;
    }
  }
  setStatus("#status", "Every line is recorded. Listen to the session, then download the MP3.", "ok");
}

function step(d) {
  const lines = allLines();
  const at = lines.findIndex((l) => l.key === selected);
  const n = Math.max(0, Math.min(lines.length - 1, at < 0 ? 0 : at + d));
  if (lines[n]) select(lines[n].key);
}

// --- recording: Web Audio to 16-bit WAV ---

function micMessage(e) {
  switch (e && e.name) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return "Microphone access was denied. Allow the microphone for this page (the icon in the address bar, or the browser's site settings), then press R again.";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Connect one (or pick one in the system's sound settings), then press R again.";
    case "NotReadableError":
    case "TrackStartError":
      return "The microphone could not be opened: another program may be using it.";
  }
  return "The microphone could not be opened: " + ((e && e.message) || e);
}

let starting = false; // the microphone is being opened

async function startRecording() {
  if (rec || starting) return;
  starting = true;
  try {
    await openAndRecord();
  } finally {
    starting = false;
  }
}

async function openAndRecord() {
  if (!selected) nextMissing();
  const line = selected && lineByKey(selected);
  if (!line) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    setStatus("#status", "This browser gives the page no microphone: open the studio's address exactly as printed (http://studio-....localhost:PORT/...).", "error");
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: {echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1},
    });
  } catch (e) {
    setStatus("#status", micMessage(e), "error");
    return;
  }
  const ctx = new AudioContext();
  // A context made outside a key press or click may start suspended.
  if (ctx.state === "suspended") await ctx.resume();
  const source = ctx.createMediaStreamSource(stream);
  const chunks = [];
  const take = (d) => {
    if (!rec) return;
    chunks.push(d);
    let peak = 0;
    for (let i = 0; i < d.length; i++) peak = Math.max(peak, Math.abs(d[i]));
    const db = peak > 0 ? 20 * Math.log10(peak) : -100;
    $("#meter-bar").style.width = Math.max(0, Math.min(100, (db + 60) / 60 * 100)) + "%";
  };
  const recorder = await openRecorder(ctx, source, take);
  // Which recorder took the line, for the tests and for a curious user.
  document.body.dataset.recorder = recorder.via;
  rec = {ctx, stream, recorder, chunks, key: line.key, started: performance.now()};
  document.body.classList.add("recording");
  $("#rec").disabled = true;
  $("#stop").disabled = false;
  $("#undo").disabled = true;
  setStatus("#status", "Recording… say the line, then press Space.");
}

async function stopRecording() {
  if (!rec || rec.stopping) return;
  const r = rec;
  r.stopping = true; // a second Space while the last samples come in
  await r.recorder.stop();
  rec = null;
  r.stream.getTracks().forEach((t) => t.stop());
  const rate = r.ctx.sampleRate;
  await r.ctx.close();
  document.body.classList.remove("recording");
  $("#rec").disabled = false;
  $("#stop").disabled = true;
  $("#meter-bar").style.width = "0";
  const wav = encodeWAV(r.chunks, rate);
  setStatus("#status", "Saving the take…");
  try {
    const res = await api("/api/take/" + r.key, {method: "POST", headers: {"Content-Type": "audio/wav"}, body: wav});
    await loadState();
    setStatus("#status", `Saved: ${res.seconds.toFixed(1)} s after trimming. ${res.left} line(s) left. Enter: next missing · P: play · U: undo.`, "ok");
  } catch (e) {
    setStatus("#status", e.message, "error");
  }
}

// openRecorder sends the microphone's samples, in blocks, to onBlock: through
// an AudioWorklet where the browser has one, else through the deprecated
// ScriptProcessorNode, which older browsers and pages outside a secure
// context still offer. stop() ends it once every sample taken has been sent.
async function openRecorder(ctx, source, onBlock) {
  if (ctx.audioWorklet && typeof AudioWorkletNode === "function") {
    try {
      return await workletRecorder(ctx, source, onBlock);
    } catch (e) {
      console.warn("studio: the audio worklet did not load, recording with a script processor:", e);
    }
  }
  return scriptRecorder(ctx, source, onBlock);
}

async function workletRecorder(ctx, source, onBlock) {
  await ctx.audioWorklet.addModule("/assets/recorder-worklet.js");
  const node = new AudioWorkletNode(ctx, "take-recorder", {
    numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: "explicit",
  });
  let flushed;
  const done = new Promise((resolve) => { flushed = resolve; });
  node.port.onmessage = (ev) => {
    if (ev.data === "flushed") flushed();
    else onBlock(ev.data);
  };
  source.connect(node);
  // Connected to the output (it writes silence) so that the graph pulls it.
  node.connect(ctx.destination);
  return {
    via: "audio-worklet",
    async stop() {
      node.port.postMessage("flush");
      // The audio thread answers within a render quantum; a context that
      // stopped rendering must not hold the take back.
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1000))]);
      node.port.onmessage = null;
      node.disconnect();
      source.disconnect();
    },
  };
}

function scriptRecorder(ctx, source, onBlock) {
  const proc = ctx.createScriptProcessor(4096, 1, 1);
  proc.onaudioprocess = (ev) => onBlock(new Float32Array(ev.inputBuffer.getChannelData(0)));
  source.connect(proc);
  proc.connect(ctx.destination);
  return {
    via: "script-processor",
    async stop() {
      proc.onaudioprocess = null;
      proc.disconnect();
      source.disconnect();
    },
  };
}

function encodeWAV(chunks, rate) {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const buf = new ArrayBuffer(44 + n * 2);
  const v = new DataView(buf);
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, "RIFF"); v.setUint32(4, 36 + n * 2, true); str(8, "WAVEfmt ");
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, rate, true); v.setUint32(28, rate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  str(36, "data"); v.setUint32(40, n * 2, true);
  let o = 44;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++, o += 2) {
      const x = Math.max(-1, Math.min(1, c[i]));
      v.setInt16(o, Math.round(x * 32767), true);
    }
  }
  return new Blob([buf], {type: "audio/wav"});
}

function playTake() {
  const l = selected && lineByKey(selected);
  if (!l) return;
  if (l.state === "missing") {
    setStatus("#status", "This line has no take yet: press R to record it.");
    return;
  }
  const p = $("#take-player");
  p.src = "/api/take/" + l.key + (l.state === "synthesised" ? "?synth=1" : "") + (l.state === "synthesised" ? "&" : "?") + "v=" + Date.now();
  p.play().catch((e) => setStatus("#status", "Could not play the take: " + e.message, "error"));
}

async function undo() {
  const l = selected && lineByKey(selected);
  if (!l || !l.undo || rec) return;
  try {
    await api("/api/undo/" + l.key, {method: "POST"});
    await loadState();
    setStatus("#status", "Brought back the earlier take (U again swaps back).", "ok");
  } catch (e) {
    setStatus("#status", e.message, "error");
  }
}

// --- the routine editor ---

let checkTimer = null;
let checkSeq = 0;

async function loadRoutine() {
  const r = await api("/api/routine");
  const src = $("#src");
  src.value = r.text;
  savedText = r.text;
  savedVersion = r.version;
  showConflict(null);
  src.readOnly = r.read_only;
  $("#save").disabled = r.read_only;
  $("#routine-path").textContent = r.path + (r.read_only ? " (built-in, read only)" : "");
  renderGutter([]);
  check();
}

function renderGutter(problems) {
  const n = $("#src").value.split("\n").length;
  const bad = new Map();
  for (const p of problems) if (p.line > 0) bad.set(p.line, (bad.get(p.line) ? bad.get(p.line) + "\n" : "") + p.message);
  const g = $("#gutter");
  g.textContent = "";
  for (let i = 1; i <= n; i++) {
    const d = el("div", bad.has(i) ? "err" : null, String(i));
    d.dataset.line = i;
    if (bad.has(i)) d.title = bad.get(i);
    g.append(d);
  }
  g.scrollTop = $("#src").scrollTop;
}

function scheduleCheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 350);
  renderGutter(lastProblems);
}

let lastProblems = [];

async function check() {
  const seq = ++checkSeq;
  try {
    const res = await api("/api/check?level=" + level, {method: "POST", headers: {"Content-Type": "application/yaml"}, body: $("#src").value});
    if (seq !== checkSeq) return;
    showProblems(res.problems);
    if (res.ok) {
      setStatus("#check-status", "valid", "ok");
      renderTimeline(res.timeline);
    } else {
      setStatus("#check-status", `${res.problems.length} problem(s)`, "error");
    }
  } catch (e) {
    setStatus("#check-status", e.message, "error");
  }
}

function showProblems(problems) {
  lastProblems = problems;
  renderGutter(problems);
  const ul = $("#problems");
  ul.textContent = "";
  for (const p of problems) {
    const li = el("li");
    li.dataset.line = p.line;
    li.append(el("span", "at", p.line ? `${p.line}:${p.col}` : "file"), document.createTextNode(p.message));
    li.addEventListener("click", () => goToLine(p.line, p.col));
    ul.append(li);
  }
}

function goToLine(line, col) {
  const src = $("#src");
  const lines = src.value.split("\n");
  let at = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
  at += Math.max(0, (col || 1) - 1);
  src.focus();
  src.setSelectionRange(at, at);
  const lh = parseFloat(getComputedStyle(src).lineHeight) || 18;
  src.scrollTop = Math.max(0, (line - 4) * lh);
}

// save writes the editor's text to the routine file, unless the file
// changed on disk since the text was loaded: then it offers to reload the
// file or to overwrite it. overwrite is the version of the file on disk that
// the person chose to replace.
async function save(overwrite) {
  if ($("#src").readOnly) return;
  try {
    const text = $("#src").value;
    const res = await api("/api/routine", {method: "PUT", headers: {"Content-Type": "application/yaml", "If-Match": overwrite || savedVersion}, body: text});
    savedText = text;
    savedVersion = res.version;
    showConflict(null);
    setStatus("#check-status", "saved", "ok");
    await loadState();
    await loadTimeline();
  } catch (e) {
    if (e.body && e.body.problems) showProblems(e.body.problems);
    if (e.body && e.body.conflict) {
      showConflict(e.body);
      setStatus("#check-status", "not saved: the file changed on disk", "error");
      return;
    }
    setStatus("#check-status", "not saved: " + e.message.split("\n")[0], "error");
  }
}

function showConflict(c) {
  diskVersion = c ? c.disk_version : null;
  $("#conflict").hidden = !c;
  $("#conflict-text").textContent = c ? c.error : "";
}

// reload replaces the editor's text with the file as it is on disk now.
async function reload() {
  try {
    await loadRoutine();
    setStatus("#check-status", "reloaded from disk", "ok");
    await loadState();
    await loadTimeline();
  } catch (e) {
    setStatus("#check-status", e.message, "error");
  }
}

// --- timeline and session ---

// clock writes a time as every other screen of the program does
// (routines.FormatClock): 0:34, 12:05, 1:02:05.
function clock(s) {
  s = Math.max(0, Math.floor(s));
  const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

function norm(t) {
  return t.toLowerCase().replace(/['’]/g, "").replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

async function loadTimeline() {
  try {
    renderTimeline(await api("/api/timeline?level=" + level));
  } catch (e) {
    $("#timeline").textContent = e.message;
  }
}

function renderTimeline(tl) {
  lastTimeline = tl;
  const states = new Map(allLines().map((l) => [norm(l.text), l.state]));
  $("#timeline-total").textContent = `${tl.level}, ${clock(tl.total_seconds)}` + (tl.estimated ? " (estimated: some lines have no clip yet)" : "");
  const box = $("#timeline");
  box.textContent = "";
  let ci = 0;
  const chapter = () => {
    const c = tl.chapters[ci++];
    box.append(el("div", "ch", `${clock(c.start_seconds)}  ${ci}. ${c.title}`));
  };
  for (const c of tl.cues) {
    while (ci < tl.chapters.length && tl.chapters[ci].start_seconds <= c.at_seconds) chapter();
    const row = el("div", "cue");
    row.append(el("span", "t", clock(c.at_seconds)), el("span", "k", c.kind.replace("_", " ")));
    if (c.text) {
      row.append(el("span", "x", c.text));
      const s = states.get(norm(c.text));
      if (s && s !== "recorded") row.classList.add(s);
    } else {
      row.append(el("span", "x", c.seconds + " s"));
    }
    box.append(row);
  }
  while (ci < tl.chapters.length) chapter();
  renderChapters(tl);
}

function renderChapters(tl) {
  const ol = $("#chapters");
  ol.textContent = "";
  tl.chapters.forEach((c, i) => {
    const b = el("button");
    b.dataset.start = c.start_seconds;
    b.append(el("span", "t", clock(c.start_seconds)), document.createTextNode(`${i + 1}. ${c.title}`));
    b.addEventListener("click", () => playSession(c.start_seconds));
    const li = el("li");
    li.append(b);
    ol.append(li);
  });
}

function renderSessionNote() {
  let t;
  if (st.recorded === st.total) t = "Every line is in your voice.";
  else if (st.engine) t = `${st.synthesised} line(s) not recorded yet are synthesised by ${st.engine} (marked "synthesised"); ${st.missing} have no clip.`;
  else t = `${st.total - st.recorded} line(s) are not recorded yet. Record them, or start the studio with --engine builtin to hear synthesised lines in their place.`;
  if (st.synth_busy) t += ` Synthesising ${st.synth_busy} line(s)…`;
  if (st.synth_error) t += " Synthesis failed: " + st.synth_error;
  $("#session-note").textContent = t;
  $("#download").href = sessionURL("/api/download.mp3");
}

// sessionURL is an address of the session as the page's options say it.
function sessionURL(path) {
  return path + "?level=" + encodeURIComponent(level) + "&music=" + encodeURIComponent(music);
}

async function playSession(from) {
  const a = $("#preview");
  const url = sessionURL("/api/preview.wav");
  setStatus("#session-status", "");
  if (!a.src.endsWith(url) || a.dataset.version !== String(st.recorded + "/" + st.synthesised)) {
    // Ask first, so a refusal (lines without clips) reads as a message.
    setStatus("#session-status", st.engine && st.missing ? `Synthesising ${st.missing} line(s) with ${st.engine} first…` : "Preparing the session…");
    try {
      const r = await fetch(url, {headers: {Range: "bytes=0-43"}});
      if (!r.ok) {
        const b = await r.json().catch(() => ({error: r.statusText}));
        setStatus("#session-status", b.error, "error");
        return;
      }
    } catch (e) {
      setStatus("#session-status", e.message, "error");
      return;
    }
    // The server synthesised what it needed before answering: refresh
    // the labels and the timeline's times.
    await loadState();
    await loadTimeline();
    setStatus("#session-status", "");
    a.src = url + "&v=" + Date.now();
    a.dataset.version = String(st.recorded + "/" + st.synthesised);
  }
  if (from !== undefined) a.currentTime = from;
  a.play().catch((e) => setStatus("#session-status", "Could not play: " + e.message, "error"));
}

// --- wiring ---

function onKey(e) {
  const t = e.target;
  if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT")) {
    if (t.id === "src" && (e.ctrlKey || e.metaKey) && e.key === "s") {
      e.preventDefault();
      save();
    }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  switch (e.key) {
    case "r": case "R": e.preventDefault(); startRecording(); break;
    case " ": e.preventDefault(); if (rec) stopRecording(); break;
    case "Enter": e.preventDefault(); if (!rec) nextMissing(); break;
    case "p": case "P": e.preventDefault(); playTake(); break;
    case "u": case "U": e.preventDefault(); undo(); break;
    case "ArrowDown": e.preventDefault(); step(1); break;
    case "ArrowUp": e.preventDefault(); step(-1); break;
  }
}

async function init() {
  $("#rec").addEventListener("click", startRecording);
  $("#stop").addEventListener("click", stopRecording);
  $("#play").addEventListener("click", playTake);
  $("#next").addEventListener("click", nextMissing);
  $("#undo").addEventListener("click", undo);
  $("#save").addEventListener("click", () => save());
  $("#reload").addEventListener("click", reload);
  $("#overwrite").addEventListener("click", () => { if (diskVersion) save(diskVersion); });
  $("#preview-play").addEventListener("click", () => playSession());
  $("#src").addEventListener("input", scheduleCheck);
  $("#src").addEventListener("scroll", () => { $("#gutter").scrollTop = $("#src").scrollTop; });
  // Buttons keep no focus, so Space and Enter reach the studio's keys.
  for (const b of document.querySelectorAll("button")) b.addEventListener("mouseup", () => b.blur());
  document.addEventListener("keydown", onKey);
  $("#music").addEventListener("change", (e) => {
    music = e.target.value;
    $("#preview").removeAttribute("src");
    renderSessionNote();
  });
  $("#level").addEventListener("change", (e) => {
    level = e.target.value;
    $("#preview").removeAttribute("src");
    renderSessionNote();
    loadTimeline();
  });
  try {
    await loadState();
    level = st.level;
    for (const l of st.levels) {
      const o = el("option", null, l);
      o.value = l;
      o.selected = l === level;
      $("#level").append(o);
    }
    for (const b of st.beds) {
      const o = el("option", null, b);
      o.value = b;
      $("#music").append(o);
    }
    renderSessionNote();
    await loadRoutine();
    document.body.dataset.ready = "1";
    // Synthesis runs in the background: refresh the states while it does.
    setInterval(async () => {
      if (st && st.engine && (st.synth_busy || st.missing) && !rec) await loadState();
    }, 3000);
  } catch (e) {
    document.body.textContent = "The studio could not load: " + e.message;
  }
}

init();
