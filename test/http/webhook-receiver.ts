// A real HTTP webhook receiver for tests: it verifies every delivery's Standard Webhooks signature and
// answers as told (a status, after an optional delay; or it hangs; or it redirects).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A status to answer with, or: never answer, redirect, or answer 200 and stall in the middle of the body. */
export type Answer = number | 'hang' | 'redirect' | 'stall';

export interface Receiver {
  url: string;
  /** Seq and webhook-id of every verified request, in arrival order (whatever the answer). */
  seqs: number[];
  ids: string[];
  /** Seq and webhook-id of the requests answered 2xx. */
  accepted: number[];
  acceptedIds: string[];
  secret: string;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1; `behave(n)` answers the n-th request (0-based). */
export async function receiver(behave: (n: number) => Answer = () => 200, delayMs = 0): Promise<Receiver> {
  let verifier: Webhook | null = null;
  let secret = '';
  const r = { seqs: [] as number[], ids: [] as string[], accepted: [] as number[], acceptedIds: [] as string[] };
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = verifier!.verify(body, req.headers as Record<string, string>) as { data: { event: { seq: number } } };
      const id = String(req.headers['webhook-id']);
      r.seqs.push(payload.data.event.seq);
      r.ids.push(id);
      const what = behave(n++);
      if (what === 'hang') return; // never answers
      if (what === 'stall') return void res.writeHead(200, { 'content-length': '100' }).write('{"ok":'); // never finishes
      if (what === 'redirect') return void res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
      if (what >= 200 && what < 300) {
        r.accepted.push(payload.data.event.seq);
        r.acceptedIds.push(id);
      }
      setTimeout(() => res.writeHead(what).end(), delayMs);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ...r,
    get secret() {
      return secret;
    },
    set secret(s: string) {
      secret = s;
      verifier = new Webhook(s);
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
