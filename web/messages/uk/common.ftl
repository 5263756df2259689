# Українська. Звертання: «ви» (з малої літери, як у вебінтерфейсах), наказовий спосіб на -іть
# («Оберіть», «Введіть»); кнопки — інфінітив («Зберегти», «Додати»).
# Рід: з «ви» дієслова не мають роду. Після { $name } не пишемо минулий час (він має рід):
# теперішній час, безособові форми (збережено, видалено) або двокрапка перед іменем
# (імена не відмінюються).
# Слова (один переклад усюди): regisseur = координатор, hulpverlener = фахівець,
# netwerk = коло підтримки, gezin = сім’я, familie = родичі, overleg = зустріч,
# rondetafel = круглий стіл, gezinsplan = план сім’ї, doel = ціль, afspraak = домовленість,
# besluit = рішення, zorg = занепокоєння, verslag = нотатки, aanspreekpunt = контактна особа,
# dossier = справа, logboek = журнал, cijfer = оцінка, onderwerp = тема, toelaten = впустити,
# aanmelden = увійти, afmelden = вийти, account = акаунт, beheerder = адміністратор,
# gedeeld scherm = спільний екран.
language_name = Українська
app_name = Rondetafel
date_at_time = { $date } о { $time }
skip_to_content = Перейти до змісту
language_menu = Мова
not_signed_in_title = Ви не ввійшли в систему
not_signed_in_text = Відкрийте своє особисте посилання, щоб узяти участь.
staff_login_hint = Ви працюєте координатором або фахівцем? Тоді увійдіть.
not_found_title = Не знайдено
not_found_text = Цієї сторінки немає, або вам не можна її бачити.
roles-coordinator = координатор
roles-family = сім’я
roles-network = коло підтримки
roles-professional = фахівець
roles-screen = спільний екран
domains-opvoeding_ontwikkeling = Виховання і розвиток
domains-veiligheid = Безпека
domains-gezondheid_lichamelijk = Здоров’я (тіло)
domains-gezondheid_psychisch = Здоров’я (почуття і думки)
domains-financien = Гроші
domains-werk_dagbesteding = Робота і заняття вдень
domains-huisvesting = Житло
domains-onderwijs = Школа
domains-relaties_netwerk = Родичі, друзі та сусіди
domains-vrije_tijd = Вільний час
statuses-open = Ще треба зробити
statuses-done = Зроблено
statuses-partly = Зроблено частково
statuses-not_done = Не зроблено
error_title = Зараз це не вдається
error_home = На початок
meeting_statuses-scheduled = Заплановано
meeting_statuses-live = Триває
meeting_statuses-closed = Завершено
admissions-pending = Чекає на координатора
admissions-admitted = Впущено
admissions-refused = Не впущено
admissions-removed = Видалено із зустрічі
attendance-at_table = за столом, без пристрою
attendance-absent = відсутність
attendance-sent_word = відсутність з попередженням
attendance-device = за столом, із пристроєм
