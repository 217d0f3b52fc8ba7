/**
 * A handoff taken up: Alice hands her work to Bob and pushes; Bob pulls, resumes it and goes on
 * (pauses, or finishes it with `mpm done`), and pushes. From then on no board lists the handoff
 * as waiting — Bob's, Alice's, or a third clone's — and once Bob finished the work, his plain
 * `mpm resume` does not take Alice's handoff snapshot up again. Each person has a clone, a HOME
 * (a machine key) and a git identity of their own.
 */
import { join } from "node:path";
import { assertEquals, assertNotIncludes, assertStringIncludes } from "../assert.ts";
import { configureRepo, git, mpm, type Repo, repoAt, withClones } from "../helpers.ts";

interface Person {
  repo: Repo;
  name: string;
  email: string;
}

function run(who: Person, ...args: string[]) {
  return mpm(args, {
    cwd: who.repo.path,
    env: {
      HOME: who.repo.home,
      GIT_AUTHOR_NAME: who.name,
      GIT_AUTHOR_EMAIL: who.email,
      GIT_COMMITTER_NAME: who.name,
      GIT_COMMITTER_EMAIL: who.email,
    },
  });
}

async function ok(who: Person, ...args: string[]): Promise<string> {
  const result = await run(who, ...args);
  assertEquals(result.code, 0, `mpm ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

async function handoffsOn(who: Person): Promise<unknown[]> {
  return JSON.parse(await ok(who, "board", "--json")).handoffs;
}

/**
 * Alice's work on Invoices, one todo open, handed to Bob and pushed; Bob pulls and resumes it.
 * The handoff's snapshot id.
 */
async function handedToBob(alice: Person, bob: Person): Promise<string> {
  await ok(alice, "start", "Invoices");
  await alice.repo.write("README.md", "# demo\ninvoices\n");
  await ok(alice, "todo", "add", "write tests");
  await ok(alice, "pause", "--no-prune-worktrees", "-s", "invoices half done");
  const { snapshot } = JSON.parse(
    await ok(alice, "handoff", "0", "--to", "bob@example.com", "--json"),
  );
  await ok(alice, "sync", "push");
  await ok(bob, "sync", "pull");
  assertEquals((await handoffsOn(bob)).length, 1);
  await ok(bob, "resume", "0", "--no-changes", "--from-teammate");
  return snapshot;
}

Deno.test("a handoff finished by its recipient: no board lists it, a plain resume passes it over", async (t) => {
  await using clones = await withClones();
  const alice = { repo: clones.a, name: "Alice", email: "alice@example.com" };
  const bob = { repo: clones.b, name: "Bob", email: "bob@example.com" };
  const carol = {
    repo: await thirdClone(clones.remote),
    name: "Carol",
    email: "carol@example.com",
  };
  const handoff = await handedToBob(alice, bob);

  await t.step("Bob resumed it: his board no longer lists it as waiting", async () => {
    assertEquals(await handoffsOn(bob), []);
  });

  await t.step("Bob finishes it: his plain resume finds nothing open", async () => {
    await ok(bob, "todo", "done", "1");
    await ok(bob, "done", "-s", "Invoices shipped");
    await ok(bob, "sync", "push");
    const resumed = await run(bob, "resume", "--no-changes");
    assertEquals(resumed.code, 3, resumed.stdout);
    assertStringIncludes(resumed.stderr, "completed or cancelled");
    assertNotIncludes(resumed.stdout, "Invoices is active again");
    assertEquals(await handoffsOn(bob), []);
  });

  await t.step("a third clone and Alice pull: neither lists it as waiting", async () => {
    await ok(carol, "sync", "pull");
    assertEquals(await handoffsOn(carol), []);
    await ok(alice, "sync", "pull");
    assertEquals(await handoffsOn(alice), []);
  });

  await t.step(
    "Alice goes on with it after Bob's done: Bob's plain resume names her newer work",
    async () => {
      await ok(alice, "resume", handoff, "--no-changes");
      await ok(alice, "pause", "--no-prune-worktrees", "-s", "one more invoice format");
      await ok(alice, "sync", "push");
      await ok(bob, "sync", "pull");
      const plain = await run(bob, "resume", "--no-changes");
      assertEquals(plain.code, 3, plain.stderr);
      assertStringIncludes(plain.stderr, "--from-teammate");
      const resumed = JSON.parse(
        await ok(bob, "resume", "--json", "--no-changes", "--from-teammate"),
      );
      assertEquals(resumed.session.conversation.summary, "one more invoice format");
    },
  );
});

Deno.test("a handoff its recipient paused on is taken up: after a pull no board lists it", async () => {
  await using clones = await withClones();
  const alice = { repo: clones.a, name: "Alice", email: "alice@example.com" };
  const bob = { repo: clones.b, name: "Bob", email: "bob@example.com" };
  await handedToBob(alice, bob);
  await ok(bob, "pause", "--no-prune-worktrees", "-s", "tests half written");
  await ok(bob, "sync", "push");
  assertEquals(await handoffsOn(bob), []);
  await ok(alice, "sync", "pull");
  assertEquals(await handoffsOn(alice), []);
  // Bob's own pause is what his plain resume takes up, not Alice's handoff under it.
  const resumed = JSON.parse(await ok(bob, "resume", "--json", "--no-changes"));
  assertEquals(resumed.session.conversation.summary, "tests half written");
});

/** A third clone of the remote, beside the other two, with a HOME of its own. */
async function thirdClone(remote: string): Promise<Repo> {
  const dir = join(remote, "..");
  const carol = repoAt(join(dir, "c"), join(dir, "home-c"), () => Promise.resolve());
  await Deno.mkdir(carol.home, { recursive: true });
  await git(dir, "clone", "-q", remote, carol.path);
  await configureRepo(carol.path, "Carol", "carol@example.com");
  return carol;
}
