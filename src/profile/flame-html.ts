/**
 * A self-contained HTML icicle view of a profile: the merged call tree drawn top-down,
 * each function as wide as its share of the busy time, the project's code coloured
 * apart from dependencies and the runtime, with the ranked list above it. No script,
 * no network: it opens from disk anywhere. Pure.
 */
import type { TreeNode } from "./call-tree.ts";
import { displayPath, originOf } from "./location.ts";
import type { RankedFunction } from "./rank.ts";

/** What the page shows. */
export interface FlameInput {
  title: string;
  /** One line under the title: the command, commit, date. */
  subtitle: string;
  tree: TreeNode;
  ranked: readonly RankedFunction[];
  root: string;
}

const rowPx = 20;
/** Nodes narrower than this share of the total are left out (they would be invisible). */
const minShare = 0.002;
const maxDepth = 80;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const colours = { project: "#f28e2b", dependency: "#76b7e6", runtime: "#c9c9c9" } as const;

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The page's HTML. */
export function renderFlameHtml(input: FlameInput): string {
  const total = input.tree.totalUs;
  const boxes: string[] = [];
  let depthReached = 0;
  const draw = (node: TreeNode, left: number, depth: number): void => {
    let x = left;
    for (const child of node.children) {
      const share = total > 0 ? child.totalUs / total : 0;
      if (share < minShare || depth >= maxDepth) {
        x += share;
        continue;
      }
      depthReached = Math.max(depthReached, depth + 1);
      const origin = originOf(child.url, input.root);
      const where = child.url ? `${displayPath(child.url, input.root)}:${child.line}` : "(native)";
      const tip = `${child.name} — ${where} — ${(child.totalUs / 1000).toFixed(1)} ms total (${percent(share)}), ${(child.selfUs / 1000).toFixed(1)} ms self`;
      boxes.push(
        `<div class="f" style="left:${(x * 100).toFixed(3)}%;width:${(share * 100).toFixed(3)}%;top:${depth * rowPx}px;background:${colours[origin]}" title="${escapeHtml(tip)}">${escapeHtml(child.name)}</div>`,
      );
      draw(child, x, depth + 1);
      x += share;
    }
  };
  draw(input.tree, 0, 0);
  const rows = input.ranked
    .slice(0, 15)
    .map(
      (r) =>
        `<tr><td>${r.rank}</td><td class="n">${escapeHtml(r.name)}</td><td>${escapeHtml(r.file)}:${r.line}</td><td>${percent(r.selfShare)}</td><td>${percent(r.totalShare)}</td><td>${r.domain}</td><td>${escapeHtml(r.category ?? "")}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#24292f;background:#fff;margin:24px;}
h1{font-size:20px;margin:0 0 4px} .sub{color:#57606a;margin:0 0 16px}
table{border-collapse:collapse;margin:0 0 20px} td,th{border-bottom:1px solid #d0d7de;padding:3px 10px;text-align:left}
th{background:#f6f8fa} td.n{font-weight:600}
.legend span{display:inline-block;padding:0 8px;margin-right:8px;border-radius:3px}
.chart{position:relative;width:100%;height:${Math.max(1, depthReached) * rowPx + 4}px;margin-top:8px}
.f{position:absolute;height:${rowPx - 2}px;line-height:${rowPx - 2}px;font-size:12px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;padding:0 3px;box-sizing:border-box;border:1px solid #fff;border-radius:2px;color:#1b1f24}
</style></head><body>
<h1>${escapeHtml(input.title)}</h1>
<p class="sub">${escapeHtml(input.subtitle)}</p>
<table><tr><th>#</th><th>function</th><th>where</th><th>self</th><th>total</th><th>domain</th><th>category</th></tr>
${rows || '<tr><td colspan="7">no function of the project reached the threshold</td></tr>'}
</table>
<div class="legend"><span style="background:${colours.project}">project</span><span style="background:${colours.dependency}">dependencies</span><span style="background:${colours.runtime}">runtime</span> width = share of busy CPU time (${(total / 1000).toFixed(1)} ms); hover for figures</div>
<div class="chart">
${boxes.join("\n")}
</div>
</body></html>
`;
}
