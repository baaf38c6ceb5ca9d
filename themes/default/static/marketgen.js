// marketgen's only script: the catalogue's search, filters and sort, the compare page, and
// `/` to jump to the search box. Every part enhances server-rendered HTML, which works
// without it. No framework and no dependency: a marketplace page must not load other sites.
(() => {
  "use strict";

  const MAX_COMPARE = 4;
  const FIRST_CARDS = 120;
  const CARDS_PER_FRAME = 1000;
  const COMPARE_KEY = "marketgen-compare";
  // A filter with more values than this shows its TOP_VALUES most common ones, a box to
  // find any other, and "show all": a list of 800 systems is no way to find one.
  const COLLAPSE_OVER = 8;
  const TOP_VALUES = 6;

  // The same folding as search-docs.json's words: lower case, accents removed.
  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const words = (text) => fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  // A lookup by a name that came from the address or the data: own properties only, so that
  // `__proto__`, `constructor` or `toString` find nothing rather than Object's own members.
  const own = (object, key) => (Object.hasOwn(object, key) ? object[key] : undefined);
  const el = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  };

  // The typos a query word of `length` letters may hold: none in its first four letters,
  // one in its first eight, two after that.
  const budget = (length) => (length >= 9 ? 2 : length >= 5 ? 1 : 0);

  // Whether `query` is the start of `word`, allowing typos: every start of the query (its
  // first letter, first two…) is within its own budget of some start of the word. Judging
  // every start of the query, not only the whole, makes a shorter query match whatever a
  // longer one does, so typing a letter never brings back connectors it had dropped.
  // Returns 2 for an exact start, 1 for one with typos, 0 for no match.
  const prefixMatch = (query, word) => {
    if (word.startsWith(query)) return 2;
    if (query.length < 5 || !word.startsWith(query.slice(0, 4))) return 0;
    let previous = Array.from({ length: word.length + 1 }, (_, j) => j);
    for (let i = 1; i <= query.length; i++) {
      const row = [i];
      let best = i;
      for (let j = 1; j <= word.length; j++) {
        const cost = query[i - 1] === word[j - 1] ? 0 : 1;
        row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        best = Math.min(best, row[j]);
      }
      if (best > budget(i)) return 0;
      previous = row;
    }
    return 1;
  };

  // Where a word was found, best first: a name or a system, then what describes the
  // connector, then its docs. With the whole name, these are the tiers of the ranking.
  const FIELD = { name: 2, system: 2, summary: 1, tag: 1, category: 1, endpoint: 1, docs: 0 };
  const EXACT_NAME = 4;
  const NAME_START = 3;

  class SearchIndex {
    constructor(data) {
      const at = Object.fromEntries(data.fields.map((field, i) => [field, i]));
      this.authLabels = data.auth;
      this.categories = data.categories;
      this.items = data.connectors.map((row, i) => {
        const category = data.categories[row[at.category]] || ["", ""];
        const directions = new Set(row[at.directions]);
        const reads = directions.has("source") || directions.has("both");
        const writes = directions.has("destination") || directions.has("both");
        return {
          i,
          slug: row[at.slug],
          name: row[at.name],
          folded: fold(row[at.name]),
          summary: row[at.summary],
          category: category[0],
          categoryName: category[1],
          auth: row[at.auth],
          // A connector that reads and writes counts as a source, a destination and both.
          direction: [reads && "source", writes && "destination", reads && writes && "both"].filter(Boolean),
          tags: [...new Set(row[at.tags])],
          systems: [...new Set(row[at.systems])],
          endpoints: row[at.endpoints],
          listed: row[at.listed] || "",
          updated: row[at.updated] || "",
          deprecated: row[at.deprecated] === 1,
          standing: 0,
        };
      });
      this.postings = new Map();
      for (const item of this.items) {
        this.add(item.i, item.name, FIELD.name);
        this.add(item.i, item.summary, FIELD.summary);
        this.add(item.i, item.categoryName, FIELD.category);
        item.tags.forEach((tag) => this.add(item.i, tag, FIELD.tag));
        item.systems.forEach((system) => this.add(item.i, system, FIELD.system));
        item.endpoints.forEach((endpoint) => this.add(item.i, endpoint, FIELD.endpoint));
      }
      this.cache = new Map();
    }

    add(i, text, field) {
      for (const word of words(text)) {
        let posting = this.postings.get(word);
        if (!posting) this.postings.set(word, (posting = new Map()));
        if (!posting.has(i) || posting.get(i) < field) posting.set(i, field);
      }
    }

    addDocs(list) {
      list.forEach((text, i) => {
        if (this.items[i]) this.add(i, text, FIELD.docs);
      });
      this.cache.clear();
    }

    // The connectors matching one query word, each with where it was found best and
    // whether it was found without a typo.
    matchWord(query) {
      let found = this.cache.get(query);
      if (found) return found;
      found = new Map();
      for (const [word, posting] of this.postings) {
        const how = prefixMatch(query, word);
        if (!how) continue;
        for (const [i, field] of posting) {
          const best = found.get(i);
          if (!best || best.field < field || (best.field === field && best.exact < how)) found.set(i, { field, exact: how });
        }
      }
      this.cache.set(query, found);
      return found;
    }

    // Every connector matching all the query's words, with its rank: the whole name equal
    // to the query, then names starting with it, then the worst of its words' fields (a
    // name or system, then a summary, tag, category or endpoint, then the docs), and
    // whether every word matched without a typo.
    search(query) {
      const queryWords = words(query);
      if (!queryWords.length) return null;
      const perWord = queryWords.map((word) => this.matchWord(word));
      const ranks = new Map();
      const whole = fold(query).trim();
      for (const [i, first] of perWord[0]) {
        let tier = first.field;
        let exact = first.exact === 2;
        for (const other of perWord.slice(1)) {
          const match = other.get(i);
          if (!match) {
            tier = -1;
            break;
          }
          tier = Math.min(tier, match.field);
          exact = exact && match.exact === 2;
        }
        if (tier < 0) continue;
        const name = this.items[i].folded;
        if (name === whole) tier = EXACT_NAME;
        else if (name.startsWith(whole)) tier = NAME_START;
        ranks.set(i, { tier, exact });
      }
      return ranks;
    }
  }

  const DIRECTION_LABELS = { source: "Source (reads)", destination: "Destination (writes)", both: "Both ways" };

  // The filters: how each reads a connector's values and names a value.
  const facets = (index) => {
    const categoryNames = new Map(index.categories);
    return [
      { key: "category", label: "Category", one: "category", many: "categories", values: (c) => [c.category], name: (v) => categoryNames.get(v) || v, order: index.categories.map((c) => c[0]) },
      { key: "auth", label: "Authentication", one: "authentication type", many: "authentication types", values: (c) => (c.auth ? [c.auth] : []), name: (v) => own(index.authLabels, v) || v },
      { key: "direction", label: "Direction", one: "direction", many: "directions", values: (c) => c.direction, name: (v) => own(DIRECTION_LABELS, v) || v, order: Object.keys(DIRECTION_LABELS) },
      { key: "tag", label: "Tags", one: "tag", many: "tags", values: (c) => c.tags, name: (v) => v },
      { key: "system", label: "Systems", one: "system", many: "systems", values: (c) => c.systems, name: (v) => v },
    ];
  };

  // Plain comparisons of folded names and ISO dates: localeCompare is too slow for 10,000.
  const order = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const SORTS = {
    name: (a, b) => order(a.folded, b.folded) || order(a.name, b.name),
    new: (a, b) => order(b.listed, a.listed) || SORTS.name(a, b),
    updated: (a, b) => order(b.updated, a.updated) || SORTS.name(a, b),
  };

  // Best match first: the rank's tier, then a match without typos, then the newest listed.
  // Badges the team awards will rank between the match and the date (`standing`, which
  // every connector shares until they exist).
  const byRelevance = (ranks) => (a, b) => {
    const ra = ranks.get(a.i);
    const rb = ranks.get(b.i);
    return rb.tier - ra.tier || rb.exact - ra.exact || b.standing - a.standing || SORTS.new(a, b);
  };

  class Catalogue {
    constructor(form, data) {
      this.form = form;
      this.index = new SearchIndex(data);
      this.facets = facets(this.index);
      this.input = form.querySelector("#q");
      this.sort = document.getElementById("sort");
      this.results = document.getElementById("results");
      this.count = document.getElementById("count");
      this.empty = document.getElementById("empty");
      this.cards = new Map();
      for (const card of document.querySelectorAll(".card[data-slug]")) this.cards.set(card.dataset.slug, card);
      this.docs = "unloaded";
      this.typing = false;
      this.state = this.fromUrl();
      this.buildFacets();
      this.bind();
      new ComparePicker(this.cards);
      form.hidden = false;
      document.getElementById("results-bar").hidden = false;
      const filters = document.getElementById("filters");
      filters.hidden = false;
      filters.open = window.matchMedia("(min-width: 56rem)").matches;
      // Deprecated connectors join the results when "show deprecated" is on.
      const deprecated = document.getElementById("deprecated");
      if (deprecated) deprecated.hidden = true;
      this.loadDocs();
      this.show();
      document.documentElement.dataset.catalogue = "ready";
    }

    fromUrl() {
      const params = new URLSearchParams(location.search);
      const selected = {};
      for (const facet of this.facets) selected[facet.key] = new Set(params.getAll(facet.key));
      const sort = params.get("sort") || "";
      return {
        q: params.get("q") || "",
        sort: Object.hasOwn(SORTS, sort) || sort === "relevance" ? sort : "",
        deprecated: params.get("deprecated") === "1",
        selected,
      };
    }

    toUrl() {
      const params = new URLSearchParams();
      if (this.state.q) params.set("q", this.state.q);
      for (const facet of this.facets) {
        for (const value of this.state.selected[facet.key]) params.append(facet.key, value);
      }
      if (this.state.deprecated) params.set("deprecated", "1");
      if (this.state.sort) params.set("sort", this.state.sort);
      const query = params.toString();
      return query ? `?${query}` : location.pathname;
    }

    // Typing replaces its own history entry, so back leaves the search in one step;
    // every other change is a step of its own.
    commit(typing) {
      const url = this.toUrl();
      const current = location.search || location.pathname;
      if (url !== current) history[typing && this.typing ? "replaceState" : "pushState"](null, "", url);
      this.typing = typing;
    }

    bind() {
      this.form.addEventListener("submit", (event) => event.preventDefault());
      this.input.addEventListener("input", () => {
        this.state.q = this.input.value;
        this.loadDocs();
        this.show();
        this.commit(true);
      });
      this.sort.addEventListener("change", () => {
        this.state.sort = this.sort.value === this.defaultSort() ? "" : this.sort.value;
        this.show();
        this.commit(false);
      });
      document.getElementById("facets").addEventListener("change", (event) => {
        const box = event.target;
        if (box.type !== "checkbox") return;
        if (box.name === "deprecated") this.state.deprecated = box.checked;
        else if (box.checked) this.state.selected[box.name].add(box.value);
        else this.state.selected[box.name].delete(box.value);
        this.show();
        this.commit(false);
      });
      document.getElementById("clear").addEventListener("click", () => {
        this.state.q = "";
        for (const set of Object.values(this.state.selected)) set.clear();
        this.show();
        this.commit(false);
        this.input.focus();
      });
      window.addEventListener("popstate", () => {
        this.state = this.fromUrl();
        this.typing = false;
        this.loadDocs();
        this.show();
      });
    }

    loadDocs() {
      if (this.docs !== "unloaded" || !this.state.q.trim()) return;
      this.docs = "loading";
      fetch(this.form.dataset.docs)
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
        .then((list) => {
          this.index.addDocs(list);
          this.docs = "loaded";
          this.show();
        })
        .catch(() => {
          // Names, summaries and facets are still searched; only the docs text is missing.
          this.docs = "failed";
        })
        .finally(() => {
          document.documentElement.dataset.docs = this.docs;
        });
    }

    defaultSort() {
      return this.state.q.trim() ? "relevance" : "name";
    }

    buildFacets() {
      const box = document.getElementById("facets");
      this.counters = new Map();
      this.long = [];
      for (const facet of this.facets) {
        const seen = new Map();
        for (const item of this.index.items) facet.values(item).forEach((v) => seen.set(v, (seen.get(v) || 0) + 1));
        const byName = (a, b) => facet.name(a).localeCompare(facet.name(b));
        const collapse = seen.size > COLLAPSE_OVER;
        // A long list leads with its most common values; a short one keeps its own order.
        const values = collapse ? [...seen.keys()].sort((a, b) => seen.get(b) - seen.get(a) || byName(a, b))
          : facet.order ? facet.order.filter((v) => seen.has(v)) : [...seen.keys()].sort(byName);
        if (!values.length) continue;
        const list = el("ul", { className: "facet-values", id: `facet-${facet.key}` });
        const rows = values.map((value) => {
          const count = el("span", { className: "count" });
          this.counters.set(`${facet.key}\u0000${value}`, count);
          const input = el("input", { type: "checkbox", name: facet.key, value });
          const row = el("li", {}, el("label", {}, input, ` ${facet.name(value)} `, count));
          list.append(row);
          return { value, folded: fold(facet.name(value)), row };
        });
        const fieldset = el("fieldset", { className: "facet" }, el("legend", {}, facet.label));
        if (collapse) fieldset.append(...this.collapsible(facet, list, rows));
        else fieldset.append(list);
        box.append(fieldset);
      }
      const deprecated = this.index.items.filter((c) => c.deprecated).length;
      if (deprecated) {
        const input = el("input", { type: "checkbox", name: "deprecated" });
        box.append(el("fieldset", { className: "facet" }, el("legend", {}, "Status"),
          el("label", {}, input, ` Show deprecated connectors `, el("span", { className: "count" }, String(deprecated)))));
      }
    }

    // A long filter: its most common values, a box that finds any value by part of its
    // name, and a button that shows them all; the values chosen are always shown.
    collapsible(facet, list, rows) {
      const id = `facet-${facet.key}`;
      const find = el("input", { type: "search", id: `${id}-find`, autocomplete: "off", spellcheck: false, placeholder: `Find a ${facet.one}…` });
      find.setAttribute("aria-controls", id);
      const status = el("p", { className: "facet-status", id: `${id}-status` });
      status.setAttribute("role", "status");
      const more = el("button", { type: "button", className: "more" });
      more.setAttribute("aria-controls", id);
      const long = { facet, rows, find, more, status, list, expanded: false };
      find.addEventListener("input", () => this.showValues(long, true));
      find.addEventListener("keydown", (event) => {
        if (event.key !== "Escape" || !find.value) return;
        event.preventDefault();
        find.value = "";
        this.showValues(long, true);
      });
      more.addEventListener("click", () => {
        long.expanded = !long.expanded;
        this.showValues(long, false);
      });
      this.long.push(long);
      this.showValues(long, false);
      const label = el("label", { htmlFor: find.id, className: "visually-hidden" }, `Find a ${facet.one}`);
      return [label, find, status, list, more];
    }

    showValues(long, announce) {
      const { facet, rows, find, more, status, list } = long;
      const chosen = this.state.selected[facet.key];
      const query = fold(find.value.trim());
      let matching = 0;
      rows.forEach(({ value, folded, row }, rank) => {
        const matches = query ? folded.includes(query) : long.expanded || rank < TOP_VALUES;
        if (query && matches) matching++;
        row.hidden = !matches && !chosen.has(value);
      });
      list.classList.toggle("long", long.expanded && !query);
      more.hidden = Boolean(query);
      more.textContent = long.expanded ? `Show the ${TOP_VALUES} most common` : `Show all ${rows.length} ${facet.many}`;
      more.setAttribute("aria-expanded", String(long.expanded));
      if (announce) {
        status.textContent = !query ? "" : matching ? `${plural(matching, facet.one, facet.many)} ${matching === 1 ? "matches" : "match"}` : `No ${facet.one} matches “${find.value.trim()}”`;
      }
    }

    show() {
      const { state } = this;
      const scores = this.index.search(state.q);
      const { shown, counts } = this.filter(scores);
      const sort = state.sort || this.defaultSort();
      if (sort === "relevance" && scores) shown.sort(byRelevance(scores));
      else shown.sort(own(SORTS, sort) || SORTS.name);
      this.render(shown.map((item) => this.cards.get(item.slug)).filter(Boolean));
      for (const [key, counter] of this.counters) {
        const n = counts.get(key) || 0;
        counter.textContent = String(n);
        counter.closest("li").classList.toggle("zero", n === 0);
      }
      this.updateControls(sort);
      this.long.forEach((long) => this.showValues(long, false));
      const what = state.q.trim() ? ` for “${state.q.trim()}”` : "";
      this.count.textContent = `${plural(shown.length, "connector", "connectors")}${what}`;
      this.empty.hidden = shown.length > 0;
      this.results.hidden = shown.length === 0;
      if (!shown.length) this.empty.querySelector("p").textContent = `No connector matches ${this.describe()}.`;
    }

    // One pass over the catalogue: the connectors shown, and for each filter value the
    // number that choosing it would show, given the query and the other filters.
    filter(scores) {
      const { state, facets } = this;
      const shown = [];
      const counts = new Map();
      const count = (facet, item) => {
        for (const value of facet.values(item)) {
          const key = `${facet.key}\u0000${value}`;
          counts.set(key, (counts.get(key) || 0) + 1);
        }
      };
      for (const item of this.index.items) {
        if ((item.deprecated && !state.deprecated) || (scores && !scores.has(item.i))) continue;
        let failed = null;
        let failures = 0;
        for (const facet of facets) {
          const chosen = state.selected[facet.key];
          if (chosen.size && !facet.values(item).some((v) => chosen.has(v))) {
            failed = facet;
            if (++failures > 1) break;
          }
        }
        if (failures === 0) {
          shown.push(item);
          facets.forEach((facet) => count(facet, item));
        } else if (failures === 1) {
          count(failed, item);
        }
      }
      return { shown, counts };
    }

    // The first cards at once and the rest a frame at a time, so typing stays quick with
    // ten thousand connectors; every match is shown.
    render(cards) {
      const current = this.results.children;
      if (cards.length === current.length && cards.every((card, i) => current[i] === card)) return;
      cancelAnimationFrame(this.pending);
      this.results.replaceChildren(...cards.slice(0, FIRST_CARDS));
      let next = FIRST_CARDS;
      const more = () => {
        if (next >= cards.length) return;
        this.results.append(...cards.slice(next, (next += CARDS_PER_FRAME)));
        this.pending = requestAnimationFrame(more);
      };
      this.pending = requestAnimationFrame(more);
    }

    updateControls(sort) {
      if (this.input.value !== this.state.q) this.input.value = this.state.q;
      this.sort.value = sort;
      this.sort.querySelector('[value="relevance"]').disabled = !this.state.q.trim();
      for (const box of document.querySelectorAll("#facets input[type=checkbox]")) {
        box.checked = box.name === "deprecated" ? this.state.deprecated : this.state.selected[box.name].has(box.value);
      }
    }

    describe() {
      const parts = [];
      if (this.state.q.trim()) parts.push(`“${this.state.q.trim()}”`);
      for (const facet of this.facets) {
        const chosen = [...this.state.selected[facet.key]];
        if (chosen.length) parts.push(`${facet.label}: ${chosen.map(facet.name).join(" or ")}`);
      }
      return parts.length ? parts.join(", ") : "these filters";
    }
  }

  // The "compare" checkbox on each card, and the bar that leads to the compare page.
  class ComparePicker {
    constructor(cards) {
      this.bar = document.getElementById("compare-bar");
      if (!this.bar) return;
      this.cards = cards;
      this.picked = this.load().filter((slug) => cards.has(slug));
      for (const [slug, card] of cards) {
        const name = card.querySelector("h3").textContent;
        const input = el("input", { type: "checkbox", value: slug, checked: this.picked.includes(slug) });
        input.addEventListener("change", () => this.toggle(slug, input.checked));
        card.querySelector("article").append(
          el("label", { className: "compare-toggle" }, input, " Compare", el("span", { className: "visually-hidden" }, ` ${name}`)));
      }
      document.getElementById("compare-go").addEventListener("click", (event) => {
        if (this.picked.length < 2) event.preventDefault();
      });
      document.getElementById("compare-clear").addEventListener("click", () => {
        this.picked = [];
        this.update();
      });
      this.update();
    }

    load() {
      try {
        return JSON.parse(sessionStorage.getItem(COMPARE_KEY) || "[]");
      } catch {
        return [];
      }
    }

    toggle(slug, on) {
      this.picked = this.picked.filter((s) => s !== slug);
      if (on) this.picked.push(slug);
      this.update();
    }

    update() {
      try {
        sessionStorage.setItem(COMPARE_KEY, JSON.stringify(this.picked));
      } catch {
        // Private modes may refuse storage: the choice then lasts as long as the page.
      }
      const full = this.picked.length >= MAX_COMPARE;
      for (const box of document.querySelectorAll(".compare-toggle input")) {
        box.checked = this.picked.includes(box.value);
        box.disabled = full && !box.checked;
      }
      const names = this.picked.map((slug) => this.cards.get(slug).querySelector("h3").textContent);
      this.bar.hidden = this.picked.length === 0;
      document.getElementById("compare-picked").textContent =
        `${plural(this.picked.length, "connector", "connectors")} to compare (up to ${MAX_COMPARE}): ${names.join(", ")}`;
      const go = document.getElementById("compare-go");
      go.href = `${go.pathname}?c=${this.picked.join(",")}`;
      go.classList.toggle("disabled", this.picked.length < 2);
      go.setAttribute("aria-disabled", String(this.picked.length < 2));
    }
  }

  // The compare page: each connector's facts come from the data block on its own page.
  class ComparePage {
    constructor(root) {
      this.base = root.dataset.base;
      this.table = document.getElementById("compare-table");
      this.status = document.getElementById("compare-status");
      this.loaded = new Map();
      window.addEventListener("popstate", () => this.show());
      this.table.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-remove]");
        if (!button) return;
        const slugs = this.slugs().filter((s) => s !== button.dataset.remove);
        history.pushState(null, "", slugs.length ? `?c=${slugs.join(",")}` : location.pathname);
        this.show();
      });
      this.show();
    }

    slugs() {
      const asked = (new URLSearchParams(location.search).get("c") || "").split(",");
      return [...new Set(asked.filter((s) => /^[a-z0-9][a-z0-9-]*$/.test(s)))];
    }

    fetchOne(slug) {
      if (!this.loaded.has(slug)) {
        const url = `${this.base}connectors/${slug}/`;
        this.loaded.set(slug, fetch(url)
          .then((response) => (response.ok ? response.text() : null))
          .then((html) => {
            const block = html && new DOMParser().parseFromString(html, "text/html").getElementById("compare-data");
            return block ? JSON.parse(block.textContent) : null;
          })
          .catch(() => null));
      }
      return this.loaded.get(slug);
    }

    async show() {
      const asked = this.slugs();
      const slugs = asked.slice(0, MAX_COMPARE);
      const found = await Promise.all(slugs.map((slug) => this.fetchOne(slug)));
      const connectors = found.filter(Boolean);
      const missing = slugs.filter((_, i) => !found[i]);
      const notes = [];
      if (missing.length) notes.push(`No listed connector is named ${missing.map((s) => `“${s}”`).join(", ")}.`);
      if (asked.length > MAX_COMPARE) notes.push(`Only the first ${MAX_COMPARE} are compared.`);
      if (connectors.length < 2) notes.push("Choose two to four connectors in the catalogue to compare them.");
      this.status.textContent = notes.join(" ");
      document.getElementById("compare-wrap").hidden = connectors.length === 0;
      this.render(connectors);
      document.documentElement.dataset.compare = "ready";
    }

    render(connectors) {
      const caption = this.table.querySelector("caption");
      const head = el("tr", {}, el("td", {}));
      for (const c of connectors) {
        const link = el("a", { href: c.url }, c.name);
        const logo = c.logo ? el("img", { src: c.logo, alt: "", width: 40, height: 40, className: "logo" }) : null;
        const remove = el("button", { type: "button", className: "secondary small" }, "Remove", el("span", { className: "visually-hidden" }, ` ${c.name}`));
        remove.dataset.remove = c.slug;
        const badge = c.deprecated ? el("span", { className: "badge badge-deprecated" }, "Deprecated") : null;
        head.append(el("th", { scope: "col" }, logo, link, badge, remove));
      }
      const body = el("tbody");
      (connectors[0] ? connectors[0].rows : []).forEach(([label], row) => {
        const values = connectors.map((c) => c.rows[row][1]);
        const differs = connectors.length > 1 && new Set(values.map((v) => JSON.stringify(v))).size > 1;
        const header = el("th", { scope: "row" }, label, differs ? el("span", { className: "differs-badge" }, "differs") : null);
        const tr = el("tr", { className: differs ? "differs" : "" }, header);
        for (const lines of values) {
          const cell = !lines.length ? el("span", { className: "none" }, "Not stated")
            : lines.length === 1 ? lines[0]
            : el("ul", {}, ...lines.map((line) => el("li", {}, line)));
          tr.append(el("td", {}, cell));
        }
        body.append(tr);
      });
      this.table.replaceChildren(caption, el("thead", {}, head), body);
      // Wide enough for each connector's column; the table scrolls sideways on a phone.
      this.table.className = `compare columns-${connectors.length}`;
    }
  }

  const slashToSearch = () => {
    document.addEventListener("keydown", (event) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
      const box = document.querySelector("[data-search-box]");
      if (!box) return;
      event.preventDefault();
      box.focus();
      box.select();
    });
  };

  const start = () => {
    slashToSearch();
    const finder = document.getElementById("finder");
    if (finder) {
      fetch(finder.dataset.index)
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
        .then((data) => new Catalogue(finder, data))
        .catch(() => {
          // The server-rendered catalogue stays as it is: every connector, no filters.
          document.documentElement.dataset.catalogue = "static";
        });
    }
    const compare = document.getElementById("compare");
    if (compare) new ComparePage(compare);
  };

  start();
})();
