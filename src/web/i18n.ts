// The site's own words in each edition's language. Story text is never translated here: only chrome.
import { directionOf } from '../model/story.ts';

export const LANGUAGES = ['ar', 'tr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(x: string): x is Lang {
  return (LANGUAGES as readonly string[]).includes(x);
}

/** The edition a story belongs to (`en-GB` → `en`); unknown languages fall back to English chrome. */
export function editionOf(language: string): Lang {
  const primary = language.split('-')[0].toLowerCase();
  return isLang(primary) ? primary : 'en';
}

export const NATIVE_NAMES: Record<Lang, string> = { ar: 'العربية', tr: 'Türkçe', en: 'English' };

export interface Strings {
  siteName: string;
  tagline: string;
  skip: string;
  home: string;
  latest: string;
  categories: string;
  search: string;
  searchLabel: string;
  searchButton: string;
  searchNone: string;
  /** The query could not be read (unclosed quote or bracket, …). */
  searchInvalid: string;
  searchResults: (n: number) => string;
  subscribe: string;
  urgent: string;
  published: string;
  updated: string;
  by: string;
  photo: string;
  correction: string;
  alsoIn: string;
  more: string;
  ctaTitle: string;
  ctaText: string;
  ctaButton: string;
  withdrawnTitle: string;
  withdrawnText: string;
  notFoundTitle: string;
  notFoundText: string;
  badRequestTitle: string;
  badRequestText: string;
  newStories: (n: number) => string;
  showNew: string;
  feed: string;
  languages: string;
  subscribeTitle: string;
  subscribeIntro: string;
  subscribeIncludes: string[];
  formName: string;
  formEmail: string;
  formOrganisation: string;
  formMessage: string;
  formSend: string;
  formThanks: string;
  formInvalid: string;
  /** Shown under a form field whose text is longer than its limit. */
  formTooLong: (max: number) => string;
  /** The page a reader gets after sending the form too often from one address. */
  formTooOften: (minutes: number) => string;
  footer: string;
  noStories: string;
  olderStories: string;
  /** Links between pages of search results. */
  nextResults: string;
  previousResults: string;
}

