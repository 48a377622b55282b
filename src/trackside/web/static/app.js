// Trackside on a phone: the live state pushed by the Pi (Server-Sent Events), the
// countdown run on this phone's clock offset to the Pi's, the button's gestures, plans
// and results. Plain JavaScript, no framework, nothing from the internet.
"use strict";

const $ = (id) => document.getElementById(id);
let state = null;
let paired = false;

// --- the Pi's clock: NTP-style, keeping the fastest round trip of recent samples -------
const samples = []; // {rtt, offset} in seconds; offset = Pi clock - this phone's clock
function phoneNow() { return performance.now() / 1000; }
function piNow() { return phoneNow() + bestOffset(); }
function bestOffset() {
  if (!samples.length) return 0;
  return samples.reduce((a, b) => (b.rtt < a.rtt ? b : a)).offset;
}
async function sample() {
  const sent = phoneNow();
  const reply = await fetch("/api/time", { cache: "no-store" });
  const { now } = await reply.json();
  const back = phoneNow();
  samples.push({ rtt: back - sent, offset: now - (sent + back) / 2 });
  if (samples.length > 12) samples.shift();
}
async function syncClock(count) {
  for (let i = 0; i < count; i++) {
    try { await sample(); } catch (e) { return; }
    await new Promise((done) => setTimeout(done, 60));
  }
}

// --- the number: as the big screen shows it ---------------------------------------------
function minutes(seconds) { // 75 -> "1:15", 5 -> "5"
  const whole = Math.floor(seconds + 1e-9);
  const h = Math.floor(whole / 3600), m = Math.floor(whole / 60) % 60, s = whole % 60;
  const ss = String(s).padStart(2, "0");
  if (h) return `${h}:${String(m).padStart(2, "0")}:${ss}`;
  return m ? `${m}:${ss}` : String(s);
}
function countUp(seconds, tenths) { // a running clock truncates; tenths under a minute
  if (tenths && seconds < 60) return (Math.floor(seconds * 10 + 1e-6) / 10).toFixed(1);
  return minutes(seconds);
}
function clockText(clock, now) {
  switch (clock.kind) {
    case "down": {
      const left = Math.max(0, clock.ends_at - now);
      return { text: minutes(Math.ceil(left - 1e-6)), flash: left > 0 && left <= 3 &&
               Math.ceil(left) - left < 0.5 };
    }
    case "up": return { text: countUp(Math.max(0, now - clock.since), state.phase === "rep") };
    case "over": return { text: "+" + minutes(Math.max(0, now - clock.since)) };
    case "frozen": // paused: as it stood, greyed
      if (clock.as === "down") return { text: minutes(Math.ceil(clock.value - 1e-6)) };
      return { text: clock.as === "over" ? "+" + minutes(clock.value)
                                         : countUp(clock.value, true) };
    default: return null;
  }
}
let shown = "";
function tick() {
  if (!state) return;
  const number = clockText(state.clock, piNow());
  const el = $("clock");
  const text = number ? number.text : (state.prompt || state.word);
  if (text !== shown) { el.textContent = text; shown = text; }
  el.classList.toggle("headline", !number);
  el.classList.toggle("frozen", state.clock.kind === "frozen");
  el.classList.toggle("flash", Boolean(number && number.flash));
  if (number && state.clock.kind !== "frozen") requestAnimationFrame(tick);
}

// --- the state pushed by the Pi ------------------------------------------------------
const PRESS_WORDS = { ready: "Start", warmup: "Ready", rep: "Lap", set_break: "Start set",
                      cooldown: "Finish" };
