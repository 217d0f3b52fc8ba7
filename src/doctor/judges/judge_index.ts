/** `mpm doctor` on the search index: never a failure, as search answers from the files. Pure. */
import type { IndexHealth } from "../../index/db.ts";
import type { Check } from "./judge.ts";

const WHY = {
  damaged: "it is damaged",
  schema: "another mpm version made it",
  locked: "another mpm held it too long",
  unwritable: "its folder cannot be written",
  unavailable: "this machine has no key for mpm",
};

export function indexCheck(health: IndexHealth): Check {
  if (health.state === "none") {
    return {
      id: "search-index",
      status: "info",
      message: "Search index: none yet; the next mpm search builds it from the vault.",
    };
  }
  if (health.state === "ok") {
    return { id: "search-index", status: "ok", message: "Search index: readable, this mpm's." };
  }
  return {
    id: "search-index",
    status: "warn",
    message: `Search index: ${WHY[health.why]}; mpm search reads the files until it is built ` +
      "again.",
    fix: "mpm index --rebuild",
  };
}
