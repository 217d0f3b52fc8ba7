import { assertEquals } from "../../../tests/assert.ts";
import { doorCall } from "./sync_door.ts";
import { pickRemote, plainBranch } from "./stamps.ts";

Deno.test("the door takes push, pull or status, one remote and --json, in any order, and nothing else", () => {
  assertEquals(doorCall(["pull"]), { op: "pull", named: "", json: false });
  assertEquals(doorCall(["status", "--json"]), { op: "status", named: "", json: true });
  assertEquals(doorCall(["push", "--json", "upstream"]), {
    op: "push",
    named: "upstream",
    json: true,
  });
  for (
    const args of [
      [],
      ["board"],
      ["pull", "--dry-run"],
      ["status", "--verbose"],
      ["pull", "--json", "--json"],
      ["push", "a", "b"],
      ["push", "--help"],
      ["pull", "-h"],
      ["pull", ""],
      ["pull", "--color=never"],
    ]
  ) {
    assertEquals(doorCall(args), undefined, args.join(" "));
  }
});

Deno.test("the remote is the one named, else the branch's upstream, else origin; never an option", () => {
  const remotes = ["origin", "upstream", "-x"];
  assertEquals(pickRemote(remotes, undefined, undefined), "origin");
  assertEquals(pickRemote(remotes, "upstream", undefined), "upstream");
  assertEquals(pickRemote(remotes, "gone", undefined), "origin");
  assertEquals(pickRemote(remotes, "upstream", "origin"), "origin");
  assertEquals(pickRemote(remotes, undefined, "-x"), undefined);
  assertEquals(pickRemote(["upstream"], undefined, undefined), undefined);
});

Deno.test("HEAD's branch when its file names it plainly; detached is none; else unknown", () => {
  assertEquals(plainBranch("ref: refs/heads/main\n"), "main");
  assertEquals(plainBranch("ref: refs/heads/feature/x"), "feature/x");
  assertEquals(plainBranch(`${"a".repeat(40)}\n`), "");
  assertEquals(plainBranch("ref: refs/heads/.invalid\n"), undefined);
  assertEquals(plainBranch("ref: refs/remotes/origin/main\n"), undefined);
  assertEquals(plainBranch(undefined), undefined);
});
