import sys

from payments.main import command_line

sys.exit(command_line())
