import CIXCore
import CIXNode
import CIXRouting
import CIXTesting
import CIXWeb
import Foundation
import Testing

/// The pages in the language the resident reads: chosen by the browser or the
/// switcher, remembered, never mixed up by the page cache, and complete.
@Suite("Languages")
struct LanguageTests {
    @Test(arguments: [
        ("cy", Language.welsh), ("cy-GB", .welsh), ("en-GB,en;q=0.9", .english), ("fr, cy;q=0.5", .welsh),
        ("en;q=0.4, cy;q=0.8", .welsh), ("cy;q=0.8, en;q=0.8", .welsh), ("fr", .english), ("*", .english),
        ("cy;q=0, *", .english), ("de-DE, en;q=0.1", .english), ("", .english), ("cy;q=2", .english),
    ])
    func acceptLanguageChoosesAmongTheOfferedLanguages(header: String, expected: Language) {
        let chosen = Language.choose(parameter: nil, cookie: nil, acceptLanguage: header, fallback: .english)
        #expect(chosen == expected, "\(header)")
    }

    @Test func theSwitcherBeatsTheCookieWhichBeatsTheBrowser() {
        #expect(Language.choose(parameter: "en", cookie: "cy", acceptLanguage: "cy", fallback: .welsh) == .english)
        #expect(Language.choose(parameter: nil, cookie: "cy", acceptLanguage: "en", fallback: .english) == .welsh)
        #expect(Language.choose(parameter: "xx", cookie: "zz", acceptLanguage: "fr", fallback: .welsh) == .welsh)
        #expect(Language.choose(parameter: nil, cookie: nil, acceptLanguage: nil, fallback: .welsh) == .welsh)
    }

