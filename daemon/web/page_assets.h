// The page's markup and styles, served from /, /assets/app.css; its script is page_script.h.
// Nothing inline, so the Content-Security-Policy needs neither inline scripts nor styles.
#pragma once

namespace earshot {

inline constexpr const char* kPageHtml = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>earshot</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="top">
  <h1>earshot</h1>
  <nav id="tabs" aria-label="views" hidden>
    <button type="button" data-view="review" aria-keyshortcuts="1">Review <kbd>1</kbd></button>
    <button type="button" data-view="cases" aria-keyshortcuts="2">Cases <kbd>2</kbd></button>
    <button type="button" data-view="overview" aria-keyshortcuts="3">Overview <kbd>3</kbd></button>
  </nav>
  <span id="who"></span>
  <button type="button" id="logout" hidden>Log out</button>
</header>
<p id="status" role="status" aria-live="polite"></p>
<main>
  <section id="login" hidden>
    <h2>Log in</h2>
    <form id="login-form" method="post" action="/login">
      <label for="login-token">Access token</label>
      <input id="login-token" type="password" name="token" autocomplete="current-password" required>
      <button type="submit">Log in</button>
    </form>
    <p id="login-error" class="error" role="alert"></p>
  </section>

  <section id="view-review" class="view" hidden>
    <form id="review-filters" class="filters" role="search">
      <label>Show <select name="scope">
        <option value="unreviewed">flagged, not reviewed</option>
        <option value="flagged">flagged</option>
        <option value="all">all mentions</option>
      </select></label>
      <label>Order <select name="order">
        <option value="newest">newest first</option>
        <option value="urgent">most urgent first</option>
      </select></label>
      <label>Intent <input name="intent" size="12" placeholder="refund"></label>
      <label>Language <input name="lang" size="5" placeholder="en"></label>
      <label>Source <input name="source" size="12"></label>
      <label>Search <input id="review-search" name="q" type="search" size="24" placeholder="press /"></label>
      <button type="submit">Apply</button>
    </form>
    <p class="keys">Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>c</kbd> confirm, <kbd>f</kbd> false positive, <kbd>n</kbd> not relevant, <kbd>o</kbd> details, <kbd>/</kbd> search</p>
    <div class="split">
      <div>
        <div id="mention-list" class="list" aria-label="mentions"></div>
        <button type="button" id="more-mentions" hidden>Load more</button>
      </div>
      <aside id="mention-detail" aria-label="mention details"></aside>
    </div>
  </section>

  <section id="view-cases" class="view" hidden>
    <div class="filters">
      <button type="button" data-scope="mine" aria-keyshortcuts="m">My queue <kbd>m</kbd></button>
      <button type="button" data-scope="team" aria-keyshortcuts="t">Team <kbd>t</kbd></button>
      <button type="button" data-scope="closed">Closed</button>
    </div>
    <p class="keys">Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>o</kbd> open the case</p>
    <div class="split">
      <table class="cases">
        <thead><tr><th>P</th><th>customer</th><th>state</th><th>SLA</th><th>mentions</th><th>assignee</th></tr></thead>
        <tbody id="case-list"></tbody>
      </table>
      <aside id="case-detail" aria-label="case details"></aside>
    </div>
  </section>

  <section id="view-overview" class="view" hidden>
    <div id="overview-summary" class="tiles"></div>
    <h2>Mentions per day and negative share</h2>
    <div id="overview-charts"></div>
    <h2>Sources</h2>
    <div id="overview-sources"></div>
    <h2>Review precision</h2>
    <div id="overview-precision"></div>
  </section>
</main>
<noscript><p>This page needs JavaScript; <a href="/plain">the plain list</a> works without it.</p></noscript>
</body>
</html>
)html";

