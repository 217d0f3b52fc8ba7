/** Figures of the hooks and sync, added beside the core ones in scripts/bench.ts. */
import type { Row } from "./bench.ts";

export function extraBenches(_only?: string): Promise<Row[]> {
  return Promise.resolve([]);
}
