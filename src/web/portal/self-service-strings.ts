// The words of the portal's topics, notifications, developers and usage pages, in the three interface
// languages (kept beside the portal's own dictionary, src/web/portal/strings.ts, so the pages can grow
// apart without touching each other's words).
import type { InterfaceLanguage } from '../../model/users.ts';

export interface SelfStrings {
  // Topics and notifications
  topicsTitle: string;
  topicsIntro: string;
  noTopics: string;
  newTopic: string;
  topicName: string;
  topicQuery: string;
  topicQueryHelp: string;
  mode: string;
  modes: { immediate: string; hourly: string; daily: string };
  notify: string;
  createTopic: string;
  follow: string;
  following: string;
  notFollowing: string;
  saveFollow: string;
  unfollow: string;
  topicLive: string;
  topicEmpty: string;
  topicNoMail: string;
  bell: (n: number) => string;
  notificationsTitle: string;
  noNotifications: string;
  markAllSeen: string;
  markSeen: string;
  unseen: string;
  // Developers
  developersTitle: string;
  keysTitle: string;
  keyName: string;
  createKey: string;
  noKeys: string;
  prefix: string;
  created: string;
  lastUsed: string;
  never: string;
  revoked: string;
  live: string;
  revoke: string;
  secretOnce: string;
  webhooksTitle: string;
  webhookUrl: string;
  webhookUrlHelp: string;
  createWebhook: string;
  noWebhooks: string;
  webhookSecretOnce: string;
  state: string;
  paused: string;
  failing: string;
  running: string;
  pause: string;
  resume: string;
  sendTest: string;
  retryNow: string;
  redeliver: string;
  remove: string;
  attempts: string;
  noAttempts: string;
  when: string;
  message: string;
  testEvent: string;
  httpStatus: string;
  latency: string;
  error: string;
  webhookDetails: string;
  formatTitle: string;
  format: string;
  formatHelp: string;
  save: string;
  saved: string;
  curlTitle: string;
  curlIntro: string;
  curlFeed: string;
  curlStream: string;
  curlKeyNote: string;
  // Usage
  usageTitle: string;
  usageIntro: string;
  from: string;
  to: string;
  show: string;
  day: string;
  channels: { portal: string; feed: string; stream: string; webhooks: string; downloads: string };
  total: string;
  downloadCsv: string;
  chartLabel: string;
}

