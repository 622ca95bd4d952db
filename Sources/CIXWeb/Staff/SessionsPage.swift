import CIXStore

/// A person's signed-in browsers, each of which they can end.
package struct SessionsPage: Sendable {
    package let layout: StaffLayout
    package let sessions: [StaffSession]
    /// The id of the session showing this page.
    package let current: String

    package init(layout: StaffLayout, sessions: [StaffSession], current: String) {
        self.layout = layout
        self.sessions = sessions
        self.current = current
    }

    package func render() -> HTML {
        let items = sessions.map { session -> HTML in
            let this: HTML = session.id == current ? " (this browser)" : ""
            return """
                <li><p>Signed in \(Site.date(session.createdAt)) from \(session.address)\(this); last used \(Site.date(session.lastSeen))</p>
                <form method="post" action="/staff/sessions/end">\(layout.token)<input type="hidden" name="session" value="\(String(session.id.prefix(16)))"><button type="submit">End this session</button></form></li>
                """
        }
        return layout.page(
            title: "Your sessions",
            current: "/staff/sessions",
            main: """
                <h1>Your sessions</h1>
                <p>A session ends after 30 minutes unused and 12 hours at most.</p>
                <ul class="contributions">\(items)</ul>
                """
        )
    }
}
