// The words of the wire monitor, the story lists and the archive search, in the three interface
// languages. Kept apart from strings.ts so the desk's pages can grow side by side without each
// touching the one dictionary; the shape is the same (one object per interface language).
import type { InterfaceLanguage } from '../../model/users.ts';

export interface MonitorStrings {
  urgency: string;
  urgencyNames: Record<number, string>;
  kind: string;
  kinds: Record<string, string>;
  category: string;
  storyLanguage: string;
  time: string;
  by: string;
  headline: string;
  status: string;
  embargo: string;
  embargoed: string;
  notEmbargoed: string;
  any: string;
  filter: string;
  clear: string;
  filters: string;
  older: string;
  newest: string;
  noEntries: string;
  live: string;
  liveOff: string;
  newEntry: (urgency: string, headline: string) => string;
  wireCaption: string;
  stories: string;
  all: string;
  statuses: Record<string, string>;
  reviewQueue: string;
  desk: string;
  updated: string;
  submittedBy: string;
  noStories: string;
  edit: string;
  newStory: string;
  search: string;
  query: string;
  queryHelp: string;
  results: (n: number) => string;
  noResults: string;
  facets: string;
  previous: string;
  next: string;
  killedMark: string;
  embargoedMark: string;
  removeFilter: string;
  badValue: (name: string) => string;
  languageRule: string;
  categoryRule: string;
  urgencyRule: string;
  kindRule: string;
  embargoRule: string;
  pageRule: string;
  positionRule: string;
  statusRule: string;
  deskRule: string;
  queryTooLong: (n: number, max: number) => string;
  queryError: (message: string) => string;
  published: string;
  pageOf: (n: number) => string;
}

const URGENCY_EN = { 1: 'Flash', 2: 'Urgent', 3: 'Important', 4: 'Routine', 5: 'Special', 6: 'Archive', 7: 'Low', 8: 'Low', 9: 'Lowest' };

const en: MonitorStrings = {
  urgency: 'Urgency',
  urgencyNames: URGENCY_EN,
  kind: 'Event',
  kinds: { published: 'Published', updated: 'Updated', corrected: 'Corrected', killed: 'Killed', 'embargo-lifted': 'Embargo lifted' },
  category: 'Category',
  storyLanguage: 'Language',
  time: 'Time',
  by: 'By',
  headline: 'Headline',
  status: 'Status',
  embargo: 'Embargo',
  embargoed: 'Under embargo',
  notEmbargoed: 'Not under embargo',
  any: 'Any',
  filter: 'Filter',
  clear: 'Clear filters',
  filters: 'Filters',
  older: 'Older',
  newest: 'Newest',
  noEntries: 'Nothing on the wire matches these filters.',
  live: 'Live: new events appear at the top.',
  liveOff: 'Live updates are off on older pages.',
  newEntry: (u, h) => `${u}: ${h}`,
  wireCaption: 'The flow, newest first',
  stories: 'Stories',
  all: 'All',
  statuses: { draft: 'Drafts', submitted: 'Submitted', published: 'Published', embargoed: 'Embargoed', killed: 'Killed' },
  reviewQueue: 'The editors’ review queue: drafts submitted for review.',
  desk: 'Desk',
  updated: 'Last change',
  submittedBy: 'Submitted by',
  noStories: 'No stories here.',
  edit: 'Edit',
  newStory: 'New story',
  search: 'Archive search',
  query: 'Search the archive',
  queryHelp: 'Words, "phrases", OR, -word, headline:, category:, lang:ar, urgency:1..3, date:2026-01-01..2026-01-31',
  results: (n) => `${n} ${n === 1 ? 'story' : 'stories'}`,
  noResults: 'No story matches.',
  facets: 'Refine',
  previous: 'Previous',
  next: 'Next',
  killedMark: 'Killed',
  embargoedMark: 'Under embargo',
  removeFilter: 'Remove filter',
  badValue: (n) => `${n}: not a value this filter takes`,
  languageRule: 'a language tag such as ar, tr or en-GB',
  categoryRule: 'a category of at most 200 characters',
  urgencyRule: 'an urgency from 1 (flash) to 9',
  kindRule: 'one of published, updated, corrected, killed, embargo-lifted',
  embargoRule: 'yes or no',
  pageRule: 'a page number from 1 to 1000',
  positionRule: 'a position from an "Older" link',
  statusRule: 'one of draft, submitted, published, embargoed, killed',
  deskRule: 'a desk name of at most 100 characters',
  queryTooLong: (n, max) => `The query is ${n} characters long; the limit is ${max}.`,
  queryError: (m) => `The query cannot be read: ${m}`,
  published: 'Published',
  pageOf: (n) => `Page ${n}`,
};

