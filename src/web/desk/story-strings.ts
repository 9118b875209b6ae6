// The words of the story editor and the story page, in the desk's three interface languages. Kept apart
// from strings.ts so the pages of the desk built side by side each own their dictionary.
import type { InterfaceLanguage } from '../../model/users.ts';

export interface StoryStrings {
  newStory: string;
  editStory: string;
  headline: string;
  deck: string;
  body: string;
  byline: string;
  bylineHelp: string;
  dateline: string;
  place: string;
  reporter: string;
  agency: string;
  categories: string;
  keywords: string;
  hashtags: string;
  listHelp: string;
  urgency: string;
  urgencyNames: Record<number, string>;
  embargo: string;
  embargoHelp: string;
  timeZone: string;
  storyLanguage: string;
  desk: string;
  slugline: string;
  photos: string;
  photo: (n: number) => string;
  photoUrl: string;
  caption: string;
  credit: string;
  mediaId: string;
  uploadTitle: string;
  uploadHelp: string;
  uploadChoose: string;
  uploadUse: string;
  uploadState: Record<string, string>;
  save: string;
  saveAndPublish: string;
  saveAndUpdate: string;
  saveAndCorrect: string;
  correctionNote: string;
  correctionNoteHelp: string;
  submit: string;
  withdraw: string;
  preview: string;
  previewTitle: string;
  previewPublic: string;
  previewSubscribers: string;
  readMore: string;
  autosaveIdle: string;
  autosaving: string;
  autosaved: (time: string) => string;
  autosaveFailed: string;
  fixErrors: string;
  conflictTitle: string;
  conflict: (who: string, when: string) => string;
  theirs: string;
  mine: string;
  takeTheirs: string;
  keepMine: string;
  status: string;
  statusNames: Record<string, string>;
  inReview: string;
  embargoedUntil: (when: string) => string;
  versions: string;
  version: string;
  kind: string;
  kindNames: Record<string, string>;
  by: string;
  at: string;
  noVersions: string;
  diffTitle: string;
  diffFrom: string;
  diffTo: string;
  showDiff: string;
  actions: string;
  edit: string;
  publish: string;
  update: string;
  correct: string;
  kill: string;
  killTitle: string;
  killWarning: string;
  killReason: string;
  killConfirm: string;
  cancel: string;
  liftEmbargo: string;
  translations: string;
  translate: string;
  translateInto: string;
  original: string;
  noTranslations: string;
  publicPage: string;
  done: Record<string, string>;
  refused: string;
  editorsOnly: string;
  metadata: string;
  revision: string;
  createdBy: string;
  updatedBy: string;
}

