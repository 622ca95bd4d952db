import CIXStaff
import CIXStore

/// Staff accounts for those who manage staff: who has which roles, in which
/// categories; add an account, change roles, disable. New credentials are
/// shown once (`CredentialsPage`).
package struct AccountsPage: Sendable {
    package let layout: StaffLayout
    package let accounts: [StaffAccount]
    /// Categories a grant may be limited to.
    package let categories: [String]
    package let notice: String?

    /// The node's named areas a grant may be limited to (none: the choice is not offered).
    package let areas: [String]

    package init(
        layout: StaffLayout,
        accounts: [StaffAccount],
        categories: [String],
        areas: [String] = [],
        notice: String? = nil
    ) {
        self.areas = areas
        self.layout = layout
        self.accounts = accounts
        self.categories = categories
        self.notice = notice
    }

    package func render() -> HTML {
        let token = layout.token
        let items = accounts.map { account -> HTML in
            let state: HTML = account.disabledAt == nil ? "" : " <strong>(disabled)</strong>"
            let disable: HTML =
                account.disabledAt == nil && account.id != layout.desk?.account.id
                ? "<form method=\"post\" action=\"/staff/accounts/disable\">\(token)<input type=\"hidden\" name=\"login\" value=\"\(account.login)\"><button type=\"submit\">Disable \(account.login)</button></form>"
                : ""
            let grants = account.grants.isEmpty ? "no roles" : StaffDesk.describe(account.grants)
            let team: HTML = account.team.map { " · team \($0)" } ?? ""
            return
                "<li><h3>\(account.displayName) (\(account.login))\(state)</h3><p class=\"meta\">\(grants)\(team) · signs in with \(account.signsInWith)</p>\(disable)</li>"
        }
        let logins = accounts.filter { $0.disabledAt == nil }.map { "<option>\($0.login)</option>" as HTML }
        return layout.page(
            title: "Staff accounts",
            current: "/staff/accounts",
            main: """
                <h1>Staff accounts</h1>
                \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
                <section aria-labelledby="accounts-heading">
                <h2 id="accounts-heading">Accounts (\(accounts.count))</h2>
                <ul class="contributions">\(items)</ul>
                </section>
                <section aria-labelledby="grant-heading" class="forms">
                <h2 id="grant-heading">Give roles</h2>
                <form method="post" action="/staff/accounts/grant">\(token)
                <label for="grant-login">Account</label>
                <select id="grant-login" name="login">\(logins)</select>
                \(roleFields("grant"))
                <p class="meta">This replaces the account's roles and signs it out everywhere.</p>
                <button type="submit">Give these roles</button>
                </form>
                </section>
                <section aria-labelledby="team-heading" class="forms">
                <h2 id="team-heading">Teams</h2>
                <form method="post" action="/staff/accounts/team">\(token)
                <label for="team-login">Account</label>
                <select id="team-login" name="login">\(logins)</select>
                <label for="team-name">Team (leave empty for none)</label>
                <input id="team-name" name="team" maxlength="\(StaffDesk.maxTeamLength)">
                <p class="meta">People in a team can list the cases assigned to any of them.</p>
                <button type="submit">Set the team</button>
                </form>
                </section>
                <section aria-labelledby="add-heading" class="forms">
                <h2 id="add-heading">Add an account</h2>
                <form method="post" action="/staff/accounts/add">\(token)
                <label for="add-login">Login</label>
                <input id="add-login" name="login" required maxlength="64" pattern="[A-Za-z0-9._-]+" autocapitalize="none" spellcheck="false">
                <label for="add-name">Full name</label>
                <input id="add-name" name="name" maxlength="200">
                <label for="add-team">Team (optional)</label>
                <input id="add-team" name="team" maxlength="\(StaffDesk.maxTeamLength)">
                <label for="add-password">First password</label>
                <p class="hint" id="add-password-hint">12 to 128 characters; give it to the person in person or by phone.</p>
                <input id="add-password" name="password" type="password" required minlength="12" maxlength="128" autocomplete="new-password" aria-describedby="add-password-hint">
                \(roleFields("add"))
                <button type="submit">Add the account</button>
                </form>
                </section>
                """
        )
    }

    /// A role and the categories and areas it is limited to (none chosen: every category, everywhere).
    func roleFields(_ prefix: String) -> HTML {
        let roles = StaffRole.allCases.map {
            "<option value=\"\($0.rawValue)\">\($0.rawValue): \($0.summary)</option>" as HTML
        }
        let options = categories.map { "<option value=\"\($0)\">\(Site.categoryName($0))</option>" as HTML }
        return """
            <label for="\(prefix)-role">Role</label>
            <select id="\(prefix)-role" name="role">\(roles)</select>
            <label for="\(prefix)-categories">Only these categories (choose none for every category)</label>
            <select id="\(prefix)-categories" name="category" multiple size="6">\(options)</select>
            \(areaField(prefix))
            """
    }

    func areaField(_ prefix: String) -> HTML {
        guard !areas.isEmpty else { return .empty }
        let options = areas.map { "<option value=\"\($0)\">\($0)</option>" as HTML }
        return """
            <label for="\(prefix)-areas">Only these areas (choose none for everywhere)</label>
            <select id="\(prefix)-areas" name="area" multiple size="\(min(6, areas.count))">\(options)</select>
            """
    }
}

/// A new or reset account's second factor and recovery codes: shown once, never again.
package struct CredentialsPage: Sendable {
    package let layout: StaffLayout
    package let login: String
    package let credentials: StaffDesk.Credentials
    package let authenticatorURL: String

    package init(layout: StaffLayout, login: String, credentials: StaffDesk.Credentials, authenticatorURL: String) {
        self.layout = layout
        self.login = login
        self.credentials = credentials
        self.authenticatorURL = authenticatorURL
    }

    package func render() -> HTML {
        let codes = credentials.recoveryCodes.map { "<li><code>\($0)</code></li>" as HTML }
        return layout.page(
            title: "Account \(login)",
            current: "/staff/accounts",
            main: """
                <h1>Account \(login) is ready</h1>
                <p role="status">Give these to the person now: they are shown only once.</p>
                <h2>Authenticator app</h2>
                <p>Secret to type into the app: <code class="secret">\(TOTPCheck(secret: credentials.totpSecret).appSecret)</code></p>
                <p>Or the address the app can read: <code>\(authenticatorURL)</code></p>
                <h2>Recovery codes</h2>
                <p>Each works once, in place of a code from the app.</p>
                <ul class="recovery">\(codes)</ul>
                <p><a href="/staff/accounts">Back to staff accounts</a></p>
                """
        )
    }
}
