/**
 * What the suite's runner (scripts/run_tests.ts) tells of its time at the end, from the JUnit
 * report `deno test` writes: each test module's time and the ten slowest tests. Pure: the
 * report's text in, the lines out.
 */

/** One `<testcase>` of the report. */
export interface TestCase {
  /** The test file, relative to the project ("tests/sync/sync_test.ts"). */
  file: string;
  /** The test's name; a step's is its test's, " > ", then its own. */
  name: string;
  seconds: number;
  failed: boolean;
  skipped: boolean;
  /** A step of another test (its time is already in that test's). */
  step: boolean;
}

const ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
  "&amp;": "&",
};

function unescape(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (entity) => ENTITIES[entity]);
}

function attribute(tag: string, name: string): string {
  return unescape(new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? "");
}

/** The report's file names, relative to the project: `./tests/x_test.ts` or a file URL under it. */
function relative(file: string, root: string): string {
  const prefix = `file://${root}/`;
  if (file.startsWith(prefix)) return decodeURIComponent(file.slice(prefix.length));
  return file.replace(/^\.\//, "");
}

/** Every test case of a JUnit report, steps marked; `root` is the folder the tests ran from. */
export function junitCases(report: string, root: string): TestCase[] {
  const cases: Omit<TestCase, "step">[] = [];
  for (const match of report.matchAll(/<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const tag = match[1];
    const body = match[3] ?? "";
    const file = relative(attribute(tag, "classname"), root);
    cases.push({
      file,
      name: attribute(tag, "name"),
      seconds: Number(attribute(tag, "time")) || 0,
      failed: /<(failure|error)\b/.test(body),
      skipped: /<skipped\b/.test(body),
    });
  }
  // A step is named for its test: the test's name, " > ", its own. It may be declared in
  // another file than its test (a helper module's `t.step`), which then names it.
  const names = new Set(cases.map((c) => c.name));
  return cases.map((c) => ({ ...c, step: parents(c.name).some((name) => names.has(name)) }));
}

/** Every name a step named `name` could belong to: each part of it before a " > ". */
function parents(name: string): string[] {
  const found: string[] = [];
  for (let at = name.indexOf(" > "); at > 0; at = name.indexOf(" > ", at + 3)) {
    found.push(name.slice(0, at));
  }
  return found;
}

/**
 * The lines shown at the end of a run: each module's time (its tests run one after another in
 * it, so the sum of its tests' times is about its wall time), longest first, named by `moduleOf`
 * (a group of files, or the file), then the ten slowest tests.
 */
export function timingLines(cases: TestCase[], moduleOf: ReadonlyMap<string, string>): string[] {
  const tests = cases.filter((c) => !c.step);
  const modules = new Map<string, { seconds: number; tests: number }>();
  for (const test of tests) {
    const name = moduleOf.get(test.file) ?? test.file;
    const module = modules.get(name) ?? { seconds: 0, tests: 0 };
    module.seconds += test.seconds;
    module.tests++;
    modules.set(name, module);
  }
  const width = Math.max(0, ...[...modules.keys()].map((name) => name.length));
  const lines = ["", "== time per test module (its tests run one after another)"];
  for (const [name, module] of [...modules].sort((a, b) => b[1].seconds - a[1].seconds)) {
    lines.push(
      `${name.padEnd(width)}  ${module.seconds.toFixed(1).padStart(6)} s  ${module.tests} tests`,
    );
  }
  lines.push("", "== the ten slowest tests");
  for (const test of [...tests].sort((a, b) => b.seconds - a.seconds).slice(0, 10)) {
    lines.push(`${test.seconds.toFixed(1).padStart(6)} s  ${test.file}: ${oneLine(test.name)}`);
  }
  return lines;
}

/** A test's name on one line, at most 160 characters. */
function oneLine(name: string): string {
  const line = name.replace(/\s+/g, " ");
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