const en: SelfStrings = {
  topicsTitle: 'Topics',
  topicsIntro: 'A topic is a saved search. Follow it to be told of new matching stories here and by e-mail.',
  noTopics: 'No topics yet.',
  newTopic: 'New topic',
  topicName: 'Name',
  topicQuery: 'Query',
  topicQueryHelp: 'The search language: words, "exact phrases", OR, -excluded, lang:ar, category:…',
  mode: 'E-mail',
  modes: { immediate: 'At once', hourly: 'Hourly digest', daily: 'Daily digest' },
  notify: 'Notifications in the portal',
  createTopic: 'Create and follow',
  follow: 'Follow',
  following: 'Following',
  notFollowing: 'Not followed',
  saveFollow: 'Save',
  unfollow: 'Unfollow',
  topicLive: 'New matching stories appear here as they are published.',
  topicEmpty: 'No matching stories yet.',
  topicNoMail: 'E-mail alerts are off on this server.',
  bell: (n) => (n === 0 ? 'Notifications: none unseen' : n === 1 ? 'Notifications: 1 unseen' : `Notifications: ${n} unseen`),
  notificationsTitle: 'Notifications',
  noNotifications: 'No notifications.',
  markAllSeen: 'Mark all seen',
  markSeen: 'Seen',
  unseen: 'New',
  developersTitle: 'Developers',
  keysTitle: 'API keys',
  keyName: 'Key name',
  createKey: 'Create key',
  noKeys: 'No keys yet.',
  prefix: 'Prefix',
  created: 'Created',
  lastUsed: 'Last used',
  never: 'never',
  revoked: 'Revoked',
  live: 'Live',
  revoke: 'Revoke',
  secretOnce: 'The new key, shown only now. Copy it to where it is used:',
  webhooksTitle: 'Webhooks',
  webhookUrl: 'Receiving URL',
  webhookUrlHelp: 'An https address on the internet; each story is posted there, signed (Standard Webhooks).',
  createWebhook: 'Add webhook',
  noWebhooks: 'No webhooks yet.',
  webhookSecretOnce: 'The signing secret of the new webhook, shown only now:',
  state: 'State',
  paused: 'Paused',
  failing: 'Failing',
  running: 'Active',
  pause: 'Pause',
  resume: 'Resume',
  sendTest: 'Send a test event',
  retryNow: 'Retry now',
  redeliver: 'Deliver again from here',
  remove: 'Remove',
  attempts: 'Delivery attempts',
  noAttempts: 'No delivery attempts yet.',
  when: 'When',
  message: 'Message',
  testEvent: 'test event',
  httpStatus: 'Status',
  latency: 'Latency',
  error: 'Error',
  webhookDetails: 'Attempts and actions',
  formatTitle: 'Default delivery format',
  format: 'Format',
  formatHelp: 'Used by the feed, the stream and webhooks when a request names no format.',
  save: 'Save',
  saved: 'Saved.',
  curlTitle: 'Try it with curl',
  curlIntro: 'The feed and the live stream with your key:',
  curlFeed: 'The feed (newest stories since a date, then follow next_cursor):',
  curlStream: 'The live stream (Server-Sent Events):',
  curlKeyNote: 'Replace the key prefix with the whole key; it was shown once, when the key was created.',
  usageTitle: 'Usage',
  usageIntro: 'Stories received per day and channel.',
  from: 'From',
  to: 'To',
  show: 'Show',
  day: 'Day',
  channels: { portal: 'Portal', feed: 'Feed', stream: 'Stream', webhooks: 'Webhooks', downloads: 'Downloads' },
  total: 'Total',
  downloadCsv: 'Download as CSV',
  chartLabel: 'Stories received per day, by channel',
};

