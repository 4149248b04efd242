import { join } from "node:path";
import { realPathOrSelf as real } from "../fs/real-path.ts";
import { changedFiles } from "../git/change.ts";
import { moduleGraph } from "../target/module-graph.ts";
import { headCommit } from "../git/repo.ts";

/**
 * Which commit a target's code is at: HEAD, and whether any file the target reaches
 * through its relative imports differs from HEAD. Unrelated dirty files (notes, the
 * loop's own state) do not make the target's code dirty. Nulls outside a repository.
 */
export async function targetCodeState(root: string, targetFile: string): Promise<{ commit: string | null; dirty: boolean | null }> {
  try {
    const commit = await headCommit(root);
    const graph = new Set([...moduleGraph(targetFile)].map(real));
    const changes = await changedFiles(root);
    const dirty = changes.some((c) => graph.has(real(join(root, c.path))));
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: null };
  }
}
