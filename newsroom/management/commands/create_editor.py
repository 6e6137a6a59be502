"""Create an editor account for the admin once, and print its password.

`make run` calls this on every start so a new user can log in straight away;
`--reset-password` (`make editor-password`) sets and prints a new one. The
account is in the Editors group: every permission on the newsroom's content,
publishing included, and none on accounts (newsroom/roles.py).
"""

from newsroom.management.accounts import AccountCommand
from newsroom.roles import EDITORS


class Command(AccountCommand):
    help = "Create an editor account and print its password; with --reset-password, set a new one."
    role = EDITORS
    noun = "editor"
    default_username = "editor"
    reset_target = "editor-password"