const en: StoryStrings = {
  newStory: 'New story',
  editStory: 'Edit story',
  headline: 'Headline',
  deck: 'Deck (one-sentence summary)',
  body: 'Body',
  byline: 'Byline',
  bylineHelp: 'One name a line.',
  dateline: 'Dateline',
  place: 'Place',
  reporter: 'Reporter',
  agency: 'Agency',
  categories: 'Categories',
  keywords: 'Keywords',
  hashtags: 'Hashtags',
  listHelp: 'Separated by commas.',
  urgency: 'Urgency',
  urgencyNames: { 1: '1 Flash', 2: '2 Urgent', 3: '3 Important', 4: '4 Routine', 5: '5 Special', 6: '6 Archive', 7: '7', 8: '8', 9: '9' },
  embargo: 'Embargo until',
  embargoHelp: 'Leave empty for no embargo.',
  timeZone: 'Time zone of the embargo',
  storyLanguage: 'Story language',
  desk: 'Desk',
  slugline: 'Slugline',
  photos: 'Photos',
  photo: (n) => `Photo ${n}`,
  photoUrl: 'Image address (URL)',
  caption: 'Caption',
  credit: 'Credit',
  mediaId: 'Uploaded asset',
  uploadTitle: 'Upload a photo',
  uploadHelp: 'Drop an image here, or choose a file.',
  uploadChoose: 'Choose an image file',
  uploadUse: 'Use in the story',
  uploadState: { queued: 'waiting to be processed', running: 'being processed', done: 'ready', failed: 'failed', uploading: 'uploading…' },
  save: 'Save draft',
  saveAndPublish: 'Save and publish',
  saveAndUpdate: 'Save and publish the update',
  saveAndCorrect: 'Save and publish as a correction',
  correctionNote: 'Correction note (public)',
  correctionNoteHelp: 'Required for a correction: what was corrected, as readers will see it.',
  submit: 'Submit for review',
  withdraw: 'Withdraw from review',
  preview: 'Preview',
  previewTitle: 'Preview',
  previewPublic: 'What the public site shows',
  previewSubscribers: 'What subscribers receive',
  readMore: 'The rest of the story goes to subscribers only.',
  autosaveIdle: 'Changes are saved automatically.',
  autosaving: 'Saving…',
  autosaved: (time) => `Saved at ${time}.`,
  autosaveFailed: 'Not saved: fix the fields marked below.',
  fixErrors: 'The story was not saved: fix the fields marked below.',
  conflictTitle: 'Someone else saved this draft first',
  conflict: (who, when) => `${who} saved this draft at ${when}. Nothing of yours was overwritten: compare and choose.`,
  theirs: 'Their version',
  mine: 'Your version',
  takeTheirs: 'Take theirs',
  keepMine: 'Keep mine (overwrite theirs knowingly)',
  status: 'Status',
  statusNames: { draft: 'Draft', published: 'Published', killed: 'Killed', submitted: 'In review', embargoed: 'Embargoed' },
  inReview: 'Waiting for an editor’s review.',
  embargoedUntil: (when) => `Embargoed until ${when}`,
  versions: 'Versions',
  version: 'Version',
  kind: 'Event',
  kindNames: { published: 'Published', updated: 'Updated', corrected: 'Corrected', killed: 'Killed', 'embargo-lifted': 'Embargo lifted' },
  by: 'By',
  at: 'At',
  noVersions: 'Not published yet.',
  diffTitle: 'Differences between versions',
  diffFrom: 'From version',
  diffTo: 'To version',
  showDiff: 'Show the differences',
  actions: 'Publishing',
  edit: 'Edit',
  publish: 'Publish',
  update: 'Publish the update',
  correct: 'Publish as a correction',
  kill: 'Kill…',
  killTitle: 'Kill this story',
  killWarning: 'Subscribers will be told to remove every version of this story they received. This cannot be undone.',
  killReason: 'Reason (sent to subscribers)',
  killConfirm: 'Kill the story',
  cancel: 'Cancel',
  liftEmbargo: 'Lift the embargo now',
  translations: 'Translations',
  translate: 'Translate',
  translateInto: 'Into language',
  original: 'Original',
  noTranslations: 'No translations yet.',
  publicPage: 'Public page',
  done: {
    created: 'Draft created.',
    saved: 'Draft saved.',
    published: 'Published.',
    updated: 'Update published.',
    corrected: 'Correction published.',
    killed: 'Killed: subscribers are told to remove it.',
    'embargo-lifted': 'Embargo lifted.',
    submitted: 'Submitted for review.',
    withdrawn: 'Withdrawn from review.',
  },
  refused: 'Not done',
  editorsOnly: 'Only editors and administrators publish.',
  metadata: 'Details',
  revision: 'Revision',
  createdBy: 'Created by',
  updatedBy: 'Last saved by',
};

