# Turkish: addressed as "siz" throughout; buttons in the short command form Turkish apps use.
# Türkçe (tr). Hitap: her yerde "siz" (saygılı hitap; bir büyükanneye de, 14 yaşında bir
# çocuğa da uyar). Düğmeler, Türkçe uygulamalarda olduğu gibi kısa emir biçimindedir
# (Kaydet, Ekle); cümleler hep "siz" ile yazılır (Seçin, Bekleyin).
# Sözcükler (DOMAIN.md): gezinsplan = aile planı, regisseur = koordinatör,
# hulpverlener = uzman, netwerk = çevre (aile, arkadaşlar, komşular), overleg = toplantı,
# rondetafel = yuvarlak masa toplantısı, doel = hedef, afspraak/actie = görev, besluit = karar,
# verslag = toplantı notları, notitie = not, aanspreekpunt = irtibat kişisi,
# leefgebied/onderwerp = konu, cijfer = puan, dossier = dosya, logboek = kayıt defteri,
# rol = rol (görev değil: görev = afspraak), link = link, verbinding = bağlantı, aanmelden = giriş yapmak, toelaten = kabul etmek.
# Bir ada ({ $name }) ek getirmiyoruz: ekin biçimi adın sesine bağlıdır.
language_name = Türkçe
app_name = Rondetafel
date_at_time = { $date }, saat { $time }
skip_to_content = İçeriğe geç
language_menu = Dil
not_signed_in_title = Giriş yapmadınız
not_signed_in_text = Katılmak için size özel linki açın.
staff_login_hint = Koordinatör ya da uzman olarak mı çalışıyorsunuz? O zaman giriş yapın.
not_found_title = Bulunamadı
not_found_text = Bu sayfa yok ya da bu sayfayı görme izniniz yok.
roles-coordinator = koordinatör
roles-family = aile
# unsure: "netwerk" as "çevre" (the circle around the family); "çevre" can also mean "environment"
roles-network = çevre
roles-professional = uzman
roles-screen = ortak ekran
domains-opvoeding_ontwikkeling = Çocuk yetiştirme ve gelişim
domains-veiligheid = Güvenlik
domains-gezondheid_lichamelijk = Sağlık (beden)
domains-gezondheid_psychisch = Sağlık (duygular ve düşünceler)
domains-financien = Para
# unsure: "dagbesteding" (structured day activity for people without a job) has no short common Turkish word; "gündüz etkinlikleri" may read as leisure
domains-werk_dagbesteding = İş ve gündüz etkinlikleri
domains-huisvesting = Ev
domains-onderwijs = Okul
domains-relaties_netwerk = Aile, arkadaşlar ve komşular
domains-vrije_tijd = Boş zaman
statuses-open = Yapılacak
statuses-done = Yapıldı
statuses-partly = Kısmen yapıldı
statuses-not_done = Yapılmadı
error_title = Bu şu an olmuyor
error_home = Başa dön
meeting_statuses-scheduled = Planlandı
meeting_statuses-live = Şu an devam ediyor
meeting_statuses-closed = Kapandı
admissions-pending = Koordinatörü bekliyor
admissions-admitted = Kabul edildi
admissions-refused = Kabul edilmedi
admissions-removed = Toplantıdan çıkarıldı
attendance-at_table = masada, cihazsız
attendance-absent = gelmedi
attendance-sent_word = gelemeyeceğini bildirdi
attendance-device = masada, bir cihazla
