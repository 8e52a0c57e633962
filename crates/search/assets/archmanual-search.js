// ArchManual search: replaces mdBook's elasticlunr search (which cannot find
// Chinese words) with a Pagefind index, using mdBook 0.5's own search markup.
//
// What the page must provide (the `archmanual-search` crate does it):
// - mdBook's search markup (`#mdbook-search-toggle`, `#mdbook-search-wrapper`,
//   `#mdbook-searchbar`, …) without mdBook's searcher.js; if the markup is
//   missing it is created here;
// - the global `path_to_root` (mdBook's template defines it);
// - the Pagefind bundle at `<path_to_root>pagefind/pagefind.js`, loaded on the
//   first search only.
//
// Safety: page titles, meta values and filter names are inserted as text.
// Pagefind's excerpts are HTML in which the page text has `<` and `>` escaped
// and only `<mark>` is markup; they are taken apart into text nodes and
// `<mark>` elements, never assigned to innerHTML.
'use strict';

(function archmanualSearch() {
    const SEARCH_PARAM = 'search';
    const MARK_PARAM = 'highlight';
    // Filter keys of the index, in the order the selects are shown.
    const FILTER_ORDER = ['主题', '标签'];
    const PAGE_SIZE = 10;
    // Sections shown under a page result (the ones with most matches).
    const MAX_SECTIONS = 2;
    const DEBOUNCE_MS = 120;
    // Results whose data is loaded and re-ranked before anything is shown.
    const RERANK = 20;
    // With this many results for the query's character pairs, no search for
    // its characters apart (each costs index chunks to download).
    const ENOUGH = 1;
    // Chinese and Japanese characters: a run of them is searched as its
    // pairs of neighbours, which the index holds for every run of text.
    const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
    const CJK_RUNS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\s]+/gu;

    const TEXT = {
        placeholder: '搜索手册：限流、一致性哈希、Kafka…',
        toggle: '搜索（快捷键 S 或 /）',
        loading: '正在加载搜索索引…',
        searching: '正在搜索…',
        noResults: q => `没有找到与“${q}”相关的结果。`,
        results: (n, q) => q ? `找到 ${n} 条与“${q}”相关的结果：` : `找到 ${n} 条结果：`,
        more: n => `显示更多结果（还有 ${n} 条）`,
        all: '全部',
        // Split around the command, which is shown as code.
        fileUrl: ['从本地文件打开时无法搜索：在书的目录运行 ', 'archmanual serve', '，再打开它给出的地址。'],
        failed: '搜索索引加载失败：',
        resultsLabel: '搜索结果',
        filtersLabel: '筛选',
    };

    // Where the book's root is, relative to this page (mdBook's global).
    const root = typeof path_to_root === 'string' ? path_to_root : '';

    let pagefind = null; // the imported module, once loaded
    let loading = null; // the import promise
    let filtersLoaded = false;
    let current = null; // {query, results, shown, pages: page URL → its <li>}
    let generation = 0; // drops answers to outdated queries
    let debounce = 0;
    let ui = null;

    // book.js asks this before using arrow keys for chapter navigation.
    window.search = window.search || {};
    window.search.hasFocus = () => ui !== null && document.activeElement === ui.bar;
    // The ranked results of a query, as the panel lists them before it
    // groups them by page ({result, data?}: Pagefind's result and, for the
    // first ones, its loaded data); for tests and for scripts on the page.
    window.archmanualSearch = {
        find: async (query, filters) => find(await load(), query.trim(), filters || {}),
    };

    function el(tag, attrs, text) {
        const e = document.createElement(tag);
        for (const [k, v] of Object.entries(attrs || {})) {
            e.setAttribute(k, v);
        }
        if (text !== undefined) {
            e.textContent = text;
        }
        return e;
    }

    // mdBook's markup, created when the page was built with search disabled.
    function ensureMarkup() {
        let toggle = document.getElementById('mdbook-search-toggle');
        if (!toggle) {
            const buttons = document.querySelector('#mdbook-menu-bar .left-buttons');
            if (!buttons) {
                return false;
            }
            toggle = el('button', {
                id: 'mdbook-search-toggle', class: 'icon-button', type: 'button',
                'aria-expanded': 'false', 'aria-keyshortcuts': '/ s',
                'aria-controls': 'mdbook-searchbar',
            });
            toggle.appendChild(el('span', {class: 'archmanual-search-icon', 'aria-hidden': 'true'}));
            buttons.appendChild(toggle);
        }
        if (!document.getElementById('mdbook-search-wrapper')) {
            const wrapper = el('div', {id: 'mdbook-search-wrapper', class: 'hidden'});
            const form = el('form', {id: 'mdbook-searchbar-outer', class: 'searchbar-outer'});
            const inner = el('div', {class: 'search-wrapper'});
            inner.appendChild(el('input', {type: 'search', id: 'mdbook-searchbar', name: 'searchbar'}));
            form.appendChild(inner);
            const outer = el('div', {id: 'mdbook-searchresults-outer', class: 'searchresults-outer hidden'});
            outer.appendChild(el('div', {id: 'mdbook-searchresults-header', class: 'searchresults-header'}));
            outer.appendChild(el('ul', {id: 'mdbook-searchresults'}));
            wrapper.appendChild(form);
            wrapper.appendChild(outer);
            const bar = document.getElementById('mdbook-menu-bar');
            bar.parentNode.insertBefore(wrapper, bar.nextSibling);
        }
        return true;
    }

    function setup() {
        if (!ensureMarkup()) {
            return;
        }
        const get = id => document.getElementById(id);
        ui = {
            toggle: get('mdbook-search-toggle'),
            wrapper: get('mdbook-search-wrapper'),
            form: get('mdbook-searchbar-outer'),
            bar: get('mdbook-searchbar'),
            outer: get('mdbook-searchresults-outer'),
            header: get('mdbook-searchresults-header'),
            list: get('mdbook-searchresults'),
            filters: el('div', {class: 'archmanual-search-filters hidden', role: 'group', 'aria-label': TEXT.filtersLabel}),
            more: el('button', {type: 'button', class: 'archmanual-search-more hidden'}),
            selects: {},
        };
        document.documentElement.classList.add('archmanual-search');
        ui.toggle.title = TEXT.toggle;
        ui.toggle.setAttribute('aria-label', TEXT.toggle);
        ui.bar.placeholder = TEXT.placeholder;
        ui.bar.setAttribute('autocomplete', 'off');
        ui.bar.setAttribute('role', 'combobox');
        ui.bar.setAttribute('aria-autocomplete', 'list');
        ui.bar.setAttribute('aria-expanded', 'false');
        ui.bar.setAttribute('aria-controls', 'mdbook-searchresults');
        ui.bar.setAttribute('aria-describedby', 'mdbook-searchresults-header');
        ui.header.setAttribute('aria-live', 'polite');
        ui.list.setAttribute('role', 'listbox');
        ui.list.setAttribute('aria-label', TEXT.resultsLabel);
        ui.form.after(ui.filters);
        ui.list.after(ui.more);

        ui.toggle.addEventListener('click', () => {
            if (ui.wrapper.classList.contains('hidden')) {
                open();
            } else {
                close();
            }
        });
        ui.form.addEventListener('submit', e => {
            e.preventDefault();
            followFirst();
        });
        const later = () => {
            window.clearTimeout(debounce);
            debounce = window.setTimeout(() => {
                debounce = 0;
                run(true);
            }, DEBOUNCE_MS);
        };
        // While an input method composes (pinyin), wait for the characters.
        ui.bar.addEventListener('input', e => {
            if (!e.isComposing) {
                later();
            }
        });
        ui.bar.addEventListener('compositionend', later);
        ui.more.addEventListener('click', () => showMore());
        ui.list.addEventListener('click', e => {
            const link = e.target.closest('a.archmanual-search-link');
            if (link && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) {
                e.preventDefault();
                follow(link);
            }
        });
        document.addEventListener('keydown', onKey);
        window.addEventListener('popstate', fromUrl);
        fromUrl();
        highlightFromUrl();
    }

    function onKey(e) {
        if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) {
            return;
        }
        const inSearch = ui.wrapper.contains(document.activeElement);
        const typing = /^(?:input|select|textarea)$/i.test(document.activeElement?.nodeName || '')
            || document.activeElement?.isContentEditable;
        if (e.key === 'Escape' && !ui.wrapper.classList.contains('hidden')) {
            e.preventDefault();
            e.stopPropagation();
            close();
            return;
        }
        if (e.key === 'Escape' && document.querySelector('main mark.archmanual-search-mark')) {
            unmark();
            return;
        }
        if (!typing && !e.shiftKey && (e.key === 's' || e.key === '/')) {
            e.preventDefault();
            open();
            return;
        }
        if (!inSearch || ui.list.children.length === 0) {
            return;
        }
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            if (document.activeElement.nodeName === 'SELECT') {
                return;
            }
            e.preventDefault();
            move(e.key === 'ArrowDown' ? 1 : -1);
        } else if (e.key === 'Enter' && document.activeElement === ui.bar) {
            e.preventDefault();
            followFirst();
        }
    }

    // All result links in display order (pages and their sections).
    function links() {
        return Array.from(ui.list.querySelectorAll('a.archmanual-search-link'));
    }

    function selected() {
        return ui.list.querySelector('a.archmanual-search-link.focus');
    }

    function select(link) {
        const old = selected();
        if (old) {
            old.classList.remove('focus');
            old.setAttribute('aria-selected', 'false');
        }
        if (link) {
            link.classList.add('focus');
            link.setAttribute('aria-selected', 'true');
            ui.bar.setAttribute('aria-activedescendant', link.id);
            link.scrollIntoView({block: 'nearest'});
        } else {
            ui.bar.removeAttribute('aria-activedescendant');
        }
    }

    function move(step) {
        const all = links();
        const at = all.indexOf(selected());
        const next = at + step;
        if (next < 0) {
            select(null);
            ui.bar.focus();
            return;
        }
        select(all[Math.min(next, all.length - 1)]);
        // Keep the typing position: the input stays focused while moving.
        if (document.activeElement !== ui.bar) {
            ui.bar.focus();
        }
    }

    // Enter in the box: the selected result, else the first one of the query
    // as typed (even if its search is still waiting for the debounce).
    async function followFirst() {
        if (debounce) {
            window.clearTimeout(debounce);
            debounce = 0;
            await run(true);
        }
        follow(selected() || ui.list.querySelector('a.archmanual-search-link'));
    }

    function follow(link) {
        if (!link) {
            return;
        }
        const to = new URL(link.href);
        if (to.pathname !== window.location.pathname) {
            window.location.assign(to.href);
            return;
        }
        // Same page, other section: no reload, so close and mark here.
        close();
        history.pushState({}, '', to.href);
        highlightFromUrl();
        const id = decodeURIComponent(to.hash.slice(1));
        const heading = id && document.getElementById(id);
        if (heading) {
            heading.scrollIntoView();
        }
    }

    function open() {
        ui.wrapper.classList.remove('hidden');
        ui.toggle.setAttribute('aria-expanded', 'true');
        window.scrollTo(0, 0);
        ui.bar.focus();
        ui.bar.select();
        if (window.location.protocol === 'file:') {
            showHeader(TEXT.fileUrl, 'archmanual-search-notice');
            return;
        }
        load().then(loadFilters).catch(() => {});
    }

    function close() {
        ui.wrapper.classList.add('hidden');
        ui.toggle.setAttribute('aria-expanded', 'false');
        select(null);
        if (ui.wrapper.contains(document.activeElement)) {
            ui.toggle.focus();
        }
        unmark();
        setUrl('', {}, 'replace');
    }

    // `text` is a string, or [text, code, text, …] with every second part code.
    function showHeader(text, cls) {
        ui.outer.classList.remove('hidden');
        ui.header.className = 'searchresults-header' + (cls ? ' ' + cls : '');
        if (Array.isArray(text)) {
            ui.header.replaceChildren(...text.map((t, i) => i % 2 ? el('code', {}, t) : t));
        } else {
            ui.header.textContent = text;
        }
    }

    function load() {
        if (!loading) {
            ui.form.classList.add('searching');
            showHeader(TEXT.loading);
            // A full URL: `pagefind/…` alone would be a bare module specifier.
            loading = import(new URL(root + 'pagefind/pagefind.js', window.location.href).href).then(async module => {
                // Result URLs are rooted at the book's root, which may be a
                // sub-path of the site (GitHub Pages).
                await module.options({
                    baseUrl: new URL(root || './', window.location.href).pathname,
                    excerptLength: 30,
                    // Entry records are short; with Pagefind's default (0.75)
                    // they push the chapters about a topic down the list.
                    ranking: {pageLength: 0.1},
                });
                // Pagefind splits a Chinese or Japanese query with the
                // browser's Intl.Segmenter, whose dictionary differs from the
                // index's (and between browsers: Chromium on Linux cuts
                // 分区容错 into four single characters) and loses pages.
                // `queryTerms` splits the query itself, so Pagefind must not:
                // it segments only when the page's language is zh, ja or th,
                // and reads <html lang> once, when its instance is created
                // (synchronously in init). The index is found all the same
                // (Pagefind falls back to the index with most pages).
                const html = document.documentElement;
                const lang = html.getAttribute('lang');
                html.setAttribute('lang', 'x-archmanual');
                let started;
                try {
                    started = module.init();
                } finally {
                    if (lang === null) {
                        html.removeAttribute('lang');
                    } else {
                        html.setAttribute('lang', lang);
                    }
                }
                await started;
                pagefind = module;
                ui.form.classList.remove('searching');
                ui.header.textContent = '';
                return module;
            }, err => {
                ui.form.classList.remove('searching');
                showHeader(window.location.protocol === 'file:'
                    ? TEXT.fileUrl : TEXT.failed + String(err && err.message || err),
                'archmanual-search-notice');
                throw err;
            });
        }
        return loading;
    }

    async function loadFilters() {
        if (filtersLoaded) {
            return;
        }
        filtersLoaded = true;
        const available = await pagefind.filters();
        const keys = Object.keys(available).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b, 'zh-CN'));
        const wanted = new URLSearchParams(window.location.search);
        for (const key of keys) {
            const values = Object.keys(available[key]);
            if (values.length === 0) {
                continue;
            }
            const label = el('label', {class: 'archmanual-search-filter'});
            label.appendChild(el('span', {}, key));
            const sel = el('select', {'data-filter': key});
            sel.appendChild(el('option', {value: ''}, TEXT.all));
            values.sort((a, b) => a.localeCompare(b, 'zh-CN'));
            for (const v of values) {
                sel.appendChild(el('option', {value: v}, `${v}（${available[key][v]}）`));
            }
            if (wanted.has(key) && values.includes(wanted.get(key))) {
                sel.value = wanted.get(key);
            }
            sel.addEventListener('change', () => run(true));
            label.appendChild(sel);
            ui.filters.appendChild(label);
            ui.selects[key] = sel;
        }
        if (Object.keys(ui.selects).length > 0) {
            ui.filters.classList.remove('hidden');
        }
        if (Object.values(ui.selects).some(s => s.value)) {
            run(false);
        }
    }

    function rank(key) {
        const i = FILTER_ORDER.indexOf(key);
        return i < 0 ? FILTER_ORDER.length : i;
    }

    function chosenFilters() {
        const out = {};
        for (const [key, sel] of Object.entries(ui.selects)) {
            if (sel.value) {
                out[key] = sel.value;
            }
        }
        return out;
    }

    // Runs the query in the box; `fromTyping` records it in the address bar.
    async function run(fromTyping) {
        const query = ui.bar.value.trim();
        const filters = chosenFilters();
        if (fromTyping) {
            setUrl(query, filters, 'replace');
        }
        const mine = ++generation;
        if (query === '' && Object.keys(filters).length === 0) {
            clearResults();
            ui.outer.classList.add('hidden');
            return;
        }
        if (window.location.protocol === 'file:') {
            showHeader(TEXT.fileUrl, 'archmanual-search-notice');
            return;
        }
        let module;
        try {
            module = await load();
        } catch {
            return;
        }
        loadFilters().catch(() => {});
        const found = await find(module, query, filters);
        if (mine !== generation) {
            return; // a newer query is under way
        }
        current = {query, results: found, shown: 0, pages: new Map(), folded: new Map()};
        clearResults();
        if (found.length === 0) {
            showHeader(TEXT.noResults(query || Object.values(filters).join('、')));
            return;
        }
        showHeader(TEXT.results(found.length, query));
        await showMore(mine);
    }

    // Text as compared with a query: full-width forms as half-width (NFKC),
    // lower case, without spaces and Pagefind's U+200B word marks.
    function norm(text) {
        return (text || '').normalize('NFKC').replace(/[\s\u200b]+/g, '').toLowerCase();
    }

    // The query as Pagefind terms: each run of Chinese or Japanese characters
    // as pairs of neighbours (分区容错 → 分区 容错), since the index
    // holds every pair of neighbours in a run whatever words it found there;
    // everything else as typed (Pagefind drops punctuation itself). With
    // `single`, each character alone (Pagefind matches it as the start of a
    // word): pages that have the query's words apart.
    function queryTerms(query, single) {
        const terms = [];
        for (const [run] of query.normalize('NFKC').toLowerCase().matchAll(CJK_RUNS)) {
            const chars = Array.from(run);
            if (!CJK.test(chars[0]) || chars.length === 1) {
                terms.push(run);
                continue;
            }
            if (single) {
                terms.push(...chars);
                continue;
            }
            // Pairs side by side, the last one overlapping when the run is
            // odd: every character is covered, and each term costs an index
            // chunk to download (the overlapping pairs would cost twice that).
            for (let i = 0; i + 1 < chars.length; i += 2) {
                terms.push(chars[i] + chars[i + 1]);
            }
            if (chars.length % 2 === 1) {
                terms.push(chars[chars.length - 2] + chars[chars.length - 1]);
            }
        }
        return terms.join(' ');
    }

    // A record's names: its title, the part before and inside a bracket
    // (Snowflake（雪花算法）), and the other names of a repository record.
    function namesOf(data) {
        const meta = data.meta || {};
        const names = [meta.title || ''];
        for (let i = 1; i <= Number(meta.also || 0); i++) {
            names.push(meta[`also${i}_name`] || '');
        }
        const out = [];
        for (const n of names) {
            const t = n.normalize('NFKC');
            out.push(norm(t));
            const m = t.match(/^([^(]+)\(([^)]+)\)\s*$/);
            if (m) {
                out.push(norm(m[1]), norm(m[2]));
            }
        }
        return out.filter(n => n !== '');
    }

    // How a result matches the query (higher first): 6 a title or entry
    // name equal to it, 5 a heading equal to it, 4 a title containing it,
    // 3 a heading containing it, 2 the text containing it verbatim, 1 a
    // title or name found in the query (前端性能优化 → 性能优化), else 0.
    // `words`: how many of the query's words the text contains verbatim.
    function matchOf(data, query) {
        const q = norm(query);
        const names = namesOf(data);
        const heads = (data.sub_results || []).map(s => norm(s.title));
        const text = norm(data.content);
        const words = query.split(/\s+/).map(norm).filter(w => w !== '');
        // A name inside the query: a Chinese one of two or more characters
        // anywhere in it, any other only as one of its words (not `go` in
        // `mongodb`).
        const inQuery = n => CJK.test(n) ? Array.from(n).length >= 2 && q.includes(n) : words.includes(n);
        let tier = 0;
        if (q !== '') {
            if (names.includes(q)) {
                tier = 6;
            } else if (heads.includes(q)) {
                tier = 5;
            } else if (names.some(n => n.includes(q))) {
                tier = 4;
            } else if (heads.some(h => h.includes(q))) {
                tier = 3;
            } else if (text.includes(q)) {
                tier = 2;
            } else if (names.some(inQuery)) {
                tier = 1;
            }
        }
        return {tier, words: words.filter(w => text.includes(w) || names.some(n => n.includes(w))).length};
    }

    // The results of a query, best first: [{result, data?}] with the data of
    // the first RERANK loaded. Two searches: the query's character pairs
    // (every page containing the query verbatim is among them) and its
    // single characters (pages with its words apart; only when the first
    // found fewer than ENOUGH). The first RERANK are re-ranked
    // by `matchOf`, keeping Pagefind's order among equals; a chapter titled
    // like the query comes before the entries of that name.
    async function find(module, query, filters) {
        if (query === '') {
            const r = await module.search(null, {filters});
            return r ? r.results.map(result => ({result})) : [];
        }
        const terms = queryTerms(query, false);
        const apart = queryTerms(query, true);
        const searches = apart === terms ? [terms] : [terms, apart];
        const seen = new Set();
        const all = [];
        for (const q of searches) {
            // The words-apart search only when the phrase is rare: it adds
            // pages after the phrase's own, and each search costs time.
            if (q.trim() === '' || (q !== terms && all.length >= ENOUGH)) {
                continue;
            }
            const r = await module.search(q, {filters});
            for (const result of (r ? r.results : [])) {
                if (!seen.has(result.id)) {
                    seen.add(result.id);
                    all.push({result});
                }
            }
        }
        const head = all.slice(0, RERANK);
        const data = await Promise.all(head.map(r => r.result.data()));
        const keyed = head.map((r, i) => {
            const m = matchOf(data[i], query);
            const chapter = (data[i].meta || {}).kind !== 'entry';
            return {r: {result: r.result, data: data[i]}, i, tier: m.tier, words: m.words, named: m.tier === 6 && chapter};
        });
        keyed.sort((a, b) => b.tier - a.tier || b.named - a.named || b.words - a.words || a.i - b.i);
        return keyed.map(k => k.r).concat(all.slice(RERANK));
    }

    function clearResults() {
        select(null);
        ui.list.replaceChildren();
        ui.more.classList.add('hidden');
        ui.bar.setAttribute('aria-expanded', 'false');
    }

    async function showMore(mine) {
        mine = mine ?? generation;
        const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
        const data = await Promise.all(batch.map(r => r.data || r.result.data()));
        if (mine !== generation) {
            return;
        }
        const start = current.shown;
        // One item per page: further records of a page already listed go
        // under it, so the first results are distinct pages. A chapter that
        // only mentions a repository listed above (one of the pages under
        // its record) is left out: the line under the record leads there.
        data.forEach((d, i) => {
            const page = d.url.split('#')[0];
            const li = current.pages.get(page);
            const meta = d.meta || {};
            if (li) {
                addToPage(li, d, start + i);
            } else if (current.folded.has(page) && meta.kind !== 'entry'
                && matchOf(d, current.query).tier <= 2) {
                return;
            } else {
                const item = renderResult(d, start + i);
                current.pages.set(page, item);
                for (const also of alsoOf(d)) {
                    if (!current.folded.has(also.page)) {
                        current.folded.set(also.page, item);
                    }
                }
                ui.list.appendChild(item);
            }
        });
        current.shown += batch.length;
        const left = current.results.length - current.shown;
        ui.more.textContent = TEXT.more(left);
        ui.more.classList.toggle('hidden', left <= 0);
        ui.outer.classList.remove('hidden');
        ui.bar.setAttribute('aria-expanded', 'true');
    }

    // The other entries of a repository record (meta `also`, `alsoN_*`):
    // [{url, page, name, category, group, description}], URLs rooted at the
    // book's root and resolved against it; anything else is dropped.
    function alsoOf(data) {
        const meta = data.meta || {};
        const base = new URL(root || './', window.location.href).pathname;
        const out = [];
        for (let i = 1; i <= Math.min(Number(meta.also || 0), 50); i++) {
            const url = meta[`also${i}_url`] || '';
            if (!/^\/[^/\\]/.test(url)) {
                continue;
            }
            const full = base + url.slice(1);
            out.push({
                url: full, page: full.split('#')[0],
                name: meta[`also${i}_name`] || '', category: meta[`also${i}_category`] || '',
                group: meta[`also${i}_group`] || '', description: meta[`also${i}_description`] || '',
            });
        }
        return out;
    }

    // Words to highlight on the landing page: the query's words and the words
    // Pagefind marked in this result (CJK segments, stemmed forms).
    function markTerms(query, excerpts) {
        const words = query.split(/\s+/).filter(t => t.length > 0);
        const terms = new Set(words);
        for (const x of excerpts) {
            // Adjacent marks are one word split by the segmenter (限|流).
            for (const m of x.replace(/<\/mark><mark>/g, '').matchAll(/<mark>([^<]*)<\/mark>/g)) {
                terms.add(unescapeExcerptText(m[1]).trim());
            }
        }
        // Single characters would light up half of a Chinese page.
        const short = t => Array.from(t).length < 2 && !words.includes(t);
        return Array.from(terms).filter(t => t.length > 0 && !short(t)).slice(0, 12);
    }

    function target(url, terms) {
        const [path, hash] = url.split('#', 2);
        const u = new URL(path, window.location.href);
        if (terms.length > 0) {
            u.searchParams.set(MARK_PARAM, terms.join(' '));
        }
        if (hash !== undefined) {
            u.hash = hash;
        }
        return u.href;
    }

    function renderResult(data, index) {
        const li = el('li', {class: 'archmanual-search-result', role: 'none'});
        const pageUrl = data.url.split('#')[0];
        li.dataset.url = data.url;
        const meta = data.meta || {};
        const subs = (data.sub_results || [])
            .filter(s => s.url !== data.url && s.url.split('#')[0] === pageUrl && s.url.includes('#')
                && s.excerpt !== data.excerpt && (s.title || '').trim() !== (meta.title || '').trim())
            .sort((a, b) => (b.locations || []).length - (a.locations || []).length)
            .slice(0, MAX_SECTIONS)
            .sort((a, b) => (a.anchor?.location ?? 0) - (b.anchor?.location ?? 0));
        const terms = markTerms(current.query, [data.excerpt || '']);

        const a = el('a', {
            class: 'archmanual-search-link', href: target(data.url, terms),
            id: `archmanual-search-r${index}`, role: 'option', 'aria-selected': 'false',
        });
        const entry = meta.kind === 'entry';
        li.classList.add(entry ? 'archmanual-search-entry' : 'archmanual-search-chapter');
        const head = el('span', {class: 'archmanual-search-title'});
        head.appendChild(el('span', {}, meta.title || data.url));
        if (entry && meta.stars) {
            head.appendChild(el('span', {class: 'archmanual-search-stars'}, `★ ${meta.stars}`));
        }
        a.appendChild(head);
        const where = entry
            ? [meta.category, meta.group].filter(Boolean).join(' › ')
            : ((data.filters || {})['主题'] || []).join('、');
        const tags = entry && meta.tags ? `标签：${meta.tags}` : '';
        if (where || tags) {
            a.appendChild(el('span', {class: 'archmanual-search-where'}, [where, tags].filter(Boolean).join(' · ')));
        }
        a.appendChild(teaserOf(data, terms));
        li.appendChild(a);

        const also = alsoOf(data);
        if (subs.length > 0 || also.length > 0) {
            const ul = el('ul', {class: 'archmanual-search-subs', role: 'none'});
            // The repository's other pages: where it is listed, and what it
            // is there for.
            also.forEach((x, j) => {
                const sli = el('li', {role: 'none'});
                const sa = el('a', {
                    class: 'archmanual-search-link archmanual-search-sub archmanual-search-also', href: target(x.url, terms),
                    id: `archmanual-search-r${index}-a${j}`, role: 'option', 'aria-selected': 'false',
                });
                const where = [x.category, x.group].filter(Boolean).join(' › ');
                const named = norm(x.name) !== norm(meta.title) ? ` · ${x.name}` : '';
                sa.appendChild(el('span', {class: 'archmanual-search-title'}, where + named));
                const st = el('span', {class: 'teaser archmanual-search-excerpt'});
                appendMarked(st, x.description, terms);
                sa.appendChild(st);
                sli.appendChild(sa);
                ul.appendChild(sli);
            });
            subs.forEach((s, j) => {
                const sli = el('li', {role: 'none'});
                const sa = el('a', {
                    class: 'archmanual-search-link archmanual-search-sub', href: target(s.url, markTerms(current.query, [s.excerpt || ''])),
                    id: `archmanual-search-r${index}-${j}`, role: 'option', 'aria-selected': 'false',
                });
                sa.appendChild(el('span', {class: 'archmanual-search-title'}, s.title || ''));
                const st = el('span', {class: 'teaser archmanual-search-excerpt'});
                appendExcerpt(st, s.excerpt || '');
                sa.appendChild(st);
                sli.appendChild(sa);
                ul.appendChild(sli);
            });
            li.appendChild(ul);
        }
        return li;
    }

    // A record of a page that is already listed, as a line under it.
    function addToPage(li, data, index) {
        let ul = li.querySelector('ul.archmanual-search-subs');
        if (!ul) {
            ul = el('ul', {class: 'archmanual-search-subs', role: 'none'});
            li.appendChild(ul);
        }
        const meta = data.meta || {};
        const sli = el('li', {role: 'none'});
        const a = el('a', {
            class: 'archmanual-search-link archmanual-search-sub', href: target(data.url, markTerms(current.query, [data.excerpt || ''])),
            id: `archmanual-search-r${index}`, role: 'option', 'aria-selected': 'false',
        });
        const head = el('span', {class: 'archmanual-search-title'});
        head.appendChild(el('span', {}, meta.title || data.url));
        if (meta.kind === 'entry' && meta.stars) {
            head.appendChild(el('span', {class: 'archmanual-search-stars'}, `★ ${meta.stars}`));
        }
        a.appendChild(head);
        a.appendChild(teaserOf(data, markTerms(current.query, [data.excerpt || ''])));
        sli.appendChild(a);
        ul.appendChild(sli);
    }

    // An entry shows its whole one-line description (marked here, as text);
    // a chapter shows Pagefind's excerpt.
    function teaserOf(data, terms) {
        const teaser = el('span', {class: 'teaser archmanual-search-excerpt'});
        const meta = data.meta || {};
        if (meta.kind === 'entry' && meta.description) {
            appendMarked(teaser, meta.description, terms);
        } else {
            appendExcerpt(teaser, data.excerpt || '');
        }
        return teaser;
    }

    function termPattern(terms) {
        const sorted = terms.slice().sort((a, b) => b.length - a.length);
        const escaped = sorted.map(t => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
        return escaped.length ? new RegExp(escaped.join('|'), 'gi') : null;
    }

    // `text` as text nodes, with the terms in <mark> elements.
    function appendMarked(parent, text, terms) {
        const re = termPattern(terms);
        let at = 0;
        if (re) {
            for (const m of text.matchAll(re)) {
                if (m[0] === '') {
                    continue;
                }
                parent.appendChild(document.createTextNode(text.slice(at, m.index)));
                parent.appendChild(el('mark', {}, m[0]));
                at = m.index + m[0].length;
            }
        }
        parent.appendChild(document.createTextNode(text.slice(at)));
    }

    // Pagefind escapes `<` and `>` of the page text; nothing else is markup
    // but its own `<mark>…</mark>`.
    function unescapeExcerptText(s) {
        return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    }

    function appendExcerpt(parent, excerpt) {
        const parts = excerpt.split(/(<mark>|<\/mark>)/);
        let marked = false;
        for (const p of parts) {
            if (p === '<mark>') {
                marked = true;
            } else if (p === '</mark>') {
                marked = false;
            } else if (p !== '') {
                const text = document.createTextNode(unescapeExcerptText(p));
                if (marked) {
                    const m = document.createElement('mark');
                    m.appendChild(text);
                    parent.appendChild(m);
                } else {
                    parent.appendChild(text);
                }
            }
        }
    }

    // ?search=QUERY (and filter values) make a search shareable as a link.
    function setUrl(query, filters, mode) {
        const u = new URL(window.location.href);
        u.searchParams.delete(SEARCH_PARAM);
        u.searchParams.delete(MARK_PARAM);
        for (const key of FILTER_ORDER.concat(Object.keys(ui.selects))) {
            u.searchParams.delete(key);
        }
        if (query !== '' || Object.keys(filters).length > 0) {
            u.searchParams.set(SEARCH_PARAM, query);
            for (const [k, v] of Object.entries(filters)) {
                u.searchParams.set(k, v);
            }
        }
        if (u.href !== window.location.href) {
            if (mode === 'push') {
                history.pushState({}, '', u.href);
            } else {
                history.replaceState({}, '', u.href);
            }
        }
    }

    function fromUrl() {
        const params = new URLSearchParams(window.location.search);
        if (params.has(SEARCH_PARAM)) {
            ui.bar.value = params.get(SEARCH_PARAM);
            open();
            for (const [key, sel] of Object.entries(ui.selects)) {
                sel.value = params.get(key) || '';
            }
            run(false);
        }
    }

    // Marks the words of ?highlight= in the chapter text; a click on a mark
    // removes them all.
    function highlightFromUrl() {
        const params = new URLSearchParams(window.location.search);
        const raw = params.get(MARK_PARAM);
        const main = document.querySelector('main');
        if (!raw || !main) {
            return;
        }
        const re = termPattern(raw.split(/\s+/).filter(t => t.length > 0));
        if (!re) {
            return;
        }
        const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
            acceptNode(node) {
                const p = node.parentElement;
                if (!p || p.closest('script, style, svg, mark, textarea, .archmanual-search-skip')) {
                    return NodeFilter.FILTER_REJECT;
                }
                return NodeFilter.FILTER_ACCEPT;
            },
        });
        const nodes = [];
        while (walker.nextNode()) {
            nodes.push(walker.currentNode);
        }
        let first = null;
        for (const node of nodes) {
            const text = node.nodeValue;
            re.lastIndex = 0;
            if (!re.test(text)) {
                continue;
            }
            re.lastIndex = 0;
            const frag = document.createDocumentFragment();
            let at = 0;
            for (const m of text.matchAll(re)) {
                if (m.index > at) {
                    frag.appendChild(document.createTextNode(text.slice(at, m.index)));
                }
                const mark = el('mark', {class: 'archmanual-search-mark'}, m[0]);
                mark.addEventListener('click', unmark);
                frag.appendChild(mark);
                first = first || mark;
                at = m.index + m[0].length;
            }
            if (at < text.length) {
                frag.appendChild(document.createTextNode(text.slice(at)));
            }
            node.parentNode.replaceChild(frag, node);
        }
        if (first && !window.location.hash) {
            first.scrollIntoView({block: 'center'});
        }
    }

    function unmark() {
        const marks = document.querySelectorAll('main mark.archmanual-search-mark');
        for (const m of marks) {
            const parent = m.parentNode;
            parent.replaceChild(document.createTextNode(m.textContent), m);
            parent.normalize();
        }
        const u = new URL(window.location.href);
        if (u.searchParams.has(MARK_PARAM)) {
            u.searchParams.delete(MARK_PARAM);
            history.replaceState({}, '', u.href);
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', setup);
    } else {
        setup();
    }
})();
