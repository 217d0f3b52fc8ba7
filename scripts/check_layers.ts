/**
 * The layer check: the rule in docs/architecture.md, enforced. `deno task test` runs it.
 *
 *   deno run --allow-read scripts/check_layers.ts [ROOT]
 *
 * It reads every TypeScript file under ROOT (this repository by default) and fails, naming
 * each offence, when
 * - a file imports a folder on a higher floor, or another folder on its own floor (features on
 *   one floor stay independent of each other);
 * - a file imports a command (`*_command.ts`): only the registry, src/commands.ts, lists
 *   commands, so a command never imports another (what two share is a module of its own);
 * - a kernel file touches the outside (`Deno.*`) or imports anything but the kernel;
 * - a file outside the disk writer and the adapters (src/disk/, src/git/, src/claude/) changes
 *   the file system itself: a `Deno.` call that writes, removes, renames, links, makes or
 *   changes the mode or times of an entry, or a `Deno.open` with write, append, create or
 *   truncate (main.ts, tests/ and scripts/ are not the program's features: not checked);
 * - imports run in a circle (static or `import("…")` with a literal path), in src/, tests/ or
 *   scripts/;
 * - a folder under src/ is not in the table below;
 * - a folder under src/ has sub-folders and is not in ROOMS;
 * - inside a folder that ROOMS lists (a feature, or a room of one), a file imports a sub-folder
 *   (a room) on a higher floor of the folder, or another room on its own floor, or a room is not
 *   in its table;
 * - a file outside src/kernel/safe_text/ and REDACTORS calls a redact function (`redact…(`);
 * - a file of the sessions or the hooks outside the session store (STORE) names a path under
 *   `.claude-mpm/` (a field of ProjectPaths but `root`) other than to show it: the store is the
 *   one place that reads and writes them (STORE_EXEMPT: the installed hook scripts' folder).
 */
import { dirname, join, relative, resolve } from "node:path";

/** Each folder's floor, lowest first. A file may import its own folder and lower floors. */
export const FLOORS: Record<string, number> = {
  "src/kernel": 0,
  "src/git": 1,
  "src/claude": 1,
  // The agent seam: one adapter per agent, over src/claude/ for Claude Code; below the disk.
  "src/agents": 1.5,
  "src/disk": 2,
  "src/cli": 3,
  "src/legacy": 4,
  "src/worktrees": 4,
  "src/context": 4,
  "src/vault": 4,
  "src/upgrade": 4,
  "src/sessions": 5,
  "src/checkpoints": 6,
  "src/diff": 6,
  "src/board": 6,
  "src/hooks": 7,
  "src/sync": 7,
  "src/migrate": 7,
  "src/replay": 8,
  "src/skills": 8,
  "src/statusline": 8,
  // The search index: a cache over the vault (and what search reads), below search and doctor.
  "src/index": 8.5,
  "src/doctor": 9,
  "src/completions": 9,
  "src/search": 9,
  // The model's door: it reads the store and search/, and only the registry imports it.
  "src/mcp": 9.5,
  "src/commands.ts": 10,
  "main.ts": 11,
};

/**
 * Floors inside a feature: each sub-folder (a room) of a folder listed here is on a floor of its
 * own within the folder's (the store below what gathers, below the commands: 5.0, 5.1, 5.2). A
 * file may import its own room and lower ones; two rooms on one floor do not import each other;
 * the files at the folder's top sit above all its rooms. A listed folder gives every room a floor.
 * A room may have rooms of its own (`src/sessions/store`): an import is held to the floors of
 * every listed folder that holds both ends.
 */
