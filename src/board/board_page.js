"use strict";
// The board page: everything is built from the JSON block with textContent, never markup.
(function () {
  const board = JSON.parse(document.getElementById("mpm-board").textContent);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const now = Date.parse(board.generated);
  const ago = (iso) => {
    const s = Math.round((now - Date.parse(iso)) / 1000);
    if (!(s >= 0)) return "";
    if (s < 45) return "just now";
    const units = [[86400, "day"], [3600, "hour"], [60, "minute"]];
    for (const [size, name] of units) {
      const n = Math.round(s / size);
      if (s >= size * 0.75 || size === 60) return `${n} ${name}${n === 1 ? "" : "s"} ago`;
    }
    return "";
  };
  const hot = new Set(board.overlaps.map((o) => o.path));
  const label = (p) =>
    p.name && p.email ? `${p.name} <${p.email}>` : p.email || p.name || "unknown";

  const works = board.people.reduce((n, p) => n + p.work.length, 0);
  document.getElementById("subtitle").textContent =
    `${board.people.length} people, ${works} lines of work in the last ${board.since_days} days · ` +
    `made ${
      board.generated.replace("T", " ").slice(0, 16)
    } UTC from this clone's records and what mpm sync pull brought`;

  if (board.overlaps.length) {
    const box = document.getElementById("overlaps");
    box.classList.remove("hidden");
    box.append(
      el(
        "h2",
        "",
        `Overlaps: ${board.overlaps.length} file${
          board.overlaps.length === 1 ? "" : "s"
        } changed by more than one person's work`,
      ),
    );
    const list = el("ul");
    for (const o of board.overlaps) {
      const li = el("li", "overlap-item");
      li.append(
        el("code", "", o.path),
        document.createTextNode(
          " — " +
            o.work.map((w) => `${w.you ? "you" : w.email}: ${w.name}`).join(" · "),
        ),
      );
      li.dataset.text = (o.path + " " + o.work.map((w) => w.email + " " + w.name).join(" "))
        .toLowerCase();
      list.append(li);
    }
    box.append(list);
  }

  const lanes = document.getElementById("lanes");
  if (board.people.length === 0) lanes.append(el("p", "empty", "No lines of work in this window."));
  for (const p of board.people) {
    const lane = el("section", p.you ? "lane you" : "lane");
    const who = el("div", "who");
    who.append(el("div", "name", label(p)));
    who.append(el("div", "muted", p.you ? "you" : "a teammate's, pulled with mpm sync pull"));
    const strip = el("div", "strip");
    strip.setAttribute("aria-label", "Pauses a day, the last 14 days");
    p.pauses.forEach((n, i) => {
      const cell = el("span", n > 0 ? `on l${Math.min(3, n)}` : "");
      cell.title = `${13 - i === 0 ? "today" : `${13 - i} days ago`}: ${n} pause${
        n === 1 ? "" : "s"
      }`;
      strip.append(cell);
    });
    who.append(strip);
    lane.append(who);
    const cards = el("div", "cards");
    if (p.work.length === 0) cards.append(el("p", "empty", "No open work in this window."));
    for (const w of p.work) {
      const overlaps = w.files.some((f) => hot.has(f));
      const card = el("article", overlaps ? "card overlap" : "card");
      card.append(el("h3", "", w.name));
      const state = w.state === "worktree" ? "in a worktree" : w.state;
      card.append(el(
        "div",
        "state",
        [
          `${state} ${ago(w.moved)}`,
          w.branch ? `branch ${w.branch}` : "",
          `todos ${w.todos_open} open, ${w.todos_done} done`,
        ].filter(Boolean).join(" · "),
      ));
      if (w.words) card.append(el("p", "words", w.words));
      if (w.next) card.append(el("p", "next", `Next: ${w.next}`));
      if (w.files.length) {
        const list = el("ul");
        for (const f of w.files.slice(0, 12)) list.append(el("li", hot.has(f) ? "hot" : "", f));
        if (w.files.length > 12) list.append(el("li", "muted", `and ${w.files.length - 12} more`));
        card.append(list);
      }
      card.dataset.text = [
        p.email,
        p.name,
        w.name,
        w.words,
        w.next || "",
        w.branch || "",
        ...w.files,
      ]
        .join(" ").toLowerCase();
      cards.append(card);
    }
    lane.dataset.text = (p.email + " " + p.name).toLowerCase();
    lane.append(cards);
    lanes.append(lane);
  }

  if (board.handoffs.length) {
    const box = document.getElementById("handoffs");
    box.classList.remove("hidden");
    box.append(el("h2", "", `Handoffs waiting (${board.handoffs.length})`));
    const list = el("ul");
    for (const h of board.handoffs) {
      list.append(
        el(
          "li",
          "",
          `${h.work} from ${h.from} to ${h.to || "anyone"}, ${ago(h.written_at)}` +
            (h.summary ? `: ${h.summary}` : ""),
        ),
      );
    }
    box.append(list);
  }

  // The filter: a lane stays when its person matches, else only its matching cards do.
  const filter = document.getElementById("filter");
  const apply = () => {
    const q = filter.value.trim().toLowerCase();
    for (const lane of lanes.querySelectorAll(".lane")) {
      const whole = q === "" || lane.dataset.text.includes(q);
      let shown = 0;
      for (const card of lane.querySelectorAll(".card")) {
        const on = whole || card.dataset.text.includes(q);
        card.classList.toggle("hidden", !on);
        if (on) shown++;
      }
      lane.classList.toggle("hidden", !whole && shown === 0);
    }
    for (const li of document.querySelectorAll(".overlap-item")) {
      li.classList.toggle("hidden", q !== "" && !li.dataset.text.includes(q));
    }
  };
  filter.addEventListener("input", apply);
  document.documentElement.dataset.ready = "true";
})();
