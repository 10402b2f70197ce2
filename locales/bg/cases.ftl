### Запитвания, предадени на служители на общината: съобщенията към гражданина
### и текстовете в групата на служителите.

## Към гражданина

case-opened = Номер на Вашето запитване: { $ref }.
case-due = Служител ще Ви отговори до { $when }.
case-out-of-hours = Сега е извън работното време. Служителите ще са отново на работа от { $open }. Ще получите отговор до { $when }.
case-when = { $weekday }, { $date }, { $time }

weekday-1 = понеделник
weekday-2 = вторник
weekday-3 = сряда
weekday-4 = четвъртък
weekday-5 = петък
weekday-6 = събота
weekday-7 = неделя

case-already-open = Вече имате отворено запитване { $ref }. Добавих съобщението Ви към него. Пишете тук и служителят ще види всичко.
case-relayed = Предадох съобщението Ви на служителя ({ $ref }). Докато той работи по запитването, аз няма да отговарям. За да се върнете към мен, натиснете „Меню“.
case-staff-reply =
    💬 Служител на общината ({ $ref }):

    { $text }
case-staff-attachment = 💬 Служител на общината ({ $ref })
case-closed =
    Служителят приключи запитване { $ref }. Моля, оценете помощта от 1 до 5 с бутоните отдолу.
    Ако нещо още не е наред, пишете тук в рамките на { $days ->
        [one] { $days } ден
       *[other] { $days } дни
    } и запитването ще бъде отворено отново. За всичко друго натиснете „Меню“.
case-closed-note = Бележка от служителя: { $note }

btn-rate-1 = 1 ⭐
btn-rate-2 = 2 ⭐
btn-rate-3 = 3 ⭐
btn-rate-4 = 4 ⭐
btn-rate-5 = 5 ⭐

case-rated = Благодарим Ви за оценката: { $rating ->
        [one] { $rating } звезда
       *[other] { $rating } звезди
    } от 5.
case-rating-late = Това запитване вече е оценено или вече не може да бъде оценено. Благодарим Ви все пак!
case-reopened = Отворих отново запитване { $ref } и предадох съобщението Ви на служител.
case-followup = Запитване { $old } беше приключено преди време, затова отворих ново запитване { $ref } със съобщението Ви.

cases-none = Все още нямате запитвания към служители на общината.
cases-list = { $count ->
        [one] Вашето запитване:
       *[other] Вашите запитвания ({ $count }):
    }
cases-item = { $ref }: { $status }, { $date }

case-status-new = получено, чака служител
case-status-assigned = служител работи по него
case-status-waiting = служителят чака Вашия отговор
case-status-resolved = отговорено и приключено (може да се отвори отново)
case-status-closed = приключено
case-status-reopened = отворено отново

cmd-cases = Вашите запитвания

## В групата на служителите

staff-topic-name = { $ref } · { $topic } · { $district }
staff-topic-name-no-district = { $ref } · { $topic }
staff-card =
    📋 { $ref }
    Език: { $lang }
    Тема: { $topic }
    Район: { $district }
    Открит: { $opened }
    Срок: { $due }
staff-card-slots = Събрани данни:
staff-card-last = Последни съобщения:
staff-card-citizen = 👤
staff-card-bot = 🤖
staff-card-help = Пишете в тази тема, за да отговорите на гражданина. /close <бележка> приключва случая, /note <текст> е вътрешна бележка. Бутоните поемат, приключват и отварят отново случая.
staff-unknown-district = не е посочен
staff-lang-bg = български
staff-lang-en = английски

staff-from-citizen = 👤 Гражданин ({ $ref }):
staff-citizen-sent = Гражданинът изпрати нещо, което не е текст: { $what }.

staff-btn-take = Поемам
staff-btn-close = Приключи
staff-btn-reopen = Отвори отново

staff-taken = { $name } пое случая.
staff-closed = { $name } приключи случая; гражданинът е помолен за оценка.
staff-closed-note = Бележка: { $note }
staff-reopened = { $name } отвори случая отново.
staff-reopened-by-citizen = Гражданинът писа отново, затова случаят е отворен отново.
staff-rated = Оценка от гражданина: { $rating ->
        [one] { $rating } звезда
       *[other] { $rating } звезди
    } от 5.
staff-overdue = ⏰ Срокът изтече ({ $due }), а гражданинът още няма отговор.
staff-note-saved = Вътрешната бележка е запазена. Гражданинът не я вижда.
staff-case-closed = Случаят е приключен и написаното тук не стига до гражданина. За да му отговорите, първо отворете случая отново.
staff-not-a-case = Тази тема не е свързана със случай.
staff-reply-from = 💬 { $name } ({ $via }):
staff-undelivered = Отговорът не беше доставен: гражданинът е блокирал бота.
staff-recreated = Темата на { $ref } беше изтрита, затова я отворих отново с картата на случая.
staff-already-taken = Случаят вече е поет от { $name }.
staff-followup = Продължение на приключения случай { $old }.
