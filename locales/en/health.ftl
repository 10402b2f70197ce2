# Health: GPs, health insurance, the NHIF, home care.
# Facts only from FACTS.md (HIGH). Where there is no fact: say so, give nhif.bg and a staff member.

health-title = Health

health-menu = 🩺 Health: what can I help you with? Choose a topic.

## Buttons (short)

health-btn-gp-choose = I have no GP
health-btn-gp-change = Changing your GP
health-btn-insurance = Am I health-insured?
health-btn-nhif = NHIF phone line
health-btn-other = Hospitals, pharmacies…
health-btn-care = Care at home
health-btn-human = Ask a staff member

## GP (личен лекар)

health-gp-choose =
    If you don't have a GP (личен лекар, also called ОПЛ) yet, please check on the website of the National Health Insurance Fund (НЗОК, NHIF) how and when you can register with one.
    I don't have a list of GPs who are taking new patients. If you like, I can pass your question to a staff member.
    https://www.nhif.bg

health-gp-change =
    You can change your GP (личен лекар) twice a year: from 1 to 30 June and from 1 to 31 December.
    Outside those months, only if you have moved to a new address or your GP stops practising.
    For how the change works, please check the website of the National Health Insurance Fund (НЗОК, NHIF).
    https://www.nhif.bg

## Health insurance and the NHIF

health-insurance =
    To find out how to check whether you are health-insured, please see the website of the National Revenue Agency (НАП, NRA).
    https://nra.bg

health-nhif =
    The National Health Insurance Fund (НЗОК, NHIF) has a national phone line: 0800 14 800.
    Its regional offices are called РЗОК. I don't have verified addresses or opening hours for them, so please look them up on the website.
    https://www.nhif.bg

## No checked facts: say so honestly

health-hospital =
    I don't have verified information about hospitals and clinics in Sofia, and I'd rather not send you to the wrong place.
    I can pass your question to a staff member.
    If someone's life is in danger, call 112 now.
    Health insurance fund (NHIF): https://www.nhif.bg

health-pharmacy =
    I don't have verified information on which pharmacies are open, or until when. I'd rather not send you to a closed one.
    I can pass your question to a staff member.
    If someone's life is in danger, call 112 now.
    Health insurance fund (NHIF): https://www.nhif.bg

health-vaccine =
    I don't have verified information about vaccinations: where, when and on what terms they are given.
    I can pass your question to a staff member.
    Health insurance fund (NHIF): https://www.nhif.bg

health-telk =
    I don't have verified information about the disability assessment board (ТЕЛК): documents, waiting times, where to apply. I'd rather not mislead you.
    I can pass your question to a staff member.
    Health insurance fund (NHIF): https://www.nhif.bg

health-other =
    I don't have verified information yet about hospitals, pharmacies, vaccinations or the disability assessment board (ТЕЛК), and I'd rather not mislead you.
    I can pass your question to a staff member.
    If someone's life is in danger, call 112 now.
    Health insurance fund (NHIF): https://www.nhif.bg

## Care at home: a short form for a staff member

health-care-ask-need =
    I don't have verified information about social services and care at home, but I can pass your request to a staff member.
    Please tell me briefly what help is needed, and for whom.

health-care-retry-need = Please describe in a few words what help is needed.

health-care-ask-district =
    Which district of Sofia does the person who needs help live in?
    You can also write the neighbourhood (ж.к.).

health-care-retry-district = I didn't recognise that district. Please write the district or neighbourhood, for example Lyulin or Mladost 1.

health-care-sent =
    Thank you. I've passed your request to a staff member (district: { $district }). They will look at it and reply here, in this chat, but I can't say when.
    If someone's life is in danger, call 112 now.
