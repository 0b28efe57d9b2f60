"""Vietnamese administrative conventions that both the pure text analysis (``minutes``) and
the database (``storage``) follow: the working-day calendar and who may sign a document.

Pure: no database, no bot, no clock. Neither ``minutes`` nor ``storage`` owns these rules, so
neither has to import the other for them.
"""
