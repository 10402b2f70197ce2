# Education: kindergartens and nurseries and first grade (ИСОДЗ, $fact-admissions-web), fees,
# school problems, international schools, adult courses, scholarships.
# Facts: locales/facts.toml, section Education.

education-title = Kindergartens and schools

education-menu =
    🏫 What can I help you with: a kindergarten, a nursery or a school?
    Choose a topic.

education-btn-kindergarten = Kindergarten and nursery
education-btn-ranking = Ranking and points
education-btn-fees = Fees
education-btn-first-grade = First grade admission
education-btn-school = A problem at school
education-btn-adult = Adult courses
education-btn-scholarship = Scholarships
education-btn-ask = Ask a staff member
education-btn-describe = Write to a staff member

education-kindergarten =
    Municipal kindergartens and nurseries (детска градина, ясла) take applications only online, through ИСОДЗ (ISODZ), the city's kindergarten system. The ranking is done there too.
    How to apply, how children are ranked and this year's calendar: please check on the system's website.
    { $fact-admissions-web }

education-fees =
    Since { $fact-kindergartens-free-since }, municipal kindergartens and nurseries have charged no fees.
    More on the Sofia Municipality (Столична община) website.
    { $fact-sofia-web }

education-ranking =
    The ranking for municipal kindergartens and nurseries is done only in ИСОДЗ (ISODZ), the city's kindergarten system. Please check your child's result there: I can't see it.
    If your child didn't get a place, what you can do next, how points are counted and the calendar are all explained in the system. I don't give dates, because the calendar changes every year.
    { $fact-admissions-web }

education-first-grade =
    Since { $fact-first-grade-online-since }, first-grade admission (прием в първи клас) to Sofia's municipal schools has also gone online, through the same system as kindergartens:
    • you register your child;
    • you apply to several schools, in order of preference;
    • the ranking is done centrally.
    The main criterion is how close the school is to the child's permanent or current address. If you can't apply online, apply in writing at a school in the area where you live.
    For this year's calendar, see the system's website.
    { $fact-admissions-web }

education-school =
    I don't have a ready answer for a problem at a school or kindergarten (how your child is treated, bullying, a transfer).
    I can pass your case to a Sofia Municipality staff member. Tap the button and briefly describe what is happening.
    If anyone is in danger, call { $fact-emergency-phone } now.
    { $fact-sofia-web }

education-adult =
    I don't have checked information on adult courses or on finishing school as an adult.
    I can pass your question to a staff member. Tap the button and write what you would like to learn.
    { $fact-sofia-web }

education-scholarship =
    I don't have checked information on scholarships, and I don't want to mislead you.
    I can pass your question to a staff member. Tap the button and describe it briefly.
    { $fact-sofia-web }

education-intl-school =
    I don't have checked information here on private, international or English-speaking schools in Sofia.
    Please see the Sofia Municipality (Столична община) website, or write me your question and I'll pass it to a staff member.
    { $fact-sofia-web }

education-ask-school =
    Briefly describe the problem: which school or kindergarten, what is happening and since when.
    Please leave out personal details that aren't needed.

education-ask-adult = What would you like to learn? A few words are enough, for example "Bulgarian course" or "finish secondary school".

education-ask-scholarship = Describe your scholarship question: is it for a pupil or a university student, and what would you like to know?

education-ask-question = Write your question in a few words. A staff member at the municipality will read it.

education-retry-text = Please describe it in a few words, so that the staff member can help you.

education-sent =
    Thank you! I've passed your question to { $team }.
    Below you'll see your question's reference and when to expect an answer. A staff member will reply here, in this chat.
