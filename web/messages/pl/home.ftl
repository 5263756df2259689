family_title = Witaj ponownie
family_intro = Nadal jesteś tu jako { $name }.
live = Spotkanie trwa teraz.
to_meeting = Do spotkania
to_plan = Nasz plan rodziny
no_plan = Nie ma jeszcze planu rodziny. Powstanie po pierwszym spotkaniu.
plan_versions =
    { $n ->
        [one] Jest { $n } wersja planu.
        [few] Są { $n } wersje planu.
        [many] Jest { $n } wersji planu.
       *[other] Jest { $n } wersji planu.
    }
other_live = Trwa nowe spotkanie. Poproś koordynatora o nowy link albo dołącz kodem z dużego ekranu.
to_code = Dołącz kodem
no_meeting = Teraz nie ma spotkania.
goals_heading = Nasze cele
score = ocena { $score }
