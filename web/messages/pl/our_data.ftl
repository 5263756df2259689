title = Co Rondetafel wie o nas?
intro = Tu jest wszystko, co Rondetafel przechowuje o twojej rodzinie. Zawsze możesz to zobaczyć. Tak wiesz, co zapisano o tobie i twojej rodzinie.
family_heading = Twoja rodzina
family_line = Nazwa rodziny: { $name }. W Rondetafel od { $since }.
you_heading = O tobie
you_line = Jesteś tu jako { $name } ({ $role }).
people_heading = Kto jest w aktach?
people_intro = O każdej osobie przy stole przechowujemy imię, rolę i to, co nam o niej powiedziano.
relation = Kto: { $relation }
organisation = Pracuje w: { $organisation }
offers = Chce pomóc: { $offers }
has_account = Loguje się na własne konto.
meetings_heading = Spotkania
meetings_none = Nie było jeszcze spotkania.
meeting_started = początek: { $when }
meeting_closed = koniec: { $when }
plans_heading = Plany
plans_intro = Po każdym spotkaniu przechowujemy plan. Stare plany już nigdy się nie zmieniają.
plans_none = Nie ma jeszcze planu.
plan_line = Plan { $number }, z dnia { $date }
download = Pobierz najnowszy plan (PDF)
to_plan = Czytaj plan
links_heading = Linki i logowanie
links_line =
    { $links ->
        [one] Dla twojej rodziny utworzono { $links } osobisty link.
        [few] Dla twojej rodziny utworzono { $links } osobiste linki.
       *[many] Dla twojej rodziny utworzono { $links } osobistych linków.
    } { $sign_ins ->
        [one] Logowano się linkiem lub kodem { $sign_ins } raz.
       *[other] Logowano się linkiem lub kodem { $sign_ins } razy.
    }
links_safe = Samych linków nie przechowujemy. Dlatego nikt nie może ich wyjąć z Rondetafel.
log_heading = Kto oglądał?
log_line = Za każdym razem, gdy ktoś ogląda, zmienia, drukuje lub pobiera twój plan, zapisujemy to.
to_log = Zobacz, kto oglądał twój plan
keep_heading = Jak długo to przechowujemy?
# { $years } comes as text ("20"), not as a number, so Fluent takes the default: "many" (lat).
# unsure: Jeugdwet has no Polish name; written as a description (the Dutch law on help for children and young people) with the Dutch name in brackets.
keep_line =
    { $years ->
        [one] Przechowujemy twoje akta przez { $years } rok po ostatnim spotkaniu lub planie. Tak mówi prawo (holenderska ustawa Jeugdwet). Potem akta są usuwane.
        [few] Przechowujemy twoje akta przez { $years } lata po ostatnim spotkaniu lub planie. Tak mówi prawo (holenderska ustawa Jeugdwet). Potem akta są usuwane.
       *[many] Przechowujemy twoje akta przez { $years } lat po ostatnim spotkaniu lub planie. Tak mówi prawo (holenderska ustawa Jeugdwet). Potem akta są usuwane.
        [other] Przechowujemy twoje akta przez { $years } roku po ostatnim spotkaniu lub planie. Tak mówi prawo (holenderska ustawa Jeugdwet). Potem akta są usuwane.
    }
rights_heading = Co możesz zrobić?
rights_correct = Coś się nie zgadza? Poproś koordynatora, aby to zmienił.
rights_erase = Chcesz, aby wszystko zostało usunięte? Poproś o to koordynatora. Czasem specjaliści muszą przechowywać dane. Wtedy usłyszysz, dlaczego.
rights_who = Twój koordynator: { $names }.
nav = Co Rondetafel wie o nas?
