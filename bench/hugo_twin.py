#!/usr/bin/env python3
"""The Hugo twin of a marketgen site folder: the same connectors, docs, logos and screenshots,
with Hugo making the same logo copies marketgen makes (`.Resize "192x png"` and `"96x png"`
on every raster logo), so that the two can be timed on the same work.

    bench/hugo_twin.py SITE_FOLDER HUGO_FOLDER

Each connector is a branch bundle (`_index.md` from its record and `docs/index.md`, the other
docs as pages below it) holding its images; the templates are those of examples/corpus.rs's
twin, with the logo copies and the screenshots added.
"""
import os
import re
import shutil
import sys

import yaml

BASEOF = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title><meta name="description" content="{{ .Summary | plainify | truncate 160 }}"><link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/style.css"></head><body><header><a href="/">{{ .Site.Title }}</a> <a href="/connectors/">Connectors</a></header><main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>"""
SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</article><nav>{{ range .Parent.Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>{{ end }}"""
# The logo's two copies, as marketgen makes them for the card and the connector page; an SVG
# logo is published as it is (Hugo cannot resize one).
LOGO = """{{ with .Resources.GetMatch "logo.*" }}{{ if in (slice ".png" ".webp" ".jpg") (path.Ext .Name) }}<img src="{{ (.Resize "192x png").RelPermalink }}" width="96" alt=""><img src="{{ (.Resize "96x png").RelPermalink }}" width="48" alt="">{{ else }}<img src="{{ .RelPermalink }}" width="96" alt="">{{ end }}{{ end }}{{ range .Resources.Match "screenshots/**" }}<img src="{{ .RelPermalink }}" alt="">{{ end }}"""
LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>""" + LOGO + """{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}{{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a> {{ end }}{{ .TableOfContents }}{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}"""
TERMS = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}"""
CONFIG = """baseURL = "https://bench.example/"
title = "Benchmark Marketplace"
disableKinds = ["RSS"]
ignoreLogs = ["warning-goldmark-raw-html"]
[taxonomies]
  category = "categories"
  tag = "tags"
[markup.highlight]
  noClasses = false
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
# Real docs hold `{...}` after headings and lines that are not Hugo's attributes.
[markup.goldmark.parser.attribute]
  block = false
  title = false
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def split_front(text):
    """A Markdown page's front matter (as a dict) and body."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            front = yaml.safe_load(text[4:end]) or {}
            return front, text[end + 4 :].lstrip("\n")
    return {}, text


# A fence's info string with a `{...}` (line highlights, as in ```yml{5-8}) is a Markdown
# attribute list to Hugo, which stops at one it cannot parse.
FENCE_ATTRIBUTES = re.compile(r"^(\s*(?:```|~~~)[^`{\n]*)\{[^}\n]*\}", re.M)


def front(fields):
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=True) + "---\n"


def connector(src, dst):
    with open(os.path.join(src, "connector.yaml"), encoding="utf-8") as f:
        record = yaml.safe_load(f) or {}
    os.makedirs(dst, exist_ok=True)
    for root, _, files in os.walk(src):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            if rel == "connector.yaml":
                continue
            if rel.startswith("docs" + os.sep) and name.endswith(".md"):
                with open(path, encoding="utf-8") as f:
                    meta, body = split_front(f.read())
                body = FENCE_ATTRIBUTES.sub(r"\1", body)
                if rel == os.path.join("docs", "index.md"):
                    fields = {
                        "title": str(record.get("name", os.path.basename(src))),
                        "summary": str(record.get("summary", "")),
                        "categories": [str(record.get("category", ""))],
                        "tags": [str(t) for t in record.get("tags") or []],
                    }
                    write(os.path.join(dst, "_index.md"), front(fields) + body)
                else:
                    fields = {"title": str(meta.get("title", name[:-3]))}
                    write(os.path.join(dst, rel), front(fields) + body)
            else:
                os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
                shutil.copyfile(path, os.path.join(dst, rel))
    if not os.path.exists(os.path.join(dst, "_index.md")):
        write(
            os.path.join(dst, "_index.md"),
            front({"title": str(record.get("name", os.path.basename(src)))}),
        )


def main():
    site, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    write(os.path.join(out, "hugo.toml"), CONFIG)
    for name, text in [
        ("baseof", BASEOF),
        ("single", SINGLE),
        ("list", LIST),
        ("terms", TERMS),
    ]:
        write(os.path.join(out, "layouts", "_default", name + ".html"), text)
    write(os.path.join(out, "static", "style.css"), "body { font-family: sans-serif; }\n")
    write(os.path.join(out, "content", "_index.md"), front({"title": "Benchmark"}))
    write(
        os.path.join(out, "content", "connectors", "_index.md"),
        front({"title": "All connectors"}),
    )
    connectors = os.path.join(site, "content", "connectors")
    for slug in sorted(os.listdir(connectors)):
        src = os.path.join(connectors, slug)
        if os.path.isfile(os.path.join(src, "connector.yaml")):
            connector(src, os.path.join(out, "content", "connectors", slug))


if __name__ == "__main__":
    main()