function render(next) {
  state = next;
  $("band").className = `band phase-${state.phase}`;
  $("word").textContent = state.paused ? `PAUSED (${state.paused})` : state.word;
  $("where").textContent = state.where;
  $("prompt").textContent = state.clock.kind === "none" ? "" : state.prompt;
  $("target").textContent = state.target || "–";
  $("next").textContent = state.next || "–";
  const last = state.reps[state.reps.length - 1];
  $("last").textContent = last ? last.time : "–";
  $("delta").textContent = last ? last.delta : "";
  $("delta").className = last && last.good !== null ? (last.good ? "good" : "bad") : "";
  $("reps").replaceChildren(...state.reps.slice().reverse().map(repRow));
  $("sensor").textContent = state.sensor;
  $("notice").textContent = [state.resumed ? "RESUMED SESSION" : "", state.notice]
    .filter(Boolean).join("  ");
  $("plan-name").textContent = state.plan;
  // As the button: a press that means nothing here (a rest, the lead-in) is not offered.
  const jog = state.phase === "rest" && state.press; // a jog ends when the athlete is back
  $("press").textContent = jog ? "Back" : PRESS_WORDS[state.phase] || "Lap";
  $("press").disabled = !state.press;
  $("hold").textContent = state.phase === "paused" ? "Resume" : "Pause";
  $("hold").disabled = ["ready", "finished"].includes(state.phase);
  $("end").disabled = state.idle;
  $("load").disabled = !state.idle;
  renderSummary();
  shown = "";
  tick();
}
function repRow(rep) {
  const row = document.createElement("tr");
  for (const [text, cls] of [[rep.label], [rep.time], [rep.target],
                             [rep.delta, rep.good === null ? "" : rep.good ? "good" : "bad"]]) {
    const cell = document.createElement("td");
    cell.textContent = text;
    if (cls) cell.className = cls;
    row.append(cell);
  }
  return row;
}
function statBoxes(stats) {
  return stats.map((stat) => {
    const box = document.createElement("div");
    box.className = "stat";
    const value = document.createElement("b");
    value.textContent = stat.value;
    if (stat.good !== null) value.className = stat.good ? "good" : "bad";
    const label = document.createElement("span");
    label.textContent = stat.label;
    box.append(value, label);
    return box;
  });
}
function renderSummary() { // as the finish screen: the session, then each group of reps
  $("summary").hidden = !state.summary;
  if (!state.summary) return;
  $("summary-title").textContent = `${state.summary.title}: ${state.plan}`;
  $("stats").replaceChildren(...statBoxes(state.summary.stats));
  $("groups").replaceChildren(...state.summary.groups.map((group) => {
    const part = document.createElement("div");
    const title = document.createElement("h3");
    title.textContent = group.title;
    const stats = document.createElement("div");
    stats.className = "stats";
    stats.replaceChildren(...statBoxes(group.stats));
    part.append(title, stats);
    return part;
  }));
  loadHistory();
}
function listen() {
  const events = new EventSource("/api/events");
  events.addEventListener("state", (event) => render(JSON.parse(event.data)));
  events.onopen = () => { $("offline").hidden = true; syncClock(4); };
  events.onerror = () => { $("offline").hidden = false; }; // it reconnects by itself
}

// --- pairing and controls ------------------------------------------------------------
async function post(path, body) {
  const reply = await fetch(path, {
    method: "POST", headers: { "Content-Type": "application/json", "X-Trackside": "1" },
    body: JSON.stringify(body),
  });
  const answer = await reply.json().catch(() => ({ error: `the timer said ${reply.status}` }));
  if (reply.status === 403 && /not paired/.test(answer.error || "")) setPaired(false);
  return { ok: reply.ok, answer };
}
function setPaired(yes) {
  paired = yes;
  $("controls").hidden = !yes;
  $("pairing").hidden = yes;
  $("plan-form").hidden = !yes;
  $("plan-locked").hidden = yes;
}
async function pair(fields) { // this phone's clock goes along: a Pi may have no other
  const { ok, answer } = await post("/api/pair", { ...fields, phone_time: Date.now() / 1000 });
  $("pair-error").textContent = ok ? "" : answer.error;
  if (ok) { $("code").value = ""; setPaired(true); }
}
async function control(command) {
  const { ok, answer } = await post("/api/control", { command });
  $("control-error").textContent = ok ? "" : answer.error;
}
let endArmed = null;
function end() { // two taps, so a pocket cannot end a session
  const button = $("end");
  if (endArmed) { clearTimeout(endArmed); endArmed = null; button.classList.remove("armed");
    button.textContent = "End"; control("end"); return; }
  button.classList.add("armed");
  button.textContent = "Tap again to end";
  endArmed = setTimeout(() => { endArmed = null; button.classList.remove("armed");
    button.textContent = "End"; }, 3000);
}

