// Every word the subscriber portal shows, in the three interface languages. Story text is never
// translated here; only the portal's own chrome. Sign-in and account pages use the desk's words
// (src/web/desk/strings.ts), shared by both areas. Page modules add their keys to PortalStrings and to
// all three dictionaries below.
import type { InterfaceLanguage } from '../../model/users.ts';

export { dirOf, LANGUAGE_NAMES } from '../desk/strings.ts';

export interface PortalStrings {
  portalName: string;
  skip: string;
  nav: { wire: string; search: string; topics: string; developers: string; usage: string; seats: string; account: string };
  navLabel: string;
  signedInAs: string;
  signOut: string;
  notFoundTitle: string;
  notFound: string;
  forbiddenTitle: string;
  forbidden: string;
  formExpiredTitle: string;
  formExpired: string;
  errorTitle: string;
  // The wire and stories
  wireTitle: string;
  wireEmpty: string;
  wireLive: string;
  wireNew: (n: number) => string;
  filters: string;
  filter: string;
  anyValue: string;
  language: string;
  category: string;
  urgency: string;
  mediaType: string;
  urgencies: Record<string, string>;
  kinds: Record<'published' | 'updated' | 'corrected' | 'killed' | 'embargo-lifted', string>;
  mediaTypes: Record<string, string>;
  embargoedUntil: (time: string) => string;
  alertsLabel: string;
  alertSound: string;
  alertDesktop: string;
  older: string;
  byline: string;
  dateline: string;
  published: string;
  updated: string;
  killedTitle: string;
  killedText: (reason: string) => string;
  versions: string;
  version: (n: number) => string;
  compare: string;
  translations: string;
  noTranslations: string;
  downloads: string;
  copyText: string;
  copied: string;
  photos: string;
  // Search
  searchTitle: string;
  query: string;
  queryHelp: string;
  from: string;
  to: string;
  sort: string;
  sortRelevance: string;
  sortTime: string;
  search: string;
  results: (n: number) => string;
  noResults: string;
  facets: string;
  previous: string;
  next: string;
  badQuery: string;
  // Seats
  seatsTitle: string;
  seatsUsed: (used: number, limit: number | null) => string;
  addSeat: string;
  email: string;
  name: string;
  role: string;
  roles: { seat: string; 'seat-admin': string };
  status: string;
  active: string;
  inactive: string;
  actions: string;
  deactivate: string;
  reactivate: string;
  resetPassword: string;
  oneTimePasswordFor: (email: string) => string;
  oneTimePasswordNote: string;
  cannotChangeSelf: string;
  seatLimitReached: (limit: number) => string;
}

