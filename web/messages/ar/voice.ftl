# From the voice branch's nl/voice.json (not yet a Dutch .ftl on lang); ids as server/messages.py
# maps them: voice.what.goal → what-goal, {what} → { $what }.
read = قراءة بصوت عالٍ
read_this = قراءة بصوت عالٍ: { $what }
stop = إيقاف القراءة
reading = أقرأ الآن بصوت عالٍ.
done = انتهت القراءة.
failed = القراءة بصوت عالٍ غير ممكنة الآن. يُرجى المحاولة مرة أخرى لاحقًا.
not_readable = لا يمكن قراءة هذا النص بصوت عالٍ.
no_voice = لا يوجد صوت لهذه اللغة.
what-goal = هذا الهدف
what-action = هذه المهمة
what-decision = هذا القرار
what-step = شرح هذه الخطوة
what-plan = الخطة كاملة
