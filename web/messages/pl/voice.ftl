read = Przeczytaj na głos
# The what-* texts only fill { $what } here, so they are in the accusative.
read_this = Przeczytaj na głos { $what }
stop = Zatrzymaj czytanie
reading = Czytam na głos.
done = Koniec czytania.
failed = Czytanie na głos teraz nie działa. Spróbuj ponownie później.
not_readable = Tego tekstu nie można przeczytać na głos.
no_voice = Nie ma głosu dla tego języka.
what-goal = ten cel
what-action = to ustalenie
what-decision = tę decyzję
what-step = wyjaśnienie tego kroku
what-plan = cały plan
