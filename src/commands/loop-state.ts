/**
 * The loop-state commands (status, history, milestone, escalate, handoff, learnings,
 * domain), one module each; the CLI imports them from here.
 */
export { statusCommand } from "./loop-state-status.ts";
export { historyCommand } from "./loop-state-history.ts";
export { milestoneCommand } from "./loop-state-milestone.ts";
export { escalateCommand } from "./loop-state-escalate.ts";
export { handoffCommand } from "./loop-state-handoff.ts";
export { learningsCommand } from "./loop-state-learnings.ts";
export { domainCommand } from "./loop-state-domain.ts";
export { targetCommand } from "./loop-state-target.ts";
