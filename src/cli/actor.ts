// Who acts from a shell: the CLI has no signed-in user or key, so it is newsflow itself, named with the
// account that ran the command so the wire monitor and the audit trail can still tell shell acts apart.
import { userInfo } from 'node:os';
import type { Actor } from '../model/actor.ts';

/** The actor for newsroom acts and imports run from the `newsflow` command. */
export function cliActor(): Actor {
  let account = 'unknown account';
  try {
    account = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the CLI still acts, under a generic name.
  }
  return { type: 'system', id: 'cli', name: `newsflow CLI (${account})` };
}
