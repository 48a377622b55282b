// Trackside on a phone: the live state pushed by the Pi (Server-Sent Events), the
// countdown run on this phone's clock offset to the Pi's, the button's gestures, plans
// and results; a group's finishers, athletes and fixes. Plain JavaScript, no framework,
// nothing from the internet.
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
  $("last").textContent = last ? [last.athlete, last.time].filter(Boolean).join(" ") : "–";
  $("delta").textContent = last ? last.delta : "";
  $("delta").className = last && last.good !== null ? (last.good ? "good" : "bad") : "";
  $("reps").replaceChildren(...state.reps.slice().reverse().map(repRow));
  renderGroup();
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
function el(tag, text, cls) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  if (cls) made.className = cls;
  return made;
}
function goodClass(good) { return good === null || good === undefined ? "" : good ? "good" : "bad"; }
function repRow(rep) { // a group's: whose it is before its label ('ANA 1.2')
  const row = el("tr");
  const time = el("td", rep.time);
  if (rep.note) time.append(el("small", ` ${rep.note}`, "flag"));
  row.append(el("td", [rep.athlete, rep.label].filter(Boolean).join(" ")), time,
             el("td", rep.target), el("td", rep.delta, goodClass(rep.good)));
  return row;
}
function renderGroup() { // as the big screen: the call, CHECK ORDER, the newest finisher largest
  const group = state.group;
  $("group").hidden = !group;
  if (!group) return;
  $("call").textContent = group.call || (group.clock_name ? `CLOCK: ${group.clock_name}` : "");
  $("check").textContent = group.check;
  $("check").hidden = !group.check;
  $("finishers").replaceChildren(...group.finishers.map((finisher) => {
    const item = el("li", undefined, finisher.seen ? "" : "unseen");
    item.append(el("b", finisher.rep ? `${finisher.name} #${finisher.rep}` : finisher.name),
                el("span", finisher.time, finisher.seen ? "" : "flag"),
                el("span", finisher.delta, goodClass(finisher.seen ? finisher.good : null)));
    if (finisher.note) item.append(el("small", finisher.note, "flag"));
    return item;
  }));
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
  const summary = state.summary;
  $("summary-title").textContent = `${summary.title}: ${state.plan}`;
  // A group's: each athlete's figures, then the athletes x reps table.
  const parts = summary.athletes ? summary.athletes.map((athlete) => ({ title: athlete.name,
                                                                       stats: athlete.stats }))
                                 : summary.groups;
  $("stats").replaceChildren(...statBoxes(summary.stats || []));
  $("rep-table").replaceChildren(...(summary.table ? tableRows(summary.table) : []));
  $("groups").replaceChildren(...parts.map((group) => {
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
function tableRows(table) { // athletes as rows, reps as columns; NO TIME flagged, unrun blank
  const head = el("tr");
  head.append(el("th", ""), ...table.reps.map((rep) => el("th", rep)));
  return [head, ...table.rows.map((row) => {
    const line = el("tr");
    line.append(el("td", row.name), ...row.cells.map((cell) => {
      if (!cell) return el("td", "");
      const box = el("td", cell.time, cell.seen ? goodClass(cell.good) : "flag");
      if (cell.note) box.append(el("small", ` ${cell.note}`, "flag"));
      return box;
    }));
    return line;
  })];
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
  $("athlete-form").hidden = !yes;
  $("athletes-locked").hidden = yes;
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
const armed = new Map(); // a button tapped once -> its timer: a second tap within 3 s acts
function disarm(button, text) {
  clearTimeout(armed.get(button));
  armed.delete(button);
  button.classList.remove("armed");
  button.textContent = text;
}
function twoTaps(button, text, again, action) { // so a pocket cannot end or remove anything
  if (armed.has(button)) { disarm(button, text); action(); return; }
  button.classList.add("armed");
  button.textContent = again;
  armed.set(button, setTimeout(() => disarm(button, text), 3000));
}
function end() { twoTaps($("end"), "End", "Tap again to end", () => control("end")); }

// --- plans ---------------------------------------------------------------------------
let picked = []; // athletes' names, in the order tapped: their start order
function planFields() {
  const group = $("saved-group").value;
  return { plan: $("notation").value.trim() || $("builtin").value,
           pace: $("pace").value, max_speed: $("max-speed").value,
           athletes: group ? [] : picked, group, stagger: $("stagger").value,
           rest_from: $("rest-from").value };
}
function renderPick() {
  $("group-save").hidden = !picked.length;
  $("pick").replaceChildren(...book.athletes.map((athlete) => {
    const button = el("button", athlete.name, "chip");
    button.type = "button";
    const place = picked.indexOf(athlete.name);
    if (place >= 0) { button.classList.add("on"); button.textContent = `${place + 1}. ${athlete.name}`; }
    button.addEventListener("click", () => {
      picked = place >= 0 ? picked.filter((name) => name !== athlete.name) : [...picked, athlete.name];
      $("saved-group").value = "";
      renderPick();
    });
    return button;
  }));
}
async function showPlan() {
  const { ok, answer } = await post("/api/plan/preview", planFields());
  $("plan-error").textContent = ok ? "" : answer.error;
  $("preview").hidden = !ok;
  if (!ok) return;
  $("preview-name").textContent = answer.name;
  $("preview-about").textContent = answer.about.join(" · ");
  $("preview-who").textContent = answer.athletes.length
    ? `${answer.athletes.join(", ")}${answer.start ? `: ${answer.start}` : ""}` : "";
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
  for (const id of ["preview-about", "preview-who", "preview-warnings", "preview-notation"]) {
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
    const who = session.athletes && session.athletes.length ? ` · ${session.athletes.join(", ")}` : "";
    item.textContent = `#${session.id} ${session.plan} · ${when} · ` +
      `${session.reps_done}/${session.reps_planned} reps · ${session.status.replace("_", " ")}${who}`;
    const group = session.athletes && session.athletes.length > 1;
    // A group's FIT activity is one athlete's: downloaded from their line.
    item.append(downloads(session.id, "", group ? ["csv", "json"] : ["csv", "json", "fit"]));
    if (group) {
      for (const name of session.athletes) item.append(downloads(session.id, name, ["csv", "json", "fit"]));
      const fix = el("button", "Fix", "chip");
      fix.type = "button";
      fix.addEventListener("click", () => openFixing(session.id));
      item.append(fix);
    }
    return item;
  }));
}
function downloads(id, athlete, kinds) {
  const line = el("div", athlete ? `${athlete} ` : "", "downloads");
  for (const kind of kinds) {
    const link = el("a", kind.toUpperCase());
    const query = athlete ? `?athlete=${encodeURIComponent(athlete)}` : "";
    link.href = `/api/sessions/${id}.${kind}${query}`;
    link.download = `trackside-session-${id}${athlete ? "-" + athlete.toLowerCase() : ""}.${kind}`;
    line.append(link);
  }
  return line;
}

// --- a group's fixes: as `trackside fix`, recorded as this phone's -----------------------
let fixing = null;
async function openFixing(id) {
  const reply = await fetch(`/api/sessions/${id}/record`, { cache: "no-store" });
  const answer = await reply.json();
  $("fix-error").textContent = reply.ok ? "" : answer.error;
  $("fix-said").textContent = "";
  if (reply.ok) renderFixing(answer);
}
function renderFixing(record) {
  fixing = record;
  $("fixing").hidden = false;
  $("fix-title").textContent = `Session #${record.session}: ${record.plan}`;
  $("fix-start").textContent = `${record.athletes.join(", ")}, ${record.start}`;
  $("fix-table").replaceChildren(...tableRows(record.table));
  $("fix-not-seen").replaceChildren(...record.not_seen.map((line) => el("li", `not seen: ${line}`)));
  $("fix-marks").replaceChildren(...record.marks.map((mark) => el("li", mark.line,
                                                                  mark.no_ones ? "flag" : "")));
  $("fix-list").replaceChildren(...(record.fixes.length ? record.fixes.map((fix) =>
    el("li", `${fix.id}: ${fix.said} (${fix.made_by})${fix.standing ? "" : ", undone"}`))
    : [el("li", "none")]));
  for (const id of ["fix-first", "fix-second"]) {
    const kept = $(id).value;
    $(id).replaceChildren(...record.athletes.map((name) => new Option(name, name)));
    if (record.athletes.includes(kept)) $(id).value = kept;
  }
  if (!$("fix-second").value || $("fix-second").value === $("fix-first").value) {
    $("fix-second").selectedIndex = Math.min(1, record.athletes.length - 1);
  }
  showFixFields();
  $("fixing").scrollIntoView();
}
function showFixFields() {
  const action = $("fix-action").value;
  for (const part of $("fix-form").querySelectorAll("[data-for]")) {
    part.hidden = !part.dataset.for.split(" ").includes(action);
  }
}
async function makeFix() {
  const action = $("fix-action").value;
  const whole = (id) => ($(id).value.trim() ? Number($(id).value) : null);
  const body = { action };
  if (action === "swap") Object.assign(body, { rep: $("fix-rep").value,
                                               athletes: [$("fix-first").value, $("fix-second").value] });
  if (action === "assign") Object.assign(body, { mark: whole("fix-mark"), athlete: $("fix-first").value });
  if (action === "drop") body.mark = whole("fix-mark");
  if (action === "undo" && whole("fix-undo") !== null) body.fix = whole("fix-undo");
  const { ok, answer } = await post(`/api/sessions/${fixing.session}/fix`, body);
  $("fix-error").textContent = ok ? "" : answer.error;
  $("fix-said").textContent = ok ? `kept: ${answer.kept.said} (${answer.kept.made_by})` : "";
  if (ok) renderFixing(answer);
}

// --- athletes and saved groups: as `trackside athletes` --------------------------------
let book = { athletes: [], groups: [], races: [] };
let editing = ""; // the athlete the form edits ('' adds one)
async function loadAthletes() {
  const reply = await fetch("/api/athletes", { cache: "no-store" });
  const answer = await reply.json();
  $("athletes-error").textContent = reply.ok ? "" : answer.error;
  // A timer without a database keeps no athletes; with none on the list, no one to pick.
  $("who").hidden = !reply.ok || !answer.athletes.length;
  if (!reply.ok) return;
  book = answer;
  picked = picked.filter((name) => book.athletes.some((athlete) => athlete.name === name));
  $("athlete-list").replaceChildren(...book.athletes.map((athlete) => {
    const item = el("li", athlete.line);
    item.addEventListener("click", () => editAthlete(athlete));
    return item;
  }));
  if (!book.athletes.length) $("athlete-list").append(el("li", "none yet: add one below"));
  $("group-list").replaceChildren(...(book.groups.length
    ? book.groups.map((group) => el("li", `${group.name}: ${group.athletes.join(", ")}`))
    : [el("li", "none yet: tap athletes on Plan, then Save group")]));
  const chosen = $("saved-group").value;
  $("saved-group").replaceChildren(new Option("— none —", ""),
    ...book.groups.map((group) => new Option(`${group.name}: ${group.athletes.join(", ")}`, group.name)));
  $("saved-group").value = book.groups.some((group) => group.name === chosen) ? chosen : "";
  if (!$("athlete-races").children.length) {
    $("athlete-races").replaceChildren(...book.races.map((race) => {
      const box = el("div");
      const label = el("label", race.label);
      label.htmlFor = `race-${race.key}`;
      const input = el("input");
      input.id = `race-${race.key}`;
      input.dataset.race = race.key;
      input.autocapitalize = "off";
      box.append(label, input);
      return box;
    }));
  }
  renderPick();
}
function editAthlete(athlete) {
  editing = athlete ? athlete.name : "";
  $("athlete-form-title").textContent = athlete ? `Edit ${athlete.name}` : "Add an athlete";
  $("athlete-name").value = athlete ? athlete.name : "";
  $("athlete-pace").value = athlete ? athlete.pace : "";
  $("athlete-speed").value = athlete ? athlete.max_speed : "";
  for (const input of $("athlete-races").querySelectorAll("input")) {
    input.value = athlete ? athlete.races[input.dataset.race] || "" : "";
  }
  $("athlete-error").textContent = "";
  disarm($("athlete-remove"), athlete ? `Remove ${athlete.name}` : "");
  $("athlete-remove").hidden = !athlete;
  if (athlete && paired) $("athlete-form").scrollIntoView();
}
function removeAthlete() { // off the list and out of the groups, as `trackside athletes remove`
  twoTaps($("athlete-remove"), `Remove ${editing}`, `Tap again to remove ${editing}`, async () => {
    const { ok, answer } = await post("/api/athletes/remove", { athlete: editing });
    if (ok) { await loadAthletes(); editAthlete(null); }
    const groups = ok && answer.groups.length ? `, and from ${answer.groups.join(", ")}` : "";
    $("athlete-error").textContent = ok
      ? `removed ${answer.removed}${groups}; their sessions keep them` : answer.error;
    $("athlete-error").className = ok ? "note" : "error";
  });
}
async function saveGroup() { // the athletes picked, in start order, as `trackside groups save`
  const { ok, answer } = await post("/api/groups/save",
                                    { name: $("group-name").value, athletes: picked });
  $("group-said").textContent = ok ? `saved ${answer.group}: ${answer.athletes.join(", ")}`
                                   : answer.error;
  $("group-said").className = ok ? "note" : "error";
  if (!ok) return;
  await loadAthletes();
  $("saved-group").value = answer.group; // the same athletes, now by their group's name
  $("group-name").value = "";
  picked = [];
  renderPick();
}
async function saveAthlete() {
  const races = {};
  for (const input of $("athlete-races").querySelectorAll("input")) {
    if (input.value.trim()) races[input.dataset.race] = input.value.trim();
  }
  const body = { name: $("athlete-name").value, pace: $("athlete-pace").value,
                 max_speed: $("athlete-speed").value, races };
  const { ok, answer } = editing ? await post("/api/athletes/edit", { ...body, athlete: editing })
                                 : await post("/api/athletes/add", body);
  $("athlete-error").textContent = ok ? "" : answer.error;
  $("athlete-error").className = "error";
  if (!ok) return;
  await loadAthletes();
  editAthlete(book.athletes.find((athlete) => athlete.name === $("athlete-name").value.trim()) || null);
  $("athlete-error").textContent = `saved: ${answer.athlete}`;
  $("athlete-error").className = "note";
}

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) {
    tab.classList.toggle("on", tab.dataset.tab === name);
    $(tab.dataset.tab).hidden = tab.dataset.tab !== name;
  }
  if (name === "results") loadHistory();
  if (name === "athletes" || name === "plan") loadAthletes();
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
  $("saved-group").addEventListener("change", () => { picked = []; renderPick(); });
  $("fix-action").addEventListener("change", showFixFields);
  $("fix-form").addEventListener("submit", (e) => { e.preventDefault(); makeFix(); });
  $("athlete-form").addEventListener("submit", (e) => { e.preventDefault(); saveAthlete(); });
  $("athlete-new").addEventListener("click", () => editAthlete(null));
  $("athlete-remove").addEventListener("click", removeAthlete);
  $("save-group").addEventListener("click", saveGroup);
  const token = new URLSearchParams(location.hash.slice(1)).get("pair");
  if (token) { history.replaceState(null, "", "/"); await pair({ token }); }
  const me = await (await fetch("/api/paired", { cache: "no-store" })).json();
  setPaired(me.paired || paired);
  $("pace").value = me.defaults.pace || "";
  $("max-speed").value = me.defaults.max_speed || "";
  const plans = await (await fetch("/api/plans")).json();
  for (const plan of plans) $("builtin").append(new Option(`${plan.name}: ${plan.description}`, plan.name));
  loadAthletes();
  listen();
  setInterval(() => syncClock(1), 20000);
}
start();
