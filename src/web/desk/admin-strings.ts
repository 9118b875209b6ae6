// The words of the admin pages (products, subscribers, leads) and the audit page, in the three interface
// languages. Kept beside strings.ts rather than in it so that the desk's pages built in parallel do not
// all edit one dictionary.
import type { InterfaceLanguage } from '../../model/users.ts';

export interface AdminStrings {
  adminNav: string;
  users: string;
  products: string;
  subscribers: string;
  leads: string;
  audit: string;
  name: string;
  languages: string;
  languagesHelp: string;
  categories: string;
  categoriesHelp: string;
  maxUrgency: string;
  anyUrgency: string;
  mediaTypes: string;
  embargoRights: string;
  delaySeconds: string;
  createProduct: string;
  saveFilters: string;
  edit: string;
  history: string;
  effectiveAt: string;
  changedBy: string;
  filters: string;
  none: string;
  all: string;
  yes: string;
  no: string;
  rateLimit: string;
  rateLimitHelp: string;
  defaultFormat: string;
  seatLimit: string;
  createSubscriber: string;
  save: string;
  productsOf: string;
  setProducts: string;
  keys: string;
  label: string;
  prefix: string;
  created: string;
  lastUsed: string;
  never: string;
  revoked: string;
  revoke: string;
  createKey: string;
  keySecretTitle: string;
  secretOnce: string;
  webhooks: string;
  url: string;
  status: string;
  createWebhook: string;
  webhookSecretTitle: string;
  deleteWebhook: string;
  redeliver: string;
  attempts: string;
  noAttempts: string;
  at: string;
  statusCode: string;
  latency: string;
  result: string;
  ok: string;
  failed: string;
  usage: string;
  usageChart: string;
  day: string;
  total: string;
  noUsage: string;
  email: string;
  organisation: string;
  message: string;
  language: string;
  receivedAt: string;
  noLeads: string;
  older: string;
  actor: string;
  anyone: string;
  story: string;
  storyHelp: string;
  filter: string;
  act: string;
  target: string;
  details: string;
  versionPublished: (kind: string, version: number) => string;
  nothing: string;
  actions: string;
  back: string;
  rules: {
    nameRequired: string;
    urgency: string;
    delay: string;
    positiveOrEmpty: string;
    format: string;
    mediaType: string;
    product: string;
  };
}

const en: AdminStrings = {
  adminNav: 'Administration',
  users: 'Users',
  products: 'Products',
  subscribers: 'Subscribers',
  leads: 'Leads',
  audit: 'Audit',
  name: 'Name',
  languages: 'Languages',
  languagesHelp: 'Language tags separated by commas (ar, en, tr-TR); empty means every language.',
  categories: 'Categories',
  categoriesHelp: 'Separated by commas; empty means every category.',
  maxUrgency: 'Lowest urgency included',
  anyUrgency: 'Any urgency',
  mediaTypes: 'Media types (none ticked: every type)',
  embargoRights: 'Receives embargoed stories before the lift',
  delaySeconds: 'Delay in seconds',
  createProduct: 'Create product',
  saveFilters: 'Save filters (from now on)',
  edit: 'Edit',
  history: 'History',
  effectiveAt: 'In force from',
  changedBy: 'Changed by',
  filters: 'Filters',
  none: '—',
  all: 'all',
  yes: 'yes',
  no: 'no',
  rateLimit: 'Feed requests per minute',
  rateLimitHelp: 'Empty means unlimited.',
  defaultFormat: 'Default format',
  seatLimit: 'Portal seats',
  createSubscriber: 'Create subscriber',
  save: 'Save',
  productsOf: 'Products',
  setProducts: 'Set products (from now on)',
  keys: 'API keys',
  label: 'Label',
  prefix: 'Prefix',
  created: 'Created',
  lastUsed: 'Last used',
  never: 'never',
  revoked: 'revoked',
  revoke: 'Revoke',
  createKey: 'Create key',
  keySecretTitle: 'The new key',
  secretOnce: 'Copy it now: it is shown only this once and cannot be shown again.',
  webhooks: 'Webhooks',
  url: 'URL',
  status: 'Status',
  createWebhook: 'Add webhook',
  webhookSecretTitle: 'The webhook signing secret',
  deleteWebhook: 'Delete',
  redeliver: 'Redeliver',
  attempts: 'Delivery attempts',
  noAttempts: 'No attempts yet.',
  at: 'When',
  statusCode: 'HTTP status',
  latency: 'Latency (ms)',
  result: 'Result',
  ok: 'delivered',
  failed: 'failed',
  usage: 'Usage per day and channel (last 30 days)',
  usageChart: 'Stories delivered per day, one line per channel',
  day: 'Day',
  total: 'Total',
  noUsage: 'No usage recorded in the last 30 days.',
  email: 'E-mail',
  organisation: 'Organisation',
  message: 'Message',
  language: 'Language',
  receivedAt: 'Received',
  noLeads: 'No leads yet.',
  older: 'Older',
  actor: 'Person or key',
  anyone: 'Anyone',
  story: 'Story id',
  storyHelp: 'Only the acts on this story.',
  filter: 'Filter',
  act: 'Act',
  target: 'About',
  details: 'Details',
  versionPublished: (kind, version) => `version ${version} (${kind})`,
  nothing: 'Nothing recorded.',
  actions: 'Actions',
  back: 'Back to the list',
  rules: {
    nameRequired: 'A name is required.',
    urgency: 'Urgency is a whole number from 1 (flash) to 9.',
    delay: 'The delay is a whole number of seconds from 0 to 86400.',
    positiveOrEmpty: 'Enter a whole number of at least 1, or leave it empty.',
    format: 'Choose one of the delivery formats.',
    mediaType: 'Unknown media type.',
    product: 'Unknown product.',
  },
};

