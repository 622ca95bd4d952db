import CIXCore

/// Every word of the mails residents receive, in one language: the mails'
/// message catalogue (the pages have their own, in CIXWeb). A follow keeps
/// the language the resident asked in, and each mail to it is written in it.
/// What bodies wrote (reasons, notes, titles) and names pass through as signed.
package protocol MailWords: Sendable {
    func aboutArea(_ area: String) -> String
    func aboutReport(_ title: String) -> String
    var anIssue: String { get }
    var yourReportFallback: String { get }
    var aNewReport: String { get }
    var aReport: String { get }
    func whyReporter(_ site: String) -> String
    func whyFollower(_ site: String, about: String) -> String
    var stopThese: String { get }
    func nowWith(_ bodies: [String]) -> String
    var noBodyYet: String { get }
    func receivedSubject(_ title: String) -> String
    func thanks(_ site: String) -> String
    var willMail: String { get }
    func answeredSubject(reporter: Bool, _ title: String) -> String
    func areaSubject(_ area: String, _ title: String) -> String
    func reportedIn(_ area: String) -> String
    func confirmSubject(_ what: String) -> String
    func someoneAsked(_ site: String, _ email: String, about: String) -> String
    var openToConfirm: String { get }
    var ignoreIfNotYou: String { get }
    /// A body's answer in a sentence, naming the bodies; nil for an event that is not one.
    func answer(_ event: Event, name: (NodeID) -> String) -> String?
}

extension Language {
    /// The words of mails in this language.
    package var mailWords: any MailWords {
        switch self {
        case .english: EnglishMailWords()
        case .welsh: WelshMailWords()
        }
    }
}

/// The mails in English.
package struct EnglishMailWords: MailWords {
    package init() {}

    package func aboutArea(_ area: String) -> String { "new reports in \(area)" }
    package func aboutReport(_ title: String) -> String { "the report “\(title)”" }
    package var anIssue: String { "an issue" }
    package var yourReportFallback: String { "your report" }
    package var aNewReport: String { "a new report" }
    package var aReport: String { "a report" }
    package func whyReporter(_ site: String) -> String {
        "You get this e-mail because you reported this problem to \(site) and asked to hear about it."
    }
    package func whyFollower(_ site: String, about: String) -> String {
        "You get this e-mail because you asked \(site) to e-mail you about \(about)."
    }
    package var stopThese: String { "Stop these e-mails:" }
    package func nowWith(_ bodies: [String]) -> String {
        "It is now with \(MailNotice.list(bodies, and: "and")), who can see it."
    }
    package var noBodyYet: String {
        "No body that handles this kind of problem at this place is known yet: your report waits, in public, until one is."
    }
    package func receivedSubject(_ title: String) -> String { "Your report: \(title)" }
    package func thanks(_ site: String) -> String { "Thank you for your report to \(site)." }
    package var willMail: String {
        "We will e-mail you when a body accepts it, declines it, passes it on or changes its status."
    }
    package func answeredSubject(reporter: Bool, _ title: String) -> String {
        "\(reporter ? "Your report" : "Update"): \(title)"
    }
    package func areaSubject(_ area: String, _ title: String) -> String { "New report in \(area): \(title)" }
    package func reportedIn(_ area: String) -> String { "A problem was reported in \(area):" }
    package func confirmSubject(_ what: String) -> String { "Confirm: e-mails about \(what)" }
    package func someoneAsked(_ site: String, _ email: String, about: String) -> String {
        "Someone, we hope you, asked \(site) to e-mail \(email) about \(about)."
    }
    package var openToConfirm: String { "To start these e-mails, open this link and press Confirm:" }
    package var ignoreIfNotYou: String { "If it was not you, ignore this e-mail: nothing more will be sent." }
    package func answer(_ event: Event, name: (NodeID) -> String) -> String? { AnswerWords.of(event, name: name) }
}

