idle_warning =
    { $minutes ->
        [one] Za { $minutes } minutę wylogujemy cię, bo nic nie robisz.
        [few] Za { $minutes } minuty wylogujemy cię, bo nic nie robisz.
        [many] Za { $minutes } minut wylogujemy cię, bo nic nie robisz.
       *[other] Za { $minutes } minuty wylogujemy cię, bo nic nie robisz.
    }
stay = Nie wylogowuj mnie
end_warning =
    { $minutes ->
        [one] Twoja sesja skończy się za { $minutes } minutę. Potem trzeba zalogować się ponownie.
        [few] Twoja sesja skończy się za { $minutes } minuty. Potem trzeba zalogować się ponownie.
        [many] Twoja sesja skończy się za { $minutes } minut. Potem trzeba zalogować się ponownie.
       *[other] Twoja sesja skończy się za { $minutes } minuty. Potem trzeba zalogować się ponownie.
    }
ended = Wylogowano. Zaloguj się ponownie albo jeszcze raz otwórz swój osobisty link.
login_again = Zaloguj się ponownie
stayed = Sesja trwa dalej.
