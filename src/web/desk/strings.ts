// Every word the desk and its sign-in pages show, in the three interface languages. Story text is
// never translated here; only the desk's own chrome. The portal reuses the sign-in and account words.
import type { InterfaceLanguage } from '../../model/users.ts';

export interface DeskStrings {
  deskName: string;
  skip: string;
  nav: { wire: string; stories: string; search: string; audit: string; admin: string };
  navLabel: string;
  signedInAs: string;
  account: string;
  signOut: string;
  signOutEverywhere: string;
  signOutEverywhereHelp: string;
  signIn: string;
  signInTitle: string;
  /** The sign-in page's title at the subscriber portal. */
  portalSignInTitle: string;
  email: string;
  password: string;
  wrongPassword: string;
  emailRequired: string;
  deactivated: string;
  wrongArea: string;
  tooManyForAccount: (minutes: number) => string;
  tooManyFromAddress: (minutes: number) => string;
  signedOut: string;
  signedOutEverywhere: string;
  expired: string;
  changePassword: string;
  mustChangePassword: string;
  currentPassword: string;
  newPassword: string;
  repeatPassword: string;
  passwordHelp: string;
  save: string;
  saved: string;
  name: string;
  language: string;
  forbiddenTitle: string;
  forbidden: string;
  notFoundTitle: string;
  notFound: string;
  formExpiredTitle: string;
  formExpired: string;
  errorTitle: string;
  wireTitle: string;
  wirePlaceholder: string;
  users: string;
  addUser: string;
  role: string;
  roles: Record<string, string>;
  status: string;
  active: string;
  inactive: string;
  actions: string;
  changeRole: string;
  deactivate: string;
  reactivate: string;
  resetPassword: string;
  oneTimePasswordFor: (email: string) => string;
  oneTimePasswordNote: string;
  cannotChangeSelf: string;
  noUsers: string;
}

const en: DeskStrings = {
  deskName: 'newsflow desk',
  skip: 'Skip to content',
  nav: { wire: 'Wire', stories: 'Stories', search: 'Search', audit: 'Audit', admin: 'Admin' },
  navLabel: 'Desk',
  signedInAs: 'Signed in as',
  account: 'Account',
  signOut: 'Sign out',
  signOutEverywhere: 'Sign out everywhere',
  signOutEverywhereHelp: 'Ends every session of yours, on every device.',
  signIn: 'Sign in',
  signInTitle: 'Sign in to the desk',
  portalSignInTitle: 'Sign in to the portal',
  email: 'E-mail',
  password: 'Password',
  wrongPassword: 'The e-mail or the password is not right.',
  emailRequired: 'Enter the e-mail address you sign in with.',
  deactivated: 'This account is deactivated; ask an administrator.',
  wrongArea: 'This account does not sign in here.',
  tooManyForAccount: (m) => `Too many failed sign-ins for this account. Try again in ${m} minute(s).`,
  tooManyFromAddress: (m) => `Too many failed sign-ins from this address. Try again in ${m} minute(s).`,
  signedOut: 'You are signed out.',
  signedOutEverywhere: 'You are signed out on every device.',
  expired: 'Your session ended. Please sign in again.',
  changePassword: 'Change password',
  mustChangePassword: 'You signed in with a one-time password. Choose your own password to continue.',
  currentPassword: 'Current password',
  newPassword: 'New password',
  repeatPassword: 'New password again',
  passwordHelp: 'At least 10 characters.',
  save: 'Save',
  saved: 'Saved.',
  name: 'Name',
  language: 'Interface language',
  forbiddenTitle: 'Not allowed',
  forbidden: 'Your role does not allow this page.',
  notFoundTitle: 'Not found',
  notFound: 'There is no such page on the desk.',
  formExpiredTitle: 'Form expired',
  formExpired: 'This form has expired or did not come from the desk. Go back, reload the page and try again.',
  errorTitle: 'Something went wrong',
  wireTitle: 'Wire monitor',
  wirePlaceholder: 'The wire monitor will show the flow here as it happens.',
  users: 'Users',
  addUser: 'Add a user',
  role: 'Role',
  roles: { reporter: 'Reporter', editor: 'Editor', admin: 'Administrator', seat: 'Seat', 'seat-admin': 'Seat administrator' },
  status: 'Status',
  active: 'Active',
  inactive: 'Deactivated',
  actions: 'Actions',
  changeRole: 'Change role',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  resetPassword: 'Reset password',
  oneTimePasswordFor: (email) => `One-time password for ${email}`,
  oneTimePasswordNote: 'Shown only this once. Pass it on safely; it must be changed at the first sign-in.',
  cannotChangeSelf: 'You cannot change your own role or deactivate yourself.',
  noUsers: 'No users yet.',
};

