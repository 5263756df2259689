family_title = Welkom terug
family_intro = Je bent nog aangemeld als { $name }.
live = Het overleg is nu bezig.
to_meeting = Naar het overleg
to_plan = Ons gezinsplan
no_plan = Er is nog geen gezinsplan. Dat komt na het eerste overleg.
plan_versions =
    { $n ->
        [one] Er is 1 versie van het plan.
       *[other] Er zijn { $n } versies van het plan.
    }
other_live = Er is een nieuw overleg bezig. Vraag de regisseur om een nieuwe link. Of doe mee met de code op het grote scherm.
to_code = Meedoen met een code
no_meeting = Er is nu geen overleg.
goals_heading = Onze doelen
score = cijfer { $score }