const ar: SelfStrings = {
  topicsTitle: 'المواضيع',
  topicsIntro: 'الموضوع بحث محفوظ. تابِعه لتُبلَّغ بالأخبار الجديدة المطابقة هنا وبالبريد الإلكتروني.',
  noTopics: 'لا مواضيع بعد.',
  newTopic: 'موضوع جديد',
  topicName: 'الاسم',
  topicQuery: 'الاستعلام',
  topicQueryHelp: 'لغة البحث: كلمات، "عبارات مطابقة"، OR، -استبعاد، lang:ar، category:…',
  mode: 'البريد الإلكتروني',
  modes: { immediate: 'فورًا', hourly: 'ملخص كل ساعة', daily: 'ملخص يومي' },
  notify: 'إشعارات في البوابة',
  createTopic: 'إنشاء ومتابعة',
  follow: 'متابعة',
  following: 'متابَع',
  notFollowing: 'غير متابَع',
  saveFollow: 'حفظ',
  unfollow: 'إلغاء المتابعة',
  topicLive: 'تظهر هنا الأخبار الجديدة المطابقة فور نشرها.',
  topicEmpty: 'لا أخبار مطابقة بعد.',
  topicNoMail: 'تنبيهات البريد الإلكتروني متوقفة على هذا الخادم.',
  bell: (n) => (n === 0 ? 'الإشعارات: لا جديد' : `الإشعارات: ${n} غير مقروءة`),
  notificationsTitle: 'الإشعارات',
  noNotifications: 'لا إشعارات.',
  markAllSeen: 'تعليم الكل كمقروء',
  markSeen: 'مقروء',
  unseen: 'جديد',
  developersTitle: 'المطوّرون',
  keysTitle: 'مفاتيح الواجهة البرمجية',
  keyName: 'اسم المفتاح',
  createKey: 'إنشاء مفتاح',
  noKeys: 'لا مفاتيح بعد.',
  prefix: 'البادئة',
  created: 'أُنشئ',
  lastUsed: 'آخر استخدام',
  never: 'لم يُستخدم',
  revoked: 'ملغى',
  live: 'فعّال',
  revoke: 'إلغاء',
  secretOnce: 'المفتاح الجديد، يظهر الآن فقط. انسخه إلى حيث يُستخدم:',
  webhooksTitle: 'خطافات الويب',
  webhookUrl: 'عنوان الاستقبال',
  webhookUrlHelp: 'عنوان https على الإنترنت؛ يُرسَل إليه كل خبر موقّعًا (Standard Webhooks).',
  createWebhook: 'إضافة خطاف',
  noWebhooks: 'لا خطافات بعد.',
  webhookSecretOnce: 'سرّ التوقيع للخطاف الجديد، يظهر الآن فقط:',
  state: 'الحالة',
  paused: 'متوقف مؤقتًا',
  failing: 'متعثّر',
  running: 'فعّال',
  pause: 'إيقاف مؤقت',
  resume: 'استئناف',
  sendTest: 'إرسال حدث تجريبي',
  retryNow: 'إعادة المحاولة الآن',
  redeliver: 'إعادة الإرسال من هنا',
  remove: 'حذف',
  attempts: 'محاولات التسليم',
  noAttempts: 'لا محاولات تسليم بعد.',
  when: 'الوقت',
  message: 'الرسالة',
  testEvent: 'حدث تجريبي',
  httpStatus: 'الرمز',
  latency: 'زمن الاستجابة',
  error: 'الخطأ',
  webhookDetails: 'المحاولات والإجراءات',
  formatTitle: 'صيغة التسليم الافتراضية',
  format: 'الصيغة',
  formatHelp: 'تستخدمها التغذية والبث وخطافات الويب حين لا يحدد الطلب صيغة.',
  save: 'حفظ',
  saved: 'حُفظ.',
  curlTitle: 'جرّبه باستخدام curl',
  curlIntro: 'التغذية والبث المباشر بمفتاحك:',
  curlFeed: 'التغذية (أحدث الأخبار منذ تاريخ، ثم تابع next_cursor):',
  curlStream: 'البث المباشر (Server-Sent Events):',
  curlKeyNote: 'ضع المفتاح كاملًا مكان البادئة؛ ظهر مرة واحدة عند إنشائه.',
  usageTitle: 'الاستخدام',
  usageIntro: 'الأخبار المستلمة يوميًا حسب القناة.',
  from: 'من',
  to: 'إلى',
  show: 'عرض',
  day: 'اليوم',
  channels: { portal: 'البوابة', feed: 'التغذية', stream: 'البث', webhooks: 'خطافات الويب', downloads: 'التنزيلات' },
  total: 'المجموع',
  downloadCsv: 'تنزيل بصيغة CSV',
  chartLabel: 'الأخبار المستلمة يوميًا حسب القناة',
};

