#pragma once

namespace earshot {

// Served from /static so the Content-Security-Policy needs no inline styles.
inline constexpr const char* kPageCss = R"css(
:root { font-family: system-ui, sans-serif; color: #1d232a; background: #f6f7f9; }
body { margin: 0; }
header.top { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #1d232a; color: #fff; }
header.top h1 { font-size: 1.2rem; margin: 0; }
header.top a { color: #cfe3ff; margin-right: .6rem; }
header.top p { margin: 0; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem; padding: 1rem 1.2rem; }
article.mention { background: #fff; border: 1px solid #dde1e6; border-left: 4px solid #dde1e6; border-radius: 4px; padding: .6rem .8rem; margin-bottom: .7rem; }
article.mention.flagged { border-left-color: #d1432f; }
article header { font-size: .85rem; color: #5b6570; display: flex; gap: .6rem; }
article h3 { margin: .3rem 0; font-size: 1rem; }
article p { margin: .3rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #ffe08a; padding: 0 .1rem; }
ul.labels { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .3rem; }
li.label { font-size: .75rem; background: #e8edf3; border-radius: 3px; padding: .05rem .4rem; }
li.label.pattern { background: #ffe4dc; }
p.reason { font-size: .8rem; color: #a3301f; }
table.sources { border-collapse: collapse; width: 100%; font-size: .85rem; background: #fff; table-layout: fixed; }
table.sources th, table.sources td { border: 1px solid #dde1e6; padding: .3rem .4rem; text-align: left; overflow-wrap: anywhere; }
tr.failing td { background: #fff0ed; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
)css";

}  // namespace earshot
