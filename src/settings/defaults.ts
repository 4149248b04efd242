/**
 * The default of every measuring option, in one place: the option schemas validate
 * with these values and `xloop --help` prints them, so the two cannot disagree.
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
  /** Resident memory over which a target is terminated, MiB. */
  maxMemoryMib: 4096,
  /** Warm-up budget per worker and copy, ms. */
  warmupMs: 300,
  /** Length of one timed batch, µs. */
  sliceUs: 1000,
  /** ab: give up as inconclusive after this long, s. */
  maxTimeS: 30,
  /** ab: fewest fresh worker pairs before a verdict. */
  minRounds: 10,
  /** ab and noise: sampling time of one session of worker pairs, s. */
  roundTimeS: 0.1,
  /** ab: confidence of the whole sequential decision. */
  confidence: 0.99,
  /** noise: fresh worker pairs of the A/A run. */
  noisePairs: 20,
  /** imports: cold processes of each kind. */
  importRuns: 20,
} as const;