const tr: SelfStrings = {
  topicsTitle: 'Konular',
  topicsIntro: 'Konu, kayıtlı bir aramadır. Takip edin; eşleşen yeni haberler burada ve e-postayla bildirilsin.',
  noTopics: 'Henüz konu yok.',
  newTopic: 'Yeni konu',
  topicName: 'Ad',
  topicQuery: 'Sorgu',
  topicQueryHelp: 'Arama dili: sözcükler, "tam ifadeler", OR, -hariç, lang:tr, category:…',
  mode: 'E-posta',
  modes: { immediate: 'Hemen', hourly: 'Saatlik özet', daily: 'Günlük özet' },
  notify: 'Portalda bildirimler',
  createTopic: 'Oluştur ve takip et',
  follow: 'Takip et',
  following: 'Takip ediliyor',
  notFollowing: 'Takip edilmiyor',
  saveFollow: 'Kaydet',
  unfollow: 'Takibi bırak',
  topicLive: 'Eşleşen yeni haberler yayımlandıkça burada görünür.',
  topicEmpty: 'Henüz eşleşen haber yok.',
  topicNoMail: 'Bu sunucuda e-posta uyarıları kapalı.',
  bell: (n) => (n === 0 ? 'Bildirimler: yeni yok' : `Bildirimler: ${n} okunmamış`),
  notificationsTitle: 'Bildirimler',
  noNotifications: 'Bildirim yok.',
  markAllSeen: 'Tümünü okundu say',
  markSeen: 'Okundu',
  unseen: 'Yeni',
  developersTitle: 'Geliştiriciler',
  keysTitle: 'API anahtarları',
  keyName: 'Anahtar adı',
  createKey: 'Anahtar oluştur',
  noKeys: 'Henüz anahtar yok.',
  prefix: 'Önek',
  created: 'Oluşturuldu',
  lastUsed: 'Son kullanım',
  never: 'hiç',
  revoked: 'İptal edildi',
  live: 'Etkin',
  revoke: 'İptal et',
  secretOnce: 'Yeni anahtar yalnızca şimdi gösteriliyor. Kullanılacağı yere kopyalayın:',
  webhooksTitle: 'Webhook’lar',
  webhookUrl: 'Alıcı adres',
  webhookUrlHelp: 'İnternette bir https adresi; her haber oraya imzalı olarak gönderilir (Standard Webhooks).',
  createWebhook: 'Webhook ekle',
  noWebhooks: 'Henüz webhook yok.',
  webhookSecretOnce: 'Yeni webhook’un imza sırrı, yalnızca şimdi:',
  state: 'Durum',
  paused: 'Duraklatıldı',
  failing: 'Başarısız',
  running: 'Etkin',
  pause: 'Duraklat',
  resume: 'Sürdür',
  sendTest: 'Deneme olayı gönder',
  retryNow: 'Şimdi yeniden dene',
  redeliver: 'Buradan yeniden gönder',
  remove: 'Kaldır',
  attempts: 'Teslim denemeleri',
  noAttempts: 'Henüz teslim denemesi yok.',
  when: 'Zaman',
  message: 'Mesaj',
  testEvent: 'deneme olayı',
  httpStatus: 'Durum kodu',
  latency: 'Gecikme',
  error: 'Hata',
  webhookDetails: 'Denemeler ve işlemler',
  formatTitle: 'Varsayılan teslim biçimi',
  format: 'Biçim',
  formatHelp: 'Akış, canlı yayın ve webhook’lar, istek biçim belirtmediğinde bunu kullanır.',
  save: 'Kaydet',
  saved: 'Kaydedildi.',
  curlTitle: 'curl ile deneyin',
  curlIntro: 'Anahtarınızla akış ve canlı yayın:',
  curlFeed: 'Akış (bir tarihten bu yana en yeni haberler, sonra next_cursor ile devam):',
  curlStream: 'Canlı yayın (Server-Sent Events):',
  curlKeyNote: 'Öneki anahtarın tamamıyla değiştirin; anahtar oluşturulduğunda bir kez gösterildi.',
  usageTitle: 'Kullanım',
  usageIntro: 'Gün ve kanal başına alınan haberler.',
  from: 'Başlangıç',
  to: 'Bitiş',
  show: 'Göster',
  day: 'Gün',
  channels: { portal: 'Portal', feed: 'Akış', stream: 'Canlı yayın', webhooks: 'Webhook’lar', downloads: 'İndirmeler' },
  total: 'Toplam',
  downloadCsv: 'CSV olarak indir',
  chartLabel: 'Gün ve kanal başına alınan haberler',
};

export const SELF_STRINGS: Record<InterfaceLanguage, SelfStrings> = { en, ar, tr };
