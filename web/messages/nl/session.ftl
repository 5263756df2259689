idle_warning =
    { $minutes ->
        [one] U wordt over 1 minuut afgemeld, omdat u niets meer doet.
       *[other] U wordt over { $minutes } minuten afgemeld, omdat u niets meer doet.
    }
stay = Aangemeld blijven
end_warning =
    { $minutes ->
        [one] Uw sessie stopt over 1 minuut. Daarna moet u opnieuw aanmelden.
       *[other] Uw sessie stopt over { $minutes } minuten. Daarna moet u opnieuw aanmelden.
    }
ended = U bent afgemeld. Meld u opnieuw aan of open uw persoonlijke link opnieuw.
login_again = Opnieuw aanmelden
stayed = U blijft aangemeld.