const ar: StoryStrings = {
  newStory: 'خبر جديد',
  editStory: 'تحرير الخبر',
  headline: 'العنوان',
  deck: 'الموجز (جملة واحدة)',
  body: 'نص الخبر',
  byline: 'الكتّاب',
  bylineHelp: 'اسم في كل سطر.',
  dateline: 'سطر المكان',
  place: 'المكان',
  reporter: 'المراسل',
  agency: 'الوكالة',
  categories: 'التصنيفات',
  keywords: 'الكلمات المفتاحية',
  hashtags: 'الوسوم',
  listHelp: 'تفصل بينها فواصل.',
  urgency: 'الأهمية',
  urgencyNames: { 1: '1 عاجل جدًا', 2: '2 عاجل', 3: '3 مهم', 4: '4 عادي', 5: '5 خاص', 6: '6 أرشيف', 7: '7', 8: '8', 9: '9' },
  embargo: 'محظور النشر حتى',
  embargoHelp: 'اتركه فارغًا إن لم يكن هناك حظر.',
  timeZone: 'المنطقة الزمنية للحظر',
  storyLanguage: 'لغة الخبر',
  desk: 'القسم',
  slugline: 'الكلمة الدالة',
  photos: 'الصور',
  photo: (n) => `الصورة ${n}`,
  photoUrl: 'عنوان الصورة (URL)',
  caption: 'التعليق',
  credit: 'المصدر',
  mediaId: 'ملف مرفوع',
  uploadTitle: 'رفع صورة',
  uploadHelp: 'اسحب صورة وأفلتها هنا، أو اختر ملفًا.',
  uploadChoose: 'اختر ملف صورة',
  uploadUse: 'استخدمها في الخبر',
  uploadState: { queued: 'في انتظار المعالجة', running: 'قيد المعالجة', done: 'جاهزة', failed: 'فشلت', uploading: 'جارٍ الرفع…' },
  save: 'حفظ المسودة',
  saveAndPublish: 'حفظ ونشر',
  saveAndUpdate: 'حفظ ونشر التحديث',
  saveAndCorrect: 'حفظ ونشر كتصحيح',
  correctionNote: 'ملاحظة التصحيح (علنية)',
  correctionNoteHelp: 'مطلوبة للتصحيح: ما الذي صُحّح، كما سيراه القراء.',
  submit: 'إرسال للمراجعة',
  withdraw: 'سحب من المراجعة',
  preview: 'معاينة',
  previewTitle: 'معاينة',
  previewPublic: 'ما يعرضه الموقع العام',
  previewSubscribers: 'ما يتلقاه المشتركون',
  readMore: 'بقية الخبر للمشتركين فقط.',
  autosaveIdle: 'تُحفظ التغييرات تلقائيًا.',
  autosaving: 'جارٍ الحفظ…',
  autosaved: (time) => `حُفظ في ${time}.`,
  autosaveFailed: 'لم يُحفظ: صحّح الحقول المشار إليها أدناه.',
  fixErrors: 'لم يُحفظ الخبر: صحّح الحقول المشار إليها أدناه.',
  conflictTitle: 'شخص آخر حفظ هذه المسودة قبلك',
  conflict: (who, when) => `حفظ ${who} هذه المسودة في ${when}. لم يُستبدل شيء مما كتبته: قارن واختر.`,
  theirs: 'نسختهم',
  mine: 'نسختك',
  takeTheirs: 'اعتماد نسختهم',
  keepMine: 'الإبقاء على نسختي (استبدال نسختهم عن علم)',
  status: 'الحالة',
  statusNames: { draft: 'مسودة', published: 'منشور', killed: 'ملغى', submitted: 'قيد المراجعة', embargoed: 'محظور النشر' },
  inReview: 'في انتظار مراجعة محرر.',
  embargoedUntil: (when) => `محظور النشر حتى ${when}`,
  versions: 'النسخ',
  version: 'النسخة',
  kind: 'الحدث',
  kindNames: { published: 'نُشر', updated: 'حُدّث', corrected: 'صُحّح', killed: 'أُلغي', 'embargo-lifted': 'رُفع الحظر' },
  by: 'بواسطة',
  at: 'في',
  noVersions: 'لم يُنشر بعد.',
  diffTitle: 'الفروق بين النسخ',
  diffFrom: 'من النسخة',
  diffTo: 'إلى النسخة',
  showDiff: 'اعرض الفروق',
  actions: 'النشر',
  edit: 'تحرير',
  publish: 'نشر',
  update: 'نشر التحديث',
  correct: 'نشر كتصحيح',
  kill: 'إلغاء…',
  killTitle: 'إلغاء هذا الخبر',
  killWarning: 'سيُطلب من المشتركين حذف كل نسخة تلقوها من هذا الخبر. لا يمكن التراجع عن ذلك.',
  killReason: 'السبب (يُرسل إلى المشتركين)',
  killConfirm: 'ألغِ الخبر',
  cancel: 'تراجع',
  liftEmbargo: 'ارفع الحظر الآن',
  translations: 'الترجمات',
  translate: 'ترجمة',
  translateInto: 'إلى اللغة',
  original: 'الأصل',
  noTranslations: 'لا ترجمات بعد.',
  publicPage: 'الصفحة العامة',
  done: {
    created: 'أُنشئت المسودة.',
    saved: 'حُفظت المسودة.',
    published: 'نُشر الخبر.',
    updated: 'نُشر التحديث.',
    corrected: 'نُشر التصحيح.',
    killed: 'أُلغي الخبر: طُلب من المشتركين حذفه.',
    'embargo-lifted': 'رُفع الحظر.',
    submitted: 'أُرسل للمراجعة.',
    withdrawn: 'سُحب من المراجعة.',
  },
  refused: 'لم يتم',
  editorsOnly: 'النشر للمحررين والمديرين فقط.',
  metadata: 'التفاصيل',
  revision: 'المراجعة',
  createdBy: 'أنشأه',
  updatedBy: 'آخر من حفظه',
};

