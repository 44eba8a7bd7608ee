from ansheng_cli.cli import main

main()
