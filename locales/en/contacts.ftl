# Contacts and city services (dialogs/contacts.toml). Facts: locales/facts.toml, The city.
# 112 is only for a danger to life, never the municipality's number.

contacts-title = Contacts and city services

contacts-menu = 📞 Contacts and city services. Pick a topic or type your question.

## Buttons (short)

contacts-btn-call-sofia = Call Sofia
contacts-btn-eservices = E-services
contacts-btn-district = My district administration
contacts-btn-complaint = Complaints and reports
contacts-btn-report = Report a problem in my area

## Call Sofia

contacts-call-sofia =
    Call Sofia, the municipality's contact centre, is on { $fact-call-sofia-phone }, 24 hours a day, 7 days a week.
    You can report a non-urgent problem in the city there, ask for information or make a complaint, by phone or online. Every report gets a registration number, so you can check how far it has got.
    { $fact-call-sofia-web }

contacts-complaint =
    Reports, complaints and questions to the municipality go to Call Sofia, its 24/7 contact centre: call { $fact-call-sofia-phone } or use the website.
    Every report gets a registration number. Keep it: with it you can check what has happened to your report.
    If someone's life is in danger, don't write here: call { $fact-emergency-phone }.
    { $fact-call-sofia-web }

## E-services and the catalogue

contacts-eservices =
    The municipality's e-services are on its portal:
    { $fact-sofia-eservices-web }
    For the list of administrative services, the documents each one needs and how to apply online, see the catalogue of services:
    { $fact-sofia-services-web }

## District administration

contacts-district-ask = Which district or neighbourhood do you live in? Write it, for example Lyulin, Mladost 1 or Krasno selo.

contacts-district-retry = I didn't recognise that district. Please write the district or neighbourhood, for example Nadezhda, Druzhba 2 or Lozenets.

contacts-district =
    That is the { $district } district. Sofia has { $fact-districts-count }, each with its own district administration (районна администрация) and an elected district mayor.
    It issues birth, marriage and heirs' certificates and handles address registration.
    For the address and contacts of the { $district } district administration, see the list of districts on the municipality's website:
    { $fact-sofia-web }

## The emergency number

contacts-emergency-number =
    If a life is in danger, call { $fact-emergency-phone }: ambulance, fire brigade and police. The call is free from any phone.
    It is not for city problems that aren't urgent. Those go to Call Sofia, the municipality's 24/7 contact centre:
    { $fact-call-sofia-web }
