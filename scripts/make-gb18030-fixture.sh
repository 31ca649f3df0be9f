#!/bin/sh
# Makes the GB18030 copy of a labelled report, as many government sites serve their reports.
# Run once; the output is committed so tests and CI do not need iconv.
set -eu
here=$(dirname "$0")/../test/fixtures/catalog-draft
node -e "process.stdout.write(require('yaml').parse(require('fs').readFileSync('$here/longgang-2013.yaml','utf8')).report)" \
  | iconv -f UTF-8 -t GB18030 > "$here/longgang-2013-gb18030.txt"