const ar: DeskStrings = {
  deskName: 'مكتب نيوزفلو',
  skip: 'انتقل إلى المحتوى',
  nav: { wire: 'الخدمة', stories: 'الأخبار', search: 'بحث', audit: 'السجل', admin: 'الإدارة' },
  navLabel: 'المكتب',
  signedInAs: 'مسجّل الدخول باسم',
  account: 'الحساب',
  signOut: 'تسجيل الخروج',
  signOutEverywhere: 'الخروج من كل الأجهزة',
  signOutEverywhereHelp: 'ينهي كل جلساتك على كل الأجهزة.',
  signIn: 'تسجيل الدخول',
  signInTitle: 'تسجيل الدخول إلى المكتب',
  portalSignInTitle: 'تسجيل الدخول إلى البوابة',
  email: 'البريد الإلكتروني',
  password: 'كلمة المرور',
  wrongPassword: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.',
  emailRequired: 'أدخل البريد الإلكتروني الذي تسجّل الدخول به.',
  deactivated: 'هذا الحساب معطّل؛ راجع المسؤول.',
  wrongArea: 'لا يسجّل هذا الحساب الدخول هنا.',
  tooManyForAccount: (m) => `محاولات دخول فاشلة كثيرة لهذا الحساب. حاول مجددًا بعد ${m} دقيقة.`,
  tooManyFromAddress: (m) => `محاولات دخول فاشلة كثيرة من هذا العنوان. حاول مجددًا بعد ${m} دقيقة.`,
  signedOut: 'تم تسجيل خروجك.',
  signedOutEverywhere: 'تم تسجيل خروجك من كل الأجهزة.',
  expired: 'انتهت جلستك. سجّل الدخول مجددًا.',
  changePassword: 'تغيير كلمة المرور',
  mustChangePassword: 'دخلت بكلمة مرور لمرة واحدة. اختر كلمة مرور خاصة بك للمتابعة.',
  currentPassword: 'كلمة المرور الحالية',
  newPassword: 'كلمة المرور الجديدة',
  repeatPassword: 'أعد كلمة المرور الجديدة',
  passwordHelp: '10 أحرف على الأقل.',
  save: 'حفظ',
  saved: 'تم الحفظ.',
  name: 'الاسم',
  language: 'لغة الواجهة',
  forbiddenTitle: 'غير مسموح',
  forbidden: 'دورك لا يسمح بهذه الصفحة.',
  notFoundTitle: 'غير موجود',
  notFound: 'لا توجد صفحة كهذه في المكتب.',
  formExpiredTitle: 'انتهت صلاحية النموذج',
  formExpired: 'انتهت صلاحية هذا النموذج أو لم يأتِ من المكتب. عد وأعد تحميل الصفحة وحاول مجددًا.',
  errorTitle: 'حدث خطأ',
  wireTitle: 'مراقب الخدمة',
  wirePlaceholder: 'سيعرض مراقب الخدمة هنا تدفق الأخبار لحظة بلحظة.',
  users: 'المستخدمون',
  addUser: 'إضافة مستخدم',
  role: 'الدور',
  roles: { reporter: 'مراسل', editor: 'محرر', admin: 'مسؤول', seat: 'مقعد', 'seat-admin': 'مسؤول المقاعد' },
  status: 'الحالة',
  active: 'نشط',
  inactive: 'معطّل',
  actions: 'إجراءات',
  changeRole: 'تغيير الدور',
  deactivate: 'تعطيل',
  reactivate: 'إعادة التفعيل',
  resetPassword: 'إعادة تعيين كلمة المرور',
  oneTimePasswordFor: (email) => `كلمة مرور لمرة واحدة لـ ${email}`,
  oneTimePasswordNote: 'تظهر هذه المرة فقط. سلّمها بأمان؛ يجب تغييرها عند أول دخول.',
  cannotChangeSelf: 'لا يمكنك تغيير دورك أو تعطيل حسابك.',
  noUsers: 'لا مستخدمين بعد.',
};

