page_title = { $family } – Rondetafel
signed_in_as = { $name } (koordynator)
intro = To jest strona rodziny. Tu rozpoczynasz spotkanie. Tu tworzysz też dla każdego osobny link do udziału.
meeting_heading = Spotkanie
meeting_live = Teraz trwa spotkanie:
code_label = Kod spotkania
to_meeting = Do spotkania
no_meeting = Teraz nie trwa żadne spotkanie.
title_label = Nazwa spotkania
title_hint = Możesz zostawić to puste. Wtedy nazwa to: { $default }.
start = Rozpocznij nowe spotkanie
start_other = Rozpocznij teraz inne spotkanie
plan_heading = Plan
plan_link = Plan rodziny
plan_text = Zobacz plan taki, jaki jest teraz.
versions_heading = Wszystkie wersje
version = Wersja { $number }
no_versions = Nie ma jeszcze planu. Pierwszy plan powstanie po pierwszym spotkaniu.
people_heading = Kto siedzi przy stole?
links_intro = Utwórz dla każdego osobny link. Wyślij link albo daj zeskanować kod QR telefonem lub tabletem. Link działa jeden raz, przez { $lifetime }.
links_need_meeting = Chcesz tworzyć linki do udziału? Najpierw rozpocznij spotkanie.
group_family = Rodzina
group_network = Sieć wsparcia
group_network_hint = Krewni, przyjaciele i sąsiedzi, którzy chcą pomóc.
group_professional = Specjaliści
group_coordinator = Koordynator
group_screen = Ekran w sali
offers = Chce pomóc:
screen = Wspólny ekran
screen_hint = Duży ekran w sali. Pokazuje plan. Na ekranie nikt nie może nic zmienić.
state_used = Link jest już użyty.
state_made = Ma link. Jeszcze nieużyty.
state_none = Nie ma jeszcze linku.
make_link = Utwórz link
make_new_link = Utwórz nowy link
make_link_for = dla: { $name }
link_for = Link dla: { $name }
link_once = Widzisz ten link tylko jeden raz. Skopiuj go teraz albo daj zeskanować kod QR.
copy = Kopiuj
copied = Skopiowano
qr_label = Kod QR z linkiem dla: { $name }
error_no_meeting = Nie trwa żadne spotkanie. Najpierw rozpocznij spotkanie.
# "{ $days }" fills "przez …" (for …): the forms are those after "przez" (accusative).
days =
    { $days ->
        [one] { $days } dzień
        [few] { $days } dni
        [many] { $days } dni
       *[other] { $days } dnia
    }
# unsure: used only after "przez" (for …), so the forms are accusative: 1 godzinę, 2 godziny, 5 godzin, 1,5 godziny.
hours =
    { $hours ->
        [one] { $hours } godzinę
        [few] { $hours } godziny
        [many] { $hours } godzin
       *[other] { $hours } godziny
    }
forbidden_title = Ta strona jest dla koordynatora
forbidden_text = Nie możesz otworzyć tej strony. Możesz za to oglądać plan rodziny.
forbidden_link = Do planu rodziny
forbidden_meeting = Do spotkania
withdraw_link = Cofnij link
withdrawn = Link już nie działa: { $name }.
