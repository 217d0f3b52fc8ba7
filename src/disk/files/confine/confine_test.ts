import { assert, assertRejects } from "../../../../tests/assert.ts";
import { join } from "../../../kernel/path.ts";
import { confine } from "./confine.ts";

Deno.test("a path that leads outside its folder is refused for its real reason", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const root = join(dir, "root");
    const outside = join(dir, "outside");
    await Deno.mkdir(root);
    await Deno.mkdir(outside);
    await Deno.symlink(outside, join(root, "link"));
    // Outside as written: no link is to blame.
    const plain = await assertRejects(() => confine(root, join(root, "..", "outside", "f")));
    assert(/lies outside/.test(plain.message), plain.message);
    assert(!/symbolic link/.test(plain.message), plain.message);
    // Inside as written, outside once a link is followed.
    const linked = await assertRejects(() => confine(root, join(root, "link", "f")));
    assert(/through a symbolic link/.test(linked.message), linked.message);
    assert((await confine(root, join(root, "a", "b"))).endsWith(join("a", "b")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
