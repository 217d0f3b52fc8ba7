import { assertEquals } from "../../../tests/assert.ts";
import { commitIdentity } from "./identity.ts";

const config = (entries: Record<string, string>) => new Map(Object.entries(entries));
const author = (vars: Record<string, string>, values: Record<string, string> = {}) => {
  const { author, anonymous, env } = commitIdentity(vars, config(values));
  return { who: `${author.name} <${author.email}>`, anonymous, env };
};

Deno.test("commitIdentity: git's environment first, then author.*, then user.*", () => {
  const env = {
    GIT_AUTHOR_NAME: "Alice",
    GIT_AUTHOR_EMAIL: "alice@example.com",
    GIT_COMMITTER_NAME: "Alice",
    GIT_COMMITTER_EMAIL: "alice@example.com",
  };
  assertEquals(author(env), { who: "Alice <alice@example.com>", anonymous: false, env });
  const user = { "user.name": "Bob", "user.email": "bob@example.com" };
  assertEquals(author(env, user).who, "Alice <alice@example.com>");
  assertEquals(author({}, user).who, "Bob <bob@example.com>");
  assertEquals(author({}, { ...user, "author.email": "b@work" }).who, "Bob <b@work>");
  assertEquals(author({ EMAIL: "me@home" }, { "user.name": "Me" }).who, "Me <me@home>");
  assertEquals(author({ GIT_AUTHOR_NAME: "Carol" }, user).who, "Carol <bob@example.com>");
});

Deno.test("commitIdentity: without a name and an email, the whole commit is mpm's stand-in", () => {
  const standIn = {
    GIT_AUTHOR_NAME: "mpm",
    GIT_AUTHOR_EMAIL: "mpm@localhost",
    GIT_COMMITTER_NAME: "mpm",
    GIT_COMMITTER_EMAIL: "mpm@localhost",
  };
  assertEquals(author({}), { who: "mpm <mpm@localhost>", anonymous: true, env: standIn });
  // Half an identity is none: the stand-in is written whole, never mixed with it.
  assertEquals(author({ GIT_AUTHOR_NAME: "Alice" }), author({}));
  assertEquals(author({}, { "user.email": "a@x" }), author({}));
  // Empty or blank values count as not set (git would refuse an empty name).
  assertEquals(author({ GIT_AUTHOR_NAME: " ", GIT_AUTHOR_EMAIL: "" }), author({}));
});

Deno.test("commitIdentity: the committer is the author unless one of its own is given", () => {
  const user = { "user.name": "Bob", "user.email": "bob@example.com" };
  assertEquals(author({ GIT_AUTHOR_NAME: "A", GIT_AUTHOR_EMAIL: "a@x" }).env, {
    GIT_AUTHOR_NAME: "A",
    GIT_AUTHOR_EMAIL: "a@x",
    GIT_COMMITTER_NAME: "A",
    GIT_COMMITTER_EMAIL: "a@x",
  });
  assertEquals(author({ GIT_COMMITTER_NAME: "C", GIT_COMMITTER_EMAIL: "c@x" }, user).env, {
    GIT_AUTHOR_NAME: "Bob",
    GIT_AUTHOR_EMAIL: "bob@example.com",
    GIT_COMMITTER_NAME: "C",
    GIT_COMMITTER_EMAIL: "c@x",
  });
});
