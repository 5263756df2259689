page_title = { $family } – Rondetafel
signed_in_as = { $name } (المنسق)
intro = هذه صفحة الأسرة. هنا يمكنك بدء اجتماع. وهنا يمكنك إنشاء رابط خاص لكل شخص للمشاركة.
meeting_heading = الاجتماع
meeting_live = هناك اجتماع جارٍ الآن:
code_label = رمز الاجتماع
to_meeting = الذهاب إلى الاجتماع
no_meeting = لا يوجد اجتماع جارٍ الآن.
title_label = اسم الاجتماع
title_hint = يمكنك ترك هذا فارغًا. عندها يكون الاسم: { $default }.
start = بدء اجتماع جديد
start_other = بدء اجتماع آخر الآن
plan_heading = الخطة
plan_link = خطة الأسرة
plan_text = عرض الخطة كما هي الآن.
versions_heading = كل النسخ
version = النسخة { $number }
no_versions = لا توجد خطة بعد. تأتي الخطة الأولى بعد الاجتماع الأول.
people_heading = من يجلس على الطاولة؟
links_intro = يمكنك إنشاء رابط خاص لكل شخص. يمكن إرسال الرابط، أو مسح رمز QR بهاتف أو جهاز لوحي. الرابط يعمل مرة واحدة، لمدة { $lifetime }.
links_need_meeting = لإنشاء روابط للمشاركة، يُرجى بدء اجتماع أولًا.
group_family = الأسرة
# unsure: "المحيط" for netwerk, as roles-network in common.ftl
group_network = المحيط
group_network_hint = الأهل والأصدقاء والجيران الذين يريدون المساعدة.
group_professional = المختصون
group_coordinator = المنسق
group_screen = الشاشة في القاعة
offers = عرض المساعدة:
screen = الشاشة المشتركة
screen_hint = الشاشة الكبيرة في القاعة. تعرض الخطة. لا يمكن لأحد تغيير أي شيء على الشاشة.
state_used = تم استعمال الرابط.
state_made = يوجد رابط. لم يُستعمل بعد.
state_none = لا يوجد رابط بعد.
make_link = إنشاء رابط
make_new_link = إنشاء رابط جديد
make_link_for = لـ { $name }
link_for = رابط لـ { $name }
link_once = هذا الرابط يظهر مرة واحدة فقط. يُرجى نسخه الآن، أو مسح رمز QR.
copy = نسخ
copied = تم النسخ
qr_label = رمز QR فيه الرابط لـ { $name }
error_no_meeting = لا يوجد اجتماع جارٍ. يُرجى بدء اجتماع أولًا.
days =
    { $days ->
        [zero] { $days } يوم
        [one] يوم واحد
        [two] يومين
        [few] { $days } أيام
        [many] { $days } يومًا
       *[other] { $days } يوم
    }
hours =
    { $hours ->
        [zero] { $hours } ساعة
        [one] ساعة واحدة
        [two] ساعتين
        [few] { $hours } ساعات
        [many] { $hours } ساعة
       *[other] { $hours } ساعة
    }
forbidden_title = هذه الصفحة للمنسق
forbidden_text = لا يمكنك فتح هذه الصفحة. لكن يمكنك الاطلاع على خطة الأسرة.
forbidden_link = الذهاب إلى خطة الأسرة
forbidden_meeting = الذهاب إلى الاجتماع
withdraw_link = إلغاء الرابط
withdrawn = رابط { $name } لم يعد يعمل.
