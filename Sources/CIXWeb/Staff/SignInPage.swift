import CIXStore

/// Sign-in: login, password and the code from an authenticator app (or a recovery code), in one form.
package struct SignInPage: Sendable {
    package let site: Site
    /// The anti-forgery token of the visitor's form cookie.
    package let formToken: String
    /// Why the last attempt failed, or why the visitor is here (a session ended).
    package let problem: String?
    package let notice: String?
    /// The words of the button to sign in through the organisation's OpenID provider, if one is set.
    package let openIDLabel: String?

    package init(
        site: Site,
        formToken: String,
        problem: String? = nil,
        notice: String? = nil,
        openIDLabel: String? = nil
    ) {
        self.site = site
        self.formToken = formToken
        self.problem = problem
        self.notice = notice
        self.openIDLabel = openIDLabel
    }

    /// The page a browser lands on after the provider sends it back: the session cookie is
    /// `SameSite=Strict`, so it reaches /staff only on a navigation this site starts.
    package static func signedIn(site: Site, account: StaffAccount) -> HTML {
        StaffLayout(site: site).page(
            title: "Signed in",
            head: "<meta http-equiv=\"refresh\" content=\"0; url=/staff\">",
            main: """
                <h1>Signed in</h1>
                <p>You are signed in as <strong>\(account.displayName)</strong> (\(account.login)). <a href="/staff">Continue to your inbox</a>.</p>
                """
        )
    }

    package func render() -> HTML {
        StaffLayout(site: site).page(
            title: "Sign in",
            main: """
                <h1>Staff sign-in</h1>
                \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
                \(problem.map { "<div class=\"problems\" role=\"alert\"><p>\($0)</p></div>" as HTML })
                \(openIDLabel.map { label in
                    """
                    <p><a class="button" href="/staff/openid/start">\(label)</a></p>
                    <h2>Or with an account on this node</h2>
                    """ as HTML
                })
                <form method="post" action="/staff/sign-in" class="sign-in">
                <input type="hidden" name="csrf" value="\(formToken)">
                <label for="login">Login</label>
                <input id="login" name="login" autocomplete="username" required maxlength="64" autocapitalize="none" spellcheck="false">
                <label for="password">Password</label>
                <p class="hint" id="password-hint">12 to 128 characters.</p>
                <input id="password" name="password" type="password" autocomplete="current-password" required minlength="12" maxlength="128" aria-describedby="password-hint">
                <label for="code">Code</label>
                <p class="hint" id="code-hint">The 6-digit code from your authenticator app, or one of your recovery codes.</p>
                <input id="code" name="code" autocomplete="one-time-code" required maxlength="20" aria-describedby="code-hint" autocapitalize="none" spellcheck="false">
                <button type="submit">Sign in</button>
                </form>
                <p>Lost your phone? Use a recovery code. Locked out? An administrator of \(site.name) can reset your account (<code>cix staff reset</code>); passwords are never reset by e-mail.</p>
                """
        )
    }
}