export const ROOMS: Record<string, Record<string, number>> = {
  "src/sessions": {
    store: 0,
    capture: 1,
    report: 2,
    pause: 3,
    resume: 3,
    list: 3,
    stack: 3,
    start: 3,
    todo: 3,
    finish: 3,
    prune: 3,
    handoff: 3,
  },
  "src/sessions/store": {
    records: 0,
    caches: 0,
    listing: 0,
    marks: 0,
    snapshots: 1,
    state: 2,
    templates: 2,
    session: 3,
    archive: 3,
    claude: 3,
  },
  "src/sessions/store/records": { snapshot: 0, lifecycle: 0, state: 0, handoff: 0 },
  "src/hooks": { records: 0, install: 1, start: 2, events: 3 },
  // The quiet door and the union plan (both pure but for the door's reads), this project's
  // files, the remote's ref and tree; push, pull and the sync record above them all.
  "src/sync": { quiet: 0, plan: 0, local: 1, remote: 2 },
  "src/hooks/install": { settings: 0, scripts: 0 },
  "src/hooks/start": { record: 0, config: 0 },
  "src/kernel": { format: 0, hashing: 0, safe_text: 1 },
  "src/git": { run: 0, tree: 1, objects: 2, history: 2 },
  "src/claude": { settings: 0, session: 1, transcript: 2 },
  "src/agents": { place: 0, shell: 0, claude: 0, codex: 1, gemini: 1 },
  "src/claude/settings": { config: 0, hooks: 1, status_line: 2, plugins: 2, mcp: 2, program: 2 },
  "src/disk": { read: 0, files: 1 },
  "src/disk/files": { faults: 0, shared: 0, confine: 1 },
  "src/context": { inject: 0 },
  "src/doctor": { judges: 0, probes: 1, agents: 1 },
  "src/vault": { records: 0, copy: 1, restore: 2 },
  "src/mcp": { tools: 0 },
};

/** The session store: the one folder of the sessions and hooks that opens `.claude-mpm/` files. */
export const STORE = "src/sessions/store";

/** The features that ask the store (STORE) for `.claude-mpm/` files instead of opening them. */
export const STORE_USERS = ["src/sessions", "src/hooks", "src/statusline", "src/mcp"];

/**
 * What may name a `.claude-mpm/` path outside the store: `mpm hooks` installs its scripts in a
 * folder that is the project's `.claude-mpm/hooks/` or the user's own, by the same rules.
 */
export const STORE_EXEMPT = ["src/hooks/install"];

/**
 * The files outside src/kernel/safe_text/ that may call a redact function (`redact`,
 * `redactDeep`, any `redact…(`): the two boundaries of docs/security.md are what redacts, so a
 * command, a record module or a renderer that redacts for itself fails here. What mpm writes
 * passes the store's writer; the vault's transcripts, the settings backup and the migration of
 * older tools' records are writers of their own kind. What mpm shows passes
 * kernel/safe_text/shown.ts.
 */
export const REDACTORS = [
  // The store's writer: every declared record's free text (kernel/safe_text/text_fields.ts).
  "src/disk/files/written.ts",
  // The vault's writer: transcripts copied line by line, streamed, and what sync imports.
  "src/vault/copy/segment.ts",
  // The backup of Claude Code's settings `mpm hooks` keeps before it edits them.
  "src/hooks/install/settings/redact_settings.ts",
  "src/hooks/install/settings/settings_file.ts",
  // claude-mpm's records, redacted as they are converted (their layout is not a declared record).
  "src/migrate/plan.ts",
];

/** A call of a redact function (`redact(`, `redactDeep(`, `x.redactLine(`), not its definition. */
const REDACT_CALL = /(?<!function\s+)\bredact[A-Za-z]*\(/g;

/** Where a file calls a redact function, by line. */
export function redactCalls(text: string): { line: number; call: string }[] {
  const code = withoutComments(text);
  return [...code.matchAll(REDACT_CALL)].map((m) => ({
    line: lineAt(code, m.index),
    call: m[0].slice(0, -1),
  }));
}

/** The fields of ProjectPaths (src/disk/paths.ts) that are paths under `.claude-mpm/`. */
const STORE_PATH = new RegExp(
  "\\bpaths\\.(?:base|sessions|archive|legacyPause|checkpoints|state|hooks|templates|errors|" +
    "threads|vault|backups|events|lock|latest)\\b",
  "g",
);

/**
 * Where a file names a path under `.claude-mpm/`, by line; a path shown to a person
 * (`displayPath(…)`) is not a read or a write.
 */
export function storePaths(text: string): { line: number; path: string }[] {
  const code = withoutComments(text).replace(
    /\bdisplayPath\([^()]*\)/g,
    (m) => " ".repeat(m.length),
  );
  return [...code.matchAll(STORE_PATH)].map((m) => ({ line: lineAt(code, m.index), path: m[0] }));
}

export interface Offence {
  file: string;
  /** The line (from 1), when the offence is on one. */
  line?: number;
  message: string;
}

/** Relative specifiers of static imports, re-exports and literal dynamic imports. */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)"(\.{1,2}\/[^"]+)"/gm;
  for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** The folder (or top-level file) whose floor a repository path is on. */