const en: PortalStrings = {
  portalName: 'newsflow portal',
  skip: 'Skip to content',
  nav: { wire: 'Wire', search: 'Search', topics: 'Topics', developers: 'Developers', usage: 'Usage', seats: 'Seats', account: 'Account' },
  navLabel: 'Portal',
  signedInAs: 'Signed in as',
  signOut: 'Sign out',
  notFoundTitle: 'Not found',
  notFound: 'There is nothing at this address.',
  forbiddenTitle: 'Not allowed',
  forbidden: 'Your seat may not open this page.',
  formExpiredTitle: 'The form expired',
  formExpired: 'Reload the page and send the form again.',
  errorTitle: 'Something went wrong',
  wireTitle: 'Live wire',
  wireEmpty: 'No stories yet.',
  wireLive: 'New stories appear here as they are published.',
  wireNew: (n) => (n === 1 ? '1 new story' : `${n} new stories`),
  filters: 'Filters',
  filter: 'Filter',
  anyValue: 'Any',
  language: 'Language',
  category: 'Category',
  urgency: 'Urgency',
  mediaType: 'Media',
  urgencies: { '1': 'Flash', '2': 'Urgent', '3': 'Important', '4': 'Routine', '5': 'Special', '6': 'Archive' },
  kinds: { published: 'New', updated: 'Update', corrected: 'Correction', killed: 'Withdrawn', 'embargo-lifted': 'Embargo lifted' },
  mediaTypes: { text: 'Text', photo: 'Photo', video: 'Video', audio: 'Audio', graphic: 'Graphic' },
  embargoedUntil: (time) => `Embargoed until ${time} — do not publish before then.`,
  alertsLabel: 'Alerts for Flash and Urgent',
  alertSound: 'Sound',
  alertDesktop: 'Desktop notification',
  older: 'Older stories',
  byline: 'By',
  dateline: 'Dateline',
  published: 'Published',
  updated: 'Updated',
  killedTitle: 'This story was withdrawn',
  killedText: (reason) => `The agency withdrew this story: ${reason}. Do not use it.`,
  versions: 'Versions',
  version: (n) => `Version ${n}`,
  compare: 'Changes',
  translations: 'Translations',
  noTranslations: 'No translations.',
  downloads: 'Download',
  copyText: 'Copy text',
  copied: 'Copied.',
  photos: 'Photos',
  searchTitle: 'Search',
  query: 'Search for',
  queryHelp: 'Words, "exact phrases", -excluded, OR, field:value (headline:, byline:, category:, language:).',
  from: 'From',
  to: 'To',
  sort: 'Sort by',
  sortRelevance: 'Relevance',
  sortTime: 'Newest first',
  search: 'Search',
  results: (n) => (n === 1 ? '1 story' : `${n} stories`),
  noResults: 'No story matches.',
  facets: 'Refine',
  previous: 'Previous',
  next: 'Next',
  badQuery: 'The search could not be read',
  seatsTitle: 'Seats',
  seatsUsed: (used, limit) => (limit === null ? `${used} seats in use.` : `${used} of ${limit} seats in use.`),
  addSeat: 'Add a seat',
  email: 'E-mail',
  name: 'Name',
  role: 'Role',
  roles: { seat: 'Seat', 'seat-admin': 'Seat administrator' },
  status: 'Status',
  active: 'Active',
  inactive: 'Deactivated',
  actions: 'Actions',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  resetPassword: 'Reset password',
  oneTimePasswordFor: (email) => `One-time password for ${email}`,
  oneTimePasswordNote: 'Shown once. Pass it on safely; it must be changed at the first sign-in.',
  cannotChangeSelf: 'This is you.',
  seatLimitReached: (limit) => `All ${limit} seats are in use; deactivate one or ask the agency for more.`,
};

