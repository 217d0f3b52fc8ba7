/**
 * Whose the commits `mpm sync push` makes are, decided once: as git decides a commit's author
 * and committer (its environment first, then `author.*`/`committer.*`, then `user.*`, and EMAIL
 * for an email), then handed to git whole, so what the push says and what the commit carries
 * cannot differ. Git's guess from the machine (the login and host name) counts as none: a
 * teammate's board could not tell whose that is, so mpm's stand-in is written instead. Pure.
 */

/** A git identity as a commit carries it. */
export interface Person {
  name: string;
  email: string;
}

/** mpm's stand-in, for a clone with no identity: work teammates' boards count as nobody's. */
export const STAND_IN: Person = { name: "mpm", email: "mpm@localhost" };

/** The config keys the decision reads (a `git config --get-regexp` pattern). */
export const IDENTITY_KEYS = "(user|author|committer)\\.(name|email)";

export interface CommitIdentity {
  /** The author the commit carries; the committer is the same person unless set apart. */
  author: Person;
  /** Whether it is mpm's stand-in: the clone has no identity of its own. */
  anonymous: boolean;
  /** The variables that make git write exactly this identity, whatever else is set. */
  env: Record<string, string>;
}

type Role = "author" | "committer";

/** The role's identity where both its name and email are given (empty counts as not given). */
function given(
  role: Role,
  vars: Readonly<Record<string, string>>,
  config: ReadonlyMap<string, string>,
): Person | null {
  const upper = role.toUpperCase();
  const first = (...values: (string | undefined)[]) =>
    values.map((v) => v?.trim()).find((v) => v) ?? null;
  const name = first(
    vars[`GIT_${upper}_NAME`],
    config.get(`${role}.name`),
    config.get("user.name"),
  );
  const email = first(
    vars[`GIT_${upper}_EMAIL`],
    config.get(`${role}.email`),
    config.get("user.email"),
    vars.EMAIL,
  );
  return name && email ? { name, email } : null;
}

/**
 * The identity of the commits a push makes, from git's environment `vars` and the repository's
 * config values (`IDENTITY_KEYS`, the last of each key): the author as given, else the stand-in.
 */
export function commitIdentity(
  vars: Readonly<Record<string, string>>,
  config: ReadonlyMap<string, string>,
): CommitIdentity {
  const author = given("author", vars, config);
  const committer = author && (given("committer", vars, config) ?? author);
  const [a, c] = author && committer ? [author, committer] : [STAND_IN, STAND_IN];
  return {
    author: a,
    anonymous: author === null,
    env: {
      GIT_AUTHOR_NAME: a.name,
      GIT_AUTHOR_EMAIL: a.email,
      GIT_COMMITTER_NAME: c.name,
      GIT_COMMITTER_EMAIL: c.email,
    },
  };
}
