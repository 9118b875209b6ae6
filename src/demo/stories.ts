// The demo newsroom loaded into a new database. Every word here was written for this project: the
// seed and the corpora are third-party text and must never appear in the repository. The stories are
// invented but shaped like the seed (two categories, deck, dateline, subheadings, hashtags in the body,
// a captioned photo) so every layer has realistic Arabic, Turkish and English content offline.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Block, Person, StoryContent, Urgency } from '../model/story.ts';
import { mergeHashtags } from '../model/hashtags.ts';

/** Folder of the demo photos (SVG), to be served under DEMO_IMAGE_URL_PREFIX. */
export const DEMO_IMAGES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'images');
export const DEMO_IMAGE_URL_PREFIX = '/static/demo/';

export const DEMO_AGENCY = {
  ar: 'وكالة نيوزفلو التجريبية',
  tr: 'Newsflow Demo Ajansı',
  en: 'Newsflow Demo Agency',
} as const;

export interface DemoStory {
  /** Stable name of the demo story (`water-conference-en`). */
  key: string;
  /** Key of the story this one translates; that story always comes earlier in the list. */
  translationOfKey?: string;
  content: StoryContent;
}

type Lang = keyof typeof DEMO_AGENCY;

interface Draft {
  key: string;
  translationOfKey?: string;
  language: Lang;
  urgency: Urgency;
  slugline: string;
  categories: [string, string];
  keywords: string[];
  headline: string;
  deck: string;
  place: string;
  placeNames?: Record<string, string>;
  reporter: Person;
  image: string;
  caption: string;
  /** `## ` starts a subheading; everything else is a paragraph. */
  body: string[];
}

function build(d: Draft): DemoStory {
  const body: Block[] = d.body.map((text) => (text.startsWith('## ') ? { type: 'subheading', text: text.slice(3) } : { type: 'paragraph', text }));
  const content: StoryContent = {
    language: d.language,
    headline: d.headline,
    deck: d.deck,
    body,
    byline: [{ ...d.reporter, role: 'reporter' }],
    dateline: {
      place: d.place,
      ...(d.placeNames ? { placeNames: d.placeNames } : {}),
      reporter: d.reporter.name,
      agency: DEMO_AGENCY[d.language],
    },
    categories: [...d.categories],
    keywords: d.keywords,
    hashtags: mergeHashtags([], body),
    photos: [
      {
        url: `${DEMO_IMAGE_URL_PREFIX}${d.image}.svg`,
        caption: d.caption,
        credit: DEMO_AGENCY[d.language],
        altText: d.caption,
        width: 1200,
        height: 675,
        mimeType: 'image/svg+xml',
      },
    ],
    urgency: d.urgency,
    embargoUntil: null,
    mediaType: 'text',
    slugline: d.slugline,
    provenance: { source: 'newsflow-demo', originalIds: { demo: d.key } },
  };
  return { key: d.key, ...(d.translationOfKey ? { translationOfKey: d.translationOfKey } : {}), content };
}

