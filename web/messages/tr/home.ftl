family_title = Tekrar hoş geldiniz
family_intro = Hâlâ bu adla giriş yapmış durumdasınız: { $name }.
live = Toplantı şu an devam ediyor.
to_meeting = Toplantıya git
to_plan = Aile planımız
no_plan = Henüz aile planı yok. Plan ilk toplantıdan sonra gelir.
plan_versions =
    { $n ->
        [one] Planın 1 sürümü var.
       *[other] Planın { $n } sürümü var.
    }
other_live = Yeni bir toplantı devam ediyor. Koordinatörden yeni bir link isteyin. Ya da büyük ekrandaki kodla katılın.
to_code = Kodla katıl
no_meeting = Şu an toplantı yok.
goals_heading = Hedeflerimiz
score = puan { $score }
