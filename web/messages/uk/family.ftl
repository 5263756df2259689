page_title = { $family } – Rondetafel
signed_in_as = { $name } (координатор)
intro = Це сторінка сім’ї. Тут ви починаєте зустріч. І тут ви створюєте для кожного окреме посилання для участі.
meeting_heading = Зустріч
meeting_live = Зараз триває зустріч:
code_label = Код зустрічі
to_meeting = До зустрічі
no_meeting = Зараз немає зустрічі.
title_label = Назва зустрічі
title_hint = Можна залишити порожнім. Тоді назва буде: { $default }.
start = Почати нову зустріч
start_other = Почати іншу зустріч зараз
plan_heading = План
plan_link = План сім’ї
plan_text = Подивіться план, як він виглядає зараз.
versions_heading = Усі версії
version = Версія { $number }
no_versions = Плану ще немає. Перший план з’явиться після першої зустрічі.
people_heading = Хто сидить за столом?
links_intro = Створіть для кожного окреме посилання. Надішліть посилання або дайте відсканувати QR-код телефоном чи планшетом. Посилання можна використати один раз. Воно діє { $lifetime }.
links_need_meeting = Хочете створити посилання для участі? Спочатку почніть зустріч.
group_family = Сім’я
group_network = Коло підтримки
group_network_hint = Родичі, друзі та сусіди, які хочуть допомогти.
group_professional = Фахівці
group_coordinator = Координатор
group_screen = Екран у залі
offers = Хоче допомогти:
screen = Спільний екран
screen_hint = Великий екран у залі. Він показує план. На екрані ніхто нічого не може змінити.
state_used = Посилання вже використано.
state_made = Має посилання. Ще не використано.
state_none = Ще не має посилання.
make_link = Створити посилання
make_new_link = Створити нове посилання
make_link_for = для: { $name }
link_for = Посилання для: { $name }
link_once = Ви бачите це посилання лише один раз. Скопіюйте його зараз або дайте відсканувати QR-код.
copy = Копіювати
copied = Скопійовано
qr_label = QR-код з посиланням для: { $name }
error_no_meeting = Зараз немає зустрічі. Спочатку почніть зустріч.
# "{ $days }" fills "Воно діє …" (it works for …): the forms are accusative.
days =
    { $days ->
        [one] { $days } день
        [few] { $days } дні
        [many] { $days } днів
       *[other] { $days } дня
    }
# unsure: used only after "діє" (works for …), so the forms are accusative: 1 годину, 2 години, 5 годин, 1,5 години.
hours =
    { $hours ->
        [one] { $hours } годину
        [few] { $hours } години
        [many] { $hours } годин
       *[other] { $hours } години
    }
forbidden_title = Ця сторінка для координатора
forbidden_text = Ви не можете відкрити цю сторінку. Але план сім’ї ви можете подивитися.
forbidden_link = До плану сім’ї
forbidden_meeting = До зустрічі
withdraw_link = Скасувати посилання
withdrawn = Посилання більше не діє: { $name }.
