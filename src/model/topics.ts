// Topics: a seat (a user of a subscriber) follows one of the subscriber's saved searches and is told of
// new matching stories in the portal (notifications) and by e-mail, at once or in an hourly or daily
// digest. The engine is src/flow/topic-alerts.ts; these are its domain types and the store part it uses.

/** How a follow's e-mail alerts go out: one per story (a burst batched), or a digest each hour or day. */
export type FollowMode = 'immediate' | 'hourly' | 'daily';
export const FOLLOW_MODES: readonly FollowMode[] = ['immediate', 'hourly', 'daily'];

/** A seat following a topic (a saved search of its subscriber). */
export interface Follow {
  id: string;
  userId: string;
  subscriberId: string;
  savedSearchId: string;
  mode: FollowMode;
  /** In-portal notifications on or off (e-mail follows `mode`). */
  notify: boolean;
  /** Last log position examined for this follow: the next scan starts after it. */
  cursor: number;
  createdAt: string;
}

/** One story (at one version) an alert is about: what a notification and an e-mail need to name it. */
export interface AlertEntry {
  followId: string;
  storyId: string;
  version: number;
  seq: number;
  kind: string;
  headline: string;
  language: string;
  urgency: number;
  /** When the version was under embargo for a subscriber with embargo rights: until when. */
  embargoUntil: string | null;
  at: string;
}

/** An e-mail still to send: an entry of the durable outbox, due at `dueAt` (now for immediate follows). */
export interface PendingAlert extends AlertEntry {
  dueAt: string;
}

/** An in-portal notification of a user. */
export interface Notification {
  id: number;
  userId: string;
  followId: string;
  savedSearchId: string;
  storyId: string;
  version: number;
  headline: string;
  language: string;
  seen: boolean;
  at: string;
}

/** What one examination of the log for a follow produced, recorded with the cursor in one transaction. */
export interface FollowProgress {
  cursor: number;
  /** Notifications to record (when the follow has them on); a repeat of follow+story+version is ignored. */
  notifications: AlertEntry[];
  /** E-mails to queue; a repeat of follow+story+version is ignored. */
  pending: PendingAlert[];
}

export interface TopicStore {
  /** Follows a saved search (or changes mode and notifications of an existing follow of it by the user). */
  follow(f: { userId: string; subscriberId: string; savedSearchId: string; mode: FollowMode; notify: boolean; cursor: number }, now?: Date): Promise<Follow>;
  getFollow(id: string): Promise<Follow | null>;
  /** A user's follows, oldest first. */
  listFollows(userId: string): Promise<Follow[]>;
  /** Every follow whose cursor is before `head` (the engine's work list). */
  followsBehind(head: number): Promise<Follow[]>;
  /** Stops following: the follow, its queued e-mails and its notifications go. False when there was none. */
  unfollow(id: string): Promise<boolean>;
  /** Records a scan's notifications and queued e-mails and moves the cursor, in one durable transaction. */
  advance(followId: string, progress: FollowProgress): Promise<void>;
  /** `advance` for many follows in one transaction (one fsync for a whole pass of the engine). */
  advanceAll(progress: { followId: string; progress: FollowProgress }[]): Promise<void>;
  /** Follows with queued e-mails due at `now`. */
  followsWithDueAlerts(now: Date): Promise<string[]>;
  /** The earliest due time of any queued e-mail, null when none is queued. */
  nextAlertDue(): Promise<string | null>;
  /** A follow's queued e-mails due at `now`, in log order. */
  pendingAlerts(followId: string, now: Date): Promise<PendingAlert[]>;
  /**
   * Marks queued e-mails sent (follow+story+version). The rows stay as the dedupe record, so the same
   * version seen again (its embargo lift) is not alerted twice, until `pruneSent` removes them.
   */
  markSent(followId: string, sent: { storyId: string; version: number }[], now?: Date): Promise<void>;
  /** Moves a follow's due, unsent e-mails to a later time (the mail server failed). */
  postpone(followId: string, until: Date): Promise<void>;
  /** Forgets e-mails sent before `before` (past the log's retention nothing can repeat them). */
  pruneSent(before: Date): Promise<number>;
  /** A user's notifications, newest first. */
  notifications(userId: string, opts?: { unseenOnly?: boolean; limit?: number }): Promise<Notification[]>;
  /** Marks a user's notifications seen (only the user's own); returns how many changed. */
  markSeen(userId: string, ids: number[]): Promise<number>;
}

/** A seat as the alert engine needs it: where to write and in which language; null when unknown. */
export interface Recipient {
  email: string;
  name: string;
  /** Interface language of the seat (`en`, `ar`, `tr`). */
  language: string;
  /** A removed or disabled seat gets nothing. */
  active: boolean;
  subscriberId: string;
}

/** The port to the seats (users), injected by the composition root so the engine needs no users table. */
export interface Recipients {
  recipient(userId: string): Promise<Recipient | null>;
}

/** An e-mail, as the mailer port takes it. */
export interface MailMessage {
  to: { address: string; name: string };
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** The port to the mail server (src/server builds the SMTP one). */
export interface Mailer {
  /** Sends, or rejects when the mail server did not accept the message. */
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
