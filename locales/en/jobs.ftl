# Jobs and the Labour Office (dialogs/jobs.toml). Facts: locales/facts.toml, section Jobs.

jobs-title = Jobs and the Labour Office

jobs-menu = 💼 Jobs and the Labour Office (Бюро по труда). What can I help you with?
    Pick a topic.

jobs-btn-register = Register at the Labour Office
jobs-btn-benefit = Unemployment benefit
jobs-btn-find = Looking for work
jobs-btn-training = Courses for the unemployed
jobs-btn-vacancies = Jobs at the municipality
jobs-btn-business = Starting a business
jobs-btn-ask-staff = Pass it to a staff member

jobs-register = Register as a job seeker at the Labour Office (Дирекция „Бюро по труда“) for your permanent or current address. You can register from { $fact-job-seeker-min-age }.

    You need to be registered to use the services of the Employment Agency (Агенция по заетостта).

    More on the agency's website:
    { $fact-employment-agency-web }

jobs-benefit = I have no confirmed information on unemployment benefit, including after redundancy: how much it is, who qualifies, what you need to do or how long it is paid, and I don't want to mislead you.

    Please check the websites of the Employment Agency (Агенция по заетостта) and the National Social Security Institute (НОИ, NSSI), or ask a staff member:
    { $fact-employment-agency-web }
    { $fact-nssi-web }

jobs-find = The Employment Agency (Агенция по заетостта) helps people looking for work. Its local offices are the Labour Offices (Дирекция „Бюро по труда“).

    To use its services, register at the office for your permanent or current address. You can do this from { $fact-job-seeker-min-age }.

    See what the agency offers on its website:
    { $fact-employment-agency-web }

jobs-training = To use the Employment Agency's services for job seekers, you first register at the Labour Office (Дирекция „Бюро по труда“) for your permanent or current address.

    I have no checked information on its courses and retraining (which there are, who can join). Please see the agency's website or ask a staff member:
    { $fact-employment-agency-web }

jobs-vacancies = I don't have a list of job openings at Sofia Municipality (Столична община), and I don't want to mislead you.

    Ask a staff member, or check the municipality's official website:
    { $fact-sofia-web }

jobs-business = I have no confirmed information on registering a company or a sole trader (ЕТ), working as a freelancer, or getting a permit to trade (a market stall or a small shop, say), and I don't want to mislead you.

    I can pass your question to a staff member. You can also check the official website of Sofia Municipality (Столична община):
    { $fact-sofia-web }

jobs-business-ask = What kind of business do you want to start, and in which part of Sofia? A few words are enough, for example: “a small shop in Mladost”.

jobs-business-retry = Please describe the business in a few words, for example: “a café in Lyulin” or “a market stall”.

jobs-business-sent = Thank you! I've passed your question about “{ $business }” to { $team }.

    Below you'll see your question's reference and when to expect an answer. A staff member will reply here, in this chat.
    You can also ask Call Sofia, the city's 24/7 contact centre, on { $fact-call-sofia-phone } or online:
    { $fact-call-sofia-web }
