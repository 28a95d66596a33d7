from tospolicy.cli.main import main

main(prog_name="tospolicy")
