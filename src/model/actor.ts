// Who did something: a signed-in person (newsroom user or subscriber seat), an API key, or newsflow
// itself (scheduled embargo lifts, imports). Versions, log events and the audit trail record one.

export interface Actor {
  type: 'user' | 'key' | 'system';
  /** The user's or key's id; `system` for newsflow itself. */
  id: string;
  /** What a person reads in the wire monitor and the audit page: the user's name or the key's label. */
  name: string;
}

/** newsflow itself: the maintenance loop lifting embargoes, importers. */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system', name: 'newsflow' };