const tr: DeskStrings = {
  deskName: 'newsflow masası',
  skip: 'İçeriğe geç',
  nav: { wire: 'Akış', stories: 'Haberler', search: 'Arama', audit: 'Denetim', admin: 'Yönetim' },
  navLabel: 'Masa',
  signedInAs: 'Oturum açan',
  account: 'Hesap',
  signOut: 'Çıkış yap',
  signOutEverywhere: 'Her yerden çıkış yap',
  signOutEverywhereHelp: 'Tüm cihazlardaki bütün oturumlarınızı kapatır.',
  signIn: 'Giriş yap',
  signInTitle: 'Masaya giriş',
  portalSignInTitle: 'Portala giriş',
  email: 'E-posta',
  password: 'Parola',
  wrongPassword: 'E-posta ya da parola doğru değil.',
  emailRequired: 'Giriş yaptığınız e-posta adresini yazın.',
  deactivated: 'Bu hesap devre dışı; bir yöneticiye başvurun.',
  wrongArea: 'Bu hesap burada oturum açamaz.',
  tooManyForAccount: (m) => `Bu hesap için çok fazla başarısız giriş. ${m} dakika sonra yeniden deneyin.`,
  tooManyFromAddress: (m) => `Bu adresten çok fazla başarısız giriş. ${m} dakika sonra yeniden deneyin.`,
  signedOut: 'Oturumunuz kapatıldı.',
  signedOutEverywhere: 'Tüm cihazlarda oturumunuz kapatıldı.',
  expired: 'Oturumunuz sona erdi. Lütfen yeniden giriş yapın.',
  changePassword: 'Parolayı değiştir',
  mustChangePassword: 'Tek kullanımlık bir parolayla giriş yaptınız. Devam etmek için kendi parolanızı seçin.',
  currentPassword: 'Geçerli parola',
  newPassword: 'Yeni parola',
  repeatPassword: 'Yeni parola (tekrar)',
  passwordHelp: 'En az 10 karakter.',
  save: 'Kaydet',
  saved: 'Kaydedildi.',
  name: 'Ad',
  language: 'Arayüz dili',
  forbiddenTitle: 'İzin yok',
  forbidden: 'Rolünüz bu sayfaya izin vermiyor.',
  notFoundTitle: 'Bulunamadı',
  notFound: 'Masada böyle bir sayfa yok.',
  formExpiredTitle: 'Formun süresi doldu',
  formExpired: 'Bu formun süresi doldu ya da masadan gelmedi. Geri dönün, sayfayı yenileyin ve yeniden deneyin.',
  errorTitle: 'Bir sorun oluştu',
  wireTitle: 'Akış izleyici',
  wirePlaceholder: 'Akış izleyici haber akışını burada anında gösterecek.',
  users: 'Kullanıcılar',
  addUser: 'Kullanıcı ekle',
  role: 'Rol',
  roles: { reporter: 'Muhabir', editor: 'Editör', admin: 'Yönetici', seat: 'Koltuk', 'seat-admin': 'Koltuk yöneticisi' },
  status: 'Durum',
  active: 'Etkin',
  inactive: 'Devre dışı',
  actions: 'İşlemler',
  changeRole: 'Rolü değiştir',
  deactivate: 'Devre dışı bırak',
  reactivate: 'Yeniden etkinleştir',
  resetPassword: 'Parolayı sıfırla',
  oneTimePasswordFor: (email) => `${email} için tek kullanımlık parola`,
  oneTimePasswordNote: 'Yalnızca bu kez gösterilir. Güvenle iletin; ilk girişte değiştirilmelidir.',
  cannotChangeSelf: 'Kendi rolünüzü değiştiremez, kendinizi devre dışı bırakamazsınız.',
  noUsers: 'Henüz kullanıcı yok.',
};

export const DESK_STRINGS: Record<InterfaceLanguage, DeskStrings> = { ar, tr, en };

export const LANGUAGE_NAMES: Record<InterfaceLanguage, string> = { ar: 'العربية', tr: 'Türkçe', en: 'English' };

export const dirOf = (lang: InterfaceLanguage): 'rtl' | 'ltr' => (lang === 'ar' ? 'rtl' : 'ltr');
