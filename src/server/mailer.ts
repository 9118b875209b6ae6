// The SMTP mailer: the Mailer port over nodemailer, loaded on the first mail (it is not small, and an idle
// server must stay small). The URL carries the account (smtp://user:pass@host:587, smtps:// for TLS from
// the start); nodemailer upgrades smtp:// with STARTTLS when the server offers it.
import type { Mailer, MailMessage } from '../model/topics.ts';

export function smtpMailer(url: string, from: string): Mailer {
  type Transport = { sendMail(m: object): Promise<unknown>; close(): void };
  let transport: Promise<Transport> | null = null;
  const get = () =>
    (transport ??= import('nodemailer').then((m) =>
      // Short timeouts: a dead mail server fails the send, which the engine retries later.
      m.default.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
    ));
  return {
    async send(message: MailMessage) {
      const t = await get();
      await t.sendMail({
        from,
        to: { name: message.to.name, address: message.to.address },
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
      });
    },
    async close() {
      if (transport) (await transport).close();
    },
  };
}
