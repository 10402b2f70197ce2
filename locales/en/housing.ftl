# Home and neighbourhood (dialogs/housing.toml)

housing-title = Home and neighbourhood

housing-menu =
    🏠 Home and neighbourhood. What can I help you with?
    Pick a topic, or just type your question.

housing-btn-municipal = Municipal housing
housing-btn-report = Report a problem in the area
housing-btn-snow = Snow and ice
housing-btn-bulky = Old furniture and branches
housing-btn-permits = Building or renovation permit
housing-btn-report-snow = Report snow or ice
housing-btn-report-dumping = Report dumped waste
housing-btn-human = Ask a staff member
housing-btn-main-menu = Menu
housing-btn-more = More about home

## Municipal housing

housing-municipal-ask-district =
    Which district of Sofia do you live in? Type the district or your neighbourhood, for example Lyulin or Mladost.

housing-municipal-retry-district =
    I didn't recognise that district. Please type its name, for example Krasno selo, Lozenets or Nadezhda.

housing-municipal =
    For municipal housing (общинско жилище), your family is first registered on the housing list (картотекиране) by the district administration, under the municipality's ordinance on municipal housing. File an application form and a declaration with the administration of { $district } district.

    Ask them, or check the Sofia Municipality website, which documents you need and who is eligible.
    { $fact-sofia-web }

## Snow and ice

housing-snow =
    ❄️ The owners and users of each building clear the snow and ice from the pavement in front of it. The municipality clears the streets.

    If a pavement or street has not been cleared, report it to Call Sofia, the city's contact centre, on { $fact-call-sofia-phone } or online. The Municipal Inspectorate (Столичен инспекторат), { $fact-inspectorate-address }, enforces these rules.

    I can also pass your report to { $team }.
    { $fact-sofia-web }
    { $fact-call-sofia-web }

## Bulky and garden waste

housing-bulky =
    🛋 The municipality publishes on its waste website how and when it collects bulky waste (old furniture, appliances, mattresses) and garden waste (branches, leaves). The schedule is there too.

    If someone has already dumped such things in the street or by the road, I can pass a report to { $team }.
    { $fact-waste-web }

## Reporting a problem in the neighbourhood

housing-report-start =
    I'll pass your report to { $team }.
    If anyone is in danger, call { $fact-emergency-phone } now.

housing-report-ask-category =
    What is the problem about? Pick a button, or describe it in a word or two.

housing-cat-waste = Rubbish and bins
housing-cat-dumping = Dumped waste
housing-cat-light = Street lighting
housing-cat-tree = Tree or branches
housing-cat-noise = Noise
housing-cat-animals = Stray animals, rats
housing-cat-snow = Snow and ice
housing-cat-other = Something else

housing-report-retry-category =
    I didn't catch what the problem is. Pick it with a button, or name it in a word or two, for example "bins", "lamp", "dogs" or "bench".

housing-report-ask-place =
    Where is it? Type the district or neighbourhood, for example Lyulin or Mladost 1, or share a location pin (📎, then "Location").

housing-report-retry-place =
    I didn't recognise that place. Please type the district (for example Lozenets), the neighbourhood (for example Druzhba 2), or share a location pin: 📎, then "Location".

housing-report-ask-description =
    Please describe the problem in a few words: what is happening and exactly where (street, block, what it is near).

housing-report-retry-description =
    I need a few words, between 10 and 1000 characters: what is happening and exactly where.

housing-report-ask-photo =
    If you have a photo, send it now. A photo is optional.

housing-report-retry-photo =
    Please send a photo (📎, then "Photo"), or tap "Skip".

housing-report-sent =
    Thank you! I've passed your report to { $team }.
    Problem: { $category }
    Place: { $place }

    Your case number is below. Staff will answer you here, in this chat. To add the exact address or anything else, just write it here.

    For an official registration with the municipality, you can also report it to Call Sofia, the city's 24/7 contact centre, on { $fact-call-sofia-phone } or online. They will give you their own registration number.
    { $fact-call-sofia-web }

## Building and renovation permits

housing-permits =
    I don't have confirmed information on when you need a permit for building, renovation or alterations, or which documents are required, and I don't want to mislead you.

    Please check the Sofia Municipality website. I can also pass your question to a member of staff.
    { $fact-sofia-web }
