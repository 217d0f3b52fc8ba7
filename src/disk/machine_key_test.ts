import { assert, assertEquals, assertStringIncludes } from "../../tests/assert.ts";
import { tempDir } from "../../tests/helpers.ts";
import {
  ensureMachineKey,
  machineKeyFile,
  unsealedWarning,
  useMachineKeyFrom,
} from "./machine_key.ts";

Deno.test("a relative XDG_STATE_HOME is ignored for HOME's; a relative HOME is no home", () => {
  try {
    useMachineKeyFrom({ XDG_STATE_HOME: "state", HOME: "/h" });
    assertEquals(machineKeyFile(), "/h/.local/state/mpm/machine.json");
    useMachineKeyFrom({ XDG_STATE_HOME: "/s", HOME: "relhome" });
    assertEquals(machineKeyFile(), "/s/mpm/machine.json");
    useMachineKeyFrom({ HOME: "relhome" });
    assertEquals(machineKeyFile(), null);
    useMachineKeyFrom({ XDG_STATE_HOME: "./state" }, "relhome");
    assertEquals(machineKeyFile(), null);
  } finally {
    useMachineKeyFrom({});
  }
});

Deno.test("the key's folder is made with a .gitignore that ignores all of it, 0600 in 0700", async () => {
  await using dir = await tempDir();
  try {
    useMachineKeyFrom({ XDG_STATE_HOME: `${dir.path}/state` });
    assert(await ensureMachineKey() !== null);
    assertEquals(unsealedWarning(), undefined);
    const folder = `${dir.path}/state/mpm`;
    assertEquals(await Deno.readTextFile(`${folder}/.gitignore`), "*\n");
    if (Deno.build.os !== "windows") {
      assertEquals((await Deno.stat(`${folder}/.gitignore`)).mode! & 0o777, 0o600);
      assertEquals((await Deno.stat(folder)).mode! & 0o777, 0o700);
    }
  } finally {
    useMachineKeyFrom({});
  }
});

Deno.test("a .gitignore of the person's own in the key's folder is kept", async () => {
  await using dir = await tempDir();
  const folder = `${dir.path}/state/mpm`;
  await Deno.mkdir(folder, { recursive: true });
  await Deno.writeTextFile(`${folder}/.gitignore`, "machine.json\n");
  try {
    useMachineKeyFrom({ XDG_STATE_HOME: `${dir.path}/state` });
    assert(await ensureMachineKey() !== null);
    assertEquals(await Deno.readTextFile(`${folder}/.gitignore`), "machine.json\n");
  } finally {
    useMachineKeyFrom({});
  }
});

Deno.test("a key that cannot be made is told, with why and what to do; none sought, nothing", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/state`, "a file where a folder should be");
  try {
    useMachineKeyFrom({ XDG_STATE_HOME: `${dir.path}/state` });
    assertEquals(unsealedWarning(), undefined);
    assertEquals(await ensureMachineKey(), null);
    const warning = unsealedWarning()!;
    assertStringIncludes(warning, `mpm: This machine's key cannot be made at ${dir.path}/state/`);
    assertStringIncludes(warning, "a file stands where one of its folders should be");
    assertStringIncludes(warning, "set XDG_STATE_HOME");
    useMachineKeyFrom({ HOME: "relhome" });
    assertStringIncludes(unsealedWarning()!, "There is no home folder for this machine's key");
  } finally {
    useMachineKeyFrom({});
  }
});
