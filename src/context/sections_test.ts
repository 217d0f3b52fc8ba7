import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { NO_SESSION, type SessionFacts } from "./facts.ts";
import { initialContext, managedBlocks, SECTIONS, stamp } from "./sections.ts";
import { findBlocks, updateManaged } from "./update.ts";

const NOW = new Date("2026-11-23T04:40:59Z");
const ACTIVE: SessionFacts = {
  state: "active",
  name: "Payment Processing",
  task: "refunds",
  openTodos: ["Webhook signature failing", "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked"],
  doneTodos: 1,
  nextSteps: ["Implement refund logic", "Write integration tests"],
  partition: null,
};

Deno.test("init writes the guide's sections in order, with the session's facts", () => {
  const text = initialContext({ session: ACTIVE, branch: "feature/pay", now: NOW });
  const headings = text.split("\n").filter((l) => l.startsWith("## ")).map((l) => l.slice(3));
  assertEquals(headings, [...SECTIONS]);
  assertStringIncludes(text, "Feature: Payment Processing\nTask: refunds\n");
  assertStringIncludes(text, "Status: active (1 of 3 todos done)\nBranch: feature/pay\n");
  assertStringIncludes(text, "Last updated: 2026-11-23 04:40 UTC");
  assertStringIncludes(text, "## Known Issues\n- [ ] Webhook signature failing\n");
  assertStringIncludes(
    text,
    "Continue with:\n1. Implement refund logic\n2. Write integration tests\n",
  );
  assertEquals(findBlocks(text).map((b) => b.name), ["status", "next-session"]);
  assert(!text.includes("ghp_abcdefghij"), "secrets are redacted");
});

Deno.test("init's file is already what update would make of it", () => {
  const facts = { session: ACTIVE, branch: "main", now: NOW };
  const text = initialContext(facts);
  assertEquals(updateManaged(text, managedBlocks(facts)), text);
});

Deno.test("no session: the status says how to start one, and nothing is invented", () => {
  const text = initialContext({ session: NO_SESSION, branch: null, now: NOW });
  assertStringIncludes(text, "Status: no mpm session");
  assertStringIncludes(text, "Branch: (none");
  assertStringIncludes(text, "no next steps recorded yet");
  assert(!text.includes("Feature:"));
  assertEquals(stamp(NOW), "2026-11-23 04:40 UTC");
});