export function unitOf(path: string): string | undefined {
  if (path === "main.ts" || path === "src/commands.ts") return path;
  const match = path.match(/^src\/([^/]+)\//);
  return match ? `src/${match[1]}` : undefined;
}

const isTest = (path: string) => path.endsWith("_test.ts") || path.startsWith("tests/");

const isCommand = (path: string) => path.endsWith("_command.ts");

/** The folders that may touch the outside: the disk writer and the git and Claude adapters. */
export const OUTSIDE_TOUCHING = ["src/disk", "src/git", "src/claude", "src/agents"];

/** Deno's calls that change the file system (each also as `…Sync`). */
export const WRITING_CALLS = [
  "writeFile",
  "writeTextFile",
  "remove",
  "rename",
  "chmod",
  "chown",
  "mkdir",
  "symlink",
  "truncate",
  "create",
  "copyFile",
  "link",
  "makeTempFile",
  "makeTempDir",
  "utime",
];

const WRITING = new RegExp(`\\bDeno\\.(?:${WRITING_CALLS.join("|")})(?:Sync)?\\b`, "g");
const OPENING = /\bDeno\.open(?:Sync)?\s*\(/g;
/** An option of `Deno.open` that lets it change a file, unless set to false. */
const WRITE_OPTION = /\b(?:write|append|create|createNew|truncate)\b\s*(?:[,}]|:(?!\s*false\b))/;

/**
 * `text` with its comments blanked out, newlines kept, so offsets still give lines. Strings are
 * stepped over, so a `/*` in one (a glob) hides no code. (A regular expression holding a quote or
 * `//` can still be misread, for the rest of its line at most.)
 */
function withoutComments(text: string): string {
  const out: string[] = [];
  let from = 0;
  for (let at = 0; at < text.length;) {
    const two = text.slice(at, at + 2);
    if (two === "//" || two === "/*") {
      const close = two === "//" ? text.indexOf("\n", at) : text.indexOf("*/", at + 2);
      const end = close < 0 ? text.length : two === "//" ? close : close + 2;
      out.push(text.slice(from, at), text.slice(at, end).replace(/[^\n]/g, " "));
      from = at = end;
    } else if (text[at] === '"' || text[at] === "'" || text[at] === "`") {
      at = stringEnd(text, at);
    } else at++;
  }
  out.push(text.slice(from));
  return out.join("");
}

/** Just past the string that starts at `start`; a quoted one also ends at its line's end. */
function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] === "\\") at++;
    else if (text[at] === quote) return at + 1;
    else if (text[at] === "\n" && quote !== "`") return at;
  }
  return text.length;
}

const lineAt = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** The arguments of the call whose `(` ends at `open`, up to its matching `)`. */
function callArguments(text: string, open: number): string {
  let depth = 1;
  for (let at = open; at < text.length; at++) {
    if (text[at] === "(") depth++;
    else if (text[at] === ")" && --depth === 0) return text.slice(open, at);
  }
  return text.slice(open);
}

/**
 * Where a file changes the file system itself, by line: the `Deno.` calls that write, and the
 * `Deno.open`s whose options may (options not written out in the call cannot be told apart).
 */
