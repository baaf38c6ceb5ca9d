// marketgen's only script: the catalogue's search, filters and sort, the compare page, and
// `/` to jump to the search box. Every part enhances server-rendered HTML, which works
// without it. No framework and no dependency: a marketplace page must not load other sites.
(() => {
  "use strict";

  const MAX_COMPARE = 4;
  // As many results as a server-rendered page of the catalogue holds; "show more" adds as
  // many again, so a keystroke builds a page of cards, never ten thousand.
  const PAGE = 48;
  const COMPARE_KEY = "marketgen-compare";
  // A filter with more values than this shows its TOP_VALUES most common ones, a box to
  // find any other, and "show all": a list of 800 systems is no way to find one.
  const COLLAPSE_OVER = 8;
  const TOP_VALUES = 6;
  // Values a filter's find box lists at most: more means the visitor should type more.
  const FOUND_LIMIT = 100;

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
  const columns = (fields) => Object.fromEntries(fields.map((field, i) => [field, i]));
  const fetchJson = (url) =>
    fetch(url).then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))));

  // Works through a long list a slice at a time, yielding between slices, so that taking
  // in 10,000 connectors' words never holds up a keystroke.
  const inSlices = (list, each, size = 500) => new Promise((resolve) => {
    let next = 0;
    const step = () => {
      const end = Math.min(next + size, list.length);
      for (; next < end; next++) each(list[next], next);
      if (next < list.length) setTimeout(step, 0);
      else resolve();
    };
    step();
  });

  // The first position in the sorted `list` whose word is not before `word`: the words
  // starting with a prefix follow one another from there.
  const lowerBound = (list, word) => {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (list[middle] < word) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  // The typos a query word of `length` letters may hold: none in its first four letters,
  // one in its first eight, two after that.
  const budget = (length) => (length >= 9 ? 2 : length >= 5 ? 1 : 0);
  const EXACT_STEM = 4;

  // Whether `query` is the start of `word`, allowing typos: every start of the query (its
  // first letter, first two…) is within its own budget of some start of the word. Judging
  // every start of the query, not only the whole, makes a shorter query match whatever a
  // longer one does, so typing a letter never brings back connectors it had dropped.
  // Returns 2 for an exact start, 1 for one with typos, 0 for no match.
  const prefixMatch = (query, word) => {
    if (word.startsWith(query)) return 2;
    if (query.length <= EXACT_STEM || !word.startsWith(query.slice(0, EXACT_STEM))) return 0;
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
  const CACHED_WORDS = 256;

  // The words of the catalogue and where each is found. It grows in three steps: the index
  // (names, systems, tags, categories), the cards (summaries, endpoints), the docs words.
  class SearchIndex {
    constructor(data) {
      const at = columns(data.fields);
      this.authLabels = data.auth;
      this.install = data.install || null;
      this.categories = data.categories;
      this.badges = data.badges || [];
      this.items = data.connectors.map((row, i) => {
        const badges = (row[at.badges] || []).map((b) => this.badges[b]).filter(Boolean);
        const category = data.categories[row[at.category]] || ["", ""];
        const directions = new Set(row[at.directions]);
        const reads = directions.has("source") || directions.has("both");
        const writes = directions.has("destination") || directions.has("both");
        return {
          i,
          slug: row[at.slug],
          name: row[at.name],
          folded: fold(row[at.name]),
          // How many words the name holds: among matches of one tier, the name with fewer
          // words beyond the query's is the closer match ("Snowflake" before "Snowflake (Wise)").
          nameWords: words(row[at.name]).length,
          category: category[0],
          categoryName: category[1],
          auth: row[at.auth],
          // A connector that reads and writes counts as a source, a destination and both.
          direction: [reads && "source", writes && "destination", reads && writes && "both"].filter(Boolean),
          tags: [...new Set(row[at.tags])],
          systems: [...new Set(row[at.systems])],
          listed: row[at.listed] || "",
          updated: row[at.updated] || "",
          deprecated: row[at.deprecated] === 1,
          badges,
          // The team's word ranks a connector among equal matches: each badge it holds.
          standing: badges.length,
          card: null,
        };
      });
      this.postings = new Map();
      this.sorted = null;
      this.cache = new Map();
      for (const item of this.items) {
        this.add(item.i, item.name, FIELD.name);
        this.add(item.i, item.categoryName, FIELD.category);
        item.tags.forEach((tag) => this.add(item.i, tag, FIELD.tag));
        item.systems.forEach((system) => this.add(item.i, system, FIELD.system));
      }
    }

    // A word's posting: the connectors it is found in and, for each, the best place.
    // Arrays rather than maps: a query word walks tens of thousands of them.
    add(i, text, field) {
      for (const word of words(text)) {
        let posting = this.postings.get(word);
        if (!posting) this.postings.set(word, (posting = { ids: [], fields: [] }));
        const last = posting.ids.length - 1;
        if (posting.ids[last] === i) posting.fields[last] = Math.max(posting.fields[last], field);
        else {
          posting.ids.push(i);
          posting.fields.push(field);
        }
      }
      this.sorted = null;
    }

    addCards(data) {
      const at = columns(data.fields);
      return inSlices(data.connectors, (row, i) => {
        const item = this.items[i];
        if (!item) return;
        item.card = {
          summary: row[at.summary],
          developer: row[at.developer] || "",
          logo: row[at.logo],
          direction: row[at.direction],
          replacedBy: row[at.replaced_by],
          sunset: row[at.sunset],
        };
        if (item.card.summary) this.add(i, item.card.summary, FIELD.summary);
        (row[at.endpoints] || []).forEach((endpoint) => this.add(i, endpoint, FIELD.endpoint));
      }).then(() => this.cache.clear());
    }

    addDocs(list) {
      return inSlices(list, (text, i) => {
        if (this.items[i]) this.add(i, text, FIELD.docs);
      }).then(() => this.cache.clear());
    }

    // Every word once, in order: the words a query word starts are side by side.
    vocabulary() {
      if (!this.sorted) this.sorted = [...this.postings.keys()].sort();
      return this.sorted;
    }

    // The connectors matching one query word (`ids`), each with where it was found best
    // (`field`, -1 where it is not found) and whether without a typo (`exact`, 2). Only the
    // words that share the query's first letters are looked at: a typo is never allowed in
    // the first EXACT_STEM.
    matchWord(query) {
      let found = this.cache.get(query);
      if (found) return found;
      const field = new Int8Array(this.items.length).fill(-1);
      const exact = new Uint8Array(this.items.length);
      const ids = [];
      const collect = (posting, how) => {
        for (let k = 0; k < posting.ids.length; k++) {
          const i = posting.ids[k];
          const f = posting.fields[k];
          if (field[i] < 0) ids.push(i);
          if (field[i] < f || (field[i] === f && exact[i] < how)) {
            field[i] = f;
            exact[i] = how;
          }
        }
      };
      const vocabulary = this.vocabulary();
      const stem = query.length > EXACT_STEM ? query.slice(0, EXACT_STEM) : query;
      for (let k = lowerBound(vocabulary, stem); k < vocabulary.length && vocabulary[k].startsWith(stem); k++) {
        const how = prefixMatch(query, vocabulary[k]);
        if (how) collect(this.postings.get(vocabulary[k]), how);
      }
      // A long visit types many words, each a few arrays the catalogue's size: the cache
      // starts again when it holds CACHED_WORDS.
      if (this.cache.size >= CACHED_WORDS) this.cache.clear();
      found = { ids, field, exact };
      this.cache.set(query, found);
      return found;
    }

    // Every connector matching all the query's words, with its rank: the whole name equal
    // to the query, then names starting with it, then the worst of its words' fields (a
    // name or system, then a summary, tag, category or endpoint, then the docs), and
    // whether every word matched without a typo. `tier` is -1 for the others.
    search(query) {
      const queryWords = words(query);
      if (!queryWords.length) return null;
      // The rarest word first: the others are only looked up for its connectors.
      const perWord = queryWords.map((word) => this.matchWord(word)).sort((a, b) => a.ids.length - b.ids.length);
      const tier = new Int8Array(this.items.length).fill(-1);
      const exact = new Uint8Array(this.items.length);
      const whole = fold(query).trim();
      for (const i of perWord[0].ids) {
        let best = perWord[0].field[i];
        let typoFree = perWord[0].exact[i] === 2;
        for (let w = 1; w < perWord.length && best >= 0; w++) {
          best = Math.min(best, perWord[w].field[i]);
          typoFree = typoFree && perWord[w].exact[i] === 2;
        }
        if (best < 0) continue;
        const name = this.items[i].folded;
        tier[i] = name === whole ? EXACT_NAME : name.startsWith(whole) ? NAME_START : best;
        exact[i] = typoFree ? 1 : 0;
      }
      return { tier, exact, queryWords: queryWords.length };
    }
  }

  const DIRECTION_LABELS = { source: "Source (reads)", destination: "Destination (writes)", both: "Both ways" };

  // One filter: its values numbered once, each connector's values as numbers, and the
  // counts a query and the other filters leave, so a keystroke counts with integers.
  class Facet {
    constructor(spec, items) {
      Object.assign(this, spec);
      this.values = [];
      const ids = new Map();
      this.of = items.map((item) => spec.values(item).map((value) => {
        let id = ids.get(value);
        if (id === undefined) {
          id = this.values.length;
          ids.set(value, id);
          this.values.push(value);
        }
        return id;
      }));
      this.ids = ids;
      this.total = new Int32Array(this.values.length);
      // What the filter shows before anything is chosen: the connectors listed, not the
      // deprecated ones, which join the results only when asked for.
      this.of.forEach((list, i) => {
        if (!items[i].deprecated) for (const id of list) this.total[id]++;
      });
      this.counts = new Int32Array(this.values.length);
      this.chosen = new Uint8Array(this.values.length);
      this.active = false;
    }

    choose(selected) {
      this.chosen.fill(0);
      for (const value of selected) {
        const id = this.ids.get(value);
        if (id !== undefined) this.chosen[id] = 1;
      }
      // A value the data does not hold (from an old address) still filters: to nothing.
      this.active = selected.size > 0;
    }

    holds(i) {
      for (const id of this.of[i]) if (this.chosen[id]) return true;
      return false;
    }

    count(i) {
      for (const id of this.of[i]) this.counts[id]++;
    }
  }

  // The filters: how each reads a connector's values and names a value.
  const facets = (index) => {
    const categoryNames = new Map(index.categories);
    const badgeNames = new Map(index.badges);
    const specs = [
      { key: "category", label: "Category", one: "category", many: "categories", values: (c) => [c.category], name: (v) => categoryNames.get(v) || v, order: index.categories.map((c) => c[0]) },
      { key: "badge", label: "Badges", one: "badge", many: "badges", values: (c) => c.badges.map((b) => b[0]), name: (v) => badgeNames.get(v) || v, order: index.badges.map((b) => b[0]) },
      { key: "auth", label: "Authentication", one: "authentication type", many: "authentication types", values: (c) => (c.auth ? [c.auth] : []), name: (v) => own(index.authLabels, v) || v },
      { key: "direction", label: "Direction", one: "direction", many: "directions", values: (c) => c.direction, name: (v) => own(DIRECTION_LABELS, v) || v, order: Object.keys(DIRECTION_LABELS) },
      { key: "tag", label: "Tags", one: "tag", many: "tags", values: (c) => c.tags, name: (v) => v },
      { key: "system", label: "Systems", one: "system", many: "systems", values: (c) => c.systems, name: (v) => v },
    ];
    return specs.map((spec) => new Facet(spec, index.items));
  };

  // Names as the site's language orders them (its `lang`), as the server orders its pages
  // and the search data by the same CLDR rules: never by bytes.
  const collator = new Intl.Collator(document.documentElement.lang || undefined);
  // ISO dates compare as plain strings.
  const order = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  // The search data lists the connectors in name order, the server's collation: the name
  // sort is that order, so the script's "Name" and the server's pages can never disagree.
  const SORTS = {
    name: (a, b) => a.i - b.i,
    new: (a, b) => order(b.listed, a.listed) || SORTS.name(a, b),
    updated: (a, b) => order(b.updated, a.updated) || SORTS.name(a, b),
  };

  // Words of a name beyond the query's that still count against it: a name this much longer
  // is as far from the query as any longer one.
  const EXTRA_WORDS = 7;

  // Best match first: the rank's tier, then a match without typos, then, in the name tiers,
  // the closer name (fewer words beyond the query's, as BM25 weighs a field by its length),
  // then the badges the team awarded (`standing`), then the newest listed. As a number, so
  // that ranking is counting.
  const relevance = (ranks, item) => {
    const tier = ranks.tier[item.i];
    const extra = tier >= FIELD.name ? Math.min(Math.max(item.nameWords - ranks.queryWords, 0), EXTRA_WORDS) : 0;
    return (((tier * 2 + ranks.exact[item.i]) * (EXTRA_WORDS + 1) + EXTRA_WORDS - extra) * 16) + Math.min(item.standing, 15);
  };

  // Each sort's order of the whole catalogue, made once: a keystroke walks one in order
  // instead of sorting what it found.
  const orders = (items) => Object.fromEntries(Object.entries(SORTS).map(([key, compare]) => [key, [...items].sort(compare)]));

  // One pass over the catalogue in `order`: the connectors shown, in that order or, with
  // `scores`, best match first (ties keep `order`, the newest first); and for each filter
  // value the number that choosing it would show, given the query and the other filters.
  const select = (order, facets, scores, deprecated, ranked) => {
    const buckets = [];
    facets.forEach((facet) => facet.counts.fill(0));
    for (const item of order) {
      if (item.deprecated && !deprecated) continue;
      if (scores && scores.tier[item.i] < 0) continue;
      let failed = null;
      let failures = 0;
      for (const facet of facets) {
        if (facet.active && !facet.holds(item.i)) {
          failed = facet;
          if (++failures > 1) break;
        }
      }
      if (failures === 0) {
        const key = ranked ? relevance(scores, item) : 0;
        (buckets[key] ||= []).push(item);
        facets.forEach((facet) => facet.count(item.i));
      } else if (failures === 1) {
        failed.count(item.i);
      }
    }
    return buckets.reverse().flat();
  };

  // A connector's card as the theme's `card` macro writes it, from the search data: the
  // cards of a search are built when shown, a page at a time.
  const buildCard = (item, base, authLabels, install) => {
    const { card } = item;
    const id = `card-${item.slug}`;
    const logo = card.logo ? el("img", { className: "logo", src: card.logo, alt: "", width: 48, height: 48, loading: "lazy" }) : null;
    const badge = item.deprecated ? el("span", { className: "badge badge-deprecated" }, "Deprecated") : null;
    const head = el("div", { className: "card-head" }, logo,
      el("h3", { id }, el("a", { href: `${base}connectors/${item.slug}/` }, item.name)),
      el("p", { className: "by" }, card.developer), badge);
    const badges = item.badges.length ? el("ul", { className: "badges" }, ...item.badges.map(([, name]) => el("li", {}, name))) : null;
    const summary = card.summary ? el("p", { className: "summary" }, card.summary)
      : el("p", { className: "summary summary-none" }, `A ${item.categoryName} connector; its listing has no description yet.`);
    let replaced = null;
    if (card.replacedBy || card.sunset) {
      replaced = el("p", { className: "replaced" });
      if (card.replacedBy) replaced.append("Replaced by ", el("a", { href: card.replacedBy[1] }, card.replacedBy[0]));
      if (card.sunset) {
        const time = el("time", { dateTime: card.sunset }, card.sunset);
        replaced.append(card.replacedBy ? " · " : "", "Support ends ", time);
      }
    }
    const fact = (term, value) => (value ? el("div", {}, el("dt", {}, term), el("dd", {}, value)) : null);
    const auth = item.auth ? own(authLabels, item.auth) || item.auth : null;
    const facts = el("dl", { className: "facts" },
      fact("Category", el("a", { href: `${base}categories/${item.category}/` }, item.categoryName)),
      fact("Authentication", auth), fact("Direction", card.direction));
    // The site's install address with the slug filled in, as `ConnectorSummary` fills it.
    const installs = install && !item.deprecated
      ? el("p", { className: "install" }, el("a", { href: install.replaceAll("{slug}", item.slug) }, "Install", el("span", { className: "visually-hidden" }, ` ${item.name}`)))
      : null;
    const article = el("article", {}, head, badges, summary, replaced, facts, installs);
    article.setAttribute("aria-labelledby", id);
    const li = el("li", { className: "card" }, article);
    li.dataset.slug = item.slug;
    return li;
  };

  class Catalogue {
    constructor(form, data) {
      this.form = form;
      this.base = form.dataset.base;
      this.index = new SearchIndex(data);
      this.facets = facets(this.index);
      this.orders = orders(this.index.items);
      this.input = form.querySelector("#q");
      this.sort = document.getElementById("sort");
      this.results = document.getElementById("results");
      this.count = document.getElementById("count");
      this.empty = document.getElementById("empty");
      this.more = document.getElementById("more");
      this.pager = document.getElementById("pager");
      this.deprecatedList = document.getElementById("deprecated");
      // The server's page of results, shown again whenever nothing is asked of the search.
      this.serverLists = [this.results, this.deprecatedList && this.deprecatedList.querySelector("ul")]
        .filter(Boolean)
        .map((list) => ({ list, cards: [...list.children] }));
      this.bySlug = new Map(this.index.items.map((item) => [item.slug, item]));
      this.built = new Map();
      for (const card of document.querySelectorAll(".card[data-slug]")) this.built.set(card.dataset.slug, card);
      this.listed = this.index.items.filter((c) => !c.deprecated).length;
      this.cards = "unloaded";
      this.docs = "unloaded";
      this.typing = false;
      this.state = this.fromUrl();
      this.compare = new ComparePicker(this.bySlug, this.built);
      this.buildFacets();
      this.bind();
      form.hidden = false;
      document.getElementById("results-bar").hidden = false;
      const filters = document.getElementById("filters");
      filters.hidden = false;
      filters.open = window.matchMedia("(min-width: 56rem)").matches;
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

    // Nothing asked of the search: the server's page of results is the answer.
    isDefault() {
      const { state } = this;
      return !state.q.trim() && !state.deprecated && (!state.sort || state.sort === "name")
        && Object.values(state.selected).every((set) => set.size === 0);
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
      // The rest of the cards comes when the visitor turns to the search or the filters,
      // not with the first view.
      const intent = () => this.loadCards();
      for (const part of [this.form, document.getElementById("filters"), document.querySelector(".sort")]) {
        part.addEventListener("focusin", intent);
        part.addEventListener("pointerenter", intent);
      }
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
      this.more.addEventListener("click", () => this.showMore());
      window.addEventListener("popstate", () => {
        this.state = this.fromUrl();
        this.typing = false;
        this.loadDocs();
        this.show();
      });
    }

    loadCards() {
      if (this.cards !== "unloaded") return;
      this.cards = "loading";
      fetchJson(this.form.dataset.cards)
        .then((data) => this.index.addCards(data))
        .then(() => {
          this.cards = "loaded";
        })
        .catch(() => {
          // The search cannot show cards it has no text for: the server's pages stay.
          this.cards = "failed";
        })
        .finally(() => {
          document.documentElement.dataset.cards = this.cards;
          this.show();
        });
    }

    loadDocs() {
      if (this.docs !== "unloaded" || !this.state.q.trim()) return;
      this.docs = "loading";
      fetchJson(this.form.dataset.docs)
        .then((list) => this.index.addDocs(list))
        .then(() => {
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
      this.panels = [];
      for (const facet of this.facets) {
        if (!facet.values.length) continue;
        // Folded once, for the find box; named once, for the sort.
        const folded = facet.values.map((value) => fold(facet.name(value)));
        const named = facet.values.map((value) => facet.name(value));
        const byName = (a, b) => collator.compare(named[a], named[b]);
        const ids = facet.values.map((_, id) => id);
        const collapse = ids.length > COLLAPSE_OVER;
        // A long list leads with its most common values; a short one keeps its own order.
        if (collapse) ids.sort((a, b) => facet.total[b] - facet.total[a] || byName(a, b));
        else if (facet.order) {
          const rank = new Map(facet.order.map((value, i) => [value, i]));
          ids.sort((a, b) => (rank.get(facet.values[a]) ?? Infinity) - (rank.get(facet.values[b]) ?? Infinity));
        } else ids.sort(byName);
        const panel = {
          facet,
          ids,
          collapse,
          list: el("ul", { className: "facet-values", id: `facet-${facet.key}` }),
          rows: new Map(),
          shown: [],
          folded,
          expanded: false,
        };
        const fieldset = el("fieldset", { className: "facet" }, el("legend", {}, facet.label));
        if (collapse) fieldset.append(...this.collapsible(panel));
        else fieldset.append(panel.list);
        box.append(fieldset);
        this.panels.push(panel);
      }
      const deprecated = this.index.items.length - this.listed;
      if (deprecated) {
        const input = el("input", { type: "checkbox", name: "deprecated" });
        box.append(el("fieldset", { className: "facet" }, el("legend", {}, "Status"),
          el("label", {}, input, ` Show deprecated connectors `, el("span", { className: "count" }, String(deprecated)))));
      }
    }

    // A value's row, made the first time it is shown: a list of 10,000 systems is made
    // only if a visitor asks to see it all.
    row(panel, id) {
      let row = panel.rows.get(id);
      if (!row) {
        const { facet } = panel;
        const count = el("span", { className: "count" });
        const input = el("input", { type: "checkbox", name: facet.key, value: facet.values[id] });
        row = { li: el("li", {}, el("label", {}, input, ` ${facet.name(facet.values[id])} `, count)), input, count };
        panel.rows.set(id, row);
      }
      return row;
    }

    // A long filter: its most common values, a box that finds any value by part of its
    // name, and a button that shows them all; the values chosen are always shown.
    collapsible(panel) {
      const { facet } = panel;
      const id = `facet-${facet.key}`;
      const find = el("input", { type: "search", id: `${id}-find`, autocomplete: "off", spellcheck: false, placeholder: `Find a ${facet.one}…` });
      find.setAttribute("aria-controls", id);
      const status = el("p", { className: "facet-status", id: `${id}-status` });
      status.setAttribute("role", "status");
      const more = el("button", { type: "button", className: "more" });
      more.setAttribute("aria-controls", id);
      Object.assign(panel, { find, more, status });
      find.addEventListener("input", () => this.showValues(panel, true));
      find.addEventListener("keydown", (event) => {
        if (event.key !== "Escape" || !find.value) return;
        event.preventDefault();
        find.value = "";
        this.showValues(panel, true);
      });
      more.addEventListener("click", () => {
        panel.expanded = !panel.expanded;
        this.showValues(panel, false);
      });
      const label = el("label", { htmlFor: find.id, className: "visually-hidden" }, `Find a ${facet.one}`);
      return [label, find, status, panel.list, more];
    }

    // The values a filter shows now: all of a short one; of a long one, those its find
    // box matches, or all when expanded, or its most common; and always those chosen.
    visibleValues(panel) {
      const { facet, ids } = panel;
      if (!panel.collapse) return { shown: ids, matching: 0 };
      const query = fold(panel.find.value.trim());
      let shown;
      let matching = 0;
      if (query) {
        shown = [];
        for (const id of ids) {
          if (!panel.folded[id].includes(query)) continue;
          matching++;
          if (shown.length < FOUND_LIMIT) shown.push(id);
        }
      } else shown = panel.expanded ? ids : ids.slice(0, TOP_VALUES);
      const missing = ids.filter((id) => facet.chosen[id] && !shown.includes(id));
      return { shown: missing.length ? [...shown, ...missing] : shown, matching, query };
    }

    showValues(panel, announce) {
      const { facet } = panel;
      const { shown, matching, query } = this.visibleValues(panel);
      if (shown.length !== panel.shown.length || shown.some((id, k) => panel.shown[k] !== id)) {
        panel.list.replaceChildren(...shown.map((id) => this.row(panel, id).li));
        panel.shown = shown;
      }
      for (const id of shown) {
        const { input, count, li } = this.row(panel, id);
        const n = facet.counts[id];
        count.textContent = String(n);
        li.classList.toggle("zero", n === 0);
        input.checked = facet.chosen[id] === 1;
      }
      if (!panel.collapse) return;
      const { more, status, find } = panel;
      panel.list.classList.toggle("long", panel.expanded && !query);
      more.hidden = Boolean(query);
      more.textContent = panel.expanded ? `Show the ${TOP_VALUES} most common` : `Show all ${panel.ids.length} ${facet.many}`;
      more.setAttribute("aria-expanded", String(panel.expanded));
      if (announce) {
        const some = matching > FOUND_LIMIT ? `; the first ${FOUND_LIMIT} are shown, type more to narrow them` : "";
        status.textContent = !query ? "" : matching ? `${plural(matching, facet.one, facet.many)} ${matching === 1 ? "matches" : "match"}${some}` : `No ${facet.one} matches “${find.value.trim()}”`;
      }
    }

    show() {
      const { state } = this;
      if (!this.isDefault()) this.loadCards();
      for (const facet of this.facets) facet.choose(state.selected[facet.key]);
      const scores = this.index.search(state.q);
      const sort = state.sort || this.defaultSort();
      const relevant = sort === "relevance" && scores !== null;
      const order = own(this.orders, relevant ? "new" : sort) || this.orders.name;
      const shown = select(order, this.facets, scores, state.deprecated, relevant);
      this.shown = shown;
      this.render();
      this.updateControls(sort);
      this.panels.forEach((panel) => this.showValues(panel, false));
      const what = state.q.trim() ? ` for “${state.q.trim()}”` : "";
      // Nothing asked: the count of the catalogue's header, the connectors ready to use.
      this.count.textContent = this.isDefault() ? `${plural(this.listed, "connector", "connectors")} ready to use`
        : `${plural(shown.length, "connector", "connectors")}${what}`;
      this.empty.hidden = shown.length > 0;
      this.results.hidden = shown.length === 0;
      if (!shown.length) this.empty.querySelector("p").textContent = `No connector matches ${this.describe()}.`;
    }

    // The server's page when nothing is asked; otherwise the first page of the matches,
    // built from the search data once the cards have come.
    render() {
      const serverPage = this.isDefault() || this.cards === "failed";
      if (this.pager) this.pager.hidden = !serverPage;
      if (this.deprecatedList) this.deprecatedList.hidden = !serverPage;
      if (serverPage) {
        for (const { list, cards } of this.serverLists) {
          if (cards.length !== list.children.length || cards.some((card, k) => list.children[k] !== card)) list.replaceChildren(...cards);
        }
        this.more.hidden = true;
        this.rendered = null;
        this.mark("shown");
        return;
      }
      if (this.cards !== "loaded" && this.shown.length) {
        this.mark("pending");
        return;
      }
      const first = this.shown.slice(0, PAGE).map((item) => this.card(item));
      const current = this.results.children;
      if (first.length !== current.length || first.some((card, k) => current[k] !== card)) this.results.replaceChildren(...first);
      this.rendered = first.length;
      this.updateMore();
      this.mark("shown");
    }

    // Whether the cards shown answer the search yet, for tests and tools. Set only when it
    // changes: an attribute of the root restyles the whole page.
    mark(results) {
      const root = document.documentElement;
      if (root.dataset.results !== results) root.dataset.results = results;
    }

    showMore() {
      const next = this.shown.slice(this.rendered, this.rendered + PAGE).map((item) => this.card(item));
      if (!next.length) return;
      this.results.append(...next);
      this.rendered += next.length;
      this.updateMore();
      // The focus goes where reading goes on: the first card added.
      next[0].querySelector("h3 a").focus();
    }

    updateMore() {
      const left = this.shown.length - this.rendered;
      this.more.hidden = left <= 0;
      this.more.textContent = `Show ${Math.min(left, PAGE)} more (${plural(left, "connector", "connectors")} not shown yet)`;
    }

    card(item) {
      let card = this.built.get(item.slug);
      if (!card) {
        card = buildCard(item, this.base, this.index.authLabels, this.index.install);
        this.compare.attach(card, item.slug, item.name);
        this.built.set(item.slug, card);
      }
      return card;
    }

    updateControls(sort) {
      if (this.input.value !== this.state.q) this.input.value = this.state.q;
      this.sort.value = sort;
      this.sort.querySelector('[value="relevance"]').disabled = !this.state.q.trim();
      const deprecated = document.querySelector("#facets input[name=deprecated]");
      if (deprecated) deprecated.checked = this.state.deprecated;
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
    constructor(bySlug, cards) {
      this.bar = document.getElementById("compare-bar");
      this.bySlug = bySlug;
      if (!this.bar) return;
      this.picked = this.load().filter((slug) => bySlug.has(slug));
      // Every card's box, shown or not: a card leaves the page and comes back with a search.
      this.boxes = [];
      for (const [slug, card] of cards) this.attach(card, slug, bySlug.get(slug)?.name || card.querySelector("h3").textContent);
      document.getElementById("compare-go").addEventListener("click", (event) => {
        if (this.picked.length < 2) event.preventDefault();
      });
      document.getElementById("compare-clear").addEventListener("click", () => {
        this.picked = [];
        this.update();
      });
      this.update();
    }

    attach(card, slug, name) {
      if (!this.bar) return;
      const input = el("input", { type: "checkbox", value: slug, checked: this.picked.includes(slug) });
      input.disabled = this.picked.length >= MAX_COMPARE && !input.checked;
      input.addEventListener("change", () => this.toggle(slug, input.checked));
      this.boxes.push(input);
      card.querySelector("article").append(
        el("label", { className: "compare-toggle" }, input, " Compare", el("span", { className: "visually-hidden" }, ` ${name}`)));
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
      for (const box of this.boxes) {
        box.checked = this.picked.includes(box.value);
        box.disabled = full && !box.checked;
      }
      const names = this.picked.map((slug) => this.bySlug.get(slug).name);
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
          // The server-rendered catalogue stays as it is: its pages of results, no filters.
          for (const id of ["finder", "filters", "results-bar"]) document.getElementById(id).hidden = true;
          document.documentElement.dataset.catalogue = "static";
        });
    }
    const compare = document.getElementById("compare");
    if (compare) new ComparePage(compare);
  };

  start();
})();
