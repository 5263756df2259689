title_suffix = Rondetafel
you_are = أنت هنا باسم { $name } ({ $role }).
to_plan = خطة الأسرة
to_family = الأسرة والروابط
save-saved = تم الحفظ
save-closed = مُغلق
save-saving = جارٍ الحفظ…
save-offline = لم يتم الحفظ: لا يوجد اتصال
save-stuck = لم يتم الحفظ بعد. نحاول مرة أخرى.
save-offline_help = لا يوجد اتصال. عملك يبقى على هذا الجهاز. سيُرسل عندما يعود الاتصال.
save-screen_offline = هذه الشاشة بدون اتصال. ربما ما يظهر ليس الأحدث.
save-connecting = جارٍ الاتصال…
save-back_online = عاد الاتصال. يتم حفظ كل شيء.
refused-4401 = لم يعد دخولك مسجَّلًا. يُرجى فتح رابطك الشخصي من جديد.
refused-4403 = لا يُسمح لك بفتح هذا الاجتماع.
refused-4410 = تم إخراجك من الاجتماع.
refused-4422 = لم يكن ممكنًا حفظ هذا التغيير. يُرجى تحميل الصفحة من جديد.
refused-4429 = هذا الاجتماع مفتوح مرات كثيرة برابطك. يُرجى إغلاق نافذة أخرى وتحميل الصفحة من جديد.
refused-other = حدث خطأ في الاتصال. يُرجى تحميل الصفحة من جديد.
refused-4451 = تم حذف بيانات هذه الأسرة.
presence-label = من هنا؟
presence-nobody = لا أحد متصل بعد.
presence-screen = الشاشة المشتركة
agenda-label = خطوات الاجتماع
agenda-now = الآن
agenda-summary = الخطوة { $n } من { $of }: { $title }
agenda-previous = الخطوة السابقة
agenda-next = الخطوة التالية
agenda-follow = متابعة المجموعة
agenda-browsing = الخطوة الظاهرة عندك غير خطوة المجموعة.
agenda-moved_on = انتقلت المجموعة إلى الخطوة { $n }: { $ends ->
        [mark] { $title }
       *[other] { $title }.
    } يمكنك إنهاء عملك الحالي بهدوء.
agenda-moved = المجموعة تنتقل إلى الخطوة { $n }: { $ends ->
        [mark] { $title }
       *[other] { $title }.
    }
agenda-steps-0-title = أهلًا وسهلًا
agenda-steps-0-help = من هنا اليوم؟ من يشارك بجهاز لوحي؟
agenda-steps-1-title = ما الذي يسير جيدًا؟
agenda-steps-1-help = ما الذي يسير جيدًا في الأسرة؟ وما الذي يقلقنا؟
agenda-steps-2-title = نظرة إلى الوراء
agenda-steps-2-help = كيف سارت مهام المرة الماضية؟ ما درجة كل هدف الآن؟
agenda-steps-3-title = الأهداف
agenda-steps-3-help = ماذا تريد الأسرة أن تحقق؟ بكلماتها هي.
agenda-steps-4-title = المهام
agenda-steps-4-help = ماذا سنفعل، ومن يفعله، ومتى؟ أولًا الأهل والمحيط، ثم المختصون.
agenda-steps-5-title = أشخاص التواصل والقرارات
agenda-steps-5-help = من هو شخص التواصل الثابت لكل موضوع؟
agenda-steps-6-title = الختام
agenda-steps-6-help = محضر الاجتماع، والاجتماع القادم، وحفظ الخطة.
attendance-heading = من هنا بدون جهاز لوحي أو هاتف؟
attendance-help = هنا يُكتب من يجلس على الطاولة بدون جهاز، ومن غاب، ومن اعتذر عن الحضور. هذا يدخل في محضر الاجتماع.
attendance-help_read = يسجّل المنسق هنا من هو موجود بدون جهاز لوحي أو هاتف خاص به، ومن هو غير موجود. هذا يدخل في محضر الاجتماع.
attendance-none_marked = لا يوجد أحد في هذه القائمة بعد.
attendance-connected = يشارك بجهازه الخاص
attendance-unmarked = لم يُملأ
attendance-band_at_table = على الطاولة بدون جهاز:
attendance-band_sent_word = اعتذروا عن الحضور:
attendance-band_absent = غائبون:
welcome-heading = أهلًا وسهلًا في اجتماع الطاولة المستديرة
welcome-join_help = للمشاركة بجهاز لوحي أو هاتف: يمكنك مسح رمز QR الظاهر على الشاشة الكبيرة، أو كتابة الرمز على الموقع { $url }. ويمكنك أيضًا طلب رابطك الشخصي من المنسق.
texts-vision = هكذا نريد أن يكون المستقبل
texts-vision_help = لنفترض أن كل شيء يسير جيدًا. كيف تكون حياتك عندها؟
texts-strengths = ما الذي يسير جيدًا؟
texts-concerns = ما الذي يقلقنا؟
texts-concerns_help = يجب التفكير أيضًا في أمان الأطفال.
texts-minutes = محضر الاجتماع
texts-minutes_help = المنسق يكتب محضر الاجتماع. ويمكن للجميع قراءته.
rights-only-coordinator = المنسق وحده يمكنه تغيير هذا. لكن يمكنك قراءته.
rights-only-coordinator_professional = هذا يكتبه المختصون والمنسق. لكن يمكنك قراءته.
rights-only-coordinator_family_author = لا يستطيع تغيير هذا الهدف إلا الأسرة والمنسق ومن اقترحه. لكن يمكنك قراءته.
rights-only-coordinator_family_network = هذا تكتبه الأسرة ومحيطها والمنسق. لكن يمكنك قراءته.
rights-only-other = يمكنك قراءة هذا، لكن لا يمكنك تغييره.
rights-concerns_add = إضافة قلق
rights-concerns_add_label = ما يقلقك، للإضافة
rights-concerns_add_help = يمكن للمختصين إضافة قلق. ما هو مكتوب من قبل يبقى كما هو.
rights-concerns_added = تمت إضافة ما يقلقك.
rights-concerns_full = لا يوجد مكان لشيء آخر. يُرجى طلب مكان إضافي من المنسق.
limits-left =
    { $n ->
        [zero] لم يبقَ أي حرف
        [one] بقي حرف واحد
        [two] بقي حرفان
        [few] بقيت { $n } أحرف
        [many] بقي { $n } حرفًا
       *[other] بقي { $n } حرف
    }