const ar: AdminStrings = {
  adminNav: 'الإدارة',
  users: 'المستخدمون',
  products: 'المنتجات',
  subscribers: 'المشتركون',
  leads: 'طلبات الاشتراك',
  audit: 'سجل التدقيق',
  name: 'الاسم',
  languages: 'اللغات',
  languagesHelp: 'رموز اللغات مفصولة بفواصل (ar, en, tr-TR)؛ الفراغ يعني كل اللغات.',
  categories: 'التصنيفات',
  categoriesHelp: 'مفصولة بفواصل؛ الفراغ يعني كل التصنيفات.',
  maxUrgency: 'أدنى درجة أهمية مشمولة',
  anyUrgency: 'أي درجة',
  mediaTypes: 'أنواع الوسائط (بلا اختيار: كل الأنواع)',
  embargoRights: 'يتلقى الأخبار المحظورة قبل رفع الحظر',
  delaySeconds: 'التأخير بالثواني',
  createProduct: 'إنشاء منتج',
  saveFilters: 'حفظ المرشحات (من الآن)',
  edit: 'تعديل',
  history: 'السجل',
  effectiveAt: 'سارٍ منذ',
  changedBy: 'غيّره',
  filters: 'المرشحات',
  none: '—',
  all: 'الكل',
  yes: 'نعم',
  no: 'لا',
  rateLimit: 'طلبات التغذية في الدقيقة',
  rateLimitHelp: 'الفراغ يعني بلا حد.',
  defaultFormat: 'الصيغة الافتراضية',
  seatLimit: 'مقاعد البوابة',
  createSubscriber: 'إنشاء مشترك',
  save: 'حفظ',
  productsOf: 'المنتجات',
  setProducts: 'تعيين المنتجات (من الآن)',
  keys: 'مفاتيح الواجهة البرمجية',
  label: 'الوصف',
  prefix: 'البادئة',
  created: 'أُنشئ',
  lastUsed: 'آخر استخدام',
  never: 'أبدًا',
  revoked: 'مُلغى',
  revoke: 'إلغاء',
  createKey: 'إنشاء مفتاح',
  keySecretTitle: 'المفتاح الجديد',
  secretOnce: 'انسخه الآن: يظهر هذه المرة فقط ولا يمكن عرضه مرة أخرى.',
  webhooks: 'خطافات الويب',
  url: 'العنوان',
  status: 'الحالة',
  createWebhook: 'إضافة خطاف',
  webhookSecretTitle: 'سر توقيع الخطاف',
  deleteWebhook: 'حذف',
  redeliver: 'إعادة التسليم',
  attempts: 'محاولات التسليم',
  noAttempts: 'لا محاولات بعد.',
  at: 'الوقت',
  statusCode: 'رمز HTTP',
  latency: 'زمن الاستجابة (مللي ثانية)',
  result: 'النتيجة',
  ok: 'سُلّم',
  failed: 'فشل',
  usage: 'الاستخدام يوميًا حسب القناة (آخر 30 يومًا)',
  usageChart: 'الأخبار المسلّمة يوميًا، خط لكل قناة',
  day: 'اليوم',
  total: 'المجموع',
  noUsage: 'لا استخدام مسجل في آخر 30 يومًا.',
  email: 'البريد الإلكتروني',
  organisation: 'المؤسسة',
  message: 'الرسالة',
  language: 'اللغة',
  receivedAt: 'وصل',
  noLeads: 'لا طلبات بعد.',
  older: 'الأقدم',
  actor: 'الشخص أو المفتاح',
  anyone: 'أي أحد',
  story: 'معرّف الخبر',
  storyHelp: 'الأفعال على هذا الخبر فقط.',
  filter: 'تصفية',
  act: 'الفعل',
  target: 'بشأن',
  details: 'التفاصيل',
  versionPublished: (kind, version) => `النسخة ${version} (${kind})`,
  nothing: 'لا شيء مسجل.',
  actions: 'الإجراءات',
  back: 'العودة إلى القائمة',
  rules: {
    nameRequired: 'الاسم مطلوب.',
    urgency: 'درجة الأهمية عدد صحيح من 1 (عاجل جدًا) إلى 9.',
    delay: 'التأخير عدد صحيح من الثواني بين 0 و86400.',
    positiveOrEmpty: 'أدخل عددًا صحيحًا لا يقل عن 1 أو اتركه فارغًا.',
    format: 'اختر إحدى صيغ التسليم.',
    mediaType: 'نوع وسائط غير معروف.',
    product: 'منتج غير معروف.',
  },
};

