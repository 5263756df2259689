# From the voice branch's nl/voice.json (not yet a Dutch .ftl on lang); ids as server/messages.py
# maps them: voice.what.goal → what-goal, {what} → { $what }.
read = Sesli oku
read_this = Sesli oku: { $what }
stop = Sesli okumayı durdur
reading = Sesli okuyorum.
done = Sesli okuma bitti.
failed = Sesli okuma şu an olmuyor. Daha sonra tekrar deneyin.
not_readable = Bu yazı sesli okunamıyor.
no_voice = Bu dil için ses yok.
what-goal = bu hedef
what-action = bu görev
what-decision = bu karar
what-step = bu adımın açıklaması
what-plan = planın tamamı
