"""``python -m diemcau``: the same command line as the ``diemcau`` script."""

from diemcau.cli import main

main()
