// The services on one store that the server, the CLI and the routes share. They are built in one place,
// the composition root (src/server), which also owns starting and stopping them.
import type { Store } from '../model/store.ts';
import type { Admin } from './admin.ts';
import type { Deliveries } from './deliveries.ts';
import type { Hub } from './hub.ts';
import type { KeyRing } from './keys.ts';
import type { MediaDesk } from './media.ts';
import type { Newsroom } from './newsroom.ts';

export interface Runtime {
  /** The public address of this server, used in links and IPTC URIs (NEWSFLOW_BASE_URL). */
  baseUrl: string;
  store: Store;
  hub: Hub;
  keys: KeyRing;
  newsroom: Newsroom;
  /** What reached whom: the one per-subscriber reading of the log every channel shares. */
  deliveries: Deliveries;
  /** The admin acts (products, subscribers, keys, webhooks), each recorded in the audit trail. */
  admin: Admin;
  /** Photos and media files: ingest, renditions (workers started by the server), downloads. */
  media: MediaDesk;
  close(): Promise<void>;
}
