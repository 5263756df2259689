idle_warning =
    { $minutes ->
        [one] Je wordt over 1 minuut afgemeld, omdat je niets meer doet.
       *[other] Je wordt over { $minutes } minuten afgemeld, omdat je niets meer doet.
    }
stay = Aangemeld blijven
end_warning =
    { $minutes ->
        [one] Je sessie stopt over 1 minuut. Daarna moet je opnieuw aanmelden.
       *[other] Je sessie stopt over { $minutes } minuten. Daarna moet je opnieuw aanmelden.
    }
ended = Je bent afgemeld. Meld je opnieuw aan, of open je persoonlijke link opnieuw.
login_again = Opnieuw aanmelden
stayed = Je blijft aangemeld.
