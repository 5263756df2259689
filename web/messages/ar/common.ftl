# Arabic: simple Modern Standard Arabic, addressed in the singular, in forms that read the same
# for a man and a woman: "يُرجى" + verbal noun for requests, "يمكنك"/"ـك", verbal nouns on buttons;
# a named person ({ $name }) through passive "تمّ + verbal noun", so no gender is guessed.
# العربية (ar): عربية فصحى مبسطة، يفهمها القارئ من سوريا والمغرب والعراق وغيرها.
# المخاطبة: المفرد، بصيغة لا تفرق بين الرجل والمرأة في الكتابة حيث أمكن:
# "يُرجى" + المصدر للطلب (يُرجى الانتظار)، و"يمكنك" و"ـك" (تُقرأ للمذكر والمؤنث)،
# والمصدر على الأزرار (حفظ، إضافة). لا نستعمل فعل أمر مذكرًا أو مؤنثًا.
# عن شخص باسمه ({ $name }) نكتب "تمّ + المصدر" (تمّت إضافة …) حتى لا نخمّن جنسه.
# الكلمات (DOMAIN.md): gezinsplan = خطة الأسرة، regisseur = المنسق،
# hulpverlener = المختص (المختصون)، netwerk = المحيط (الأهل والأصدقاء والجيران)،
# overleg = الاجتماع، rondetafel = اجتماع الطاولة المستديرة، doel = هدف،
# afspraak/actie = مهمة (مهام)، besluit = قرار، verslag = محضر الاجتماع، notitie = ملاحظة،
# aanspreekpunt = شخص التواصل، onderwerp/leefgebied = موضوع، cijfer = درجة، dossier = ملف،
# logboek = السجل، link = رابط، verbinding = اتصال، aanmelden = تسجيل الدخول،
# toelaten = قبول، wissen = حذف، beheerder = مدير النظام.
language_name = العربية
app_name = Rondetafel
date_at_time = { $date }، الساعة { $time }
skip_to_content = الانتقال إلى المحتوى
language_menu = اللغة
not_signed_in_title = لم يتم تسجيل دخولك
not_signed_in_text = للمشاركة، يُرجى فتح الرابط الشخصي الخاص بك.
staff_login_hint = للمنسقين والمختصين: يُرجى تسجيل الدخول.
not_found_title = غير موجود
not_found_text = هذه الصفحة غير موجودة، أو لا يُسمح لك برؤيتها.
roles-coordinator = المنسق
roles-family = الأسرة
# unsure: "netwerk" as "المحيط" (the circle around the family) is short, but may not be clear to every reader; the long form is "الأهل والأصدقاء والجيران"
roles-network = المحيط
roles-professional = المختص
roles-screen = الشاشة المشتركة
domains-opvoeding_ontwikkeling = التربية والنمو
domains-veiligheid = الأمان
domains-gezondheid_lichamelijk = الصحة (الجسم)
domains-gezondheid_psychisch = الصحة (المشاعر والأفكار)
domains-financien = المال
# unsure: "dagbesteding" (structured day activity) has no short known Arabic name; "النشاط في النهار" is a paraphrase
domains-werk_dagbesteding = العمل والنشاط في النهار
domains-huisvesting = السكن
domains-onderwijs = المدرسة
domains-relaties_netwerk = الأهل والأصدقاء والجيران
domains-vrije_tijd = وقت الفراغ
statuses-open = لم يُنجز بعد
statuses-done = تم
statuses-partly = تم جزئيًا
statuses-not_done = لم يتم
error_title = هذا غير ممكن الآن
error_home = العودة إلى البداية
meeting_statuses-scheduled = مُخطط له
meeting_statuses-live = جارٍ الآن
meeting_statuses-closed = مُغلق
admissions-pending = بانتظار المنسق
admissions-admitted = تم القبول
admissions-refused = لم يتم القبول
admissions-removed = تم الإخراج من الاجتماع
attendance-at_table = على الطاولة، بدون جهاز
# unsure: "غياب" (absence) is a noun, chosen so it fits a man and a woman; "غائب/غائبة" would be more usual beside a name
attendance-absent = غياب
attendance-sent_word = اعتذار عن الحضور
attendance-device = على الطاولة، مع جهاز