const tr: AdminStrings = {
  adminNav: 'Yönetim',
  users: 'Kullanıcılar',
  products: 'Ürünler',
  subscribers: 'Aboneler',
  leads: 'Abonelik talepleri',
  audit: 'Denetim kaydı',
  name: 'Ad',
  languages: 'Diller',
  languagesHelp: 'Virgülle ayrılmış dil etiketleri (ar, en, tr-TR); boş: tüm diller.',
  categories: 'Kategoriler',
  categoriesHelp: 'Virgülle ayrılmış; boş: tüm kategoriler.',
  maxUrgency: 'Dahil edilen en düşük öncelik',
  anyUrgency: 'Her öncelik',
  mediaTypes: 'Medya türleri (hiçbiri seçili değilse: tümü)',
  embargoRights: 'Ambargolu haberleri kalkmadan önce alır',
  delaySeconds: 'Gecikme (saniye)',
  createProduct: 'Ürün oluştur',
  saveFilters: 'Filtreleri kaydet (bundan sonra)',
  edit: 'Düzenle',
  history: 'Geçmiş',
  effectiveAt: 'Geçerlilik başlangıcı',
  changedBy: 'Değiştiren',
  filters: 'Filtreler',
  none: '—',
  all: 'tümü',
  yes: 'evet',
  no: 'hayır',
  rateLimit: 'Dakikada akış isteği',
  rateLimitHelp: 'Boş: sınırsız.',
  defaultFormat: 'Varsayılan biçim',
  seatLimit: 'Portal koltukları',
  createSubscriber: 'Abone oluştur',
  save: 'Kaydet',
  productsOf: 'Ürünler',
  setProducts: 'Ürünleri ayarla (bundan sonra)',
  keys: 'API anahtarları',
  label: 'Etiket',
  prefix: 'Önek',
  created: 'Oluşturuldu',
  lastUsed: 'Son kullanım',
  never: 'hiç',
  revoked: 'iptal edildi',
  revoke: 'İptal et',
  createKey: 'Anahtar oluştur',
  keySecretTitle: 'Yeni anahtar',
  secretOnce: 'Şimdi kopyalayın: yalnızca bu kez gösterilir, bir daha gösterilemez.',
  webhooks: 'Webhook’lar',
  url: 'URL',
  status: 'Durum',
  createWebhook: 'Webhook ekle',
  webhookSecretTitle: 'Webhook imza sırrı',
  deleteWebhook: 'Sil',
  redeliver: 'Yeniden gönder',
  attempts: 'Teslim denemeleri',
  noAttempts: 'Henüz deneme yok.',
  at: 'Zaman',
  statusCode: 'HTTP durumu',
  latency: 'Gecikme (ms)',
  result: 'Sonuç',
  ok: 'teslim edildi',
  failed: 'başarısız',
  usage: 'Günlük ve kanal bazında kullanım (son 30 gün)',
  usageChart: 'Günde teslim edilen haberler, kanal başına bir çizgi',
  day: 'Gün',
  total: 'Toplam',
  noUsage: 'Son 30 günde kullanım yok.',
  email: 'E-posta',
  organisation: 'Kuruluş',
  message: 'Mesaj',
  language: 'Dil',
  receivedAt: 'Alındı',
  noLeads: 'Henüz talep yok.',
  older: 'Daha eski',
  actor: 'Kişi veya anahtar',
  anyone: 'Herkes',
  story: 'Haber kimliği',
  storyHelp: 'Yalnızca bu haberdeki işlemler.',
  filter: 'Filtrele',
  act: 'İşlem',
  target: 'Konu',
  details: 'Ayrıntılar',
  versionPublished: (kind, version) => `sürüm ${version} (${kind})`,
  nothing: 'Kayıt yok.',
  actions: 'İşlemler',
  back: 'Listeye dön',
  rules: {
    nameRequired: 'Ad gerekli.',
    urgency: 'Öncelik 1 (flaş) ile 9 arasında bir tam sayıdır.',
    delay: 'Gecikme 0 ile 86400 arasında tam saniyedir.',
    positiveOrEmpty: 'En az 1 olan bir tam sayı girin veya boş bırakın.',
    format: 'Teslim biçimlerinden birini seçin.',
    mediaType: 'Bilinmeyen medya türü.',
    product: 'Bilinmeyen ürün.',
  },
};

export const ADMIN_STRINGS: Record<InterfaceLanguage, AdminStrings> = { ar, tr, en };
