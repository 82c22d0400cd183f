from versterkt.cli import main

main()