const DRAFTS: Draft[] = [
  {
    key: 'water-conference-en',
    language: 'en',
    urgency: 4,
    slugline: 'WATER-CONFERENCE',
    categories: ['Middle East', 'Environment'],
    keywords: ['water', 'rivers', 'conference', 'Amman'],
    headline: 'Ministers from five countries agree to share river-flow data in real time',
    deck: 'A two-day regional water conference in Amman ends with a plan for joint monitoring stations and a yearly review of shared basins',
    place: 'Amman',
    placeNames: { ar: 'عمّان', tr: 'Amman' },
    reporter: { name: 'Sarah Whitfield', names: { en: 'Sarah Whitfield', ar: 'سارة ويتفيلد' } },
    image: 'water-conference',
    caption: 'Water ministers at the closing session of the conference in Amman',
    body: [
      'Water ministers from five neighbouring countries agreed on Thursday to exchange river-flow and reservoir data in real time, closing a two-day regional conference in Amman that organisers called the most practical in a decade.',
      'Under the plan, each country will install automatic gauging stations on the rivers it shares with its neighbours and publish the readings on a common platform every fifteen minutes.',
      '## Stations before summer',
      'The first twenty stations are due to be running before the summer, when demand for irrigation peaks and low flows have in past years led to quarrels between farming villages on either side of a border.',
      '"Numbers that everyone can see are where trust begins," said the conference chair, Hana Mourad, adding that engineers from all five countries would inspect the instruments together.',
      '## A yearly review',
      "The ministers also agreed to meet every spring to review the season's data and to commission a joint study of groundwater, which several delegations said is being drawn down faster than it recharges.",
      'Delegates and observers followed the sessions online under #WaterTogether and #SharedRivers.',
    ],
  },
  {
    key: 'water-conference-ar',
    translationOfKey: 'water-conference-en',
    language: 'ar',
    urgency: 4,
    slugline: 'WATER-CONFERENCE',
    categories: ['الشرق الأوسط', 'البيئة'],
    keywords: ['المياه', 'الأنهار', 'مؤتمر', 'عمّان'],
    headline: 'وزراء من خمس دول يتفقون على تبادل بيانات تدفق الأنهار بشكل فوري',
    deck: 'مؤتمر إقليمي للمياه في عمّان يختتم أعماله بخطة لمحطات رصد مشتركة ومراجعة سنوية للأحواض المشتركة',
    place: 'عمّان',
    placeNames: { en: 'Amman', tr: 'Amman' },
    reporter: { name: 'سارة ويتفيلد', names: { ar: 'سارة ويتفيلد', en: 'Sarah Whitfield' } },
    image: 'water-conference',
    caption: 'وزراء المياه خلال الجلسة الختامية للمؤتمر في عمّان',
    body: [
      'اتفق وزراء المياه في خمس دول متجاورة، الخميس، على تبادل بيانات تدفق الأنهار ومنسوب الخزانات بشكل فوري، في ختام مؤتمر إقليمي استمر يومين في عمّان ووصفه المنظمون بأنه الأكثر عملية منذ عقد.',
      'وبموجب الخطة، ستركّب كل دولة محطات قياس آلية على الأنهار التي تتقاسمها مع جيرانها، وتنشر قراءاتها على منصة مشتركة كل خمس عشرة دقيقة.',
      '## محطات قبل الصيف',
      'ومن المقرر أن تعمل أول عشرين محطة قبل حلول الصيف، حين يبلغ الطلب على الري ذروته، وحين أدى انخفاض التدفق في سنوات سابقة إلى خلافات بين القرى الزراعية على جانبي الحدود.',
      'وقالت رئيسة المؤتمر هناء مراد: "الأرقام التي يراها الجميع هي حيث تبدأ الثقة"، مضيفة أن مهندسين من الدول الخمس سيفحصون الأجهزة معاً.',
      '## مراجعة سنوية',
      'كما اتفق الوزراء على الاجتماع كل ربيع لمراجعة بيانات الموسم، وعلى تكليف دراسة مشتركة حول المياه الجوفية، التي قالت عدة وفود إنها تُستنزف بوتيرة أسرع من تجدّدها.',
      'وتابع المندوبون والمراقبون الجلسات عبر الإنترنت تحت وسمي #مياه_مشتركة و #أنهار_بلا_حدود.',
    ],
  },
  {
    // Bidi test: Arabic text with Arabic-Indic digits, Latin names inside, and a few vowelled words.
    key: 'library-digitisation-ar',
    language: 'ar',
    urgency: 4,
    slugline: 'LIBRARY-DIGITISATION',
    categories: ['ثقافة', 'تكنولوجيا'],
    keywords: ['مكتبات', 'مخطوطات', 'رقمنة', 'صفاقس'],
    headline: 'المكتبة البلدية في صفاقس تبدأ رقمنة ١٢٬٤٠٠ مخطوطة ووثيقة قديمة',
    deck: 'مشروع يمتد ثلاث سنوات يتيح المَخطوطات للباحثين والقرّاء مجاناً عبر الإنترنت',
    place: 'صفاقس',
    placeNames: { fr: 'Sfax', en: 'Sfax', tr: 'Sfaks' },
    reporter: { name: 'ليلى بن عمر', names: { ar: 'ليلى بن عمر', fr: 'Leïla Ben Omar' } },
    image: 'library-digitisation',
    caption: 'ماسح ضوئي يصوّر صفحات مخطوطة في المكتبة البلدية بصفاقس',
    body: [
      'بدأت المكتبة البلدية في صفاقس مشروعاً لرقمنة ١٢٬٤٠٠ مخطوطة ووثيقة قديمة، يُتوقع أن يستمر ثلاث سنوات، على أن تُتاح نتائجه للباحثين والقرّاء مجاناً.',
      'وقالت مديرة المشروع Claire Dubois، وهي خبيرة في حفظ الوثائق، إن الفريق يصوّر نحو ٤٠ صفحة في الساعة باستخدام ماسحات لا تلمس الورق، حفاظاً على المخطوطات الهشّة.',
      '## فهرسة بالعربية والفرنسية',
      'وتُفهرس كل مخطوطة بالعربية والفرنسية مع تاريخها واسم مؤلفها إن عُرف، ويعتمد الفريق على برنامج مفتوح المصدر اسمه OpenShelf 2.4 لإدارة الفهارس.',
      'وأوضحت أن أقدم وثيقة صُوّرت حتى الآن تعود إلى عام ١٢٠٥ للهجرة، وهي سجلّ لأسعار الزيت في أسواق المدينة ذو قيمة عِلميّة كبيرة لمؤرخي الاقتصاد.',
      '## دعوة إلى التطوّع',
      'ودعت المكتبة طلاب الجامعات إلى التطوّع في تدقيق الفهارس، مشيرة إلى أن ٣٥ طالباً سجّلوا أسماءهم في الأسبوع الأول، بينهم الطالب Karim Haddad من كلية الآداب.',
      'ويمكن متابعة تقدّم المشروع عبر وسمي #ذاكرة_صفاقس و #مخطوطات_رقمية على مواقع التواصل.',
    ],
  },
  {
    key: 'cycling-lanes-ar',
    language: 'ar',
    urgency: 4,
    slugline: 'CYCLING-LANES',
    categories: ['مجتمع', 'البيئة'],
    keywords: ['دراجات', 'نقل', 'مراكش'],
    headline: 'مراكش تفتتح 25 كيلومترا من مسارات الدراجات الهوائية',
    deck: 'البلدية تقول إن الشبكة الجديدة تربط الأحياء السكنية بالمدارس والأسواق وتخفف الازدحام في وسط المدينة',
    place: 'مراكش',
    placeNames: { fr: 'Marrakech', en: 'Marrakesh', tr: 'Marakeş' },
    reporter: { name: 'يوسف العلمي', names: { ar: 'يوسف العلمي', fr: 'Youssef El Alami' } },
    image: 'cycling-lanes',
    caption: 'راكبو دراجات على أحد المسارات الجديدة في مراكش',
    body: [
      'افتتحت بلدية مراكش، الأحد، شبكة من مسارات الدراجات الهوائية بطول 25 كيلومترا، تربط الأحياء السكنية بالمدارس والأسواق الرئيسية.',
      'وتفصل حواجز منخفضة المسارات الجديدة عن حركة السيارات، فيما زُوّدت التقاطعات الكبرى بإشارات ضوئية خاصة بالدراجات.',
      '## دراجات للإيجار',
      'وأطلقت البلدية في الوقت نفسه خدمة لتأجير 600 دراجة من 40 محطة، بسعر رمزي للطلاب وكبار السن.',
      'وقال مسؤول النقل في البلدية إن الهدف أن تبلغ حصة التنقل بالدراجة عُشر الرحلات اليومية خلال خمس سنوات.',
      '## ترحيب وملاحظات',
      'ورحّب سكان بالمشروع، فيما طالب آخرون بمزيد من الأشجار والظل على المسارات خلال أشهر الصيف الحارة.',
      'وشارك المستخدمون صور جولاتهم الأولى تحت وسم #مراكش_على_دراجة.',
    ],
  },
  {
    key: 'port-expansion-en',
    language: 'en',
    urgency: 2,
    slugline: 'PORT-EXPANSION',
    categories: ['Economy', 'Transport'],
    keywords: ['port', 'shipping', 'rail', 'Mersin'],
    headline: 'Port authority approves expansion adding two deep-water berths',
    deck: 'The project is expected to double container capacity by 2029 and includes a rail link to an inland logistics zone',
    place: 'Mersin',
    placeNames: { tr: 'Mersin', ar: 'مرسين' },
    reporter: { name: 'Daniel Okafor' },
    image: 'port-expansion',
    caption: 'Container cranes at the port, where two new berths are planned',
    body: [
      "The port authority in Mersin approved on Tuesday an expansion plan that adds two deep-water berths and is expected to double the port's container capacity by 2029.",
      'The plan, which still needs an environmental permit, includes dredging the approach channel and building a rail link to an inland logistics zone 12 kilometres away.',
      '## Rail instead of trucks',
      'Officials said the rail link would take an estimated 900 trucks a day off the coastal road, which residents have long described as congested and noisy.',
      '"Every container that leaves by train is one truck fewer through the town centre," the authority\'s planning director, Elif Kaya, told reporters.',
      '## Consultation opens',
      'A public consultation on the environmental study opens next month. Fishing cooperatives have asked for a guarantee that dredging will pause during the spawning season.',
      'The authority said it would publish the study online and answer questions under #PortConsultation.',
    ],
  },
  {
    key: 'marathon-tr',
    language: 'tr',
    urgency: 1,
    slugline: 'MARATON-REKOR',
    categories: ['Spor', 'Atletizm'],
    keywords: ['maraton', 'rekor', 'İzmir', 'atletizm'],
    headline: "İzmir Maratonu'nda kadınlar parkur rekoru kırıldı",
    deck: 'Ayşe Demir, 2 saat 24 dakika 10 saniyelik derecesiyle önceki rekoru yaklaşık bir dakika geliştirdi',
    place: 'İzmir',
    placeNames: { en: 'Izmir', ar: 'إزمير' },
    reporter: { name: 'Mehmet Yıldız' },
    image: 'marathon',
    caption: 'Koşucular Kordon boyunca uzanan parkurda',
    body: [
      "İzmir Maratonu'nda kadınlar kategorisinde yarışan Ayşe Demir, 2 saat 24 dakika 10 saniyelik derecesiyle parkur rekorunu kırdı.",
      'Kordon boyunca uzanan parkurda serin bir sabahta koşan Demir, önceki rekoru yaklaşık bir dakika geliştirdi.',
      '## Binlerce koşucu yarıştı',
      'Organizasyon komitesine göre maraton, yarı maraton ve 10 kilometre koşularına 42 ülkeden yaklaşık 9 bin sporcu katıldı.',
      'Erkeklerde yarışı 2 saat 11 dakikalık derecesiyle Kerem Aksoy kazandı.',
      '## Şehir trafiği düzenlendi',
      'Yarış boyunca sahil yolu trafiğe kapatıldı, toplu taşıma seferleri sabah saatlerinde artırıldı.',
      'Koşucular ve seyirciler günün fotoğraflarını #İzmirMaratonu ve #KoşİzmirKoş etiketleriyle paylaştı.',
    ],
  },
  {
    key: 'science-fair-tr',
    language: 'tr',
    urgency: 4,
    slugline: 'BILIM-SENLIGI',
    categories: ['Eğitim', 'Bilim'],
    keywords: ['bilim şenliği', 'öğrenciler', 'Eskişehir'],
    headline: "Eskişehir'de lise öğrencileri bilim şenliğinde 120 proje sergiledi",
    deck: 'Güneş enerjili sulama sisteminden depreme dayanıklı model binalara kadar projeler üç gün boyunca ziyaretçilere açık',
    place: 'Eskişehir',
    placeNames: { en: 'Eskisehir', ar: 'إسكي شهير' },
    reporter: { name: 'Zeynep Arslan' },
    image: 'science-fair',
    caption: 'Öğrenciler projelerini bilim şenliğinde ziyaretçilere anlatıyor',
    body: [
      "Eskişehir'de düzenlenen lise bilim şenliğinde 34 okuldan öğrenciler 120 projeyi ziyaretçilere tanıttı.",
      'Projeler arasında güneş enerjisiyle çalışan bir damla sulama sistemi, depreme dayanıklı model binalar ve atık yağdan sabun üreten küçük bir düzenek dikkat çekti.',
      '## Jüri özgünlüğe baktı',
      'Üniversite öğretim üyelerinden oluşan jüri, projeleri özgünlük, bilimsel yöntem ve sunum becerisine göre değerlendirdi.',
      'Birinciliği, toprak nemini ölçerek sulamayı kendiliğinden başlatan düşük maliyetli bir cihaz geliştiren üç kişilik ekip kazandı.',
      '## Şenlik hafta sonu da açık',
      'Şenlik hafta sonu boyunca ücretsiz ziyaret edilebilecek; okul grupları için rehberli turlar da düzenleniyor.',
      'Öğrenciler projelerini #BilimŞenliği ve #GençBilimciler etiketleriyle sosyal medyada da paylaşıyor.',
    ],
  },
];

/**
 * The demo newsroom with keys; an original always precedes its translations, so a loader can resolve
 * `translationOfKey` to the chain id it has just created. Fresh objects on every call.
 */
export function demoStories(): DemoStory[] {
  return DRAFTS.map(build);
}

/** Only the contents, in the same order (the translation links are in `demoStories()`). */
export function demoContents(): StoryContent[] {
  return demoStories().map((s) => s.content);
}
