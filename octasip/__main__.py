from octasip.cli import main

raise SystemExit(main())