inline constexpr const char* kPageCss = R"css(
:root { font-family: system-ui, sans-serif; color: #1d232a; background: #f6f7f9; }
body { margin: 0; }
header.top { display: flex; gap: 1.2rem; align-items: center; padding: .6rem 1.2rem; background: #1d232a; color: #fff; flex-wrap: wrap; }
header.top h1 { font-size: 1.2rem; margin: 0; }
header.top a { color: #cfe3ff; margin-right: .6rem; }
header.top p { margin: 0; }
header.top nav button { background: transparent; color: #fff; border: 1px solid #56606b; border-radius: 3px; padding: .25rem .7rem; cursor: pointer; }
header.top nav button[aria-current="page"] { background: #3a4a5c; border-color: #cfe3ff; }
#who { margin-left: auto; font-size: .85rem; color: #cfe3ff; }
kbd { font-size: .7rem; border: 1px solid #9aa3ad; border-radius: 3px; padding: 0 .25rem; }
#status { margin: 0; padding: .2rem 1.2rem; min-height: 1.2rem; font-size: .85rem; color: #2d5b8a; }
#status.error, p.error { color: #a3301f; }
main { padding: .4rem 1.2rem 1.2rem; }
main.plain { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem; }
:focus-visible { outline: 3px solid #2d7ff9; outline-offset: 2px; }
.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin: .4rem 0; font-size: .85rem; }
.filters label { display: flex; flex-direction: column; gap: .1rem; }
.filters button[aria-pressed="true"] { background: #dbe8fb; border-color: #2d7ff9; }
p.keys { font-size: .75rem; color: #5b6570; margin: .2rem 0 .6rem; }
.split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem; align-items: start; }
aside { background: #fff; border: 1px solid #dde1e6; border-radius: 4px; padding: .6rem .8rem; position: sticky; top: .5rem; max-height: 90vh; overflow: auto; }
aside:empty { display: none; }
article.mention { background: #fff; border: 1px solid #dde1e6; border-left: 4px solid #dde1e6; border-radius: 4px; padding: .6rem .8rem; margin-bottom: .7rem; }
article.mention.flagged { border-left-color: #d1432f; }
article.mention.selected { box-shadow: 0 0 0 2px #2d7ff9; }
article.mention.reviewed { opacity: .75; }
article header { font-size: .85rem; color: #5b6570; display: flex; gap: .6rem; flex-wrap: wrap; }
article h3 { margin: .3rem 0; font-size: 1rem; }
article p { margin: .3rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #ffe08a; padding: 0 .1rem; }
ul.labels { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .3rem; }
li.label { font-size: .75rem; background: #e8edf3; border-radius: 3px; padding: .05rem .4rem; }
li.label.pattern, li.label.rule { background: #ffe4dc; }
li.label.urgency { background: #fde2a7; }
li.label.intent { background: #dcecff; }
p.reason { font-size: .8rem; color: #a3301f; }
dl.contact { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: .5rem 0; }
dl.contact dt { font-weight: 600; }
dl.contact dd { margin: 0; }
p.opening { background: #eef6ee; border-left: 3px solid #3a7d44; padding: .4rem .6rem; }
p.verdict { font-size: .8rem; color: #2b6a3a; }
p.verdict.false_positive, p.verdict.not_relevant { color: #6b5b2b; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0; }
.actions button { padding: .3rem .7rem; }
textarea { width: 100%; box-sizing: border-box; min-height: 3.5rem; font: inherit; }
table.cases, table.sources, table.precision { border-collapse: collapse; width: 100%; font-size: .85rem; background: #fff; }
table.cases th, table.cases td, table.sources th, table.sources td, table.precision th, table.precision td { border: 1px solid #dde1e6; padding: .3rem .4rem; text-align: left; overflow-wrap: anywhere; }
table.cases tr.selected td { background: #dbe8fb; }
table.cases tr { cursor: pointer; }
.sla.overdue { color: #a3301f; font-weight: 600; }
.sla.soon { color: #9a5b00; }
tr.failing td { background: #fff0ed; }
ol.events { font-size: .8rem; padding-left: 1.2rem; }
.tiles { display: flex; flex-wrap: wrap; gap: .8rem; margin: .6rem 0; }
.tile { background: #fff; border: 1px solid #dde1e6; border-radius: 4px; padding: .5rem .8rem; min-width: 9rem; }
.tile b { display: block; font-size: 1.4rem; }
.chart { background: #fff; border: 1px solid #dde1e6; border-radius: 4px; padding: .4rem; margin-bottom: .8rem; }
.chart h3 { margin: 0 0 .3rem; font-size: .9rem; }
.chart svg { width: 100%; height: auto; max-width: 720px; display: block; }
.chart .bar { fill: #7fa7d9; }
.chart .neg { fill: none; stroke: #d1432f; stroke-width: 2; }
.chart .axis { stroke: #9aa3ad; stroke-width: 1; }
.chart text { font-size: 10px; fill: #5b6570; }
@media (max-width: 900px) { .split, main.plain { grid-template-columns: 1fr; } }
)css";

}  // namespace earshot
