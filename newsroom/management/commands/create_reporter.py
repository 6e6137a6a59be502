"""Create a reporter account for the admin once, and print its password.

A reporter writes stories, edits their own drafts and submits them for
review; an editor publishes them (newsroom/roles.py, articles/workflow.py).
`--reset-password` sets and prints a new password.
"""

from newsroom.management.accounts import AccountCommand
from newsroom.roles import REPORTERS


class Command(AccountCommand):
    help = "Create a reporter account and print its password; with --reset-password, set a new one."
    role = REPORTERS
    noun = "reporter"
    default_username = "reporter"
    reset_target = ""