export function fileWrites(text: string): { line: number; call: string }[] {
  const code = withoutComments(text);
  const found: { line: number; call: string }[] = [];
  for (const match of code.matchAll(WRITING)) {
    found.push({ line: lineAt(code, match.index), call: match[0] });
  }
  for (const match of code.matchAll(OPENING)) {
    const args = callArguments(code, match.index + match[0].length);
    const comma = topLevelComma(args);
    // Without options, Deno.open only reads.
    const options = comma < 0 ? "" : args.slice(comma + 1).trim();
    if (options !== "" && (!options.startsWith("{") || WRITE_OPTION.test(options))) {
      found.push({ line: lineAt(code, match.index), call: match[0].replace(/\s*\($/, "") });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The index of the first comma outside brackets in call arguments, or -1. */
function topLevelComma(args: string): number {
  let depth = 0;
  for (let at = 0; at < args.length; at++) {
    if ("([{".includes(args[at])) depth++;
    else if (")]}".includes(args[at])) depth--;
    else if (args[at] === "," && depth === 0) return at;
  }
  return -1;
}

/**
 * The room of a feature a path is in, and its floor there: undefined for a file at the
 * feature's top (above every room), null for a room the feature's table does not list.
 */
function roomOf(
  path: string,
  unit: string,
  rooms: Record<string, number>,
): { room: string; floor: number } | null | undefined {
  const parts = path.slice(unit.length + 1).split("/");
  if (parts.length === 1) return undefined;
  const floor = rooms[parts[0]];
  return floor === undefined ? null : { room: `${unit}/${parts[0]}`, floor };
}

/** Checks a tree given as path → text (paths relative to the repository, with `/`). */
export function checkTree(
  files: Map<string, string>,
  rooms: Record<string, Record<string, number>> = ROOMS,
): Offence[] {
  const offences: Offence[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = importsOf(text)
      .map((spec) => join(dirname(file), spec).replaceAll("\\", "/"))
      .filter((target) => target.endsWith(".ts"));
    graph.set(file, targets.filter((target) => files.has(target)));
    if (file.startsWith("src/") && !isTest(file)) {
      offences.push(...checkFile(file, text, targets, rooms));
    }
  }
  for (const cycle of cycles(graph)) {
    offences.push({ file: cycle[0], message: `imports run in a circle: ${cycle.join(" → ")}` });
  }
  return offences;
}

function checkFile(
  file: string,
  text: string,
  targets: string[],
  rooms: Record<string, Record<string, number>>,
): Offence[] {
  const offences: Offence[] = [];
  const unit = unitOf(file);
  const floor = unit === undefined ? undefined : FLOORS[unit];
  if (unit === undefined || floor === undefined) {
    const folder = unit ?? dirname(file);
    return [{
      file,
      message: `${folder} has no floor: add it to scripts/check_layers.ts and docs/architecture.md`,
    }];
  }
  for (const house of unlistedHouses(file, rooms)) {
    offences.push({
      file,
      message:
        `${house} has sub-folders with no floors: add it to ROOMS in scripts/check_layers.ts`,
    });
  }
  for (const house of housesOf(file, rooms)) {
    if (roomOf(file, house, rooms[house]) !== null) continue;
    const room = `${house}/${file.slice(house.length + 1).split("/")[0]}`;
    offences.push({
      file,
      message: `${room} has no floor: add it to ROOMS in scripts/check_layers.ts`,
    });
  }
  if (unit === "src/kernel" && /\bDeno\./.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""))) {
    offences.push({ file, message: "the kernel is pure: it may not use Deno.*" });
  }
  if (unit !== "src/kernel" && !OUTSIDE_TOUCHING.includes(unit)) {
    for (const { line, call } of fileWrites(text)) {
      offences.push({
        file,
        line,
        message: `${call} changes the file system outside the disk writer: ` +
          "do it through a function of src/disk/",
      });
    }
  }
  if (!file.startsWith("src/kernel/safe_text/") && !REDACTORS.includes(file)) {
    for (const { line, call } of redactCalls(text)) {
      offences.push({
        file,
        line,
        message: `${call} redacts outside the two boundaries: write through ` +
          "src/disk/files/written.ts with the record's text declared, or show through " +
          "src/kernel/safe_text/shown.ts (REDACTORS in scripts/check_layers.ts lists the others)",
      });
    }
  }
  const storeUser = STORE_USERS.some((folder) => file.startsWith(`${folder}/`)) &&
    !file.startsWith(`${STORE}/`) && !STORE_EXEMPT.some((folder) => file.startsWith(`${folder}/`));
  if (storeUser) {
    for (const { line, path } of storePaths(text)) {
      offences.push({
        file,
        line,
        message: `${path} is a file of .claude-mpm/: ask the session store (${STORE}/) for it`,
      });
    }
  }
  for (const target of targets) {
    const targetUnit = unitOf(target);
    if (isCommand(target) && unit !== "src/commands.ts") {
      offences.push({
        file,
        line: importLine(text, file, target),
        message: isCommand(file)
          ? `a command imports another command, ${target}: move what they share into a ` +
            "module that is not a command"
          : `imports the command ${target}: only src/commands.ts imports commands`,
      });
    }
    for (const house of housesOf(file, rooms)) {
      if (target.startsWith(`${house}/`)) {
        offences.push(...checkRooms(file, target, house, rooms[house]));
      }
    }
    if (targetUnit === undefined || targetUnit === unit) continue;
    const targetFloor = FLOORS[targetUnit];
    if (targetFloor === undefined) continue; // reported at the target itself
    if (targetFloor > floor) {
      offences.push({
        file,
        message: `imports upward: ${target} (${targetUnit} is above ${unit})`,
      });
    } else if (targetFloor === floor) {
      offences.push({
        file,
        message: `imports ${target}: ${targetUnit} and ${unit} share a floor`,
      });
    }
  }
  return offences;
}

/**
 * The folders that hold `file` in a sub-folder of theirs but are not in ROOMS: every folder of
 * src/ with sub-folders gives them floors, so a circle between two rooms fails here first.
 */
function unlistedHouses(file: string, rooms: Record<string, Record<string, number>>): string[] {
  const parts = file.split("/").slice(0, -1);
  const houses: string[] = [];
  for (let depth = 2; depth < parts.length; depth++) {
    const house = parts.slice(0, depth).join("/");
    if (!(house in rooms)) houses.push(house);
  }
  return houses;
}

/** The folders with rooms (ROOMS' keys) that hold `file`: a feature, and a room with rooms. */
function housesOf(file: string, rooms: Record<string, Record<string, number>>): string[] {
  return Object.keys(rooms).filter((house) => file.startsWith(`${house}/`));
}

/** An import inside one folder with rooms, held to its rooms' floors. */
function checkRooms(
  file: string,
  target: string,
  unit: string,
  rooms: Record<string, number>,
): Offence[] {
  const from = roomOf(file, unit, rooms);
  const to = roomOf(target, unit, rooms);
  // A room with no floor is reported at each of its files (checkFile).
  if (from === null || to === null || from === undefined || to?.room === from.room) return [];
  if (to === undefined || to.floor > from.floor) {
    const above = to === undefined ? `the top of ${unit}` : to.room;
    return [{ file, message: `imports upward: ${target} (${above} is above ${from.room})` }];
  }
  if (to.floor === from.floor) {
    return [{ file, message: `imports ${target}: ${to.room} and ${from.room} share a floor` }];
  }
  return [];
}

/** The line of the import of `target` in `file`'s text. */
function importLine(text: string, file: string, target: string): number | undefined {
  for (const spec of importsOf(text)) {
    if (join(dirname(file), spec).replaceAll("\\", "/") !== target) continue;
    const at = text.indexOf(`"${spec}"`);
    if (at >= 0) return lineAt(text, at);
  }
  return undefined;
}

/** Every import circle once, as a path that returns to its start (Tarjan's components). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  // Iterative, so a deep import chain cannot overflow the call stack.
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) found.push(pathThrough(component.sort(), graph));
      }
    }
  }
  return found;
}

/** A readable circle through a component: from its first file back to it. */
function pathThrough(component: string[], graph: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [...component, start];
}

async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(join(root, folder))) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory && !["fixtures", "node_modules", "dist"].includes(entry.name)) {
        await walk(path);
      } else if (entry.isFile && path.endsWith(".ts")) {
        files.set(path, await Deno.readTextFile(join(root, path)));
      }
    }
  };
  for (const top of ["src", "tests", "scripts"]) await walk(top);
  files.set("main.ts", await Deno.readTextFile(join(root, "main.ts")));
  return files;
}

if (import.meta.main) {
  const root = resolve(Deno.args[0] ?? join(import.meta.dirname!, ".."));
  const offences = checkTree(await readTree(root));
  for (const offence of offences) {
    const where = relative(Deno.cwd(), join(root, offence.file)) +
      (offence.line === undefined ? "" : `:${offence.line}`);
    console.error(`${where}: ${offence.message}`);
  }
  if (offences.length > 0) {
    console.error(`The layer check found ${offences.length} offence(s); see docs/architecture.md.`);
    Deno.exit(1);
  }
  console.log(
    "Layers: every import runs downward, no circles, no command imports another, only src/disk/ " +
      "and the adapters change the file system, and only the session store opens .claude-mpm/ " +
      "for the sessions and the hooks.",
  );
}