const ar: MonitorStrings = {
  urgency: 'الأولوية',
  urgencyNames: { 1: 'عاجل جدًا', 2: 'عاجل', 3: 'مهم', 4: 'عادي', 5: 'خاص', 6: 'أرشيف', 7: 'منخفض', 8: 'منخفض', 9: 'الأدنى' },
  kind: 'الحدث',
  kinds: { published: 'نُشر', updated: 'حُدّث', corrected: 'صُحّح', killed: 'سُحب', 'embargo-lifted': 'رُفع الحظر' },
  category: 'التصنيف',
  storyLanguage: 'اللغة',
  time: 'الوقت',
  by: 'بواسطة',
  headline: 'العنوان',
  status: 'الحالة',
  embargo: 'الحظر',
  embargoed: 'تحت الحظر',
  notEmbargoed: 'ليس تحت الحظر',
  any: 'الكل',
  filter: 'تصفية',
  clear: 'مسح التصفية',
  filters: 'التصفية',
  older: 'الأقدم',
  newest: 'الأحدث',
  noEntries: 'لا شيء في الخدمة يطابق هذه التصفية.',
  live: 'مباشر: تظهر الأحداث الجديدة في الأعلى.',
  liveOff: 'التحديث المباشر متوقف في الصفحات الأقدم.',
  newEntry: (u, h) => `${u}: ${h}`,
  wireCaption: 'تدفق الأخبار، الأحدث أولًا',
  stories: 'الأخبار',
  all: 'الكل',
  statuses: { draft: 'المسودات', submitted: 'المرسلة للمراجعة', published: 'المنشورة', embargoed: 'المحظورة مؤقتًا', killed: 'المسحوبة' },
  reviewQueue: 'قائمة مراجعة المحررين: مسودات أُرسلت للمراجعة.',
  desk: 'القسم',
  updated: 'آخر تغيير',
  submittedBy: 'أرسلها',
  noStories: 'لا أخبار هنا.',
  edit: 'تحرير',
  newStory: 'خبر جديد',
  search: 'البحث في الأرشيف',
  query: 'ابحث في الأرشيف',
  queryHelp: 'كلمات، "عبارات"، OR، -كلمة، headline:، category:، lang:ar، urgency:1..3، date:2026-01-01..2026-01-31',
  results: (n) => `${n} خبر`,
  noResults: 'لا خبر يطابق.',
  facets: 'تضييق النتائج',
  previous: 'السابق',
  next: 'التالي',
  killedMark: 'مسحوب',
  embargoedMark: 'تحت الحظر',
  removeFilter: 'إزالة التصفية',
  badValue: (n) => `${n}: قيمة لا تقبلها هذه التصفية`,
  languageRule: 'رمز لغة مثل ar أو tr أو en-GB',
  categoryRule: 'تصنيف لا يتجاوز 200 حرف',
  urgencyRule: 'أولوية من 1 (عاجل جدًا) إلى 9',
  kindRule: 'واحد من published وupdated وcorrected وkilled وembargo-lifted',
  embargoRule: 'yes أو no',
  pageRule: 'رقم صفحة من 1 إلى 1000',
  positionRule: 'موضع من رابط «الأقدم»',
  statusRule: 'واحدة من draft وsubmitted وpublished وembargoed وkilled',
  deskRule: 'اسم قسم لا يتجاوز 100 حرف',
  queryTooLong: (n, max) => `طول الاستعلام ${n} حرفًا؛ الحد ${max}.`,
  queryError: (m) => `تعذّرت قراءة الاستعلام: ${m}`,
  published: 'نُشر',
  pageOf: (n) => `الصفحة ${n}`,
};

