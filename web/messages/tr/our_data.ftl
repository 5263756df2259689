title = Rondetafel bizim hakkımızda ne biliyor?
intro = Burada Rondetafel'in aileniz hakkında sakladığı her şey yazıyor. Buna her zaman bakabilirsiniz. Böylece hakkınızda ne yazıldığını bilirsiniz.
family_heading = Aileniz
family_line = Ailenin adı: { $name }. Rondetafel'de şu tarihten beri: { $since }.
you_heading = Sizin hakkınızda
you_line = Buradaki adınız: { $name } ({ $role }).
people_heading = Dosyada kimler var?
people_intro = Masadaki herkesin adını, rolünü ve o kişi hakkında bize anlattıklarınızı saklıyoruz.
relation = Kim: { $relation }
organisation = Çalıştığı yer: { $organisation }
offers = Yardım etmek istediği konu: { $offers }
has_account = Kendi hesabıyla giriş yapıyor.
meetings_heading = Toplantılar
meetings_none = Henüz toplantı olmadı.
meeting_started = başladı: { $when }
meeting_closed = kapandı: { $when }
plans_heading = Planlar
plans_intro = Her toplantıdan sonra planı saklıyoruz. Eski planlar bir daha hiç değişmez.
plans_none = Henüz plan yok.
plan_line = Plan { $number }, tarih: { $date }
download = En yeni planı indir (pdf)
to_plan = Planı oku
links_heading = Linkler ve giriş
links_line =
    { $links ->
        [one] Aileniz için 1 özel link yapıldı.
       *[other] Aileniz için { $links } özel link yapıldı.
    } { $sign_ins ->
        [one] Bir link ya da kodla 1 kez giriş yapıldı.
       *[other] Bir link ya da kodla { $sign_ins } kez giriş yapıldı.
    }
links_safe = Linklerin kendisini saklamıyoruz. Böylece kimse onları Rondetafel'den alamaz.
log_heading = Kim baktı?
log_line = Biri planınıza her baktığında, planı değiştirdiğinde, yazdırdığında ya da indirdiğinde bunu yazıyoruz.
to_log = Planınızı kimin gördüğüne bakın
keep_heading = Bunu ne kadar saklıyoruz?
keep_line = Dosyanızı son toplantıdan ya da son plandan sonra { $years } yıl saklıyoruz. Bunu yasa (Gençlik Yasası, Jeugdwet) söyler. Sonra dosya silinir.
rights_heading = Ne yapabilirsiniz?
rights_correct = Bir şey doğru değil mi? Koordinatörden bunu değiştirmesini isteyin.
rights_erase = Her şeyin silinmesini mi istiyorsunuz? Koordinatöre söyleyin. Bazen yardım kurumları bilgileri saklamak zorundadır. O zaman nedenini size söylerler.
rights_who = Koordinatörünüz: { $names }.
nav = Rondetafel bizim hakkımızda ne biliyor?