    /// Every kind of event as the timeline and feeds say it, with and without its content, in both languages.
    @Test func everyEventKindHasASentenceInEveryLanguage() {
        let english = EnglishCatalogue()
        let welsh = WelshCatalogue()
        let withoutBody: [EventKind: (String, String)] = [
            .report: ("C: the report (its content was removed)", "C: yr adroddiad (tynnwyd ei gynnwys)"),
            .edit: ("C: a correction (its content was removed)", "C: cywiriad (tynnwyd ei gynnwys)"),
            .comment: ("C: a comment (its content was removed)", "C: sylw (tynnwyd ei gynnwys)"),
            .confirm: ("C: a confirmation (its content was removed)", "C: cadarnhad (tynnwyd ei gynnwys)"),
            .solution: ("C: a proposed solution (its content was removed)", "C: ateb arfaethedig (tynnwyd ei gynnwys)"),
            .offer: ("C: an offer of help (its content was removed)", "C: cynnig help (tynnwyd ei gynnwys)"),
            .route: ("C: a routing (its content was removed)", "C: anfon ymlaen (tynnwyd ei gynnwys)"),
            .accept: ("C: an acceptance (its content was removed)", "C: derbyn (tynnwyd ei gynnwys)"),
            .decline: ("C: a decline (its content was removed)", "C: gwrthod (tynnwyd ei gynnwys)"),
            .transfer: ("C: a transfer (its content was removed)", "C: trosglwyddo (tynnwyd ei gynnwys)"),
            .status: ("C: a status (its content was removed)", "C: statws (tynnwyd ei gynnwys)"),
            .duplicate: ("C: a duplicate mark (its content was removed)", "C: nodyn dyblyg (tynnwyd ei gynnwys)"),
            .redact: ("C: a removal (its content was removed)", "C: tynnu cofnod (tynnwyd ei gynnwys)"),
            .contact: (
                "C: sealed contact details (its content was removed)",
                "C: manylion cyswllt wedi'u selio (tynnwyd ei gynnwys)"
            ),
        ]
        #expect(Set(withoutBody.keys) == Set(EventKind.allCases))
        for (kind, expected) in withoutBody {
            #expect(english.eventWithoutBody("C", kind) == expected.0)
            #expect(welsh.eventWithoutBody("C", kind) == expected.1)
        }
        let sentences: [(String, String, String)] = [
            (english.tookReport("C"), welsh.tookReport("C"), "report"),
            (
                english.corrected("C", fields: [.title, .category("pothole")]),
                welsh.corrected("C", fields: [.title, .category("pothole")]), "edit"
            ),
            (english.commentThrough("C"), welsh.commentThrough("C"), "comment"),
            (english.confirmedThrough("C"), welsh.confirmedThrough("C"), "confirm"),
            (english.solutionThrough("C"), welsh.solutionThrough("C"), "solution"),
            (english.offerThrough("C"), welsh.offerThrough("C"), "offer"),
            (english.askedToLook("C", ["P", "H", "B"]), welsh.askedToLook("C", ["P", "H", "B"]), "route"),
            (english.accepted("P"), welsh.accepted("P"), "accept"),
            (
                english.declined("P", suggested: "H", reason: "R"), welsh.declined("P", suggested: "H", reason: "R"),
                "decline"
            ),
            (english.transferred("P", to: "H", reason: "R"), welsh.transferred("P", to: "H", reason: "R"), "transfer"),
            (
                english.setStatus("P", english.status("in_progress")),
                welsh.setStatus("P", welsh.status("in_progress")), "status"
            ),
            (english.markedDuplicate("C", of: "abc"), welsh.markedDuplicate("C", of: "abc"), "duplicate"),
            (english.removedEntry("C", reason: "R"), welsh.removedEntry("C", reason: "R"), "redact"),
            (english.sharedContact("C", with: "P"), welsh.sharedContact("C", with: "P"), "contact"),
        ]
        let expected: [String: (String, String)] = [
            "report": ("C took the report", "Cymerodd C yr adroddiad"),
            "edit": (
                "C corrected the report's title, category (now Pothole)",
                "Cywirodd C yr adroddiad: teitl, categori (nawr Twll yn y ffordd)"
            ),
            "comment": ("A comment, through C", "Sylw, drwy C"),
            "confirm": ("Someone confirmed this, through C", "Cadarnhaodd rhywun hyn, drwy C"),
            "solution": ("A solution was proposed, through C", "Cynigiwyd ateb, drwy C"),
            "offer": ("An offer of help, through C", "Cynnig help, drwy C"),
            "route": ("C asked P, H and B to look at this", "Gofynnodd C i P, H a B edrych ar hyn"),
            "accept": ("P accepted this", "Derbyniodd P hyn"),
            "decline": (
                "P said this is not theirs and suggested H: R",
                "Dywedodd P nad eu cyfrifoldeb nhw yw hyn ac awgrymodd H: R"
            ),
            "transfer": ("P passed this to H: R", "Trosglwyddodd P hyn i H: R"),
            "status": ("P set its status to “In progress”", "Newidiodd P y statws i “Ar waith”"),
            "duplicate": (
                "C marked this as the same problem as issue abc", "Nododd C mai'r un broblem yw hon â mater abc"
            ),
            "redact": ("C removed an earlier entry: R", "Tynnodd C gofnod cynharach: R"),
            "contact": (
                "C passed the resident's contact details, sealed, to P, with their consent",
                "Anfonodd C fanylion cyswllt y preswylydd, wedi'u selio, at P, gyda'u caniatâd"
            ),
        ]
        for (inEnglish, inWelsh, kind) in sentences {
            #expect(inEnglish == expected[kind]?.0, "\(kind)")
            #expect(inWelsh == expected[kind]?.1, "\(kind)")
        }
    }

    /// Every category, group and status has a Welsh name of its own.
    @Test func theTaxonomyAndStatusesAreTranslated() {
        let english = EnglishCatalogue()
        let welsh = WelshCatalogue()
        for category in Taxonomy.categories where category.code != "graffiti" {
            #expect(welsh.category(category.code) != english.category(category.code), "\(category.code)")
            #expect(welsh.categoryGroup(category.group) != category.group, "\(category.group)")
        }
        for status in AgencyStatus.allCases.map(\.rawValue) + OverallStatus.allCases.map(\.rawValue) {
            #expect(welsh.status(status) != english.status(status), "\(status)")
        }
        #expect(welsh.months.count == 12 && Set(welsh.months).isDisjoint(with: english.months))
    }