// --- plans ---------------------------------------------------------------------------
function planFields() {
  return { plan: $("notation").value.trim() || $("builtin").value,
           pace: $("pace").value, max_speed: $("max-speed").value };
}
async function showPlan() {
  const { ok, answer } = await post("/api/plan/preview", planFields());
  $("plan-error").textContent = ok ? "" : answer.error;
  $("preview").hidden = !ok;
  if (!ok) return;
  $("preview-name").textContent = answer.name;
  $("preview-about").textContent = answer.about.join(" · ");
  $("preview-warnings").replaceChildren(...answer.warnings.map((warning) => {
    const item = document.createElement("li");
    item.textContent = warning;
    return item;
  }));
  $("preview-reading").replaceChildren(...answer.sentences.map((sentence) => {
    const item = document.createElement("li");
    item.textContent = sentence + ".";
    return item;
  }));
  $("preview-notation").textContent = answer.notation ? `as notation: ${answer.notation}` : "";
  for (const id of ["preview-about", "preview-warnings", "preview-notation"]) {
    $(id).hidden = !$(id).textContent; // nothing to say: no gap for it
  }
  $("preview-steps").textContent = answer.steps.join("\n");
  $("preview-total").textContent = answer.total;
}
async function loadPlan() {
  const { ok, answer } = await post("/api/plan/start", planFields());
  $("plan-error").textContent = ok ? "" : answer.error;
  if (ok) showTab("live");
}

// --- results -------------------------------------------------------------------------
async function loadHistory() {
  const sessions = await (await fetch("/api/sessions", { cache: "no-store" })).json();
  $("history").replaceChildren(...sessions.map((session) => {
    const item = document.createElement("li");
    const when = new Date(session.started_at).toLocaleString([], { dateStyle: "short",
                                                                   timeStyle: "short" });
    item.textContent = `#${session.id} ${session.plan} · ${when} · ` +
      `${session.reps_done}/${session.reps_planned} reps · ${session.status.replace("_", " ")}`;
    item.append(document.createElement("br"));
    for (const kind of ["csv", "json", "fit"]) {
      const link = document.createElement("a");
      link.href = `/api/sessions/${session.id}.${kind}`;
      link.download = `trackside-session-${session.id}.${kind}`;
      link.textContent = kind.toUpperCase();
      item.append(link);
    }
    return item;
  }));
}

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.classList.toggle("on", tab.dataset.tab === name);
    $(tab.dataset.tab).hidden = tab.dataset.tab !== name;
  }
  if (name === "results") loadHistory();
}

async function start() {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  $("press").addEventListener("click", () => control("press"));
  $("hold").addEventListener("click", () => control("hold"));
  $("end").addEventListener("click", end);
  $("pairing").addEventListener("submit", (e) => { e.preventDefault(); pair({ code: $("code").value }); });
  $("plan-form").addEventListener("submit", (e) => { e.preventDefault(); showPlan(); });
  $("builtin").addEventListener("change", () => { $("notation").value = ""; });
  $("load").addEventListener("click", loadPlan);
  const token = new URLSearchParams(location.hash.slice(1)).get("pair");
  if (token) { history.replaceState(null, "", "/"); await pair({ token }); }
  const me = await (await fetch("/api/paired", { cache: "no-store" })).json();
  setPaired(me.paired || paired);
  $("pace").value = me.defaults.pace || "";
  $("max-speed").value = me.defaults.max_speed || "";
  const plans = await (await fetch("/api/plans")).json();
  for (const plan of plans) $("builtin").append(new Option(`${plan.name}: ${plan.description}`, plan.name));
  listen();
  setInterval(() => syncClock(1), 20000);
}
start();
