# One way to write a moment across the admin: Django's lists and read-only fields said
# "2026年11月30日 16:58" beside our pages' "2026-11-30 16:58". Input formats stay Django's.
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
