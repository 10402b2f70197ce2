# Jobs and the Labour Office (dialogs/jobs.toml). Facts: shared/content/FACTS.md, section Jobs.

jobs-title = Jobs and the Labour Office

jobs-menu = 💼 Jobs and the Labour Office (Бюро по труда). What can I help you with?
    Pick a topic.

jobs-btn-register = Register at the Labour Office
jobs-btn-benefit = Unemployment benefit
jobs-btn-find = Looking for work
jobs-btn-vacancies = Jobs at the municipality
jobs-btn-business = Starting a business
jobs-btn-ask-staff = Pass it to a staff member

jobs-register = Register as a job seeker at the Labour Office (Дирекция „Бюро по труда“) for your permanent or current address. You can register from the age of 16.

    You need to be registered to use the services of the Employment Agency (Агенция по заетостта).

    More on the agency's website:
    https://www.az.government.bg

jobs-benefit = I have no confirmed information on unemployment benefit: what you need to do, who qualifies, how much it is or for how long, and I don't want to mislead you.

    Ask a staff member, or check the official websites:
    https://www.az.government.bg
    https://nssi.bg

jobs-find = The Employment Agency (Агенция по заетостта) helps people looking for work. Its local offices are the Labour Offices (Дирекция „Бюро по труда“).

    To use its services, register at the office for your permanent or current address. You can do this from the age of 16.

    See what the agency offers on its website:
    https://www.az.government.bg

jobs-vacancies = I don't have a list of job openings at Sofia Municipality (Столична община), and I don't want to mislead you.

    Ask a staff member, or check the municipality's official website:
    https://www.sofia.bg

jobs-business = I have no confirmed information on registering a company or getting a permit to trade, and I don't want to mislead you.

    I can pass your question to a staff member. You can also check the official website of Sofia Municipality (Столична община):
    https://www.sofia.bg

jobs-business-ask = What kind of business do you want to start, and in which part of Sofia? A few words are enough, for example: “a small shop in Mladost”.

jobs-business-retry = Please describe the business in a few words, for example: “a café in Lyulin” or “a market stall”.

jobs-business-sent = Thank you! I've passed your question about “{ $business }” to a staff member.

    You can also ask Call Sofia, the city's 24/7 contact centre, on 0700 17 310 or online:
    https://call.sofia.bg
