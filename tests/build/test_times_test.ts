import { assertEquals } from "../assert.ts";
import { junitCases, timingLines } from "../../scripts/test_times.ts";

const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="deno test" tests="5" failures="1" errors="0" time="9.000">
    <testsuite name="./tests/a_test.ts" tests="3" disabled="0" errors="0" failures="1">
        <testcase name="one &gt; two &amp; &quot;three&quot;" classname="./tests/a_test.ts" time="4.000" line="1" col="6">
        </testcase>
        <testcase name="one &gt; two &amp; &quot;three&quot; &gt; a step" classname="./tests/a_test.ts" time="3.500" line="2" col="6">
        </testcase>
        <testcase name="fails" classname="./tests/a_test.ts" time="0.500" line="3" col="6">
            <failure message="Uncaught Error">Error: no</failure>
        </testcase>
    </testsuite>
    <testsuite name="./tests/helper.ts" tests="1" disabled="0" errors="0" failures="0">
        <testcase name="fails &gt; declared in a helper" classname="./tests/helper.ts" time="0.400" line="9" col="6">
        </testcase>
    </testsuite>
    <testsuite name="file:///home/dana/mpm/src/b%20c_test.ts" tests="2" disabled="0" errors="0" failures="0">
        <testcase name="quick" classname="file:///home/dana/mpm/src/b%20c_test.ts" time="0.001" line="1" col="6">
        </testcase>
        <testcase name="ignored" classname="file:///home/dana/mpm/src/b%20c_test.ts" time="0.000" line="2" col="6">
            <skipped />
        </testcase>
    </testsuite>
</testsuites>`;

Deno.test("junitCases reads each case's file, name, time and outcome, and tells steps wherever declared", () => {
  const cases = junitCases(REPORT, "/home/dana/mpm");
  assertEquals(cases.map((c) => [c.file, c.name, c.seconds, c.failed, c.skipped, c.step]), [
    ["tests/a_test.ts", 'one > two & "three"', 4, false, false, false],
    ["tests/a_test.ts", 'one > two & "three" > a step', 3.5, false, false, true],
    ["tests/a_test.ts", "fails", 0.5, true, false, false],
    ["tests/helper.ts", "fails > declared in a helper", 0.4, false, false, true],
    ["src/b c_test.ts", "quick", 0.001, false, false, false],
    ["src/b c_test.ts", "ignored", 0, false, true, false],
  ]);
});

Deno.test("timingLines sums each module's tests, steps once, and names the slowest tests", () => {
  const cases = junitCases(REPORT, "/home/dana/mpm");
  const lines = timingLines(cases, new Map([["src/b c_test.ts", "group 1 (1 files)"]]));
  assertEquals(lines, [
    "",
    "== time per test module (its tests run one after another)",
    "tests/a_test.ts       4.5 s  2 tests",
    "group 1 (1 files)     0.0 s  2 tests",
    "",
    "== the ten slowest tests",
    '   4.0 s  tests/a_test.ts: one > two & "three"',
    "   0.5 s  tests/a_test.ts: fails",
    "   0.0 s  src/b c_test.ts: quick",
    "   0.0 s  src/b c_test.ts: ignored",
  ]);
});
