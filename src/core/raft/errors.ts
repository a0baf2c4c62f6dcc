/**
 * The one error type of the Raft core. Callers branch on `code`; the message
 * is for people and reads "Cannot <verb> <thing>: <reason>".
 */

export type RaftErrorCode =
  | 'PROPOSAL_DROPPED'
  | 'UNCOMMITTED_LIMIT'
  | 'CONF_CHANGE_PENDING'
  | 'INVALID_CONF_CHANGE'
  | 'COMPACTED'
  | 'UNAVAILABLE'
  | 'SNAPSHOT_OUT_OF_DATE'
  | 'SNAPSHOT_UNAVAILABLE'
  | 'INVALID_CONFIG'
  | 'INVALID_STEP'
  | 'DECODE'
  | 'CORRUPT_LOG';

export class RaftError extends Error {
  readonly code: RaftErrorCode;

  constructor(code: RaftErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RaftError';
    this.code = code;
  }
}

export function isRaftError(err: unknown, code?: RaftErrorCode): err is RaftError {
  return err instanceof RaftError && (code === undefined || err.code === code);
}