/// The mails in Welsh (REVIEW: like the pages' Welsh, to be checked by a native speaker).
package struct WelshMailWords: MailWords {
    package init() {}

    package func aboutArea(_ area: String) -> String { "adroddiadau newydd yn \(area)" }
    package func aboutReport(_ title: String) -> String { "yr adroddiad “\(title)”" }
    package var anIssue: String { "mater" }
    package var yourReportFallback: String { "eich adroddiad" }
    package var aNewReport: String { "adroddiad newydd" }
    package var aReport: String { "adroddiad" }
    package func whyReporter(_ site: String) -> String {
        "Rydych yn cael yr e-bost hwn am i chi roi gwybod i \(site) am y broblem hon a gofyn am gael clywed amdani."
    }
    package func whyFollower(_ site: String, about: String) -> String {
        "Rydych yn cael yr e-bost hwn am i chi ofyn i \(site) anfon e-bost atoch am \(about)."
    }
    package var stopThese: String { "Atal y negeseuon hyn:" }
    package func nowWith(_ bodies: [String]) -> String {
        "Mae bellach gyda \(MailNotice.list(bodies, and: "a")), sy'n gallu ei weld."
    }
    package var noBodyYet: String {
        "Nid oes corff hysbys eto sy'n delio â'r math hwn o broblem yn y lle hwn: mae eich adroddiad yn aros, yn gyhoeddus, nes bod un."
    }
    package func receivedSubject(_ title: String) -> String { "Eich adroddiad: \(title)" }
    package func thanks(_ site: String) -> String { "Diolch am eich adroddiad i \(site)." }
    package var willMail: String {
        "Byddwn yn anfon e-bost atoch pan fydd corff yn ei dderbyn, yn ei wrthod, yn ei drosglwyddo neu'n newid ei statws."
    }
    package func answeredSubject(reporter: Bool, _ title: String) -> String {
        "\(reporter ? "Eich adroddiad" : "Diweddariad"): \(title)"
    }
    package func areaSubject(_ area: String, _ title: String) -> String { "Adroddiad newydd yn \(area): \(title)" }
    package func reportedIn(_ area: String) -> String { "Adroddwyd problem yn \(area):" }
    package func confirmSubject(_ what: String) -> String { "Cadarnhau: negeseuon e-bost am \(what)" }
    package func someoneAsked(_ site: String, _ email: String, about: String) -> String {
        "Mae rhywun, chi gobeithio, wedi gofyn i \(site) anfon e-bost at \(email) am \(about)."
    }
    package var openToConfirm: String { "I ddechrau'r negeseuon hyn, agorwch y ddolen hon a phwyso Cadarnhau:" }
    package var ignoreIfNotYou: String {
        "Os nad chi oedd hyn, anwybyddwch yr e-bost hwn: ni chaiff dim rhagor ei anfon."
    }
    package func answer(_ event: Event, name: (NodeID) -> String) -> String? {
        let agency = name(event.author)
        switch event.content {
        case .status(let body)?:
            let said = "Newidiodd \(agency) ei statws i “\(Self.status(body.state))”"
            return body.note.map { "\(said): \($0)" } ?? said + "."
        case .accept(let body)?:
            return body.note.map { "Derbyniodd \(agency) yr adroddiad hwn: \($0)" }
                ?? "Derbyniodd \(agency) yr adroddiad hwn."
        case .decline(let body)?:
            let referral = body.refer.map { " Cyfeiriodd yr adroddiad at \(name($0))." } ?? ""
            return "Gwrthododd \(agency) yr adroddiad hwn: \(body.reason)\(referral)"
        case .transfer(let body)?:
            return "Trosglwyddodd \(agency) yr adroddiad hwn i \(name(body.to)): \(body.reason)"
        case .duplicate(let body)?:
            return "Nododd \(agency) fod yr adroddiad hwn yn ddyblyg o adroddiad \(body.of.hex)."
        default:
            return nil
        }
    }

    static func status(_ status: AgencyStatus) -> String {
        switch status {
        case .received: "wedi dod i law"
        case .acknowledged: "wedi'i gydnabod"
        case .investigating: "yn ymchwilio"
        case .scheduled: "wedi'i drefnu"
        case .inProgress: "ar waith"
        case .fixed: "wedi'i drwsio"
        case .notOurs: "nid ein cyfrifoldeb ni"
        case .wontFix: "dim bwriad i'w drwsio"
        case .closed: "wedi cau"
        }
    }
}
