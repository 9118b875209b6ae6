// The alert e-mails: one story, a burst of stories, or a digest, as text and HTML. Headlines and topic
// names are the subscriber's and the newsroom's text, so everything is escaped; each headline carries its
// own language and direction (an Arabic headline reads right to left in an English mail), and the mail's
// own words are in the seat's interface language.
import { directionOf, URGENCY_NAMES } from '../model/story.ts';
import type { FollowMode, MailMessage, PendingAlert, Recipient } from '../model/topics.ts';

type Words = {
  dir: 'ltr' | 'rtl';
  newStory: (topic: string) => string;
  newStories: (n: number, topic: string) => string;
  digest: (mode: FollowMode, n: number, topic: string) => string;
  read: string;
  manage: string;
  why: (topic: string) => string;
  embargo: (until: string) => string;
  urgency: Record<string, string>;
};

const WORDS: Record<'en' | 'ar' | 'tr', Words> = {
  en: {
    dir: 'ltr',
    newStory: (t) => `New story on your topic “${t}”`,
    newStories: (n, t) => `${n} new stories on your topic “${t}”`,
    digest: (m, n, t) => `${m === 'daily' ? 'Daily' : 'Hourly'} digest: ${n} ${n === 1 ? 'story' : 'stories'} on “${t}”`,
    read: 'Read in the portal',
    manage: 'Manage your topics and alerts, or unsubscribe',
    why: (t) => `You receive this because you follow the topic “${t}”.`,
    embargo: (u) => `Embargoed until ${u}`,
    urgency: { flash: 'Flash', urgent: 'Urgent' },
  },
  ar: {
    dir: 'rtl',
    newStory: (t) => `خبر جديد في موضوعك «${t}»`,
    newStories: (n, t) => `${n} أخبار جديدة في موضوعك «${t}»`,
    digest: (m, n, t) => `${m === 'daily' ? 'الملخص اليومي' : 'ملخص الساعة'}: ${n} من الأخبار في «${t}»`,
    read: 'اقرأ في البوابة',
    manage: 'إدارة مواضيعك وتنبيهاتك أو إلغاء الاشتراك',
    why: (t) => `تصلك هذه الرسالة لأنك تتابع الموضوع «${t}».`,
    embargo: (u) => `محظور النشر حتى ${u}`,
    urgency: { flash: 'عاجل جداً', urgent: 'عاجل' },
  },
  tr: {
    dir: 'ltr',
    newStory: (t) => `“${t}” konunuzda yeni haber`,
    newStories: (n, t) => `“${t}” konunuzda ${n} yeni haber`,
    digest: (m, n, t) => `${m === 'daily' ? 'Günlük' : 'Saatlik'} özet: “${t}” konusunda ${n} haber`,
    read: 'Portalda oku',
    manage: 'Konularınızı ve uyarılarınızı yönetin ya da abonelikten çıkın',
    why: (t) => `Bu iletiyi “${t}” konusunu takip ettiğiniz için alıyorsunuz.`,
    embargo: (u) => `${u} tarihine kadar ambargolu`,
    urgency: { flash: 'Flaş', urgent: 'Acil' },
  },
};

function wordsFor(language: string): Words {
  const primary = language.split('-')[0].toLowerCase();
  return primary === 'ar' || primary === 'tr' ? WORDS[primary] : WORDS.en;
}

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Untrusted text on one line: controls, bidi overrides and line breaks removed (a subject must stay one header). */
export function oneLine(text: string): string {
  return text
    .replace(BIDI_CONTROLS, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL_CHARS, '')
    .trim();
}

function esc(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** The portal's page of a story, and the page where a seat manages its topics. */
export function portalLinks(publicUrl: string, storyId?: string): { story: string; topics: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return { story: storyId ? `${base}/portal/stories/${encodeURIComponent(storyId)}` : `${base}/portal`, topics: `${base}/portal/topics` };
}

export interface AlertMailInput {
  recipient: Recipient;
  topicName: string;
  mode: FollowMode;
  /** Immediate (one story or a burst) or a digest. */
  digest: boolean;
  alerts: PendingAlert[];
  publicUrl: string;
}

/** The e-mail for a batch of alerts of one follow. */
export function composeAlertMail(input: AlertMailInput): MailMessage {
  const { recipient, topicName, alerts, publicUrl } = input;
  const w = wordsFor(recipient.language);
  const topics = portalLinks(publicUrl).topics;
  const topic = oneLine(topicName);
  let subject: string;
  if (input.digest) subject = w.digest(input.mode, alerts.length, topic);
  else if (alerts.length === 1) subject = marked(w, alerts[0]) + oneLine(alerts[0].headline);
  else subject = w.newStories(alerts.length, topic);
  const intro = input.digest ? subject : alerts.length === 1 ? w.newStory(topic) : w.newStories(alerts.length, topic);

  const textLines = [intro, ''];
  for (const a of alerts) {
    textLines.push(`${marked(w, a)}${oneLine(a.headline)}`);
    if (a.embargoUntil) textLines.push(w.embargo(a.embargoUntil));
    textLines.push(`${w.read}: ${portalLinks(publicUrl, a.storyId).story}`, '');
  }
  textLines.push('--', w.why(topic), `${w.manage}: ${topics}`, '');

  const items = alerts
    .map((a) => {
      const link = portalLinks(publicUrl, a.storyId).story;
      const lang = esc(a.language);
      const mark = marked(w, a);
      return (
        `<li style="margin:0 0 1em 0">` +
        (mark ? `<strong>${esc(mark)}</strong>` : '') +
        `<a href="${esc(link)}" lang="${lang}" dir="${directionOf(a.language)}"><bdi>${esc(a.headline)}</bdi></a>` +
        (a.embargoUntil ? `<br><em>${esc(w.embargo(a.embargoUntil))}</em>` : '') +
        `<br><a href="${esc(link)}">${esc(w.read)}</a></li>`
      );
    })
    .join('');
  const uiLang = w === WORDS.ar ? 'ar' : w === WORDS.tr ? 'tr' : 'en';
  const html =
    `<!doctype html><html lang="${uiLang}" dir="${w.dir}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>` +
    `<body><p>${esc(intro)}</p><ul style="padding:0;list-style:none">${items}</ul>` +
    `<hr><p style="font-size:small">${esc(w.why(topic))} <a href="${esc(topics)}">${esc(w.manage)}</a></p></body></html>`;

  return {
    to: { address: recipient.email, name: oneLine(recipient.name) },
    subject,
    text: textLines.join('\n'),
    html,
    headers: {
      // RFC 2369: mail clients show an "unsubscribe" button that opens the seat's topics page.
      'List-Unsubscribe': `<${topics}>`,
      'Auto-Submitted': 'auto-generated',
    },
  };
}

/** "Flash: " / "Urgent: " before a headline, in the seat's language; nothing for other urgencies. */
function marked(w: Words, a: PendingAlert): string {
  const name = URGENCY_NAMES[a.urgency];
  const word = w.urgency[name];
  return word ? `${word}: ` : '';
}