limits-full =
    { $n ->
        [zero] هذا الحقل ممتلئ.
        [one] هذا الحقل ممتلئ: الحد الأقصى حرف واحد.
        [two] هذا الحقل ممتلئ: الحد الأقصى حرفان.
        [few] هذا الحقل ممتلئ: الحد الأقصى { $n } أحرف.
        [many] هذا الحقل ممتلئ: الحد الأقصى { $n } حرفًا.
       *[other] هذا الحقل ممتلئ: الحد الأقصى { $n } حرف.
    }
limits-list_full = القائمة ممتلئة. لا تتسع لأكثر من { $n }.
goals-heading = أهداف الأسرة
goals-none = لا توجد أهداف بعد.
goals-text = الهدف، بكلمات الأسرة
goals-view = ماذا يرى المختصون؟
goals-domain = الموضوع
goals-choose_domain = اختيار موضوع
goals-score = الدرجة: كيف يسير الأمر الآن؟
goals-score_help = 0 يعني سيئ جدًا، و10 يعني جيد تمامًا.
goals-no_score = لا توجد درجة بعد
goals-last_time = المرة الماضية: { $score }
goals-add = إضافة هدف
goals-new_text = هدف جديد
goals-added = هدف جديد: { $text }
goals-label_n = الهدف { $n }
actions-heading = المهام
actions-carried_heading = مهام المرة الماضية
actions-none = لا توجد مهام بعد.
actions-no_carried = لا توجد مهام من المرة الماضية.
actions-text = ماذا سنفعل؟
actions-owner = من يقوم بها؟
actions-owner_help = هل يمكن لشخص من الأهل أو المحيط أن يقوم بهذا؟ يُرجى اختياره أولًا.
actions-nobody = لا أحد بعد
actions-offers = { $name }: { $offers }
actions-due = موعد الإنجاز
actions-goal = لأي هدف؟
actions-no_goal = بدون هدف
actions-status = ما الحالة؟
actions-evaluation = كيف سارت؟
actions-carried = مهمة من الخطة { $n }
actions-add = إضافة مهمة
actions-new_text = مهمة جديدة
actions-added = مهمة جديدة: { $text }
actions-groups-family = الأسرة
actions-groups-network = الأهل والأصدقاء والجيران
actions-groups-professional = المختصون
actions-groups-coordinator = المنسق
actions-last_time = المرة الماضية: { $status }.
actions-last_evaluation = يومها كتبنا: { $text }
contacts-heading = أشخاص التواصل الثابتون
contacts-help = شخص ثابت واحد لكل موضوع. يمكنك دائمًا التوجه إلى هذا الشخص.
contacts-nobody = لا أحد بعد
decisions-heading = القرارات
decisions-help = أحيانًا يجب على المختصين أن يقرروا شيئًا لا تريده الأسرة، مثلًا من أجل الأمان. هذا مكتوب هنا. والأسرة تراه دائمًا.
decisions-none = لا توجد قرارات.
decisions-text = ما الذي تقرر؟
decisions-reason = لماذا؟
decisions-options = ما الخيارات أمام الأسرة؟ (إذا حدث هذا، فسيحدث ذلك)
decisions-add = إضافة قرار
decisions-new_text = قرار جديد
closing-heading = الختام
closing-next_meeting = اجتماع الطاولة المستديرة القادم
closing-changes = ما الذي تغير منذ المرة الماضية؟
closing-no_changes = لم يتغير شيء.
closing-close = إغلاق الاجتماع
closing-close_help = عند إغلاق الاجتماع تُحفظ الخطة كنسخة جديدة. بعد ذلك لا يمكن لأحد تغييرها.
closing-confirm_title = إغلاق الاجتماع؟
closing-confirm_text = ستُحفظ الخطة. بعد ذلك لا يمكن لأحد تغييرها.
closing-confirm_yes = نعم، إغلاق
closing-confirm_no = لا، ليس الآن
closing-only_coordinator = المنسق يغلق الاجتماع.
closing-failed = لم ينجح الإغلاق: { $message }
closing-closed = تم إغلاق هذا الاجتماع. تم حفظ الخطة.
closing-closed_link = عرض خطة الأسرة
closing-before = قبل
closing-after = الآن
closing-loading_changes = جارٍ تحميل التغييرات…
closing-changes_failed = لم يكن ممكنًا تحميل التغييرات. يُرجى المحاولة مرة أخرى بعد قليل.
announce-many = عدد التغييرات: { $n }.
announce-closed = تم إغلاق الاجتماع.
table-summary = المشاركة بالرمز { $code }
table-code_label = رمز المشاركة
table-code_help = يمكنك مسح رمز QR. أو الذهاب إلى { $url } وكتابة الرمز.
table-qr_label = رمز QR للمشاركة بالرمز { $code }
table-renew = إنشاء رمز جديد
table-renew_confirm = إنشاء رمز جديد؟ الرمز القديم لن يعمل بعد ذلك.
table-renewed = هناك رمز جديد: { $code }.
table-waiting_heading = بانتظار المشاركة
table-waiting_since = بالانتظار منذ { $time }
table-admit = قبول
table-refuse = رفض
table-admit_label = قبول { $name }
table-refuse_label = رفض { $name }
table-new_request = طلب مشاركة من { $name }.
table-already_at_table = { $name } على الطاولة من قبل. هل هذا جهاز ثانٍ؟ عند الشك، الأفضل الرفض.
table-seated_heading = على الطاولة
table-seated_none = لا أحد على الطاولة بعد.
table-you = هذا أنت
table-remove = إخراج
table-remove_label = إخراج { $name }
table-remove_confirm = إخراج { $name } من الاجتماع؟ بعد ذلك لا يمكن لهذا الشخص المشاركة.
table-removed = تم إخراج { $name } من الاجتماع.
table-admitted = تم قبول { $name }.
table-refused = لم يتم قبول { $name }.
table-failed = لم ينجح ذلك: { $message }
table-screen = الشاشة المشتركة
trace-thought = من اقتراح { $who }
trace-decided = بقرار من { $who }
trace-changed = تم التعديل بواسطة { $who }
trace-for_family = { $name } (المنسق، باسم الأسرة)
trace-unknown = شخص لم يعد هنا
trace-keep = لا، يبقى كما هو
trace-remove-goals = إزالة الهدف
trace-remove-actions = إزالة المهمة
trace-remove-decisions = إزالة القرار
trace-remove_confirm-goals = إزالة هذا الهدف؟ المهام الخاصة بهذا الهدف تبقى. والخطة تُظهر من أزاله.
trace-remove_confirm-actions = إزالة هذه المهمة؟ الخطة تُظهر من أزالها.
trace-remove_confirm-decisions = إزالة هذا القرار؟ هل لم يعد القرار ضروريًا؟ الأفضل عندها اختيار «إلغاء القرار».
trace-remove_yes = نعم، إزالة
trace-removed = تمت الإزالة: { $text }
trace-lift = إلغاء القرار
trace-lift_confirm = إلغاء هذا القرار؟ عندها لا يعود ساريًا. والخطة تُظهر من ألغاه ومتى.
trace-lift_yes = نعم، إلغاء
trace-lifted = أُلغي في { $date }، بواسطة { $name }. هذا القرار لم يعد ساريًا.
erased-title = تم حذف بيانات هذه الأسرة.
erased-text = لذلك لا يوجد شيء هنا. يمكنك إغلاق هذه النافذة.
