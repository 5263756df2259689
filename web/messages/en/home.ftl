family_title = Welcome back
family_intro = You are still signed in as { $name }.
live = The meeting is going on now.
to_meeting = Go to the meeting
to_plan = Our family plan
no_plan = There is no family plan yet. It comes after the first meeting.
plan_versions =
    { $n ->
        [one] There is 1 version of the plan.
       *[other] There are { $n } versions of the plan.
    }
other_live = A new meeting is going on. Ask the coordinator for a new link, or join with the code on the big screen.
to_code = Join with a code
no_meeting = There is no meeting now.
goals_heading = Our goals
score = score { $score }