const tr: StoryStrings = {
  newStory: 'Yeni haber',
  editStory: 'Haberi düzenle',
  headline: 'Başlık',
  deck: 'Spot (tek cümlelik özet)',
  body: 'Metin',
  byline: 'Yazarlar',
  bylineHelp: 'Her satıra bir ad.',
  dateline: 'Yer satırı',
  place: 'Yer',
  reporter: 'Muhabir',
  agency: 'Ajans',
  categories: 'Kategoriler',
  keywords: 'Anahtar kelimeler',
  hashtags: 'Etiketler',
  listHelp: 'Virgülle ayrılmış.',
  urgency: 'Öncelik',
  urgencyNames: { 1: '1 Flaş', 2: '2 Acil', 3: '3 Önemli', 4: '4 Olağan', 5: '5 Özel', 6: '6 Arşiv', 7: '7', 8: '8', 9: '9' },
  embargo: 'Ambargo bitişi',
  embargoHelp: 'Ambargo yoksa boş bırakın.',
  timeZone: 'Ambargonun saat dilimi',
  storyLanguage: 'Haberin dili',
  desk: 'Masa',
  slugline: 'Künye',
  photos: 'Fotoğraflar',
  photo: (n) => `Fotoğraf ${n}`,
  photoUrl: 'Görsel adresi (URL)',
  caption: 'Altyazı',
  credit: 'Kaynak',
  mediaId: 'Yüklenen dosya',
  uploadTitle: 'Fotoğraf yükle',
  uploadHelp: 'Bir görseli buraya bırakın ya da dosya seçin.',
  uploadChoose: 'Görsel dosyası seçin',
  uploadUse: 'Haberde kullan',
  uploadState: { queued: 'işlenmeyi bekliyor', running: 'işleniyor', done: 'hazır', failed: 'başarısız', uploading: 'yükleniyor…' },
  save: 'Taslağı kaydet',
  saveAndPublish: 'Kaydet ve yayımla',
  saveAndUpdate: 'Kaydet ve güncellemeyi yayımla',
  saveAndCorrect: 'Kaydet ve düzeltme olarak yayımla',
  correctionNote: 'Düzeltme notu (herkese açık)',
  correctionNoteHelp: 'Düzeltme için gerekli: neyin düzeltildiği, okurların göreceği biçimde.',
  submit: 'İncelemeye gönder',
  withdraw: 'İncelemeden geri çek',
  preview: 'Önizleme',
  previewTitle: 'Önizleme',
  previewPublic: 'Sitede görünen',
  previewSubscribers: 'Abonelere giden',
  readMore: 'Haberin devamı yalnızca abonelere gider.',
  autosaveIdle: 'Değişiklikler kendiliğinden kaydedilir.',
  autosaving: 'Kaydediliyor…',
  autosaved: (time) => `${time} itibarıyla kaydedildi.`,
  autosaveFailed: 'Kaydedilmedi: aşağıda işaretli alanları düzeltin.',
  fixErrors: 'Haber kaydedilmedi: aşağıda işaretli alanları düzeltin.',
  conflictTitle: 'Bu taslağı önce başkası kaydetti',
  conflict: (who, when) => `${who} bu taslağı ${when} saatinde kaydetti. Sizin metniniz silinmedi: karşılaştırıp seçin.`,
  theirs: 'Onların sürümü',
  mine: 'Sizin sürümünüz',
  takeTheirs: 'Onlarınkini al',
  keepMine: 'Benimkini koru (onlarınkinin üzerine bilerek yaz)',
  status: 'Durum',
  statusNames: { draft: 'Taslak', published: 'Yayımlandı', killed: 'İptal edildi', submitted: 'İncelemede', embargoed: 'Ambargolu' },
  inReview: 'Bir editörün incelemesini bekliyor.',
  embargoedUntil: (when) => `${when} saatine kadar ambargolu`,
  versions: 'Sürümler',
  version: 'Sürüm',
  kind: 'Olay',
  kindNames: { published: 'Yayımlandı', updated: 'Güncellendi', corrected: 'Düzeltildi', killed: 'İptal edildi', 'embargo-lifted': 'Ambargo kalktı' },
  by: 'Yapan',
  at: 'Zaman',
  noVersions: 'Henüz yayımlanmadı.',
  diffTitle: 'Sürümler arasındaki farklar',
  diffFrom: 'Şu sürümden',
  diffTo: 'Şu sürüme',
  showDiff: 'Farkları göster',
  actions: 'Yayın',
  edit: 'Düzenle',
  publish: 'Yayımla',
  update: 'Güncellemeyi yayımla',
  correct: 'Düzeltme olarak yayımla',
  kill: 'İptal et…',
  killTitle: 'Bu haberi iptal et',
  killWarning: 'Abonelere bu haberin aldıkları her sürümünü kaldırmaları söylenecek. Geri alınamaz.',
  killReason: 'Gerekçe (abonelere gider)',
  killConfirm: 'Haberi iptal et',
  cancel: 'Vazgeç',
  liftEmbargo: 'Ambargoyu şimdi kaldır',
  translations: 'Çeviriler',
  translate: 'Çevir',
  translateInto: 'Hedef dil',
  original: 'Özgün',
  noTranslations: 'Henüz çeviri yok.',
  publicPage: 'Herkese açık sayfa',
  done: {
    created: 'Taslak oluşturuldu.',
    saved: 'Taslak kaydedildi.',
    published: 'Yayımlandı.',
    updated: 'Güncelleme yayımlandı.',
    corrected: 'Düzeltme yayımlandı.',
    killed: 'İptal edildi: abonelere kaldırmaları söylendi.',
    'embargo-lifted': 'Ambargo kaldırıldı.',
    submitted: 'İncelemeye gönderildi.',
    withdrawn: 'İncelemeden geri çekildi.',
  },
  refused: 'Yapılmadı',
  editorsOnly: 'Yalnızca editörler ve yöneticiler yayımlar.',
  metadata: 'Ayrıntılar',
  revision: 'Revizyon',
  createdBy: 'Oluşturan',
  updatedBy: 'Son kaydeden',
};

export const STORY_STRINGS: Record<InterfaceLanguage, StoryStrings> = { en, ar, tr };

/** Story languages the editor offers (any BCP 47 tag is accepted by the model; these are the desk's usual ones). */
export const STORY_LANGUAGES: [string, string][] = [
  ['ar', 'العربية'],
  ['tr', 'Türkçe'],
  ['en', 'English'],
  ['fr', 'Français'],
  ['fa', 'فارسی'],
  ['ku', 'Kurdî'],
  ['ru', 'Русский'],
  ['es', 'Español'],
  ['de', 'Deutsch'],
];
