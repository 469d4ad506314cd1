from prosperity_cli.cli import main

main()