const tr: MonitorStrings = {
  urgency: 'Öncelik',
  urgencyNames: { 1: 'Flaş', 2: 'Acil', 3: 'Önemli', 4: 'Olağan', 5: 'Özel', 6: 'Arşiv', 7: 'Düşük', 8: 'Düşük', 9: 'En düşük' },
  kind: 'Olay',
  kinds: { published: 'Yayımlandı', updated: 'Güncellendi', corrected: 'Düzeltildi', killed: 'Geri çekildi', 'embargo-lifted': 'Ambargo kalktı' },
  category: 'Kategori',
  storyLanguage: 'Dil',
  time: 'Zaman',
  by: 'Yapan',
  headline: 'Başlık',
  status: 'Durum',
  embargo: 'Ambargo',
  embargoed: 'Ambargolu',
  notEmbargoed: 'Ambargosuz',
  any: 'Tümü',
  filter: 'Süz',
  clear: 'Süzgeçleri temizle',
  filters: 'Süzgeçler',
  older: 'Daha eski',
  newest: 'En yeni',
  noEntries: 'Akışta bu süzgeçlere uyan bir şey yok.',
  live: 'Canlı: yeni olaylar en üstte görünür.',
  liveOff: 'Eski sayfalarda canlı güncelleme kapalıdır.',
  newEntry: (u, h) => `${u}: ${h}`,
  wireCaption: 'Akış, en yeni önce',
  stories: 'Haberler',
  all: 'Tümü',
  statuses: { draft: 'Taslaklar', submitted: 'Onay bekleyen', published: 'Yayımlanan', embargoed: 'Ambargolu', killed: 'Geri çekilen' },
  reviewQueue: 'Editörlerin onay kuyruğu: incelemeye gönderilen taslaklar.',
  desk: 'Masa',
  updated: 'Son değişiklik',
  submittedBy: 'Gönderen',
  noStories: 'Burada haber yok.',
  edit: 'Düzenle',
  newStory: 'Yeni haber',
  search: 'Arşivde arama',
  query: 'Arşivde ara',
  queryHelp: 'Sözcükler, "öbekler", OR, -sözcük, headline:, category:, lang:ar, urgency:1..3, date:2026-01-01..2026-01-31',
  results: (n) => `${n} haber`,
  noResults: 'Eşleşen haber yok.',
  facets: 'Daralt',
  previous: 'Önceki',
  next: 'Sonraki',
  killedMark: 'Geri çekildi',
  embargoedMark: 'Ambargolu',
  removeFilter: 'Süzgeci kaldır',
  badValue: (n) => `${n}: bu süzgecin aldığı bir değer değil`,
  languageRule: 'ar, tr ya da en-GB gibi bir dil etiketi',
  categoryRule: 'en çok 200 karakterlik bir kategori',
  urgencyRule: '1 (flaş) ile 9 arasında bir öncelik',
  kindRule: 'published, updated, corrected, killed, embargo-lifted değerlerinden biri',
  embargoRule: 'yes ya da no',
  pageRule: '1 ile 1000 arasında bir sayfa numarası',
  positionRule: '"Daha eski" bağlantısından bir konum',
  statusRule: 'draft, submitted, published, embargoed, killed değerlerinden biri',
  deskRule: 'en çok 100 karakterlik bir masa adı',
  queryTooLong: (n, max) => `Sorgu ${n} karakter; sınır ${max}.`,
  queryError: (m) => `Sorgu okunamadı: ${m}`,
  published: 'Yayımlandı',
  pageOf: (n) => `Sayfa ${n}`,
};

export const MONITOR_STRINGS: Record<InterfaceLanguage, MonitorStrings> = { ar, tr, en };
