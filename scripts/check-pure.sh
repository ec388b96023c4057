#!/usr/bin/env bash
# The pure crates (formats, decoders, versions, matching, the domain model)
# must not depend on an async runtime, an HTTP stack or a database driver
# (STYLE.md). Fails naming the crate and the offending dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
pure=(medvigil-model medvigil-inventory medvigil-demo medvigil-version medvigil-ident
      medvigil-vulndb medvigil-csaf medvigil-decode medvigil-capture medvigil-sbom
      medvigil-match medvigil-risk medvigil-fingerprint medvigil-segment medvigil-report
      medvigil-auth)
forbidden='^(tokio|sqlx[a-z-]*|rusqlite|libsqlite3-sys|hyper|axum|reqwest|ureq|mio|postgres[a-z-]*) '
status=0
for crate in "${pure[@]}"; do
  deps=$(cargo tree -p "$crate" -e normal --prefix none --format '{p}' 2>/dev/null | sort -u)
  if bad=$(grep -E "$forbidden" <<<"$deps"); then
    echo "impure: $crate depends on: $(echo $bad | tr '\n' ' ')"
    status=1
  fi
done
[ $status -eq 0 ] && echo "pure crates: ${#pure[@]} checked, none depends on a runtime, HTTP or database crate"
exit $status
