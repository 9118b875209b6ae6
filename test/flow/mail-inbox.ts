// A real SMTP server on loopback (the `smtp-server` package) that parses every mail it accepts with
// mailparser: what the alert tests and the portal benchmark read their e-mails from.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Inbox {
  port: number;
  /** The URL the mailer is given (with the account the server accepts). */
  url: string;
  mails: ParsedMail[];
  /** When each mail was accepted (ms since epoch), in the order of `mails`. */
  receivedAt: number[];
  /** Resolves once `n` mails are in, or rejects after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export const SMTP_USER = 'alerts';
export const SMTP_PASSWORD = 'p@ss word';

export function startInbox(port = 0): Promise<Inbox> {
  const mails: ParsedMail[] = [];
  const receivedAt: number[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    secure: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: auth.username });
      else cb(new Error('invalid user or password'));
    },
    onData(stream, session, cb) {
      if (!session.user) {
        stream.resume();
        cb(new Error('authentication required'));
        return;
      }
      simpleParser(stream).then(
        (m) => {
          mails.push(m);
          receivedAt.push(Date.now());
          for (const w of waiters) w();
          cb();
        },
        (e) => cb(e),
      );
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const p = (server.server.address() as { port: number }).port;
      resolve({
        port: p,
        url: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${p}`,
        mails,
        receivedAt,
        waitFor(n, timeoutMs = 5000) {
          if (mails.length >= n) return Promise.resolve(mails.slice());
          return new Promise((res, rej) => {
            const check = () => {
              if (mails.length >= n) {
                waiters.delete(check);
                clearTimeout(timer);
                res(mails.slice());
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              rej(new Error(`expected ${n} mails within ${timeoutMs} ms, got ${mails.length}`));
            }, timeoutMs);
            waiters.add(check);
          });
        },
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
