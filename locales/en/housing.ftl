# Home and neighbourhood (dialogs/housing.toml)

housing-title = Home and neighbourhood

housing-menu =
    🏠 Home and neighbourhood. What can I help you with?
    Pick a topic, or just type your question.

housing-btn-municipal = Municipal housing
housing-btn-registration = Address registration
housing-btn-report = Report a problem
housing-btn-heating = Heating and hot water
housing-btn-water = Water outage
housing-btn-tax = Tax on a home
housing-btn-human = Ask a staff member
housing-btn-main-menu = Menu
housing-btn-more = More about home

## Municipal housing

housing-municipal-ask-district =
    Which district of Sofia do you live in? Type the district or your neighbourhood, for example Lyulin or Mladost.

housing-municipal-retry-district =
    I didn't recognise that district. Please type its name, for example Krasno selo, Lozenets or Nadezhda.

housing-municipal =
    For municipal housing (общинско жилище), contact the district administration (районна администрация) of { $district }. Ask them, or check the Sofia Municipality website, how to apply, who is eligible and which documents you need.

    I can also pass your question to a staff member.
    https://www.sofia.bg

## Address registration

housing-registration =
    I don't have confirmed information on address registration (адресна регистрация): where exactly it is done and which documents you need. I'd rather not guess.

    Please check Sofia Municipality's website, or I can pass your question to a staff member.
    https://www.sofia.bg

## Reporting a problem in the neighbourhood

housing-report-ask-category =
    I'll pass your report to municipal staff. What is the problem about?
    If anyone is in danger, call 112.

housing-cat-waste = Rubbish
housing-cat-light = Street lighting
housing-cat-tree = Tree or branches
housing-cat-noise = Noise
housing-cat-animals = Stray animals
housing-cat-other = Something else

housing-report-retry-category =
    Please choose the kind of problem with one of the buttons.

housing-report-ask-place =
    Where is it? Type the district or neighbourhood, for example Lyulin or Mladost, or share a location pin.
    You can give the exact address in the next step.

housing-report-retry-place =
    I didn't recognise that place. Please type the district, for example Lozenets, or share a location pin.

housing-report-ask-description =
    Please describe the problem in a few words: what is happening and exactly where (street, block number, what it is near).

housing-report-retry-description =
    The description needs to be between 10 and 1000 characters. Please try again.

housing-report-ask-photo =
    If you have a photo, send it now. A photo is optional.

housing-report-retry-photo =
    Please send a photo, or skip this step with the button.

housing-report-sent =
    Thank you! I've passed your report to municipal staff.
    Problem: { $category }
    Place: { $place }

    If you'd like a number to follow it up, also report it to Call Sofia, the city's 24/7 contact centre, on 0700 17 310 or online. Every report there gets a registration number.
    https://call.sofia.bg

## Heating, hot water, water outages

housing-heating =
    I don't have confirmed information on who is responsible for heating (парно) and hot water, or when they will be back on.

    To report a problem, contact Call Sofia, the city's 24/7 contact centre, on 0700 17 310 or online. You will get a registration number. I can also pass your question to a staff member.
    https://call.sofia.bg

housing-water =
    I don't have confirmed information on who turns the water off or when it will be back on.

    To report it, contact Call Sofia, the city's 24/7 contact centre, on 0700 17 310 or online. You will get a registration number. I can also pass your question to a staff member.
    https://call.sofia.bg

## Tax on a home

housing-tax =
    I don't have confirmed information on the tax on a home: how much it is, when it is due or how to pay it. I'd rather not give you a wrong amount or deadline.

    Please check Sofia Municipality's website, or I can pass your question to a staff member.
    https://www.sofia.bg

housing-btn-permits = Building or renovation permit
housing-permits =
    I don't have confirmed information on when you need a permit for building, renovation or alterations, or which documents are required, and I don't want to mislead you.

    Please check the Sofia Municipality website. I can also pass your question to a member of staff.
    https://www.sofia.bg
