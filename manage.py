#!/usr/bin/env python
from cchc.manage import main

if __name__ == "__main__":
    main()
