page_title = { $family } – Rondetafel
signed_in_as = { $name } (coordinator)
intro = This is the family's page. Here you start a meeting. And here you make each person's own link to take part.
meeting_heading = Meeting
meeting_live = A meeting is going on now:
code_label = Code of the meeting
to_meeting = Go to the meeting
no_meeting = No meeting is going on now.
title_label = Name of the meeting
title_hint = You may leave this empty. Then it is called: { $default }.
start = Start a new meeting
start_other = Start a different meeting now
plan_heading = The plan
plan_link = The family plan
plan_text = See the plan as it is now.
versions_heading = All versions
version = Version { $number }
no_versions = There is no plan yet. The first plan comes after the first meeting.
people_heading = Who is at the table?
links_intro = Make each person their own link. Send the link, or let them scan the QR code with a phone or tablet. A link works once, for { $lifetime }.
links_need_meeting = Do you want to make links to take part? Then start a meeting first.
group_family = Family
group_network = Network
group_network_hint = Family, friends and neighbours who want to help.
group_professional = Professionals
group_coordinator = Coordinator
group_screen = Screen in the room
offers = Wants to help:
screen = Shared screen
screen_hint = The big screen in the room. It shows the plan. Nobody can change anything on the screen.
state_used = Has used the link.
state_made = Has a link. Not used yet.
state_none = Has no link yet.
make_link = Make a link
make_new_link = Make a new link
make_link_for = for { $name }
link_for = Link for { $name }
link_once = You see this link only once. Copy it now, or let them scan the QR code.
copy = Copy
copied = Copied
qr_label = QR code with the link for { $name }
error_no_meeting = No meeting is going on. Start a meeting first.
days =
    { $days ->
        [one] 1 day
       *[other] { $days } days
    }
hours =
    { $hours ->
        [one] { $hours } hour
       *[other] { $hours } hours
    }
forbidden_title = This page is for the coordinator
forbidden_text = You cannot open this page. You can look at the family's plan.
forbidden_link = Go to the family plan
forbidden_meeting = Go to the meeting
withdraw_link = Withdraw the link
withdrawn = The link of { $name } no longer works.
