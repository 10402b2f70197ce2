# Education: kindergartens and nurseries (ИСОДЗ, kg.sofia.bg), first grade, school problems,
# adult courses, scholarships. Facts: /work/shared/content/FACTS.md, section Education.

education-title = Kindergartens and schools

education-menu =
    🏫 What can I help you with: a kindergarten, a nursery or a school?
    Choose a topic.

education-btn-kindergarten = Kindergarten and nursery
education-btn-ranking = Ranking and points
education-btn-first-grade = First grade admission
education-btn-school = A problem at school
education-btn-adult = Adult courses
education-btn-scholarship = Scholarships
education-btn-ask = Ask a staff member
education-btn-describe = Write to a staff member

education-kindergarten =
    Municipal kindergartens and nurseries (детска градина, ясла) take applications only online, through ИСОДЗ (ISODZ), the city's kindergarten system. The ranking is done there too.
    How to apply, how children are ranked and this year's calendar: please check on the system's website.
    https://kg.sofia.bg

education-ranking =
    The ranking for municipal kindergartens and nurseries is done only in ИСОДЗ (ISODZ), the city's kindergarten system. Please check your child's result there: I can't see it.
    I don't give dates either, because the calendar changes every year. How points are counted, the criteria and the calendar: please check on the site.
    https://kg.sofia.bg

education-first-grade =
    I don't have checked information on first-grade admission (прием в първи клас): how to apply, the rules or the deadlines.
    Please check the Sofia Municipality (Столична община) website, or ask a staff member with the button below.
    https://www.sofia.bg

education-school =
    I don't have a ready answer for a problem at a school or kindergarten (how your child is treated, bullying, a transfer).
    I can pass your case to a Sofia Municipality staff member. Tap the button and briefly describe what is happening.
    If anyone is in danger, call 112 now.
    https://www.sofia.bg

education-adult =
    I don't have checked information on adult courses or on finishing school as an adult.
    I can pass your question to a staff member. Tap the button and write what you would like to learn.
    https://www.sofia.bg

education-scholarship =
    I don't have checked information on scholarships, and I don't want to mislead you.
    I can pass your question to a staff member. Tap the button and describe it briefly.
    https://www.sofia.bg

education-ask-school =
    Briefly describe the problem: which school or kindergarten, what is happening and since when.
    Please leave out personal details that aren't needed.

education-ask-adult = What would you like to learn? A few words are enough, for example "Bulgarian course" or "finish secondary school".

education-ask-scholarship = Describe your scholarship question: is it for a pupil or a university student, and what would you like to know?

education-ask-question = Write your question in a few words. A staff member at the municipality will read it.

education-retry-text = Please describe it in a few words, so that the staff member can help you.

education-sent = Thank you! I've passed your question to a staff member at Sofia Municipality. They will look at it.
