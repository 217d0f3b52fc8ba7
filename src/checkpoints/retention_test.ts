import { assertEquals } from "../../tests/assert.ts";
import {
  type AutoCheckpointFacts,
  autoCheckpointsToDrop,
  isAutoCheckpointName,
} from "./retention.ts";

function auto(name: string, savedAt: string, extra: Partial<AutoCheckpointFacts> = {}) {
  return { name, sealedHere: true, auto: true, savedAt, arrived: null, ...extra };
}

Deno.test("isAutoCheckpointName: PreCompact's names only", () => {
  for (const name of ["auto-20251020-143022", "auto-20251020-143022-2"]) {
    assertEquals(isAutoCheckpointName(name), true, name);
  }
  for (
    const name of ["before-refactor", "auto-2025", "auto-20251020-143022x", "xauto-20251020-143022"]
  ) {
    assertEquals(isAutoCheckpointName(name), false, name);
  }
});

Deno.test("this machine's newest automatic checkpoints stay, the one just saved among them", () => {
  const own = [
    auto("auto-20251020-100000", "2025-10-20T10:00:00Z"),
    auto("auto-20251020-110000", "2025-10-20T11:00:00Z"),
    auto("auto-20251020-120000", "2025-10-20T12:00:00Z"),
  ];
  const rule = { keep: 3, saved: "auto-20251020-130000" };
  const saved = auto("auto-20251020-130000", "2025-10-20T13:00:00Z");
  assertEquals(autoCheckpointsToDrop([...own, saved], rule), ["auto-20251020-100000"]);
  assertEquals(autoCheckpointsToDrop([...own, saved], { ...rule, keep: 1 }), [
    "auto-20251020-120000",
    "auto-20251020-110000",
    "auto-20251020-100000",
  ]);
});

Deno.test("a teammate's or forged (unsealed), a named or an unmarked checkpoint is never counted", () => {
  const own = auto("auto-20251020-100000", "2025-10-20T10:00:00Z");
  const others = [
    ...Array.from(
      { length: 30 },
      (_, i) =>
        auto(`auto-20991231-0000${String(i).padStart(2, "0")}`, "2099-12-31T00:00:00Z", {
          sealedHere: false,
        }),
    ),
    auto("auto-20991231-235958", "2099-12-31T23:59:58Z", { auto: false }),
    auto("before-refactor", "2099-12-31T23:59:57Z"),
  ];
  const rule = { keep: 1, saved: "auto-20251020-110000" };
  assertEquals(autoCheckpointsToDrop([own, ...others], rule), ["auto-20251020-100000"]);
  assertEquals(autoCheckpointsToDrop([own, ...others], { ...rule, keep: 2 }), []);
});

Deno.test("a date later than the file's arrival counts as its arrival", () => {
  const forged = auto("auto-20991231-000000", "2099-12-31T00:00:00Z", {
    arrived: new Date("2025-10-20T09:00:00Z"),
  });
  const own = auto("auto-20251020-100000", "2025-10-20T10:00:00Z", {
    arrived: new Date("2025-10-20T10:00:00Z"),
  });
  const rule = { keep: 2, saved: "auto-20251020-110000" };
  assertEquals(autoCheckpointsToDrop([forged, own], rule), ["auto-20991231-000000"]);
});

Deno.test("two saved in one millisecond: the higher suffix is the newer", () => {
  const at = "2025-10-20T14:30:22.000Z";
  const names = ["auto-20251020-143022", "auto-20251020-143022-10", "auto-20251020-143022-2"];
  const rule = { keep: 2, saved: "auto-20251020-143022-11" };
  assertEquals(autoCheckpointsToDrop(names.map((n) => auto(n, at)), rule), [
    "auto-20251020-143022-2",
    "auto-20251020-143022",
  ]);
});
