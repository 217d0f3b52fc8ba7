/**
 * The layer check: the rule in docs/architecture.md, enforced. `deno task test` runs it.
 *
 *   deno run --allow-read scripts/check_layers.ts [ROOT]
 *
 * It reads every TypeScript file under ROOT (this repository by default) and fails, naming
 * each offence, when
 * - a file imports a folder on a higher floor, or another folder on its own floor (features on
 *   one floor stay independent of each other);
 * - a file outside a feature imports that feature's command (`*_command.ts`): only the
 *   registry, src/commands.ts, lists commands;
 * - a kernel file touches the outside (`Deno.*`) or imports anything but the kernel;
 * - imports run in a circle (static or `import("…")` with a literal path), in src/, tests/ or
 *   scripts/;
 * - a folder under src/ is not in the table below.
 */
import { dirname, join, relative, resolve } from "node:path";

/** Each folder's floor, lowest first. A file may import its own folder and lower floors. */
export const FLOORS: Record<string, number> = {
  "src/kernel": 0,
  "src/git": 1,
  "src/claude": 1,
  "src/disk": 2,
  "src/cli": 3,
  "src/legacy": 4,
  "src/worktrees": 4,
  "src/context": 4,
  "src/sessions": 5,
  "src/checkpoints": 6,
  "src/hooks": 7,
  "src/sync": 7,
  "src/migrate": 7,
  "src/replay": 8,
  "src/skills": 8,
  "src/doctor": 9,
  "src/completions": 9,
  "src/commands.ts": 10,
  "main.ts": 11,
};

export interface Offence {
  file: string;
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

/** Checks a tree given as path → text (paths relative to the repository, with `/`). */
export function checkTree(files: Map<string, string>): Offence[] {
  const offences: Offence[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = importsOf(text)
      .map((spec) => join(dirname(file), spec).replaceAll("\\", "/"))
      .filter((target) => target.endsWith(".ts"));
    graph.set(file, targets.filter((target) => files.has(target)));
    if (file.startsWith("src/") && !isTest(file)) {
      offences.push(...checkFile(file, text, targets));
    }
  }
  for (const cycle of cycles(graph)) {
    offences.push({ file: cycle[0], message: `imports run in a circle: ${cycle.join(" → ")}` });
  }
  return offences;
}

function checkFile(file: string, text: string, targets: string[]): Offence[] {
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
  if (unit === "src/kernel" && /\bDeno\./.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""))) {
    offences.push({ file, message: "the kernel is pure: it may not use Deno.*" });
  }
  for (const target of targets) {
    const targetUnit = unitOf(target);
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
    } else if (target.endsWith("_command.ts") && unit !== "src/commands.ts") {
      offences.push({ file, message: `imports another feature's command: ${target}` });
    }
  }
  return offences;
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
    console.error(`${relative(Deno.cwd(), join(root, offence.file))}: ${offence.message}`);
  }
  if (offences.length > 0) {
    console.error(`The layer check found ${offences.length} offence(s); see docs/architecture.md.`);
    Deno.exit(1);
  }
  console.log("Layers: every import runs downward, no circles.");
}
