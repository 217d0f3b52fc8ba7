import { assertEquals, assertThrows } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { projectPaths } from "../../../disk/paths.ts";
import { UnsafePathError } from "../../../disk/files/confine/confine.ts";
import {
  HOOKS_STATE,
  refuseLinkedFolder,
  refuseLinkedFolders,
  storeFolder,
} from "./store_folders.ts";

/** A project with a `.claude-mpm/` folder, and a folder beside the project (outside it). */
async function project() {
  const top = await Deno.realPath(await Deno.makeTempDir({ prefix: "mpm-store-folders-" }));
  const paths = projectPaths(join(top, "project"));
  const outside = join(top, "elsewhere");
  await Deno.mkdir(paths.base, { recursive: true });
  await Deno.mkdir(outside);
  return { paths, outside, [Symbol.asyncDispose]: () => Deno.remove(top, { recursive: true }) };
}

Deno.test({
  name: "a store folder linking out of .claude-mpm is refused, one inside it is followed",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    await using p = await project();
    const { paths, outside } = p;
    // Nothing there yet, or real folders: nothing to refuse.
    refuseLinkedFolders(paths);
    await Deno.mkdir(paths.archive, { recursive: true });
    refuseLinkedFolders(paths);

    // A link to a folder inside `.claude-mpm/` is followed.
    await Deno.mkdir(join(paths.base, "kept"));
    await Deno.symlink("kept", join(paths.base, HOOKS_STATE));
    assertEquals(storeFolder(paths, HOOKS_STATE), join(paths.base, HOOKS_STATE));

    // One leading out, even into the project itself, is refused; so is one leading nowhere
    // outside, and one a level down (sessions/archive).
    for (const target of [outside, paths.root, join(outside, "not-there")]) {
      await Deno.remove(join(paths.base, HOOKS_STATE));
      await Deno.symlink(target, join(paths.base, HOOKS_STATE));
      const error = assertThrows(() => storeFolder(paths, HOOKS_STATE));
      assertEquals(error instanceof UnsafePathError, true);
      assertEquals(
        error.message,
        `Refusing to use .claude-mpm/hooks-state: it is a symbolic link to ${target}, outside ` +
          ".claude-mpm/.",
      );
      assertThrows(() => refuseLinkedFolders(paths), /\.claude-mpm\/hooks-state/);
    }
    await Deno.remove(join(paths.base, HOOKS_STATE));
    await Deno.remove(paths.archive);
    await Deno.symlink(outside, paths.archive);
    assertThrows(() => refuseLinkedFolder(paths, paths.archive), /\.claude-mpm\/sessions\/archive/);
    // The sessions folder itself is not refused for what lies in it.
    refuseLinkedFolder(paths, paths.sessions);
    // A path outside `.claude-mpm/` is not this check's.
    refuseLinkedFolder(paths, outside);
  },
});