const tr: PortalStrings = {
  portalName: 'newsflow portalı',
  skip: 'İçeriğe geç',
  nav: { wire: 'Akış', search: 'Arama', topics: 'Konular', developers: 'Geliştiriciler', usage: 'Kullanım', seats: 'Kullanıcılar', account: 'Hesap' },
  navLabel: 'Portal',
  signedInAs: 'Oturum:',
  signOut: 'Çıkış yap',
  notFoundTitle: 'Bulunamadı',
  notFound: 'Bu adreste bir şey yok.',
  forbiddenTitle: 'İzin yok',
  forbidden: 'Bu sayfayı açma yetkiniz yok.',
  formExpiredTitle: 'Formun süresi doldu',
  formExpired: 'Sayfayı yenileyip formu yeniden gönderin.',
  errorTitle: 'Bir sorun çıktı',
  wireTitle: 'Canlı akış',
  wireEmpty: 'Henüz haber yok.',
  wireLive: 'Yeni haberler yayımlandıkça burada görünür.',
  wireNew: (n) => `${n} yeni haber`,
  filters: 'Süzgeçler',
  filter: 'Süz',
  anyValue: 'Hepsi',
  language: 'Dil',
  category: 'Kategori',
  urgency: 'Öncelik',
  mediaType: 'Medya',
  urgencies: { '1': 'Flaş', '2': 'Acil', '3': 'Önemli', '4': 'Olağan', '5': 'Özel', '6': 'Arşiv' },
  kinds: { published: 'Yeni', updated: 'Güncelleme', corrected: 'Düzeltme', killed: 'Geri çekildi', 'embargo-lifted': 'Ambargo kalktı' },
  mediaTypes: { text: 'Metin', photo: 'Fotoğraf', video: 'Video', audio: 'Ses', graphic: 'Grafik' },
  embargoedUntil: (time) => `${time} saatine kadar ambargolu — öncesinde yayımlamayın.`,
  alertsLabel: 'Flaş ve acil haber uyarıları',
  alertSound: 'Ses',
  alertDesktop: 'Masaüstü bildirimi',
  older: 'Daha eski haberler',
  byline: 'Yazan',
  dateline: 'Yer',
  published: 'Yayımlandı',
  updated: 'Güncellendi',
  killedTitle: 'Bu haber geri çekildi',
  killedText: (reason) => `Ajans bu haberi geri çekti: ${reason}. Kullanmayın.`,
  versions: 'Sürümler',
  version: (n) => `Sürüm ${n}`,
  compare: 'Değişiklikler',
  translations: 'Çeviriler',
  noTranslations: 'Çeviri yok.',
  downloads: 'İndir',
  copyText: 'Metni kopyala',
  copied: 'Kopyalandı.',
  photos: 'Fotoğraflar',
  searchTitle: 'Arama',
  query: 'Aranacak',
  queryHelp: 'Sözcükler, "tam ifade", -hariç, OR, alan:değer (headline:, byline:, category:, language:).',
  from: 'Başlangıç',
  to: 'Bitiş',
  sort: 'Sıralama',
  sortRelevance: 'İlgi',
  sortTime: 'En yeni önce',
  search: 'Ara',
  results: (n) => `${n} haber`,
  noResults: 'Eşleşen haber yok.',
  facets: 'Daralt',
  previous: 'Önceki',
  next: 'Sonraki',
  badQuery: 'Arama okunamadı',
  seatsTitle: 'Kullanıcılar',
  seatsUsed: (used, limit) => (limit === null ? `${used} kullanıcı.` : `${limit} kullanıcıdan ${used} tanesi kullanımda.`),
  addSeat: 'Kullanıcı ekle',
  email: 'E-posta',
  name: 'Ad',
  role: 'Rol',
  roles: { seat: 'Kullanıcı', 'seat-admin': 'Yönetici kullanıcı' },
  status: 'Durum',
  active: 'Etkin',
  inactive: 'Devre dışı',
  actions: 'İşlemler',
  deactivate: 'Devre dışı bırak',
  reactivate: 'Yeniden etkinleştir',
  resetPassword: 'Parolayı sıfırla',
  oneTimePasswordFor: (email) => `${email} için tek kullanımlık parola`,
  oneTimePasswordNote: 'Yalnızca bir kez gösterilir. Güvenle iletin; ilk girişte değiştirilmelidir.',
  cannotChangeSelf: 'Bu sizsiniz.',
  seatLimitReached: (limit) => `${limit} kullanıcının hepsi kullanımda; birini devre dışı bırakın ya da ajanstan ek isteyin.`,
};

