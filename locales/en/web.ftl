### The staff console in a browser: page titles, labels, buttons and messages.

web-title = Citizens' cases: staff console
web-skip = Skip to the content
web-nav = Console sections
web-queue = Queue
web-dashboard = Dashboard
web-canned = Canned replies
web-audit = Audit
web-logout = Sign out
web-role-agent = agent
web-role-supervisor = supervisor
web-role-admin = administrator
web-other-lang = Български
web-login = Sign in
web-name = Account name
web-password = Password
web-login-failed = The account name or the password is wrong, or signing in is paused for a while. Try again later.
web-forbidden = This is not allowed for your account, or the form has expired. Go back, reload the page and try again.
web-no-such-case = There is no such case.
web-empty = Something required is missing.
web-done = Done.

web-search = Reference or text
web-status = Status
web-open-cases = Open cases
web-topic = Topic
web-language = Language
web-district = District
web-filter = Show
web-queue-caption = Cases, the ones due soonest first
web-reference = Reference
web-due = Due
web-assignee = Taken by
web-summary = Summary
web-overdue = overdue
web-no-cases = No cases match.

web-opened = Opened
web-rating = Rating
web-collected = Collected details
web-map = map
web-conversation = Conversation
web-from-citizen = Citizen
web-from-staff = Staff
web-from-bot = Assistant
web-actions = Actions
web-reply = Answer to the citizen (sent in Telegram)
web-send = Send
web-note = Internal note (never sent)
web-save-note = Save the note
web-close-note = Note for the citizen when closing (optional)
web-close = Close the case
web-take = Take the case
web-reopen = Reopen
web-assign-to = Assign to
web-assign = Assign
web-history = History
web-actor-citizen = citizen
web-actor-bot = assistant
web-actor-system = system

web-median-first-answer = Median time to the first staff answer
web-answered-in-time = Answered within the due time
web-average-rating = Average rating
web-per-day = Cases opened and closed per day
web-day = Day
web-opened-count = Opened
web-closed-count = Closed
web-missed = Questions the assistant did not understand most often
web-times = Times
web-question = Question (personal numbers masked)

web-staff-actions = Staff actions on cases
web-data-requests = Exports and erasures of citizens' data
web-when = When
web-who = Who
web-what = What
web-where = From where
web-subject = Whose data
web-detail = Detail

web-photos = Photos
web-photo-alt = Photo from the citizen
web-no-photo = The photo cannot be shown.

web-delete = Delete
web-canned-title = Title
web-canned-body = Text
web-add = Add

web-cross-origin = This request did not come from the console's own pages, and was refused. Open the console and try again there.
web-not-utf8 = The request holds text that is not valid UTF-8, and was refused.
web-too-long = The field “{ $field }” is longer than { $max } characters. Shorten it and send it again.
web-field-text = Text
web-field-other = (unnamed)
web-too-large = The request is too large, and was refused. Send shorter texts.
web-headers-too-large = The request's headers are too large (too many or too large cookies?), and were refused.
web-not-a-form = The request is not a form, and was refused.
web-no-page = There is no such page here.
web-failed = Something went wrong on our side. Try again in a moment.
web-no-such-canned = There is no such canned reply.
web-pages = Pages
web-page-of = Page { $page } of { $pages } ({ $total ->
    [one] { $total } case
   *[other] { $total } cases
})
web-previous = Previous page
web-next = Next page
web-last-days = Days shown
