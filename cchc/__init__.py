"""cchc: administrative reform for Vietnamese education authorities."""
