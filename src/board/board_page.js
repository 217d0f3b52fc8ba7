"use strict";
// The board page: everything is built from the JSON block with textContent, never markup.
(function () {
  const board = JSON.parse(document.getElementById("mpm-board").textContent);
  // How each agent but Claude Code is named (its work is named as it always was: not at all).
  const agents = JSON.parse(document.getElementById("mpm-agents").textContent);
  const agentLabel = (w) => Object.hasOwn(agents, w.agent) ? agents[w.agent] : "";
  const agentNote = (w) => agentLabel(w) ? ` (${agentLabel(w)})` : "";
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
  const daysAgo = (d) => d === 0 ? "today" : `${d} day${d === 1 ? "" : "s"} ago`;
  const hot = new Set(board.overlaps.map((o) => o.path));
  const CARDS_SHOWN = 12;
  const OVERLAPS_SHOWN = 50;
  const label = (p) =>
    p.name && p.email
      ? `${p.name} <${p.email}>`
      : p.email || p.name || (p.you ? "You (no git identity set here)" : "unknown");

  // A teammate's identity is verified only when their push was signed by a key the allowed
  // signers give to that email; else it is what they claim.
  const proof = (p) => p.verified === true ? "verified" : "unverified";

  // The page holds the newest of each list; what it left off is counted (board_html.ts).
  const works = board.works_total ?? board.people.reduce((n, p) => n + p.work.length, 0);
  const people = board.people.length + (board.more_people || 0);
  const elsewhere = "mpm board --json lists them";
  document.getElementById("subtitle").textContent =
    `${people} people, ${works} lines of work in the last ${
      board.since_days === 1 ? "day" : `${board.since_days} days`
    } · ` +
    `made ${
      board.generated.replace("T", " ").slice(0, 16)
    } UTC from this clone's records and what mpm sync pull brought`;

  // Overlaps on top: the first ones, all of them once filtered.
  const overlapBox = document.getElementById("overlaps");
  const overlapText = (o) =>
    (o.path + " " + o.work.map((w) => w.email + " " + w.name + agentNote(w)).join(" "))
      .toLowerCase();
  const renderOverlaps = (q) => {
    overlapBox.replaceChildren();
    const shown = board.overlaps.filter((o) => q === "" || overlapText(o).includes(q));
    overlapBox.classList.toggle("hidden", shown.length === 0);
    if (shown.length === 0) return;
    const n = board.overlaps_total ?? board.overlaps.length;
    overlapBox.append(
      el(
        "h2",
        "",
        `Overlaps: ${n} file${n === 1 ? "" : "s"} changed by more than one person's work`,
      ),
    );
    const list = el("ul");
    for (const o of shown.slice(0, OVERLAPS_SHOWN)) {
      const li = el("li", "overlap-item");
      li.append(
        el("code", "", o.path),
        document.createTextNode(
          " — " +
            o.work.map((w) =>
              `${w.you ? "you" : `${w.email || "unknown"} (${proof(w)})`}: ${w.name}${agentNote(w)}`
            ).join(" · ") + (o.more_work ? ` · and ${o.more_work} more` : ""),
        ),
      );
      list.append(li);
    }
    if (shown.length > OVERLAPS_SHOWN) {
      list.append(
        el("li", "muted", `and ${shown.length - OVERLAPS_SHOWN} more (the filter finds them)`),
      );
    }
    const left = n - board.overlaps.length;
    if (q === "" && left > 0) list.append(el("li", "muted", `and ${left} more (${elsewhere})`));
    overlapBox.append(list);
  };

  // A lane per person; its newest cards first, the rest one click away (a large team's page
  // paints at once). The filter keeps a lane whose person matches, else its matching cards.
  const lanes = document.getElementById("lanes");
  const workText = (p, w) =>
    [p.email, p.name, w.name, agentLabel(w), w.words, w.next || "", w.branch || "", ...w.files]
      .join(" ")
      .toLowerCase();
  const card = (w) => {
    const overlaps = w.files.some((f) => hot.has(f));
    const c = el("article", overlaps ? "card overlap" : "card");
    c.append(el("h3", "", w.name));
    const state = w.state === "worktree" ? "in a worktree" : w.state;
    const facts = el(
      "div",
      "state",
      [
        `${state} ${ago(w.moved)}`,
        w.branch ? `branch ${w.branch}` : "",
        `todos ${w.todos_open} open, ${w.todos_done} done`,
      ].filter(Boolean).join(" · "),
    );
    if (agentLabel(w)) facts.prepend(el("span", "agent", agentLabel(w)), " ");
    c.append(facts);
    if (w.words) c.append(el("p", "words", w.words));
    if (w.next) c.append(el("p", "next", `Next: ${w.next}`));
    if (w.files.length) {
      const list = el("ul");
      for (const f of w.files.slice(0, 12)) list.append(el("li", hot.has(f) ? "hot" : "", f));
      const more = w.files.length - 12 + (w.more_files || 0);
      if (more > 0) list.append(el("li", "muted", `and ${more} more`));
      c.append(list);
    }
    return c;
  };
  const expanded = new Set();
  const renderLanes = (q) => {
    lanes.replaceChildren();
    let any = false;
    board.people.forEach((p, index) => {
      const whole = q === "" || (p.email + " " + p.name).toLowerCase().includes(q);
      const works = whole ? p.work : p.work.filter((w) => workText(p, w).includes(q));
      if (!whole && works.length === 0) return;
      any = true;
      const lane = el("section", p.you ? "lane you" : "lane");
      const who = el("div", "who");
      who.append(el("div", "name", label(p)));
      who.append(
        el(
          "div",
          "muted",
          p.you ? "you" : `a teammate's, pulled with mpm sync pull, ${proof(p)}`,
        ),
      );
      const strip = el("div", "strip");
      strip.setAttribute("aria-label", "Pauses a day, the last 14 days");
      p.pauses.forEach((n, i) => {
        const cell = el("span", n > 0 ? `on l${Math.min(3, n)}` : "");
        cell.title = `${daysAgo(13 - i)}: ${n} pause${n === 1 ? "" : "s"}`;
        strip.append(cell);
      });
      who.append(strip);
      lane.append(who);
      const cards = el("div", "cards");
      if (works.length === 0) cards.append(el("p", "empty", "No open work in this window."));
      const limit = expanded.has(index) ? works.length : CARDS_SHOWN;
      for (const w of works.slice(0, limit)) cards.append(card(w));
      if (works.length > limit) {
        const more = el("button", "more", `Show ${works.length - limit} more`);
        more.type = "button";
        more.addEventListener("click", () => {
          expanded.add(index);
          renderLanes(q);
        });
        cards.append(more);
      }
      if (whole && p.more_work) {
        cards.append(el("p", "muted", `and ${p.more_work} older lines of work (${elsewhere})`));
      }
      lane.append(cards);
      lanes.append(lane);
    });
    if (board.more_people) {
      lanes.append(el("p", "muted", `and ${board.more_people} more people (${elsewhere})`));
    }
    if (!any) {
      lanes.append(
        el(
          "p",
          "empty",
          q === "" ? "No lines of work in this window." : "Nothing matches the filter.",
        ),
      );
    }
  };

  if (board.handoffs.length) {
    const box = document.getElementById("handoffs");
    box.classList.remove("hidden");
    box.append(el("h2", "", `Handoffs waiting (${board.handoffs_total ?? board.handoffs.length})`));
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

  const filter = document.getElementById("filter");
  const apply = () => {
    const q = filter.value.trim().toLowerCase();
    renderOverlaps(q);
    renderLanes(q);
  };
  filter.addEventListener("input", apply);
  apply();
  document.documentElement.dataset.ready = "true";
})();
