page_title = { $family } – Rondetafel
signed_in_as = { $name } (koordinatör)
intro = Bu, ailenin sayfasıdır. Burada bir toplantı başlatırsınız. Burada herkes için katılmaya yarayan kendi linkini de yaparsınız.
meeting_heading = Toplantı
meeting_live = Şu an bir toplantı devam ediyor:
code_label = Toplantının kodu
to_meeting = Toplantıya git
no_meeting = Şu an devam eden bir toplantı yok.
title_label = Toplantının adı
title_hint = Bunu boş bırakabilirsiniz. O zaman adı şu olur: { $default }.
start = Yeni toplantı başlat
start_other = Şimdi başka bir toplantı başlat
plan_heading = Plan
plan_link = Aile planı
plan_text = Planın şu anki hâline bakın.
versions_heading = Bütün sürümler
version = Sürüm { $number }
no_versions = Henüz plan yok. İlk plan ilk toplantıdan sonra gelir.
people_heading = Masada kimler var?
links_intro = Herkes için kendi linkini yapın. Linki gönderin ya da QR kodunu telefonla veya tabletle okutun. Bir link bir kez ve { $lifetime } boyunca çalışır.
links_need_meeting = Katılmak için link mi yapmak istiyorsunuz? O zaman önce bir toplantı başlatın.
group_family = Aile
group_network = Çevre
group_network_hint = Yardım etmek isteyen aile, arkadaşlar ve komşular.
group_professional = Uzmanlar
group_coordinator = Koordinatör
group_screen = Salondaki ekran
offers = Yardım etmek istiyor:
screen = Ortak ekran
screen_hint = Salondaki büyük ekran. Planı gösterir. Ekranda kimse bir şey değiştiremez.
state_used = Linki kullandı.
state_made = Linki var. Henüz kullanmadı.
state_none = Henüz linki yok.
make_link = Link yap
make_new_link = Yeni link yap
make_link_for = ({ $name } için)
link_for = { $name } için link
link_once = Bu linki yalnızca bir kez görürsünüz. Şimdi kopyalayın ya da QR kodunu okutun.
copy = Kopyala
copied = Kopyalandı
qr_label = { $name } için linkin QR kodu
error_no_meeting = Devam eden bir toplantı yok. Önce bir toplantı başlatın.
days =
    { $days ->
        [one] 1 gün
       *[other] { $days } gün
    }
hours =
    { $hours ->
        [one] { $hours } saat
       *[other] { $hours } saat
    }
forbidden_title = Bu sayfa koordinatör içindir
forbidden_text = Bu sayfayı açamazsınız. Ama ailenin planına bakabilirsiniz.
forbidden_link = Aile planına git
forbidden_meeting = Toplantıya git
withdraw_link = Linki geri al
withdrawn = Bu kişinin linki artık çalışmıyor: { $name }.
