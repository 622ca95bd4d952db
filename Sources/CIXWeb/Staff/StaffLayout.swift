import CIXStaff
import CIXStore

/// The frame of the staff console: its own header and navigation, the
/// signed-in person, and a sign-out form carrying the session's token.
package struct StaffLayout: Sendable {
    package let site: Site
    /// Who is signed in, with the session's anti-forgery token; nil on the sign-in page.
    package let desk: (account: StaffAccount, csrf: String)?

    package init(site: Site, account: StaffAccount? = nil, csrf: String? = nil) {
        self.site = site
        desk = account.flatMap { account in csrf.map { (account, $0) } }
    }

    /// The hidden anti-forgery field every staff form carries.
    package var token: HTML {
        guard let desk else { return .empty }
        return "<input type=\"hidden\" name=\"csrf\" value=\"\(desk.csrf)\">"
    }

    package func page(title: String, current: String = "", head: HTML = .empty, main: HTML) -> HTML {
        func navLink(_ href: String, _ label: String) -> HTML {
            href == current
                ? "<li><a href=\"\(href)\" aria-current=\"page\">\(label)</a></li>"
                : "<li><a href=\"\(href)\">\(label)</a></li>"
        }
        var bar: HTML = .empty
        if let desk {
            var nav = [navLink("/staff", "Inbox"), navLink("/staff/sessions", "Your sessions")]
            if Authoriser.decide(desk.account.grants, .moderate).allowed {
                nav.append(navLink("/staff/moderation", "Moderation"))
            }
            if Authoriser.decide(desk.account.grants, .viewDashboard).allowed {
                nav.append(navLink("/staff/figures", "Figures"))
            }
            if Authoriser.decide(desk.account.grants, .manageTemplates).allowed {
                nav.append(navLink("/staff/templates", "Templates"))
            }
            if Authoriser.decide(desk.account.grants, .manageStaff).allowed {
                nav.append(navLink("/staff/accounts", "Staff accounts"))
                nav.append(navLink("/staff/audit", "Audit trail"))
            }
            bar = """
                <nav aria-label="Staff"><ul>\(nav)</ul></nav>
                <form class="sign-out" method="post" action="/staff/sign-out">\(token)
                <p>Signed in as <strong>\(desk.account.displayName)</strong> (\(desk.account.login)) <button type="submit">Sign out</button></p>
                </form>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>\(title) · Staff · \(site.name)</title>
            <link rel="stylesheet" href="/static/cix.css">
            <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
            \(head)
            </head>
            <body class="staff">
            <a class="skip" href="#main">Skip to content</a>
            <header class="site">
            <p class="site-name"><a href="/staff">\(site.name)</a> <span class="site-kind">staff console</span></p>
            \(bar)
            </header>
            <main id="main">
            \(main)
            </main>
            <footer class="site">
            <p>Staff actions are recorded in this node's audit trail. Residents' contact details are shown only when asked for, and each view is recorded. <a href="/">Public pages</a></p>
            </footer>
            </body>
            </html>

            """
    }

    /// A short page saying what went wrong, in the console's frame.
    package func message(title: String, _ text: String, back: String = "/staff") -> HTML {
        page(
            title: title,
            main: """
                <h1>\(title)</h1>
                <p role="alert">\(text)</p>
                <p><a href="\(back)">Back</a></p>
                """
        )
    }
}
