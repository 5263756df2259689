read = Прочитати вголос
# The what-* texts only fill { $what } here, so they are in the accusative.
read_this = Прочитати вголос { $what }
stop = Зупинити читання
reading = Читаю вголос.
done = Читання завершено.
failed = Зараз не вдається прочитати вголос. Спробуйте ще раз пізніше.
not_readable = Цей текст не можна прочитати вголос.
no_voice = Для цієї мови немає голосу.
what-goal = цю ціль
what-action = цю домовленість
what-decision = це рішення
what-step = пояснення цього кроку
what-plan = весь план
