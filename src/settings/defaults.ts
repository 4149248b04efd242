/**
 * The default of every option, in one place: the option schemas and the engines apply
 * these values and `xloop --help` prints them, so the two cannot disagree. A leaf
 * module, imported by the command line at start-up.
 */
export const defaults = {
  /** bench: sampling time per target, s. */
  timeS: 1,
  /** bench: sessions of fresh workers. */
  rounds: 10,
  /** bench: fresh workers per target per session. */
  workers: 1,
  /** ab: fresh worker pairs per session. */
  abWorkers: 2,
  /** A target silent this long is terminated, ms. */
  timeoutMs: 10_000,
  /** bench --domain memory|async: a measuring process still running after this long is terminated, ms. */
  domainTimeoutMs: 30_000,
  /** Resident memory over which a target is terminated, MiB. */
  maxMemoryMib: 4096,
  /** Warm-up budget per worker and copy, ms. */
  warmupMs: 300,
  /** Shortest timed batch, µs. */
  sliceUs: 1000,
  /** Unless --slice is given, a batch is lengthened up to this, µs, to make `slicePasses` passes over the cases (src/measure/slice-length.ts). */
  maxSliceUs: 10_000,
  /** Passes over the cases a batch makes when they fit under `maxSliceUs`. */
  slicePasses: 100,
  /** ab: give up as inconclusive after this long, s. */
  maxTimeS: 30,
  /** ab: fewest fresh worker pairs before a verdict. */
  minRounds: 10,
  /** ab and noise: sampling time of one session of worker pairs, s. */
  roundTimeS: 0.1,
  /** ab: sessions after a look that left the question open sample this many times --round-time (measured reason: src/ab/run-ab.ts). */
  longRoundFactor: 4,
  /** ab: confidence of the whole sequential decision. */
  confidence: 0.99,
  /** noise: fresh worker pairs of the A/A run. */
  noisePairs: 20,
  /** compare --script: runs of the whole-process command per side. */
  compareRuns: 10,
  /** compare --script: warm-up runs per side. */
  compareWarmupRuns: 1,
  /** imports: cold processes of each kind. */
  importRuns: 20,
  /** bench and baseline: the goal for the median's 95% CI, ± this fraction of it (0: exactly --rounds). */
  precision: 0.02,
  /** bench and baseline: the most rounds a target may take at the default precision goal, in multiples of --rounds. */
  maxRoundsFactor: 4,
  /** bench: copies of each target's module per worker at the default precision goal or a looser one. */
  benchCopies: 4,
  /** bench: copies per worker for a precision goal tighter than the default. */
  benchTightCopies: 8,
  /** ab and the other measuring commands: copies of each target's module per worker. */
  copies: 1,
  /** bench --domain memory|async: fresh processes per target. */
  domainRounds: 3,
  /** bench --domain async: the concurrency levels measured. */
  asyncLevels: [1, 8, 64],
  /** ab, compare and experiment in the async domain: calls in flight, the representative level. */
  asyncConcurrency: 8,
  /** async domain: how long each level runs (bench) and each process (ab, compare, experiment), s. */
  asyncLevelS: 0.5,
  /** baseline and experiment: the domain when none is given, and a session's before any experiment. */
  domain: "cpu",
  /** oracle verify: relative tolerance of numbers (0: identical). */
  rtol: 0,
  /** oracle verify: absolute tolerance of numbers. */
  atol: 0,
  /** oracle verify: how many differences are described. */
  oracleLimit: 10,
  /** oracle: the size budget of one encoded value, bytes: generous for real outputs, small enough to keep oracle files sane. */
  oracleMaxBytes: 16 * 1024 * 1024,
  /** history: recent commits read. */
  historyCommits: 20,
  /** profile --bench: time budget per run of the bench files, s. */
  profileTimeS: 2,
  /** profile: sampling interval, µs. */
  profileIntervalUs: 1000,
  /** profile: functions under this share of self time are dropped, percent. */
  profileThresholdPercent: 1,
  /** profile: rows printed. */
  profileTop: 20,
  /** doctor: fresh worker pairs of the quick A/A run. */
  doctorPairs: 8,
} as const;

/**
 * How many times --rounds a precision goal may take unless --max-rounds says otherwise:
 * `maxRoundsFactor` at the default goal, and as many more as a tighter goal needs (a CI
 * narrows as one over the square root of the workers: ±1% takes four times ±2%'s). A
 * looser goal keeps the factor.
 */
export function maxRoundsFactorFor(precision: number): number {
  return defaults.maxRoundsFactor * Math.max(1, (defaults.precision / precision) ** 2);
}
