from tospolicy.cli.main import run

run()
