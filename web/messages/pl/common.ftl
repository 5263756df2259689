# Polski. Forma zwracania się: "ty" (druga osoba liczby pojedynczej), jak w większości polskich
# aplikacji i na gov.pl; "Pan/Pani" wymaga znajomości płci czytelnika.
# Płeć: unikamy czasu przeszłego i przymiotników o czytelniku lub o osobie z { $name }
# (w polskim mają rodzaj): piszemy formy bezosobowe (zapisano, usunięto), czas teraźniejszy
# albo dwukropek przed imieniem (imienia nie odmieniamy).
# Słowa (jedno tłumaczenie wszędzie): regisseur = koordynator, hulpverlener = specjalista,
# netwerk = sieć wsparcia, gezin = rodzina, familie = krewni, overleg = spotkanie,
# rondetafel = okrągły stół, gezinsplan = plan rodziny, doel = cel, afspraak = ustalenie,
# besluit = decyzja, zorg = zmartwienie, verslag = notatki, aanspreekpunt = osoba kontaktowa,
# dossier = akta, logboek = dziennik, cijfer = ocena, onderwerp = temat, toelaten = wpuścić,
# aanmelden = zalogować się, beheerder = administrator, gedeeld scherm = wspólny ekran.
language_name = Polski
app_name = Rondetafel
date_at_time = { $date } o { $time }
skip_to_content = Przejdź do treści
language_menu = Język
not_signed_in_title = Nie zalogowano
not_signed_in_text = Otwórz swój osobisty link, aby wziąć udział.
staff_login_hint = Pracujesz jako koordynator lub specjalista? Zaloguj się.
not_found_title = Nie znaleziono
not_found_text = Ta strona nie istnieje albo nie możesz jej zobaczyć.
roles-coordinator = koordynator
roles-family = rodzina
roles-network = sieć wsparcia
roles-professional = specjalista
roles-screen = wspólny ekran
domains-opvoeding_ontwikkeling = Wychowanie i rozwój
domains-veiligheid = Bezpieczeństwo
domains-gezondheid_lichamelijk = Zdrowie (ciało)
domains-gezondheid_psychisch = Zdrowie (uczucia i myśli)
domains-financien = Pieniądze
domains-werk_dagbesteding = Praca i zajęcia w ciągu dnia
domains-huisvesting = Mieszkanie
domains-onderwijs = Szkoła
domains-relaties_netwerk = Krewni, przyjaciele i sąsiedzi
domains-vrije_tijd = Czas wolny
statuses-open = Jeszcze do zrobienia
statuses-done = Zrobione
statuses-partly = Zrobione w części
statuses-not_done = Niezrobione
error_title = To teraz nie działa
error_home = Wróć na początek
meeting_statuses-scheduled = Zaplanowane
meeting_statuses-live = Trwa teraz
meeting_statuses-closed = Zakończone
admissions-pending = Czeka na koordynatora
admissions-admitted = Wpuszczono
admissions-refused = Nie wpuszczono
admissions-removed = Usunięto ze spotkania
attendance-at_table = przy stole, bez urządzenia
attendance-absent = nieobecność
attendance-sent_word = zgłoszona nieobecność
attendance-device = przy stole, z urządzeniem
