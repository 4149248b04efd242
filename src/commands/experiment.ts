import * as v from "valibot";
import { UserError } from "../errors.ts";
import { ExitCode } from "../exit-codes.ts";
import { getDomain } from "../domains/domains.ts";
import { runExperiment } from "../experiment/run-experiment.ts";
import { DEFAULT_MAX_BYTES } from "../oracle/encode.ts";
import { parseCases, parseTarget } from "../target/parse.ts";
import { jsonSchemaVersion } from "../version.ts";
import { runHeader } from "../machine/metadata.ts";
import type { CommandContext } from "./context.ts";
import { planAb } from "../ab/plan.ts";
import { chosenOutputFormat, validateOptions } from "../settings/options.ts";
import { defaults } from "../settings/defaults.ts";
import { appendStepSummary } from "../export/step-summary.ts";
import { renderExperimentMarkdown } from "../output/experiment-report.ts";
import { runtimeLabel } from "../runtime/runtime.ts";
import { isRotationPattern, nearestPatterns } from "../domains/patterns.ts";
import { splitMessage } from "../loop/checklist.ts";
import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Domain } from "../domains/domains.ts";

/** Refuses a pattern outside the domain's rotation unless --pattern-free says it is meant. */
function checkPattern(domain: Domain, pattern: string, free: boolean): void {
  if (free || isRotationPattern(domain, pattern)) return;
  throw new UserError(
    `--pattern ${pattern}: not a ${domain.name} rotation pattern (nearest: ${nearestPatterns(domain, pattern).join(", ")}; all: xloop domain ${domain.name}); use one of them, or pass --pattern-free to record ${pattern} as given`,
  );
}

/** The checklist's answers: the --checklist file, else the message's `## Checklist` section. */
function checklistAnswers(option: unknown, fromMessage: string | undefined, cwd: string): string | undefined {
  if (option === undefined || option === true) return fromMessage;
  const file = resolve(cwd, String(option));
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`--checklist ${String(option)}: no such file; write the domain checklist's answers (xloop domain <name>) into it`);
  const text = readFileSync(file, "utf8").trim();
  if (!text) throw new UserError(`--checklist ${String(option)}: the file is empty; answer the domain checklist's questions in it`);
  return text;
}

const ExperimentOptionsSchema = v.object({
  pattern: v.pipe(v.string("--pattern names the kind of optimization, e.g. --pattern data-structure"), v.regex(/^[A-Za-z0-9][\w.-]*$/, "must be one word like data-structure (letters, digits, - _ .)")),
  message: v.pipe(v.string('-m describes the change in a few words, e.g. -m "index lines by sku"'), v.trim(), v.minLength(1, "must describe the change")),
});

/** `xloop experiment <target> --pattern <p> -m "<description>"`: exit 0 KEEP, 6 DISCARD. */
export async function experimentCommand([text]: [string?], options: Record<string, unknown>, context: CommandContext): Promise<number> {
  if (!text) throw new UserError('experiment: name the target as path#export, e.g. xloop experiment src/price.ts#total --pattern data-structure -m "index lines by sku"');
  const target = parseTarget(text, context.cwd);
  const o = validateOptions(ExperimentOptionsSchema, { pattern: options.pattern, message: options.message === undefined ? undefined : String(options.message) });
  const format = chosenOutputFormat(options, ["json", "md"] as const);
  const domain = getDomain(String(options.domain ?? defaults.domain));
  checkPattern(domain, o.pattern, Boolean(options.patternFree));
  const message = splitMessage(o.message);
  const checklist = checklistAnswers(options.checklist, message.checklist, context.cwd);
  const plan = planAb({ ...options, domain: domain.name }, context, target);
  for (const note of plan.notes) process.stderr.write(`xloop: note: ${note}\n`);
  const cases = options.args !== undefined || options.cases !== undefined ? parseCases(options as { args?: string; cases?: string }, context.cwd) : null;
  const outcome = await runExperiment({
    cwd: context.cwd,
    target,
    cases,
    pattern: o.pattern,
    description: message.description,
    body: message.body,
    checklist,
    allowTestChanges: Boolean(options.allowTestChanges),
    domain,
    ab: { ...plan.settings, stopRule: "keep" },
    capture: { maxBytes: DEFAULT_MAX_BYTES, captureStdout: false, timeoutMs: plan.settings.timeoutMs, maxMemoryMb: plan.settings.maxMemoryMb, signal: context.signal },
    hotPath: Boolean(options.hotPath),
    rework: Boolean(options.rework),
    force: Boolean(options.force),
    files: options.files === undefined ? undefined : String(options.files).split(",").map((f) => f.trim()).filter(Boolean),
    signal: context.signal,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const markdown = renderExperimentMarkdown(outcome, target.label, runtimeLabel());
  if (appendStepSummary(markdown, options, (line) => process.stderr.write(`${line}\n`))) process.stderr.write("xloop: appended the report to GITHUB_STEP_SUMMARY\n");
  if (format === "md") process.stdout.write(`${markdown}\n`);
  if (format === "json") {
    const { row, benchmark, ...rest } = outcome;
    process.stdout.write(
      `${JSON.stringify(
        {
          version: jsonSchemaVersion,
          command: "experiment",
          ...runHeader(),
          ...rest,
          row: { ...row, line: undefined },
          benchmark: benchmark && { ratio: benchmark.ratio, ci: benchmark.ci, p: benchmark.p, verdict: benchmark.verdict, threshold: benchmark.threshold, rounds: benchmark.rounds, wall_ms: benchmark.wallMs, base: benchmark.base, head: benchmark.head },
        },
        null,
        2,
      )}\n`,
    );
  }
  return outcome.decision.action === "keep" ? ExitCode.ok : ExitCode.discarded;
}
