// E-mail alerts in the server: NEWSFLOW_SMTP_URL and NEWSFLOW_MAIL_FROM are checked at start like every
// setting (a bad value is one line naming the variable, and never echoes a password); without a mail
// server the start says once that e-mail alerts are off; with one, the composition root starts the alert
// engine and a publish reaches a real SMTP server.
import { SYSTEM_ACTOR } from '../../src/model/actor.ts';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ConfigError, configWith, readConfig } from '../../src/server/config.ts';
import { startServer } from '../../src/server/server.ts';
import { quietServerEnv, sampleContent, tempDbFile } from '../helpers.ts';
import { startInbox } from '../flow/mail-inbox.ts';

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  return { stream, text: () => out };
}

describe('mail settings', () => {
  it('reads the mail server and the sender, with defaults', () => {
    const off = readConfig({});
    assert.equal(off.smtpUrl, null);
    assert.equal(off.mailFrom, 'newsflow@localhost');
    assert.equal(readConfig({ NEWSFLOW_PUBLIC_URL: 'https://news.example.org' }).mailFrom, 'newsflow@news.example.org');
    const on = readConfig({
      NEWSFLOW_SMTP_URL: 'smtps://alerts:s%40cret@mail.example.org:465',
      NEWSFLOW_MAIL_FROM: 'Newsflow Alerts <alerts@news.example.org>',
    });
    assert.equal(on.smtpUrl, 'smtps://alerts:s%40cret@mail.example.org:465');
    assert.equal(on.mailFrom, 'Newsflow Alerts <alerts@news.example.org>');
    assert.equal(readConfig({ NEWSFLOW_SMTP_URL: 'smtp://mail.example.org' }).smtpUrl, 'smtp://mail.example.org');
  });

  it('refuses a bad NEWSFLOW_SMTP_URL or NEWSFLOW_MAIL_FROM in one line, without the password', () => {
    const cases: [Record<string, string>, string][] = [
      [{ NEWSFLOW_SMTP_URL: 'mail.example.org' }, 'NEWSFLOW_SMTP_URL'],
      [{ NEWSFLOW_SMTP_URL: 'http://user:hunter2@mail.example.org' }, 'NEWSFLOW_SMTP_URL'],
      [{ NEWSFLOW_SMTP_URL: 'smtp://:hunter2@mail.example.org' }, 'NEWSFLOW_SMTP_URL'],
      [{ NEWSFLOW_SMTP_URL: 'smtp://user:hunter2@mail.example.org:99999' }, 'NEWSFLOW_SMTP_URL'],
      [{ NEWSFLOW_SMTP_URL: 'smtp://user:hunter2%zz@mail.example.org' }, 'NEWSFLOW_SMTP_URL'],
      [{ NEWSFLOW_SMTP_URL: 'smtp://user:hunter2@mail.example.org/inbox' }, 'NEWSFLOW_SMTP_URL'],
      [{ NEWSFLOW_SMTP_URL: 'smtp://' }, 'NEWSFLOW_SMTP_URL'],
      [{ NEWSFLOW_MAIL_FROM: 'not an address' }, 'NEWSFLOW_MAIL_FROM'],
      [{ NEWSFLOW_MAIL_FROM: 'Alerts <alerts@>' }, 'NEWSFLOW_MAIL_FROM'],
      [{ NEWSFLOW_MAIL_FROM: 'a@b.org\r\nBcc: x@y.org' }, 'NEWSFLOW_MAIL_FROM'],
    ];
    for (const [env, variable] of cases) {
      assert.throws(
        () => readConfig(env),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.variable === variable &&
          e.message.startsWith(`${variable}: `) &&
          !e.message.includes('\n') &&
          !e.message.includes('hunter2'),
        JSON.stringify(env),
      );
    }
  });
});

describe('the server and alert e-mails', () => {
  it('says once at start that e-mail alerts are off without NEWSFLOW_SMTP_URL', async () => {
    const out = capture();
    const s = await startServer(configWith({ PORT: '0', HOST: '127.0.0.1', NEWSFLOW_DATA: tempDbFile(), NEWSFLOW_DEMO: '0', NEWSFLOW_QUIET: '1' }), {
      stdout: out.stream,
    });
    try {
      assert.equal(out.text().match(/e-mail alerts are off \(set NEWSFLOW_SMTP_URL to send them\)/g)?.length, 1, out.text());
      assert.equal(s.alerts.mailing, false);
    } finally {
      await s.stop();
    }
  });

  it('with NEWSFLOW_SMTP_URL, a publish reaches the seat following the topic by e-mail', async () => {
    const inbox = await startInbox();
    const out = capture();
    const s = await startServer(
      configWith(
        quietServerEnv({
          NEWSFLOW_SMTP_URL: inbox.url,
          NEWSFLOW_MAIL_FROM: 'Alerts <alerts@portal.example.org>',
          NEWSFLOW_PUBLIC_URL: 'https://portal.example.org',
        }),
      ),
      { stdout: out.stream },
      {
        recipients: {
          recipient: async (id) => (id === 'seat-1' ? { email: 'desk@paper.example', name: 'Desk', language: 'en', active: true, subscriberId } : null),
        },
      },
    );
    let subscriberId = '';
    try {
      assert.doesNotMatch(out.text(), /e-mail alerts are off/);
      const { store, newsroom } = s.rt;
      await store.subscribers.createProduct({
        name: 'all',
        languages: [],
        categories: [],
        maxUrgency: null,
        mediaTypes: [],
        embargoRights: false,
        delaySeconds: 0,
      });
      subscriberId = (await store.subscribers.createSubscriber({ name: 'Paper', products: ['all'] })).id;
      const topic = await store.savedSearches.create({ subscriberId, name: 'Water', query: 'المياه' });
      await s.alerts.follow({ userId: 'seat-1', subscriberId, savedSearchId: topic.id, mode: 'immediate', notify: true });
      const draft = await newsroom.createDraft(sampleContent(), SYSTEM_ACTOR);
      await newsroom.publish(draft.id, SYSTEM_ACTOR);
      const [mail] = await inbox.waitFor(1, 5000);
      assert.equal(mail.from?.value[0].address, 'alerts@portal.example.org');
      assert.equal(mail.subject, sampleContent().headline);
      assert.match(String(mail.html), new RegExp(`href="https://portal.example.org/portal/stories/${draft.id}"`));
    } finally {
      await s.stop();
      await inbox.close();
    }
  });
});
