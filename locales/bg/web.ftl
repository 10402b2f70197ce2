### Конзолата на служителите в браузъра: заглавия, надписи, бутони и съобщения.

web-title = Запитвания на граждани: конзола за служители
web-skip = Към съдържанието
web-nav = Раздели на конзолата
web-queue = Опашка
web-dashboard = Табло
web-canned = Готови отговори
web-audit = Одит
web-logout = Изход
web-role-agent = служител
web-role-supervisor = ръководител
web-role-admin = администратор
web-other-lang = English
web-login = Вход
web-name = Потребителско име
web-password = Парола
web-login-failed = Потребителското име или паролата са грешни, или входът е спрян за малко. Опитайте отново по-късно.
web-forbidden = Това не е позволено за Вашия профил или формулярът е изтекъл. Върнете се, презаредете страницата и опитайте отново.
web-no-such-case = Няма такова запитване.
web-empty = Липсва задължително поле.
web-done = Готово.

web-search = Номер или текст
web-status = Състояние
web-open-cases = Отворени запитвания
web-topic = Тема
web-language = Език
web-district = Район
web-filter = Покажи
web-queue-caption = Запитвания, първо тези с най-близък срок
web-reference = Номер
web-due = Срок
web-assignee = Поето от
web-summary = Накратко
web-overdue = просрочено
web-no-cases = Няма съвпадащи запитвания.

web-opened = Открито
web-rating = Оценка
web-collected = Събрани данни
web-map = карта
web-conversation = Разговор
web-from-citizen = Гражданин
web-from-staff = Служител
web-from-bot = Помощник
web-actions = Действия
web-reply = Отговор на гражданина (изпраща се в Telegram)
web-send = Изпрати
web-note = Вътрешна бележка (не се изпраща)
web-save-note = Запази бележката
web-close-note = Бележка към гражданина при приключване (по желание)
web-close = Приключи запитването
web-take = Поеми запитването
web-reopen = Отвори отново
web-assign-to = Възложи на
web-assign = Възложи
web-history = История
web-actor-citizen = гражданин
web-actor-bot = помощник
web-actor-system = система

web-median-first-answer = Медианно време до първия отговор на служител
web-answered-in-time = Отговорени в срок
web-average-rating = Средна оценка
web-per-day = Открити и приключени запитвания по дни
web-day = Ден
web-opened-count = Открити
web-closed-count = Приключени
web-missed = Въпроси, които помощникът най-често не разбира
web-times = Пъти
web-question = Въпрос (личните номера са скрити)

web-staff-actions = Действия на служители по запитвания
web-data-requests = Изтегляния и изтривания на данни на граждани
web-when = Кога
web-who = Кой
web-what = Какво
web-where = Откъде
web-subject = Чии данни
web-detail = Подробности

web-photos = Снимки
web-photo-alt = Снимка от гражданина
web-no-photo = Снимката не може да бъде показана.

web-delete = Изтрий
web-canned-title = Заглавие
web-canned-body = Текст
web-add = Добави

web-cross-origin = Заявката не идва от страниците на конзолата и е отказана. Отворете конзолата и опитайте оттам.
web-not-utf8 = Заявката съдържа текст, който не е валиден UTF-8, и е отказана.
web-too-long = Полето „{ $field }“ е по-дълго от { $max } знака. Съкратете го и изпратете отново.
web-field-text = Текст
web-field-other = (без име)
web-too-large = Заявката е твърде голяма и е отказана. Изпратете по-кратки текстове.
web-headers-too-large = Заглавките на заявката са твърде големи (твърде много или твърде големи бисквитки?) и са отказани.
web-not-a-form = Заявката не е формуляр и е отказана.
web-no-page = Тук няма такава страница.
web-failed = Нещо се обърка при нас. Опитайте отново след малко.
web-no-such-canned = Няма такъв готов отговор.
web-pages = Страници
web-page-of = Страница { $page } от { $pages } ({ $total ->
    [one] { $total } случай
   *[other] { $total } случая
})
web-previous = Предишна страница
web-next = Следваща страница
web-last-days = Показани дни
