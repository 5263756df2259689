idle_warning =
    { $minutes ->
        [one] Bir süredir hiçbir şey yapmıyorsunuz. 1 dakika sonra çıkış yapılacak.
       *[other] Bir süredir hiçbir şey yapmıyorsunuz. { $minutes } dakika sonra çıkış yapılacak.
    }
stay = Girişte kal
end_warning =
    { $minutes ->
        [one] Oturumunuz 1 dakika sonra bitiyor. Sonra yeniden giriş yapmanız gerekir.
       *[other] Oturumunuz { $minutes } dakika sonra bitiyor. Sonra yeniden giriş yapmanız gerekir.
    }
ended = Çıkış yapıldı. Yeniden giriş yapın ya da size özel linki yeniden açın.
login_again = Yeniden giriş yap
stayed = Girişte kalıyorsunuz.
