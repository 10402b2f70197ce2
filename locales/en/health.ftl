# Health (dialogs/health.toml): GPs, health insurance, the NHIF, nights and weekends,
# vaccinations, ТЕЛК, care at home. Facts only from locales/facts.toml (HIGH). Where there is
# no fact: say so, give the site that fits the question, and a staff member.
# ТЕЛК is not the NHIF's: link СРЗИ, never nhif.bg. Vaccinations are the GP's: no nhif.bg.
# No lists of duty pharmacies or practices.

health-title = Health

health-menu = 🩺 Health: what can I help you with? Choose a topic.

## Buttons (short)

health-btn-gp-choose = I have no GP
health-btn-gp-change = Changing your GP
health-btn-after-hours = Nights and weekends
health-btn-insurance = Am I health-insured?
health-btn-nhif = NHIF phone line
health-btn-other = ТЕЛК, vaccines and more
health-btn-care = Care at home
health-btn-human = Ask a staff member
health-btn-telk = Disability assessment (ТЕЛК)
health-btn-vaccine = Vaccinations
health-btn-referral = Referral to a specialist
health-btn-ehic = European health card
health-btn-hospital = Hospitals and clinics
health-btn-pharmacy = Pharmacies

## GP (личен лекар)

health-gp-choose =
    If you don't have a GP (личен лекар, also called ОПЛ), you can choose one at any time. The registration form is on the website of the National Health Insurance Fund (НЗОК, NHIF), and you hand it in at the new GP's.
    I don't have a list of GPs who are taking new patients. If you like, I can pass your question to a staff member.
    { $fact-nhif-web }

health-gp-change =
    You can change your GP (личен лекар) twice a year: { $fact-gp-change-june } and { $fact-gp-change-december }.
    Outside those months, only if you have moved to a new address or your GP stops practising (for example, has retired or closed the practice).
    The registration form is on the website of the National Health Insurance Fund (НЗОК, NHIF), and you hand it in at the new GP's.
    { $fact-nhif-web }

## Health insurance and the NHIF

health-insurance =
    To find out how to check whether you are health-insured, please see the website of the National Revenue Agency (НАП, NRA).
    { $fact-nra-web }

health-nhif =
    The National Health Insurance Fund (НЗОК, NHIF) has a national phone line: { $fact-nhif-phone }.
    Its regional offices are called РЗОК. I don't have verified addresses or opening hours for them, so please look them up on the website.
    { $fact-nhif-web }

health-ehic =
    I don't have checked information here on the European Health Insurance Card (EHIC, in Bulgarian ЕЗОК): how it is issued, where it is valid or what it covers.
    Health insurance questions go to the National Health Insurance Fund (НЗОК, NHIF). Please see its website, or ask a staff member with the button below.
    { $fact-nhif-web }

## Nights and weekends

health-after-hours =
    If a life is in danger, call { $fact-emergency-phone } now.

    When your GP is closed (at night, on Saturdays and Sundays) and it isn't life-threatening, go to the emergency medical centre (Център за спешна медицинска помощ, ЦСМП) or a hospital's emergency ward.
    Ask your GP's practice how to reach a doctor outside its hours. I don't have a list of pharmacies or practices on duty.

## Vaccinations and ТЕЛК

health-vaccine =
    Routine vaccinations on the national immunisation calendar (a child's, for example) are given by your GP (личен лекар). Ask the practice when to come in.
    If you have no GP, you can choose one at any time. For other vaccines (for travel, say) I don't have checked information: I can pass your question to a staff member.

health-telk =
    Disability assessment (ТЕЛК) is not run by the National Health Insurance Fund (НЗОК). Its medical boards belong to the health system and are reached through the regional health inspectorate: for the city of Sofia, the Sofia Regional Health Inspectorate (Столична регионална здравна инспекция, СРЗИ).
    If your decision is about to expire, apply for a re-examination { $fact-telk-reexamination-before } before it does.
    For documents, СРЗИ's address and phone, see its website.
    { $fact-srzi-web }

## No checked facts: say so honestly

health-hospital =
    I don't have verified information about hospitals and clinics in Sofia, and I'd rather not send you to the wrong place.
    I can pass your question to a staff member.
    If someone's life is in danger, call { $fact-emergency-phone } now.
    Health insurance fund (NHIF): { $fact-nhif-web }

health-pharmacy =
    I don't have verified information on which pharmacies are open, or until when, and no list of pharmacies on duty. I'd rather not send you to a closed one.
    I can pass your question to a staff member.
    If someone's life is in danger, call { $fact-emergency-phone } now.

health-referral =
    I don't have checked information here on referrals (направление) to a specialist. Please ask your GP, or see the website of the National Health Insurance Fund (НЗОК, NHIF).
    I can also pass your question to a staff member with the button below.
    { $fact-nhif-web }

health-other = Which of these can I help you with?

## Care at home: a short form for a staff member

health-care-intro = I don't have verified information about social services and care at home, but I can pass your request to { $team }.

health-care-ask-need = Please tell me briefly what help is needed, and for whom.

health-care-retry-need = Please describe in a few words what help is needed, for example "help with shopping for my grandmother".

health-care-ask-district =
    Which district of Sofia does the person who needs help live in?
    You can also write the neighbourhood (ж.к.).

health-care-retry-district = I didn't recognise that district. Please write the district or neighbourhood, for example Lyulin, Nadezhda or Mladost 1.

health-care-sent =
    Thank you! I've passed your request for { $district } district to { $team }.
    Below you'll see your request's reference and when to expect an answer. A staff member will reply here, in this chat.
    If someone's life is in danger, call { $fact-emergency-phone } now.
