idle_warning =
    { $minutes ->
        [one] You will be signed out in 1 minute, because you are not doing anything.
       *[other] You will be signed out in { $minutes } minutes, because you are not doing anything.
    }
stay = Stay signed in
end_warning =
    { $minutes ->
        [one] Your session ends in 1 minute. After that you need to sign in again.
       *[other] Your session ends in { $minutes } minutes. After that you need to sign in again.
    }
ended = You are signed out. Sign in again, or open your personal link again.
login_again = Sign in again
stayed = You stay signed in.
