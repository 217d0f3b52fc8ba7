/** What the bench scripts share: the row they print, a median timer, and generated repositories. */
import { join } from "node:path";

const RUNS = Number(Deno.env.get("MPM_BENCH_RUNS") ?? 7);

export interface Row {
  name: string;
  ms: number;
  baseline?: { name: string; ms: number };
  budget?: string;
}

export async function median(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await fn(); // warm-up: module caches, git's own caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function sh(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("git", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (out.code !== 0) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A repository with `files` committed files spread over folders, and a few dirty ones. */
export async function makeRepo(files: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `mpm-bench-${files}-` });
  await sh(dir, "init", "-q", "-b", "main");
  await sh(dir, "config", "user.name", "Bench");
  await sh(dir, "config", "user.email", "bench@example.com");
  for (let i = 0; i < files; i++) {
    const folder = join(dir, `src/m${Math.floor(i / 100)}`);
    if (i % 100 === 0) await Deno.mkdir(folder, { recursive: true });
    await Deno.writeTextFile(join(folder, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  await sh(dir, "add", "-A");
  await sh(dir, "commit", "-q", "-m", "Generated");
  await Deno.writeTextFile(join(dir, "src/m0/f0.ts"), "changed\n");
  await Deno.writeTextFile(join(dir, "new.txt"), "untracked\n");
  return dir;
}
