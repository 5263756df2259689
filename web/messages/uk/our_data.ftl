title = Що Rondetafel знає про нас?
intro = Тут усе, що Rondetafel зберігає про вашу сім’ю. Ви завжди можете це побачити. Так ви знаєте, що про вас записано.
family_heading = Ваша сім’я
# A Ukrainian long date ends in "р." (3 лютого 2027 р.), so no full stop follows { $since } here.
family_line = Назва сім’ї: { $name }. У Rondetafel від { $since }
you_heading = Про вас
you_line = Ви тут як { $name } ({ $role }).
people_heading = Хто є у справі?
people_intro = Про кожного за столом ми зберігаємо ім’я, роль і те, що ви розповіли про цю людину.
relation = Хто: { $relation }
organisation = Працює в: { $organisation }
offers = Хоче допомогти: { $offers }
has_account = Входить зі своїм акаунтом.
meetings_heading = Зустрічі
meetings_none = Зустрічей ще не було.
meeting_started = початок: { $when }
meeting_closed = завершення: { $when }
plans_heading = Плани
plans_intro = Після кожної зустрічі ми зберігаємо план. Старі плани більше ніколи не змінюються.
plans_none = Плану ще немає.
plan_line = План { $number }, від { $date }
download = Завантажити найновіший план (PDF)
to_plan = Читати план
links_heading = Посилання і вхід
links_line =
    { $links ->
        [one] Для вашої сім’ї створено { $links } особисте посилання.
        [few] Для вашої сім’ї створено { $links } особисті посилання.
        [many] Для вашої сім’ї створено { $links } особистих посилань.
       *[other] Для вашої сім’ї створено { $links } особистого посилання.
    } { $sign_ins ->
        [one] Входили за посиланням або кодом { $sign_ins } раз.
        [few] Входили за посиланням або кодом { $sign_ins } рази.
        [many] Входили за посиланням або кодом { $sign_ins } разів.
       *[other] Входили за посиланням або кодом { $sign_ins } разу.
    }
links_safe = Самих посилань ми не зберігаємо. Тож ніхто не може дістати їх із Rondetafel.
log_heading = Хто переглядав?
log_line = Щоразу, коли хтось переглядає, змінює, друкує або завантажує ваш план, ми це записуємо.
to_log = Подивитися, хто бачив ваш план
keep_heading = Як довго ми це зберігаємо?
# { $years } comes as text ("20"), not as a number, so Fluent takes the default: "many" (років).
# unsure: Jeugdwet has no Ukrainian name; written as a description (the Dutch law on help for children and young people) with the Dutch name in brackets.
keep_line =
    { $years ->
        [one] Ми зберігаємо вашу справу { $years } рік після останньої зустрічі або плану. Так каже закон (нідерландський закон Jeugdwet). Після цього її видаляють.
        [few] Ми зберігаємо вашу справу { $years } роки після останньої зустрічі або плану. Так каже закон (нідерландський закон Jeugdwet). Після цього її видаляють.
       *[many] Ми зберігаємо вашу справу { $years } років після останньої зустрічі або плану. Так каже закон (нідерландський закон Jeugdwet). Після цього її видаляють.
        [other] Ми зберігаємо вашу справу { $years } року після останньої зустрічі або плану. Так каже закон (нідерландський закон Jeugdwet). Після цього її видаляють.
    }
rights_heading = Що ви можете зробити?
rights_correct = Щось неправильно? Попросіть координатора це змінити.
rights_erase = Хочете, щоб усе видалили? Попросіть координатора. Іноді фахівці мусять зберігати дані. Тоді вам пояснять чому.
rights_who = Ваш координатор: { $names }.
nav = Що Rondetafel знає про нас?
