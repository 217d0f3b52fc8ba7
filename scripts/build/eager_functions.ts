/**
 * A bundle chunk rewritten so that V8 compiles its top-level functions with the chunk, not on
 * their first call, and Deno's code cache keeps them.
 *
 * Why: V8 compiles a function the first time it is called, and Deno's code cache holds only what
 * was compiled before the module ran, so every process compiled again every function it called:
 * most of what `mpm hook session-start` did on top of Deno's own start was compiling mpm's code
 * and zod's. V8 compiles a function expression in parentheses (`(function f(){…})`) eagerly, with
 * its module, and the cache then holds it. esbuild's minifier drops such parentheses, so they are
 * put back here, after it (docs/speed.md has the figures). A function compiled but not called
 * costs only its share of the cache to read. The compiled binary is built from these chunks
 * (build.ts) and its cache holds the same thing — what V8 compiled before each module ran — but
 * is written once, by the binary's first run, for the modules that run loaded (build.ts says
 * when).
 *
 * What changes: each top-level `function f(…){…}` becomes `f=(function f(…){…})` in one `var`
 * at the top of the chunk, so every function is defined before any other top-level code runs, as
 * a declaration was; each top-level `var x=function…`/`var x=(…)=>…` gains parentheses.
 * What a declaration has and this has not: being defined while the module waits on a cycle of
 * imports. The bundle's chunks import no cycle (bundle.ts checks), so nothing can call a chunk's
 * function before the chunk runs.
 */

/** The few ESTree fields the rewrite reads (rollup's parser gives positions in `start`/`end`). */
interface Node {
  type: string;
  start: number;
  end: number;
}

interface FunctionDeclaration extends Node {
  type: "FunctionDeclaration";
  id: { name: string } | null;
}

interface VariableDeclaration extends Node {
  type: "VariableDeclaration";
  declarations: { init: Node | null }[];
}

export interface Program {
  body: Node[];
}

const FUNCTION_VALUES = new Set(["FunctionExpression", "ArrowFunctionExpression"]);

/** The chunk's code with its top-level functions compiled eagerly (see the top of this file). */
export function eagerFunctions(code: string, program: Program): string {
  const edits: { at: number; end: number; text: string }[] = [];
  const hoisted: string[] = [];
  for (const statement of program.body) {
    if (statement.type === "FunctionDeclaration") {
      const { id } = statement as FunctionDeclaration;
      if (id === null) continue; // only `export default function(){}` has none; left as it is
      hoisted.push(`${id.name}=(${code.slice(statement.start, statement.end)})`);
      edits.push({ at: statement.start, end: statement.end, text: "" });
    } else if (statement.type === "VariableDeclaration") {
      for (const { init } of (statement as VariableDeclaration).declarations) {
        if (init === null || !FUNCTION_VALUES.has(init.type)) continue;
        edits.push({ at: init.start, end: init.start, text: "(" });
        edits.push({ at: init.end, end: init.end, text: ")" });
      }
    }
  }
  // First in the chunk: imports are bound before any of it runs, wherever they stand.
  if (hoisted.length > 0) edits.push({ at: 0, end: 0, text: `var ${hoisted.join(",")};` });
  // From the end backwards, so each edit's positions are still the original ones.
  edits.sort((a, b) => b.at - a.at || b.end - a.end);
  let out = code;
  for (const { at, end, text } of edits) out = out.slice(0, at) + text + out.slice(end);
  return out;
}

/**
 * A cycle in the chunks' static imports (`["a.js", "b.js", "a.js"]`), or null. `imports` names
 * each chunk's statically imported chunks.
 */
export function importCycle(imports: Map<string, readonly string[]>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    state.set(name, "open");
    path.push(name);
    for (const next of imports.get(name) ?? []) {
      if (state.get(next) === "open") return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(name, "done");
    return null;
  };
  for (const name of imports.keys()) {
    if (state.has(name)) continue;
    const found = visit(name);
    if (found) return found;
  }
  return null;
}