    @Test func pagesFollowTheBrowserTheSwitcherAndTheCookie() async throws {
        try await WebTown.run("web-languages") { town in
            let issue = try await town.reportAntisocialBehaviour(title: "Tân gwyllt")
            let web = WebClient(node: town.council)
            func language(of answer: WebClient.Answer) -> String? {
                guard let range = answer.text.range(of: "<html lang=\"") else { return nil }
                return String(answer.text[range.upperBound...].prefix { $0 != "\"" })
            }
            // The browser's preference, among what is offered; else the node's default.
            let welsh = try await web.get("/", headers: [("Accept-Language", "cy-GB,cy;q=0.9,en;q=0.8")])
            #expect(language(of: welsh) == "cy" && welsh.header("content-language") == "cy")
            #expect(welsh.header("vary")?.contains("Accept-Language") == true)
            #expect(welsh.text.contains("<h1>council: y rhestr gyhoeddus o faterion</h1>"))
            #expect(welsh.header("set-cookie") == nil)
            let french = try await web.get("/", headers: [("Accept-Language", "fr-FR,fr;q=0.9")])
            #expect(language(of: french) == "en" && french.text.contains("<h1>council: the public issue list</h1>"))

            // The page cache keeps each language apart: the same address, read in turn.
            for (header, expected) in [("en", "en"), ("cy", "cy"), ("en", "en"), ("cy", "cy")] {
                let list = try await web.get("/issues", headers: [("Accept-Language", header)])
                #expect(language(of: list) == expected)
            }

            // The switcher: links to this page, filters kept, in each other language; its choice is remembered.
            let english = try await web.get("/issues?category=antisocial_behaviour")
            #expect(
                english.text.contains(
                    "<a href=\"/issues?category=antisocial_behaviour&amp;lang=cy\" lang=\"cy\" hreflang=\"cy\">Cymraeg</a>"
                )
            )
            let switched = try await web.get("/issues?category=antisocial_behaviour&lang=cy")
            #expect(switched.status == 200 && language(of: switched) == "cy")
            #expect(switched.text.contains("Mae 1 mater yn cyfateb."))
            #expect(switched.text.contains("<a href=\"/issues?category=antisocial_behaviour&amp;lang=en\""))
            let cookie = try #require(switched.header("set-cookie"))
            #expect(cookie.hasPrefix("cix_lang=cy;") && cookie.contains("Secure") && cookie.contains("Max-Age="))
            let remembered = try await web.get(
                "/issues/\(issue.hex)",
                headers: [("Cookie", "cix_lang=cy"), ("Accept-Language", "en")]
            )
            #expect(
                language(of: remembered) == "cy"
                    && remembered.text.contains("<h2 id=\"agencies-heading\">Pwy sy&#39;n gyfrifol</h2>")
            )
            #expect(remembered.text.contains("Derbyniodd police hyn"))

            // Feeds carry their language; the data API is the same in every language.
            let feed = try await web.get("/issues/\(issue.hex)/feed.atom", headers: [("Accept-Language", "cy")])
            #expect(feed.text.contains("xml:lang=\"cy\"") && feed.text.contains("<title>Derbyniodd police hyn</title>"))
            let json = try await web.get("/api/v1/issues/\(issue.hex)", headers: [("Accept-Language", "cy")])
            #expect(json.body == (try await web.get("/api/v1/issues/\(issue.hex)")).body)

            // What was wrong with a form is said in the resident's language.
            let session = try await web.formSession("/report")
            let refused = try await web.post(
                "/report",
                [("csrf", session.token), ("category", ""), ("title", ""), ("lat", "52.2"), ("lon", "0.12")],
                headers: [("Cookie", "\(session.cookie); cix_lang=cy")]
            )
            #expect(refused.status == 422 && language(of: refused) == "cy")
            #expect(refused.text.contains("<li>Dewiswch y math o broblem.</li>"), "\(refused.text.prefix(3000))")
            #expect(refused.text.contains("<li>Mae angen y teitl.</li>"))
        }
    }
}
