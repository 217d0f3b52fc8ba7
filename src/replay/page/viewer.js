// The replay page's player. Reads the events and the session's facts from the two JSON blocks
// mpm wrote into the page and builds everything with textContent (never innerHTML), so no text
// from a session can become markup. Works from file://: nothing is fetched.
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const readJson = (id) => JSON.parse($(id).textContent || "null");
  const events = readJson("mpm-events") || [];
  const meta = readJson("mpm-meta") || {};

  const SPEEDS = [1, 2, 5, 10, 20];
  /** A real gap between two events is played as at least MIN and at most MAX ms at 1×. */
  const MIN_GAP_MS = 250;
  const MAX_GAP_MS = 2500;

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  const pad = (n) => String(n).padStart(2, "0");
  const clock = (iso) => {
    const d = new Date(iso);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  };
  const day = (iso) => {
    const d = new Date(iso);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  };
  const group = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const firstLine = (text) => {
    const t = String(text || "").replace(/^\s+/, "");
    const i = t.indexOf("\n");
    return i === -1 ? t : t.slice(0, i);
  };
  const shortTitle = (text, max) => {
    const t = String(text || "").replace(/\s+/g, " ").trim();
    return t.length > max ? `${t.slice(0, max - 1)}…` : t;
  };

  // ---------------------------------------------------------------------------------------
  // Building one event

  function head(node, ev, label, summary) {
    const row = el("div", "head");
    const time = el("time", "", clock(ev.time));
    time.dateTime = ev.time;
    time.title = new Date(ev.time).toString();
    row.append(time, el("span", "label", label));
    // A teammate's transcript (a vault copy `mpm sync pull` imported): never the user's own.
    if (typeof ev.imported_from === "string") {
      node.classList.add("teammate");
      row.append(el("span", "whose", `a teammate's, from ${ev.imported_from.slice(0, 100)}`));
    }
    if (summary !== undefined && summary !== null && summary !== "") {
      row.append(el("span", "sum", summary));
    }
    node.append(row);
    return row;
  }

  function cutNote(chars) {
    return chars > 0 ? el("div", "cut", `… ${group(chars)} more characters left out`) : null;
  }

  function block(title, text, options) {
    const details = el("details", options && options.kind ? options.kind : "");
    if (options && options.open) details.open = true;
    details.append(el("summary", "", title));
    const pre = el("pre", `wrap${options && options.error ? " result error" : ""}`, text);
    details.append(pre);
    const cut = cutNote(options && options.cut);
    if (cut) details.append(cut);
    return details;
  }

  function diffBlock(diff, cutLines) {
    const details = el("details", "diff-box");
    details.open = true;
    details.append(el("summary", "", "diff"));
    const pre = el("pre", "diff");
    for (const line of String(diff).replace(/\n$/, "").split("\n")) {
      const cls = line.startsWith("@@")
        ? "hunk"
        : line.startsWith("+")
        ? "add"
        : line.startsWith("-")
        ? "del"
        : "ctx";
      pre.append(el("span", cls, line === "" ? " " : line));
    }
    details.append(pre);
    if (cutLines > 0) details.append(el("div", "cut", `… ${group(cutLines)} more diff lines`));
    return details;
  }

  function textBody(node, text, cut) {
    node.append(el("div", "body", text));
    const note = cutNote(cut);
    if (note) node.append(note);
  }

  function build(ev, i) {
    const node = el("article", `ev k-${ev.kind}${ev.sidechain ? " side" : ""}`);
    node.id = `ev-${i}`;
    node.dataset.i = String(i);
    switch (ev.kind) {
      case "prompt":
        head(node, ev, "prompt");
        textBody(node, ev.text, ev.cut);
        break;
      case "text":
        head(node, ev, "claude");
        textBody(node, ev.text, ev.cut);
        break;
      case "thinking":
        head(node, ev, "thinking", shortTitle(firstLine(ev.text), 120));
        node.append(block("thinking", ev.text, { kind: "fold", cut: ev.cut }));
        break;
      case "tool": {
        const failed = ev.result && ev.result.is_error;
        if (failed) node.classList.add("failed");
        head(node, ev, failed ? `${ev.tool} failed` : ev.tool, ev.summary);
        node.append(block("arguments", JSON.stringify(ev.input, null, 2), { kind: "fold" }));
        if (ev.result) {
          node.append(
            block(failed ? "error" : "result", ev.result.text, {
              kind: "fold",
              cut: ev.result.cut,
              error: failed,
              open: failed,
            }),
          );
        }
        break;
      }
      case "edit": {
        const row = head(
          node,
          ev,
          ev.failed ? "edit failed" : ev.operation === "create" ? "create" : "edit",
          ev.path,
        );
        const counts = el("span", "counts");
        counts.append(
          el("ins", "", `+${ev.added}`),
          document.createTextNode(" "),
          el("del", "", `−${ev.removed}`),
        );
        row.append(counts);
        if (ev.failed) {
          node.classList.add("failed");
          node.append(block("error", ev.error || "", { kind: "fold", error: true, open: true }));
        }
        if (ev.diff) node.append(diffBlock(ev.diff, ev.diff_cut));
        else if (ev.diff_cut > 0) {
          node.append(el("div", "cut", `diff left out (${group(ev.diff_cut)} lines)`));
        }
        break;
      }
      case "compact": {
        const parts = [
          ev.trigger,
          ev.pre_tokens === null ? null : `${group(ev.pre_tokens)} tokens before`,
        ]
          .filter(Boolean);
        head(node, ev, "compaction", parts.join(", "));
        break;
      }
      case "compact-summary":
        head(node, ev, "compaction summary");
        textBody(node, ev.text, ev.cut);
        break;
      case "mpm":
        head(node, ev, `mpm ${ev.command}`, ev.text);
        break;
      case "checkpoint": {
        const where = [ev.branch, ev.head ? ev.head.slice(0, 7) : null].filter(Boolean).join(" @ ");
        head(
          node,
          ev,
          `checkpoint ${ev.name}`,
          [ev.note ? `“${ev.note}”` : "", where ? `(${where})` : ""].join(" "),
        );
        break;
      }
      case "error":
        head(node, ev, ev.tool ? `error ${ev.tool}` : "error", firstLine(ev.text));
        node.append(block("error", ev.text, { kind: "fold", error: true }));
        break;
      case "commit": {
        const by = [ev.author, ev.ref].filter(Boolean).join(", ");
        head(node, ev, `commit ${ev.sha.slice(0, 7)}`, `${ev.subject}${by ? ` (${by})` : ""}`);
        if (ev.files && ev.files.length) {
          const lines = ev.files.map((f) =>
            `${f.from ? `${f.from} → ` : ""}${f.path}  ${
              f.added === null ? "binary" : `+${f.added} −${f.removed}`
            }`
          );
          node.append(
            block(`${ev.files.length} file${ev.files.length === 1 ? "" : "s"}`, lines.join("\n"), {
              kind: "fold",
            }),
          );
        }
        break;
      }
      case "claude":
        head(node, ev, "claude code", ev.text);
        break;
      case "note":
        head(node, ev, "note", ev.text);
        break;
      default:
        head(node, ev, ev.kind, "");
    }
    return node;
  }

  // ---------------------------------------------------------------------------------------
  // The page

  const list = $("events");
  const nodes = [];
  let lastDay = null;
  const BATCH = 4000;

  function buildRange(from, to) {
    const fragment = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const ev = events[i];
      const d = day(ev.time);
      if (d !== lastDay) {
        fragment.append(el("div", "day", d));
        lastDay = d;
      }
      const node = build(ev, i);
      nodes.push(node);
      fragment.append(node);
    }
    list.append(fragment);
  }

  // The first few thousand at once (so the page is complete when it loads), the rest in slices.
  buildRange(0, Math.min(events.length, BATCH));
  (function more(from) {
    if (from >= events.length) return;
    setTimeout(() => {
      buildRange(from, Math.min(events.length, from + BATCH));
      more(from + BATCH);
    }, 0);
  })(BATCH);

  const nodeAt = (i) => {
    if (i >= nodes.length) buildRange(nodes.length, Math.min(events.length, i + 1));
    return nodes[i];
  };

  // Title and facts
  const session = meta.session || {};
  const title = session.name ? `${session.name}` : session.key || "Session replay";
  $("title").textContent = `Replay: ${title}`;
  const span = session.span || {};
  const subtitle = [
    session.task ? `Task: ${session.task}` : null,
    span.start
      ? `${day(span.start)} ${clock(span.start)} → ${
        session.active ? "now" : `${day(span.end)} ${clock(span.end)}`
      }`
      : null,
    `${events.length} events`,
    meta.generated
      ? `made ${day(meta.generated)} ${clock(meta.generated)} by mpm ${meta.version || ""}`
      : null,
  ].filter(Boolean);
  $("subtitle").textContent = subtitle.join(" · ");

  const notes = Array.isArray(meta.notes) ? meta.notes : [];
  if (notes.length) {
    const box = $("notes");
    for (const note of notes) box.append(el("p", "", note));
    box.hidden = false;
  }

  // Sidebar: bookmarks, files, commits, Claude sessions
  const BOOKMARK_COMMANDS = ["start", "pause", "resume", "branch", "return"];
  const bookmarks = [];
  const files = new Map();
  const commits = [];
  events.forEach((ev, i) => {
    if (ev.kind === "checkpoint" || (ev.kind === "mpm" && BOOKMARK_COMMANDS.includes(ev.command))) {
      bookmarks.push(i);
    }
    if (ev.kind === "edit" && !ev.failed) {
      const f = files.get(ev.path) || { edits: [], added: 0, removed: 0 };
      f.edits.push(i);
      f.added += ev.added;
      f.removed += ev.removed;
      files.set(ev.path, f);
    }
    if (ev.kind === "commit") commits.push(i);
  });

  function jumpButton(i, label, side) {
    const li = el("li");
    const button = el("button", "", label);
    button.type = "button";
    button.title = label;
    button.dataset.jump = String(i);
    if (side) button.prepend(el("span", "side", side));
    li.append(button);
    return li;
  }

  const bookmarkList = $("bookmarks");
  for (const i of bookmarks) {
    const ev = events[i];
    const label = ev.kind === "checkpoint"
      ? `checkpoint ${ev.name}`
      : `${ev.command}: ${shortTitle(ev.text, 60)}`;
    bookmarkList.append(jumpButton(i, label, clock(ev.time)));
  }
  if (!bookmarks.length) bookmarkList.append(el("li", "muted", "none"));

  let lastFile = null;
  const fileCursor = new Map();
  const fileList = $("files");
  [...files.entries()].sort((a, b) => a[0].localeCompare(b[0])).forEach(([path, f]) => {
    const li = jumpButton(f.edits[0], path, `+${f.added} −${f.removed} · ${f.edits.length}×`);
    const button = li.querySelector("button");
    button.dataset.file = path;
    fileList.append(li);
  });
  if (!files.size) fileList.append(el("li", "muted", "none"));

  const commitList = $("commits");
  for (const i of commits) {
    const ev = events[i];
    commitList.append(jumpButton(i, `${ev.sha.slice(0, 7)} ${ev.subject}`, clock(ev.time)));
  }
  if (!commits.length) commitList.append(el("li", "muted", "none"));

  const sessionList = $("sessions");
  for (const c of Array.isArray(meta.claude) ? meta.claude : []) {
    sessionList.append(el("li", "", `${c.id.slice(0, 8)} — ${c.transcript || "no transcript"}`));
  }
  if (!sessionList.children.length) sessionList.append(el("li", "", "none"));

  // ---------------------------------------------------------------------------------------
  // Playback: `pos` is the last event shown; later ones are hidden until played.

  let pos = events.length - 1;
  let timer = null;
  let speed = 1;
  const scrub = $("scrub");
  scrub.max = String(Math.max(0, events.length - 1));

  function hiddenByFilter(i) {
    const ev = events[i];
    const body = document.body.classList;
    return (ev.kind === "tool" && body.contains("hide-tools")) ||
      (ev.kind === "thinking" && body.contains("hide-thinking")) ||
      (ev.sidechain && body.contains("hide-sidechain"));
  }

  function setPos(next, how) {
    next = Math.max(-1, Math.min(events.length - 1, next));
    if (next >= 0) nodeAt(next);
    const old = pos;
    if (old >= 0 && nodes[old]) nodes[old].classList.remove("current");
    const [from, to] = old < next ? [old + 1, next] : [next + 1, old];
    for (let i = Math.max(0, from); i <= to && i < nodes.length; i++) {
      nodes[i].classList.toggle("future", i > next);
    }
    pos = next;
    scrub.value = String(Math.max(0, pos));
    $("pos").textContent = `${pos + 1} / ${events.length}`;
    if (pos >= 0 && nodes[pos]) {
      nodes[pos].classList.add("current");
      if (how !== "quiet") {
        nodes[pos].scrollIntoView({ block: how === "jump" ? "center" : "nearest" });
      }
    }
  }

  function step(direction) {
    let i = pos + direction;
    while (i >= 0 && i < events.length && hiddenByFilter(i)) i += direction;
    setPos(i, "step");
  }

  function gapMs(i) {
    if (i <= 0) return MIN_GAP_MS;
    const gap = Date.parse(events[i].time) - Date.parse(events[i - 1].time);
    return Math.max(MIN_GAP_MS, Math.min(MAX_GAP_MS, Number.isFinite(gap) ? gap : MIN_GAP_MS));
  }

  function pause() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const button = $("play");
    button.textContent = "▶ Play";
    button.setAttribute("aria-label", "Play");
  }

  function play() {
    if (!events.length) return;
    if (pos >= events.length - 1) setPos(-1, "quiet");
    const button = $("play");
    button.textContent = "⏸ Pause";
    button.setAttribute("aria-label", "Pause");
    const tick = () => {
      if (pos >= events.length - 1) return pause();
      step(1);
      timer = setTimeout(tick, gapMs(pos + 1) / speed);
    };
    timer = setTimeout(tick, MIN_GAP_MS / speed);
  }

  const toggle = () => (timer === null ? play() : pause());

  function setSpeed(value) {
    speed = SPEEDS.includes(value) ? value : 1;
    $("speed").value = String(speed);
  }

  function jump(i) {
    pause();
    setPos(i, "jump");
    const node = nodes[i];
    if (node) { for (const d of node.querySelectorAll("details")) d.open = true; }
  }

  function nextBookmark(direction) {
    const candidates = direction > 0
      ? bookmarks.filter((i) => i > pos)
      : bookmarks.filter((i) => i < pos).reverse();
    if (candidates.length) jump(candidates[0]);
  }

  function nextEditOf(path) {
    const f = files.get(path);
    if (!f) return;
    const at = ((fileCursor.get(path) ?? -1) + 1) % f.edits.length;
    fileCursor.set(path, at);
    lastFile = path;
    jump(f.edits[at]);
  }

  function setAll(open) {
    for (const d of document.querySelectorAll("details.fold")) d.open = open;
  }

  // Theme: the reader's system setting first, then their choice (kept when the browser allows).
  const THEME_KEY = "mpm-replay-theme";
  function applyTheme(theme) {
    document.documentElement.dataset.theme = theme;
  }
  let theme = null;
  try {
    theme = localStorage.getItem(THEME_KEY);
  } catch (_) {
    theme = null;
  }
  if (theme !== "light" && theme !== "dark") {
    theme = matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  applyTheme(theme);
  function switchTheme() {
    theme = theme === "dark" ? "light" : "dark";
    applyTheme(theme);
    try {
      localStorage.setItem(THEME_KEY, theme);
    } catch (_) {
      // file:// pages may not keep storage; the choice lasts for this visit.
    }
  }

  function filterButton(id, cls) {
    const button = $(id);
    button.addEventListener("click", () => {
      const hidden = document.body.classList.toggle(cls);
      button.setAttribute("aria-pressed", hidden ? "false" : "true");
    });
  }
  filterButton("show-tools", "hide-tools");
  filterButton("show-thinking", "hide-thinking");
  filterButton("show-sidechain", "hide-sidechain");

  const help = (show) => {
    $("help").hidden = show === undefined ? !$("help").hidden : !show;
  };

  $("play").addEventListener("click", toggle);
  $("prev").addEventListener("click", () => (pause(), step(-1)));
  $("next").addEventListener("click", () => (pause(), step(1)));
  $("first").addEventListener("click", () => jump(0));
  $("last").addEventListener("click", () => jump(events.length - 1));
  $("speed").addEventListener("change", (e) => setSpeed(Number(e.target.value)));
  scrub.addEventListener("input", () => (pause(), setPos(Number(scrub.value), "jump")));
  $("expand").addEventListener("click", () => setAll(true));
  $("collapse").addEventListener("click", () => setAll(false));
  $("theme").addEventListener("click", switchTheme);
  $("help-open").addEventListener("click", () => help());
  $("help-close").addEventListener("click", () => help(false));
  $("sidebar").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-jump]");
    if (!button) return;
    if (button.dataset.file) nextEditOf(button.dataset.file);
    else jump(Number(button.dataset.jump));
  });

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = e.target && e.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const keys = {
      " ": toggle,
      ArrowRight: () => (pause(), step(1)),
      j: () => (pause(), step(1)),
      ArrowLeft: () => (pause(), step(-1)),
      k: () => (pause(), step(-1)),
      Home: () => jump(0),
      End: () => jump(events.length - 1),
      "+": () => setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(speed) + 1)]),
      "=": () => setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(speed) + 1)]),
      "-": () => setSpeed(SPEEDS[Math.max(0, SPEEDS.indexOf(speed) - 1)]),
      b: () => nextBookmark(1),
      B: () => nextBookmark(-1),
      f: () => lastFile && nextEditOf(lastFile),
      e: () => setAll(true),
      c: () => setAll(false),
      t: switchTheme,
      "?": () => help(),
      Escape: () => help(false),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  });

  // A link to one event (`replay.html#ev-12`) opens there.
  const wanted = /^#ev-(\d+)$/.exec(location.hash);
  setPos(events.length - 1, "quiet");
  if (wanted && Number(wanted[1]) < events.length) jump(Number(wanted[1]));
  document.body.dataset.ready = "true";
})();
