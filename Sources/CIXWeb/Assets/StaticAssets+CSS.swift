extension StaticAssets {
    /// `/static/cix.css`, kept in the binary so a copied `cix` needs no resource files.
    static let stylesheet = #"""
        /* CIX public pages. Contrast ≥ 4.5:1 for text; focus always visible. */
        :root { --ink: #1b1b1b; --muted: #4a4a4a; --accent: #1d4f91; --paper: #ffffff; --wash: #f3f5f8; --line: #c9ced6; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--paper); }
        a { color: var(--accent); }
        a:hover { text-decoration-thickness: 2px; }
        :focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: 1rem; background: #ffbf47; color: #000; padding: .5rem; z-index: 1000; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        header.site, footer.site { background: var(--wash); border-bottom: 1px solid var(--line); padding: .75rem 1rem; }
        footer.site { border-top: 1px solid var(--line); border-bottom: 0; margin-top: 2rem; font-size: .9rem; }
        header.site { position: relative; }
        .site-name { margin: 0; padding-right: 6.5rem; font-weight: 700; font-size: 1.2rem; }
        nav.languages { position: absolute; top: .5rem; right: 1rem; font-size: .9rem; }
        nav.languages ul { margin: 0; gap: .75rem; }
        nav.languages a, nav.languages span { display: inline-block; padding: .3rem 0; }
        nav.languages span[aria-current] { font-weight: 700; }
        .site-name a { color: var(--ink); text-decoration: none; }
        .site-kind { font-weight: 400; font-size: .85rem; color: var(--muted); }
        .mirror-note { margin: .25rem 0; color: var(--muted); }
        nav ul { list-style: none; margin: .5rem 0; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
        nav a[aria-current="page"] { font-weight: 700; color: var(--ink); }
        form.search { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
        form.search label { margin: 0; }
        form.search input { width: auto; flex: 0 1 20rem; }
        form.search button { margin: 0; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        .lead { font-size: 1.1rem; }
        .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 2rem; }
        ul.issues, ul.contributions, ul.routes, ul.photos { list-style: none; padding: 0; }
        li.issue { border-bottom: 1px solid var(--line); padding: .5rem 0; }
        li.issue h3 { margin: 0; font-size: 1.05rem; }
        .meta, .counts { margin: .2rem 0; color: var(--muted); font-size: .9rem; }
        .status { display: inline-block; padding: 0 .4rem; border-radius: .25rem; background: #e6e9ee; color: var(--ink); font-weight: 600; }
        .status-open { background: #fbe3e1; } .status-fixed, .status-closed { background: #dff0e3; } .status-in_progress { background: #ece2f5; }
        .verified { color: #1e6b34; font-weight: 700; } .unverified { color: #b3261e; font-weight: 700; }
        .map { height: 22rem; margin: 1rem 0; border: 1px solid var(--line); background: #e9eef2; }
        .map.no-tiles { background: repeating-linear-gradient(45deg, #eef1f4, #eef1f4 10px, #e4e8ec 10px, #e4e8ec 20px); }
        form.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .75rem; align-items: end; }
        label { display: block; font-weight: 600; margin-top: .5rem; }
        input, select, textarea, button { font: inherit; padding: .4rem; border: 1px solid #6b7280; border-radius: .25rem; max-width: 100%; }
        input, select, textarea { width: 100%; background: #fff; color: var(--ink); }
        textarea { min-height: 6rem; }
        button, .button { background: var(--accent); color: #fff; border: 0; padding: .5rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; margin-top: .5rem; border-radius: .25rem; }
        fieldset { border: 1px solid var(--line); margin: 1rem 0; padding: 1rem; }
        legend { font-weight: 700; }
        .forms form { border-top: 1px solid var(--line); padding: .5rem 0 1rem; }
        .problems { border: 3px solid #b3261e; padding: .5rem 1rem; margin: 1rem 0; }
        .notice { background: #e8f1fb; border-left: 4px solid var(--accent); padding: .5rem 1rem; }
        .table-scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
        th, td { text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); padding: .4rem; }
        td.categories { font-size: .85rem; max-width: 20rem; }
        ul.photos img { max-width: 100%; max-height: 20rem; }
        .pages { display: flex; gap: 1rem; margin: 1rem 0; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0 0 .5rem; }
        @media (max-width: 40rem) { .agencies, .timeline { font-size: .9rem; } }
        /* At phone width the issue tables stack: one block per row, each cell named by its column. */
        @media (max-width: 40rem) {
          table.agencies thead, table.timeline thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
          table.agencies tr, table.timeline tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; }
          table.agencies th, table.agencies td, table.timeline td { display: block; border: 0; padding: .1rem 0; overflow-wrap: anywhere; }
          table.agencies td[data-label]::before, table.timeline td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
        }
        /* The map's key, its numbered circles for several issues, and the report map's buttons. */
        ul.legend { list-style: none; padding: 0; margin: -.5rem 0 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .9rem; }
        .map:empty + ul.legend { display: none; }
        .swatch { display: inline-block; width: 1rem; height: 1rem; border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 0 1px #6b7280; margin-right: .35rem; vertical-align: -.15rem; }
        .swatch.open { background: #b3261e; } .swatch.acknowledged { background: #9a5b00; } .swatch.in_progress { background: #7a4fa0; }
        .swatch.fixed { background: #1e6b34; } .swatch.closed { background: #4a4a4a; } .swatch.several { background: #1d4f91; border-radius: .3rem; }
        .leaflet-marker-icon.cluster { display: flex; align-items: center; justify-content: center; background: #1d4f91; color: #fff; font-weight: 700; font-size: .85rem; border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 0 1px #1d4f91; }
        .map-tools { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: -.5rem; }
        ul.places { padding-left: 1.25rem; }
        ul.places li { margin: .35rem 0; }
        /* Phone first: a compact header and touch targets of at least 44 px. */
        @media (max-width: 40rem) {
          header.site { padding: .5rem .75rem; }
          .site-name { font-size: 1.05rem; }
          nav.languages { top: .2rem; right: .75rem; }
          nav.languages a { padding: .55rem 0; }
          .site-kind { display: block; font-size: .8rem; }
          nav ul { gap: 0 1rem; margin: 0; }
          nav a { display: inline-block; padding: .55rem 0; }
          header.site form.search label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
          header.site form.search input { flex: 1 1 8rem; }
          button, .button { min-height: 2.75rem; }
          main { padding: .75rem; }
          .map { height: 18rem; }
        }
        /* The staff console. */
        ul.cases { list-style: none; padding: 0; }
        li.case { border-bottom: 1px solid var(--line); padding: .5rem 0; display: grid; grid-template-columns: auto 1fr; column-gap: .75rem; }
        li.case > input[type=checkbox] { width: 1.5rem; height: 1.5rem; margin-top: .2rem; grid-row: span 2; }
        li.case h3 { margin: 0; font-size: 1.05rem; grid-column: 2; }
        li.case .meta { grid-column: 2; }
        .hint { margin: .1rem 0; color: var(--muted); font-size: .9rem; }
        label.check { font-weight: 400; display: flex; gap: .5rem; align-items: center; }
        label.check input { width: auto; }
        form.sign-out p { margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
        form.sign-out button { margin: 0; }
        form.inline { display: inline; }
        form.inline button { margin: 0 0 0 .5rem; padding: .2rem .6rem; }
        .marker { color: #9a3412; }
        .priority-urgent { color: #b91c1c; } .priority-high { color: #9a3412; } .priority-low { font-weight: 400; }
        code { overflow-wrap: anywhere; }
        ul.recovery { columns: 2; }
        figure.chart { margin: 1rem 0; } figure.chart svg { max-width: 100%; height: auto; }
        ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
        .map:empty + ul.legend { display: none; }
        .swatch { display: inline-block; width: 1rem; height: 1rem; margin-right: .3rem; vertical-align: middle; }
        """#
}
