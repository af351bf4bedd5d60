#!/usr/bin/env bash
# Refresh the English translation after source strings have changed.
#
#   locale/update.sh
#
# 1. makemessages collects every marked string into locale/en/LC_MESSAGES/django.po
#    (existing translations are kept; changed strings come back marked "#, fuzzy",
#    new ones with an empty msgstr).
# 2. compilemessages writes django.mo (committed), then the script lists what still needs
#    a translator and exits 1 if anything does. Django ignores fuzzy entries, so those
#    strings show in Danish until fixed; tests/i18n/test_language.py fails meanwhile.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
# A developer's tool: the development settings (DEBUG is off unless turned on).
export DJANGO_DEBUG="${DJANGO_DEBUG:-1}"
PO=locale/en/LC_MESSAGES/django.po

"$PYTHON" manage.py makemessages -l en \
    --ignore=.venv --ignore=node_modules --ignore=static/vendor --ignore=staticfiles \
    --ignore=tools --ignore=screenshots --ignore=var

msgfmt --check-format -o /dev/null "$PO"
"$PYTHON" manage.py compilemessages -l en --ignore=.venv

echo "Statistics for $PO:"
msgfmt --statistics -o /dev/null "$PO" 2>&1
# msgattrib prints the matching entries after the header; drop the header (first paragraph).
without_header() { awk 'BEGIN { RS = ""; ORS = "\n\n" } NR > 1'; }
fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$PO" | without_header)"
if [ -n "$fuzzy" ]; then
    printf '\n== Fuzzy: check the translation, then delete the "#, fuzzy" line ==\n%s\n' "$fuzzy"
fi
untranslated="$(msgattrib --untranslated --no-obsolete "$PO" | without_header)"
if [ -n "$untranslated" ]; then
    printf '\n== Untranslated ==\n%s\n' "$untranslated"
fi
if [ -n "$fuzzy$untranslated" ]; then
    echo
    echo "Translate the entries above in $PO, then run $0 again."
    exit 1
fi
