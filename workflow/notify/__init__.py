"""Notifications: telling people of work that is theirs, by e-mail or in the desk's chat
channel, at once or in an hourly digest.

`choices` is what each person chose (and the desk's defaults and chat channel); the news each
change makes, its sending and the digests live beside it in this package.
"""
