/**
 * Planted bugs, for tests only.
 *
 * Each name breaks exactly one rule. The simulator runs with one of them
 * switched on to prove that it notices when that rule is broken. Production
 * code never passes `plants`; the option is ignored unless the set is given
 * explicitly, and RawNode refuses it unless `allowPlantedBugs` is also true.
 */
export const PLANT_NAMES = [
  /** Commit an entry from an earlier term by counting replicas (Raft paper figure 8). */
  'commit-old-term-by-counting',
  /** Grant votes without checking that the candidate's log is at least as up to date. */
  'vote-ignores-log',
  /** Put every message in the send-now list, including votes and acks that need a durable write. */
  'send-before-persist',
  /** Serve lease-based reads with no quorum check at all: no lease confirmation, no check-quorum step-down. */
  'lease-read-without-check-quorum',
  /** Never write the vote into the hard state. */
  'forget-to-persist-vote',
  /** Answer ReadIndex before the leader has committed an entry of its own term. */
  'read-index-before-term-commit',
  /** Treat floor(n/2) nodes as a majority. */
  'quorum-off-by-one',
  /** Act on messages from older terms as if they were current. */
  'accept-stale-term',
  /** Truncate the log after every append, even when a stale append matches it. */
  'truncate-on-stale-append',
  /** Let a second membership change start before the first is applied. */
  'concurrent-conf-changes',
] as const;

export type PlantName = (typeof PLANT_NAMES)[number];

export function isPlantName(s: string): s is PlantName {
  return (PLANT_NAMES as readonly string[]).includes(s);
}