const ar: PortalStrings = {
  portalName: 'بوابة newsflow',
  skip: 'انتقل إلى المحتوى',
  nav: { wire: 'الشريط', search: 'بحث', topics: 'مواضيع', developers: 'المطورون', usage: 'الاستخدام', seats: 'المستخدمون', account: 'الحساب' },
  navLabel: 'البوابة',
  signedInAs: 'مسجّل الدخول باسم',
  signOut: 'تسجيل الخروج',
  notFoundTitle: 'غير موجود',
  notFound: 'لا شيء في هذا العنوان.',
  forbiddenTitle: 'غير مسموح',
  forbidden: 'لا يحق لحسابك فتح هذه الصفحة.',
  formExpiredTitle: 'انتهت صلاحية النموذج',
  formExpired: 'أعد تحميل الصفحة وأرسل النموذج مرة أخرى.',
  errorTitle: 'حدث خطأ',
  wireTitle: 'الشريط المباشر',
  wireEmpty: 'لا أخبار بعد.',
  wireLive: 'تظهر الأخبار الجديدة هنا فور نشرها.',
  wireNew: (n) => `أخبار جديدة: ${n}`,
  filters: 'عوامل التصفية',
  filter: 'تصفية',
  anyValue: 'الكل',
  language: 'اللغة',
  category: 'التصنيف',
  urgency: 'الأولوية',
  mediaType: 'الوسائط',
  urgencies: { '1': 'خبر عاجل جداً', '2': 'عاجل', '3': 'هام', '4': 'عادي', '5': 'خاص', '6': 'أرشيف' },
  kinds: { published: 'جديد', updated: 'تحديث', corrected: 'تصحيح', killed: 'مسحوب', 'embargo-lifted': 'رُفع الحظر' },
  mediaTypes: { text: 'نص', photo: 'صورة', video: 'فيديو', audio: 'صوت', graphic: 'رسم' },
  embargoedUntil: (time) => `محظور النشر حتى ${time} — لا تنشره قبل ذلك.`,
  alertsLabel: 'تنبيهات الأخبار العاجلة',
  alertSound: 'صوت',
  alertDesktop: 'إشعار سطح المكتب',
  older: 'أخبار أقدم',
  byline: 'بقلم',
  dateline: 'المكان',
  published: 'نُشر',
  updated: 'حُدّث',
  killedTitle: 'سُحب هذا الخبر',
  killedText: (reason) => `سحبت الوكالة هذا الخبر: ${reason}. لا تستخدمه.`,
  versions: 'النسخ',
  version: (n) => `النسخة ${n}`,
  compare: 'التغييرات',
  translations: 'الترجمات',
  noTranslations: 'لا ترجمات.',
  downloads: 'تنزيل',
  copyText: 'نسخ النص',
  copied: 'نُسخ.',
  photos: 'الصور',
  searchTitle: 'بحث',
  query: 'ابحث عن',
  queryHelp: 'كلمات، "عبارة كاملة"، -استبعاد، OR، حقل:قيمة (headline:، byline:، category:، language:).',
  from: 'من',
  to: 'إلى',
  sort: 'الترتيب',
  sortRelevance: 'الصلة',
  sortTime: 'الأحدث أولاً',
  search: 'ابحث',
  results: (n) => `عدد الأخبار: ${n}`,
  noResults: 'لا خبر مطابق.',
  facets: 'تضييق النتائج',
  previous: 'السابق',
  next: 'التالي',
  badQuery: 'تعذرت قراءة البحث',
  seatsTitle: 'المستخدمون',
  seatsUsed: (used, limit) => (limit === null ? `المستخدمون: ${used}.` : `المستخدمون: ${used} من ${limit}.`),
  addSeat: 'إضافة مستخدم',
  email: 'البريد الإلكتروني',
  name: 'الاسم',
  role: 'الدور',
  roles: { seat: 'مستخدم', 'seat-admin': 'مدير المستخدمين' },
  status: 'الحالة',
  active: 'نشط',
  inactive: 'معطّل',
  actions: 'إجراءات',
  deactivate: 'تعطيل',
  reactivate: 'إعادة التفعيل',
  resetPassword: 'إعادة تعيين كلمة المرور',
  oneTimePasswordFor: (email) => `كلمة مرور لمرة واحدة لـ ${email}`,
  oneTimePasswordNote: 'تظهر مرة واحدة فقط. سلّمها بأمان؛ يجب تغييرها عند أول تسجيل دخول.',
  cannotChangeSelf: 'هذا أنت.',
  seatLimitReached: (limit) => `كل المقاعد (${limit}) مستخدمة؛ عطّل أحدها أو اطلب المزيد من الوكالة.`,
};

export const PORTAL_STRINGS: Record<InterfaceLanguage, PortalStrings> = { ar, tr, en };