export const STRINGS: Record<Lang, Strings> = {
  ar: {
    siteName: 'نيوزفلو',
    tagline: 'وكالة أنباء',
    skip: 'انتقل إلى المحتوى',
    home: 'الرئيسية',
    latest: 'آخر الأخبار',
    categories: 'الأقسام',
    search: 'بحث',
    searchLabel: 'ابحث في الأخبار',
    searchButton: 'ابحث',
    searchNone: 'لا توجد نتائج.',
    searchInvalid: 'تعذّرت قراءة عبارة البحث: تأكّد من إغلاق علامات التنصيص والأقواس، أو ابحث بكلمات بسيطة.',
    searchResults: (n) => `${n} نتيجة`,
    subscribe: 'اشترك',
    urgent: 'عاجل',
    published: 'نُشر',
    updated: 'حُدّث',
    by: 'بقلم',
    photo: 'صورة',
    correction: 'تصحيح',
    alsoIn: 'اقرأ أيضاً بلغة أخرى',
    more: 'المزيد',
    ctaTitle: 'تتمة الخبر للمشتركين',
    ctaText: 'ما يُنشر على هذه الصفحة جزء مختصر مما يتلقاه المشتركون عبر نظام تدفق الأخبار: النص الكامل والصور بدقة عالية والتحديثات الفورية.',
    ctaButton: 'اشترك لقراءة النص الكامل',
    withdrawnTitle: 'سُحب هذا الخبر',
    withdrawnText: 'سحبت الوكالة هذا الخبر ولم يعد متاحاً.',
    notFoundTitle: 'الصفحة غير موجودة',
    notFoundText: 'لم نعثر على الصفحة التي طلبتها. ربما نُقلت أو لم تعد موجودة.',
    badRequestTitle: 'طلب غير صالح',
    badRequestText: 'تعذّر فهم هذا الطلب.',
    newStories: (n) => (n === 1 ? 'خبر جديد' : `${n} أخبار جديدة`),
    showNew: 'اعرض',
    feed: 'خلاصة Atom',
    languages: 'اللغات',
    subscribeTitle: 'اشترك في خدمة الأخبار',
    subscribeIntro: 'يتلقى المشتركون القصص كاملة لحظة نشرها، بصيغ قياسية تناسب غرف الأخبار.',
    subscribeIncludes: [
      'النص الكامل لكل خبر وتقرير وتحديثاته وتصحيحاته',
      'تدفق مباشر (بث فوري وخطافات ويب) بصيغ NewsML-G2 وninjs وAtom',
      'الصور بدقة عالية مع حقوق النشر',
      'الأخبار المحظورة قبل موعد نشرها للمشتركين المخوّلين',
      'أرشيف قابل للبحث باللغات العربية والتركية والإنجليزية',
    ],
    formName: 'الاسم',
    formEmail: 'البريد الإلكتروني',
    formOrganisation: 'المؤسسة',
    formMessage: 'رسالتك',
    formSend: 'أرسل',
    formThanks: 'شكراً لك، سيتواصل معك فريقنا قريباً.',
    formInvalid: 'يرجى إدخال الاسم وبريد إلكتروني صحيح.',
    formTooLong: (max) => `النص أطول من الحد المسموح (${max} حرفاً). يرجى اختصاره.`,
    formTooOften: (m) => `وصلتنا عدة رسائل منك خلال وقت قصير. يرجى المحاولة مجدداً بعد ${m} دقيقة تقريباً.`,
    footer: 'جميع الحقوق محفوظة. يعرض هذا الموقع جزءاً مختصراً من الأخبار.',
    noStories: 'لا توجد أخبار بعد.',
    olderStories: 'أخبار أقدم',
    nextResults: 'النتائج التالية',
    previousResults: 'النتائج السابقة',
  },
  tr: {
    siteName: 'Newsflow',
    tagline: 'Haber Ajansı',
    skip: 'İçeriğe geç',
    home: 'Ana sayfa',
    latest: 'Son haberler',
    categories: 'Kategoriler',
    search: 'Ara',
    searchLabel: 'Haberlerde ara',
    searchButton: 'Ara',
    searchNone: 'Sonuç bulunamadı.',
    searchInvalid: 'Arama ifadesi okunamadı: tırnak ve parantezlerin kapandığından emin olun ya da sade kelimelerle arayın.',
    searchResults: (n) => `${n} sonuç`,
    subscribe: 'Abone ol',
    urgent: 'Son dakika',
    published: 'Yayınlanma',
    updated: 'Güncelleme',
    by: 'Yazan',
    photo: 'Fotoğraf',
    correction: 'Düzeltme',
    alsoIn: 'Bu haber diğer dillerde',
    more: 'Devamı',
    ctaTitle: 'Haberin devamı abonelere özel',
    ctaText:
      'Bu sayfada yayımlanan haberler, abonelerin haber akış sistemiyle aldıklarının kısaltılmış bir bölümüdür: tam metin, yüksek çözünürlüklü fotoğraflar ve anlık güncellemeler.',
    ctaButton: 'Tam metin için abone olun',
    withdrawnTitle: 'Bu haber geri çekildi',
    withdrawnText: 'Ajans bu haberi geri çekti; haber artık yayında değil.',
    notFoundTitle: 'Sayfa bulunamadı',
    notFoundText: 'Aradığınız sayfayı bulamadık. Taşınmış ya da kaldırılmış olabilir.',
    badRequestTitle: 'Geçersiz istek',
    badRequestText: 'Bu istek anlaşılamadı.',
    newStories: (n) => `${n} yeni haber`,
    showNew: 'Göster',
    feed: 'Atom akışı',
    languages: 'Diller',
    subscribeTitle: 'Haber servisine abone olun',
    subscribeIntro: 'Aboneler haberlerin tamamını yayımlandığı anda, haber merkezlerine uygun standart biçimlerde alır.',
    subscribeIncludes: [
      'Her haberin ve raporun tam metni, güncellemeleri ve düzeltmeleri',
      'Canlı akış (anlık yayın ve webhook) NewsML-G2, ninjs ve Atom biçimlerinde',
      'Yayın haklarıyla yüksek çözünürlüklü fotoğraflar',
      'Yetkili abonelere ambargolu haberler yayın saatinden önce',
      'Arapça, Türkçe ve İngilizce aranabilir arşiv',
    ],
    formName: 'Adınız',
    formEmail: 'E-posta',
    formOrganisation: 'Kurum',
    formMessage: 'Mesajınız',
    formSend: 'Gönder',
    formThanks: 'Teşekkürler, ekibimiz kısa süre içinde sizinle iletişime geçecek.',
    formInvalid: 'Lütfen adınızı ve geçerli bir e-posta adresi girin.',
    formTooLong: (max) => `Bu alan en fazla ${max} karakter olabilir. Lütfen kısaltın.`,
    formTooOften: (m) => `Kısa sürede birkaç mesajınız bize ulaştı. Lütfen yaklaşık ${m} dakika sonra yeniden deneyin.`,
    footer: 'Tüm hakları saklıdır. Bu site haberlerin kısaltılmış bir bölümünü gösterir.',
    noStories: 'Henüz haber yok.',
    olderStories: 'Daha eski haberler',
    nextResults: 'Sonraki sonuçlar',
    previousResults: 'Önceki sonuçlar',
  },
  en: {
    siteName: 'Newsflow',
    tagline: 'News Agency',
    skip: 'Skip to content',
    home: 'Home',
    latest: 'Latest news',
    categories: 'Sections',
    search: 'Search',
    searchLabel: 'Search the news',
    searchButton: 'Search',
    searchNone: 'No results.',
    searchInvalid: 'We could not read that search: check that quotes and brackets are closed, or search with plain words.',
    searchResults: (n) => `${n} result${n === 1 ? '' : 's'}`,
    subscribe: 'Subscribe',
    urgent: 'Urgent',
    published: 'Published',
    updated: 'Updated',
    by: 'By',
    photo: 'Photo',
    correction: 'Correction',
    alsoIn: 'Also available in',
    more: 'More',
    ctaTitle: 'The rest of this story is for subscribers',
    ctaText:
      'News published on this site is a shortened part of what subscribers receive through the news flow: the full text, high-resolution photos and instant updates.',
    ctaButton: 'Subscribe to read the full story',
    withdrawnTitle: 'This story has been withdrawn',
    withdrawnText: 'The agency has withdrawn this story; it is no longer available.',
    notFoundTitle: 'Page not found',
    notFoundText: 'We could not find the page you asked for. It may have moved or no longer exist.',
    badRequestTitle: 'Bad request',
    badRequestText: 'This request could not be understood.',
    newStories: (n) => `${n} new ${n === 1 ? 'story' : 'stories'}`,
    showNew: 'Show',
    feed: 'Atom feed',
    languages: 'Languages',
    subscribeTitle: 'Subscribe to the news service',
    subscribeIntro: 'Subscribers receive every story in full the moment it is published, in standard formats that newsrooms ingest.',
    subscribeIncludes: [
      'The full text of every story and report, with its updates and corrections',
      'A live flow (streaming and webhooks) in NewsML-G2, ninjs and Atom',
      'High-resolution photos with publication rights',
      'Embargoed stories ahead of release for entitled subscribers',
      'A searchable archive in Arabic, Turkish and English',
    ],
    formName: 'Name',
    formEmail: 'Email',
    formOrganisation: 'Organisation',
    formMessage: 'Message',
    formSend: 'Send',
    formThanks: 'Thank you, our team will be in touch shortly.',
    formInvalid: 'Please enter your name and a valid email address.',
    formTooLong: (max) => `This field takes at most ${max} characters. Please shorten it.`,
    formTooOften: (m) => `We have received several messages from you in a short time. Please try again in about ${m} minute${m === 1 ? '' : 's'}.`,
    footer: 'All rights reserved. This site shows a shortened part of each story.',
    noStories: 'No stories yet.',
    olderStories: 'Older stories',
    nextResults: 'Next results',
    previousResults: 'Previous results',
  },
};

export function dirOf(lang: Lang): 'rtl' | 'ltr' {
  return directionOf(lang);
}

/** The edition a reader prefers by Accept-Language (q-values honoured); Arabic, the agency's first, by default. */
export function negotiate(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'ar';
  const ranked = acceptLanguage
    .slice(0, 500)
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
      return { lang: tag.split('-')[0].toLowerCase(), q: q ? Number(q[1]) : 1, i };
    })
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked.find((r) => isLang(r.lang))?.lang as Lang | undefined) ?? 'ar';
}
