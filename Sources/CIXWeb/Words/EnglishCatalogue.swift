import CIXCore
import CIXNode
import CIXRouting
import CIXStaff
import CIXStore

/// The pages in English: complete, and the words every other language translates.
package struct EnglishCatalogue: Catalogue {
    package init() {}

    // MARK: The frame of every page
    package var skipToContent: String { "Skip to content" }
    package var mainNavigation: String { "Main" }
    package var home: String { "Home" }
    package var allIssues: String { "All issues" }
    package var bodiesAndNodes: String { "Bodies and nodes" }
    package var reportAProblem: String { "Report a problem" }
    package var mirrorNote: String {
        "This is a public mirror: it shows and verifies every record but takes no reports."
    }
    package func nodeKind(_ kind: NodeKind?) -> String { kind?.rawValue ?? "other" }
    package func siteKind(_ kind: NodeKind?) -> String { "\(nodeKind(kind)) node · Civic Issue eXchange" }
    package var searchIssues: String { "Search issues" }
    package var search: String { "Search" }
    package var footerSigned: String {
        "Every record here is signed by the body that wrote it and verified by this node."
    }
    package var jsonAPI: String { "JSON API" }
    package var atomFeed: String { "Atom feed" }
    package var languageChoice: String { "Language" }
    package var backHome: String { "Back to the home page" }

    // MARK: Maps
    package var mapKey: String { "Map key" }
    package var legendClosed: String { "Closed, declined or duplicate" }
    package var legendSeveral: String { "Several issues (the number): select to zoom in" }
    package var mapCluster: String { "{n} issues here: select to zoom in" }
    package var mapPinTitle: String { "Place of the problem: arrow keys move it" }
    package var mapPinAlt: String { "Place of the problem" }
    package var mapPinAt: String { "The pin is at {lat}, {lon}." }
    package var mapMiddle: String { "Put the pin in the middle of the map" }
    package var mapLocate: String { "Use my location" }
    package var mapLocating: String { "Finding your location…" }
    package var mapLocated: String {
        "The pin is at your location (within about {metres} m). Move it if the problem is elsewhere."
    }
    package var mapNoLocation: String {
        "Your location is not available ({error}). Click the map or type the coordinates."
    }
    package var mapZoomIn: String { "Zoom in" }
    package var mapZoomOut: String { "Zoom out" }
    package var mapLimitList: String { "Limit the list to the area shown on the map" }

    // MARK: Shared words
    package func status(_ raw: String) -> String {
        raw.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }
    package func role(_ role: IssueState.AgencyPart.Role) -> String { role.rawValue.capitalizedFirst }
    package func category(_ code: String?) -> String {
        guard let code else { return "Uncategorised" }
        return Taxonomy.category(code)?.name ?? code
    }
    package func categoryGroup(_ group: String) -> String { group }
    package var months: [String] {
        [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
    }
    package func date(day: Int, month: String, year: Int, time: String) -> String {
        "\(day) \(month) \(year), \(time) UTC"
    }
    package var reportRemoved: String { "[report removed]" }
    package func reportedThrough(_ date: String, _ node: String) -> String { "reported \(date) through \(node)" }

    // MARK: Home
    package func homeHeading(_ site: String) -> String { "\(site): the public issue list" }
    package var homeLead: String {
        "Every problem reported to the bodies of this place, who holds each part of it, and what is being done."
    }
    package var noNeedToKnow: String { "you do not need to know which body is responsible." }
    package func mirrorTakesNoReports(nodes href: String) -> HTML {
        "This mirror takes no reports. See <a href=\"\(href)\">the bodies and nodes</a> to find where to report."
    }
    package var followAreaLink: String { "Get an email about each new report in your area" }
    package var mapOfRecent: String { "Map of recent issues" }
    package var recentlyChanged: String { "Recently changed" }
    package var noIssuesYet: String { "No issues yet." }
    package var mostConfirmed: String { "Most confirmed" }
    package var allByConfirmations: String { "All issues by confirmations" }

    // MARK: Lists
    package func confirmedCount(_ number: Int) -> String { "\(number) confirmed" }
    package func solutionCount(_ number: Int) -> String { number == 1 ? "1 solution" : "\(number) solutions" }
    package func offerCount(_ number: Int) -> String {
        number == 1 ? "1 offer of help" : "\(number) offers of help"
    }
    package func commentCount(_ number: Int) -> String { number == 1 ? "1 comment" : "\(number) comments" }
    package var issues: String { "Issues" }
    package var filterIssues: String { "Filter issues" }
    package var words: String { "Words" }
    package var categoryLabel: String { "Category" }
    package var statusLabel: String { "Status" }
    package var bodyLabel: String { "Body" }
    package var areaBox: String { "Area (west,south,east,north)" }
    package var orderLabel: String { "Order" }
    package var showIssues: String { "Show issues" }
    package var mapOfListed: String { "Map of the listed issues" }
    package var theseIssuesAs: String { "These issues as" }
    package var results: String { "Results" }
    package func matchCount(_ number: Int, shown: String, more: Bool) -> String {
        if more { return "More than \(shown) issues match." }
        switch number {
        case 0: return "No issues match."
        case 1: return "1 issue matches."
        default: return "\(shown) issues match."
        }
    }
    package func page(_ number: Int) -> String { "Page \(number)" }
    package var previousPage: String { "Previous page" }
    package var nextPage: String { "Next page" }
    package var pages: String { "Pages" }
    package var noneMatchFilters: String { "No issues match these filters." }
    package var anyCategory: String { "Any category" }
    package var anyStatus: String { "Any status" }
    package var anyBody: String { "Any body" }
    package func order(_ order: IssueQuery.Order) -> String {
        switch order {
        case .updated: "Recently changed"
        case .reported: "Recently reported"
        case .confirmations: "Most confirmed"
        }
    }
    package var matchingFeed: String { "Issues matching these filters" }
    package func issuesOf(_ site: String) -> String { "\(site): issues" }

    // MARK: Bodies and nodes
    package var nodesLead: String {
        "Each body runs its own node and signs its own records. Compare a key fingerprint with the one the body publishes to be sure whom you are reading."
    }
    package func figuresLink(_ site: String) -> String { "How \(site) has answered reports: its figures" }
    package var mapOfAreas: String { "Areas the bodies serve" }
    package var kind: String { "Kind" }
    package var address: String { "Address" }
    package var area: String { "Area" }
    package var categories: String { "Categories" }
    package var keyFingerprint: String { "Key fingerprint" }
    package var lastHeard: String { "Last heard from" }
    package var thisNode: String { "this node" }
    package var heardThroughOthers: String { "not directly (known through others)" }
    package var everywhere: String { "everywhere" }
    package var onTheMap: String { "on the map" }

    package var blocksHeading: String { "Nodes this node blocks" }
    package var blocksLead: String {
        "Their records are refused, and those already held are not shown, counted or passed on."
    }
    package var blocksNone: String { "This node blocks no node." }
    package var nodeColumn: String { "Node" }
    package var sinceColumn: String { "Since" }
    package var reasonColumn: String { "Reason" }

    // MARK: One issue
    package var followFeed: String { "follow its updates (Atom feed)" }
    package var whereThisIs: String { "Where this issue is" }
    package var updatesFeed: String { "Updates to this issue" }
    package var removedByAuthor: String { "The report's text was removed by its author; its signed record remains." }
    package var theReport: String { "The report" }
    package var whereLabel: String { "Where" }
    package var reporterLabel: String { "Reporter" }
    package func pseudonym(_ reporter: String, keptBy node: String) -> String {
        "\(reporter) (a pseudonym; contact details stay with \(node))"
    }
    package func tags(_ list: String) -> String { "Tags: \(list)" }
    package var photoAlt: String { "Photo attached to the report" }
    package func photoHeldElsewhere(_ hash: String, by node: String) -> String {
        "A photo (SHA-256 \(hash)…) is held by \(node), not by this node."
    }
    package var signatureVerifiedTitle: String { "Signature verified by this node when the event arrived" }
    package var signatureVerified: String { "signature verified" }
    package var signatureNotVerified: String { "signature NOT verified" }
    package var noBodyHoldsIt: String { "No body holds this issue yet." }
    package var whoHoldsIt: String { "Who holds it" }
    package var partColumn: String { "Part" }
    package var whyColumn: String { "Why" }
    package var signedByColumn: String { "Signed by" }
    package func routedBy(_ node: String) -> String { "routed by \(node)" }
    package var tookTheReport: String { "took the report" }
    package func referredBy(_ node: String) -> String { "Referred by \(node)" }
    package func passedOnBy(_ node: String) -> String { "Passed on by \(node)" }
    package var alsoReportedAs: String { "Also reported as" }
    package var markedDuplicates: String { "These reports were marked as duplicates of this issue:" }
    package func reported(_ date: String) -> String { "reported \(date)" }
    package func waitingFor(_ node: String) -> String { "Waiting for \(node)" }
    package func routedByShort(_ node: String) -> String { "routed by \(node)" }
    package func duplicateOf(_ link: HTML, heldBy node: String?) -> HTML {
        "Marked as a duplicate of \(link)\(node.map { " held by \($0)" } ?? "")."
    }
    package func issueNumber(_ short: String) -> String { "issue \(short)" }
    package var confirmations: String { "Confirmations" }
    package var nobodyConfirmed: String { "Nobody has confirmed this yet." }
    package var proposedSolutions: String { "Proposed solutions" }
    package var noSolutions: String { "No solutions proposed yet." }
    package var offersOfHelp: String { "Offers of help" }
    package var noOffers: String { "No offers of help yet." }
    package var comments: String { "Comments" }
    package var noComments: String { "No comments." }
    package var removedContribution: String { "Removed by its author." }
    package var cleanedByModerator: String { "Edited by a moderator to take out personal details." }
    package var seenToo: String { "Seen too." }
    package func when(_ text: String) -> String { "When: \(text)" }
    package func by(_ text: String) -> String { "By: \(text)" }
    package func contributionMeta(_ date: String, through node: String) -> String { "\(date) through \(node)" }
    package var theReportItem: String { "The report" }
    package func contributionItem(_ kind: EventKind, date: String, id: String) -> String {
        let name =
            switch kind {
            case .confirm: "Confirmation"
            case .solution: "Proposed solution"
            case .offer: "Offer of help"
            default: "Comment"
            }
        return "\(name) of \(date) (\(id))"
    }
    package var followByEmail: String { "Follow by email" }
    package var followHint: String {
        "Get an email when a body answers on this issue. We first send a link to confirm; your address is never published or shared."
    }
    package var yourEmail: String { "Your email" }
    package var follow: String { "Follow" }
    package var flagHeading: String { "Report a problem with this page" }
    package func flagHint(_ site: String) -> String {
        "If something here shows someone's personal details or should not be here, tell the moderators of \(site). They decide what to remove."
    }
    package var what: String { "What" }
    package var why: String { "Why" }
    package var flagNote: String { "Anything the moderators should know (optional; not published)" }
    package var tellModerators: String { "Tell the moderators" }
    package func flagReason(_ reason: FlagReason) -> String { reason.label }
    package var addToIssue: String { "Add to this issue" }
    package func mirrorAddElsewhere(_ site: String) -> String {
        "\(site) is a read-only public mirror. To comment, confirm that you see this too, propose a solution or offer help, open this issue on a body's own node:"
    }
    package func publishedBy(_ site: String) -> String {
        "What you add is published and signed by \(site). Do not include personal details."
    }
    package var comment: String { "Comment" }
    package var yourComment: String { "Your comment" }
    package var addComment: String { "Add the comment" }
    package var seeThisToo: String { "I see this too" }
    package var oneConfirmation: String { "One confirmation per person." }
    package var noteOptional: String { "Note (optional)" }
    package var confirmEmail: String {
        "Your email (optional: counts you once on any device; never published or shared)"
    }
    package var confirm: String { "Confirm" }
    package var proposeSolution: String { "Propose a solution" }
    package var yourFix: String { "Your proposed fix" }
    package var propose: String { "Propose" }
    package var offerHelp: String { "Offer help" }
    package var whatYouCanDo: String { "What you can do" }
    package var whenOptional: String { "When (optional)" }
    package var whoOffers: String { "Who is offering (optional, e.g. a group's name)" }
    package var timeline: String { "Timeline" }
    package var timelineLead: String {
        "Every event, oldest first, with the body that signed it. ✓ means this node checked the signature just now."
    }
    package var whenColumn: String { "When" }
    package var whatColumn: String { "What" }
    package var effectColumn: String { "Effect" }
    package var signatureColumn: String { "Signature" }
    package func failedVerification(_ short: String, _ failure: String) -> String {
        "Event \(short) failed verification: \(failure)"
    }
    package func effect(_ effect: IssueState.TimelineEntry.Effect) -> String {
        switch effect {
        case .applied: "applied"
        case .rejected: "rejected"
        case .withoutBody: "without its content"
        }
    }
    package func notice(_ added: String) -> String? {
        switch added {
        case "comment": "Thank you: your comment was added and signed."
        case "confirm": "Thank you: your confirmation was added and signed."
        case "solution": "Thank you: your proposed solution was added and signed."
        case "offer": "Thank you: your offer of help was added and signed."
        case "follow": "Check your e-mail: we sent a link to confirm. Nothing else is sent until you open it."
        case "following": "That address already gets e-mails about this issue."
        case "flag": "Thank you: the moderators have been told and will look at it. Nothing you wrote is published."
        default: nil
        }
    }

    // MARK: Timeline sentences
    package func eventWithoutBody(_ who: String, _ kind: EventKind) -> String {
        let noun =
            switch kind {
            case .report: "the report"
            case .edit: "a correction"
            case .comment: "a comment"
            case .confirm: "a confirmation"
            case .solution: "a proposed solution"
            case .offer: "an offer of help"
            case .route: "a routing"
            case .accept: "an acceptance"
            case .decline: "a decline"
            case .transfer: "a transfer"
            case .status: "a status"
            case .duplicate: "a duplicate mark"
            case .redact: "a removal"
            case .contact: "sealed contact details"
            }
        return "\(who): \(noun) (its content was removed)"
    }
    package func tookReport(_ who: String) -> String { "\(who) took the report" }
    package func corrected(_ who: String, fields: [EditedField]) -> String {
        let names = fields.map { field in
            switch field {
            case .title: "title"
            case .details: "details"
            case .tags: "tags"
            case .place: "place"
            case .category(let code): "category (now \(category(code)))"
            }
        }
        return "\(who) corrected the report's \(names.joined(separator: ", "))"
    }
    package func commentThrough(_ who: String) -> String { "A comment, through \(who)" }
    package func confirmedThrough(_ who: String) -> String { "Someone confirmed this, through \(who)" }
    package func solutionThrough(_ who: String) -> String { "A solution was proposed, through \(who)" }
    package func offerThrough(_ who: String) -> String { "An offer of help, through \(who)" }
    package func askedToLook(_ who: String, _ names: [String]) -> String {
        "\(who) asked \(list(names, and: "and", nobody: "nobody")) to look at this"
    }
    package func accepted(_ who: String) -> String { "\(who) accepted this" }
    package func declined(_ who: String, suggested: String?, reason: String) -> String {
        "\(who) said this is not theirs\(suggested.map { " and suggested \($0)" } ?? ""): \(reason)"
    }
    package func transferred(_ who: String, to: String, reason: String) -> String {
        "\(who) passed this to \(to): \(reason)"
    }
    package func setStatus(_ who: String, _ status: String) -> String { "\(who) set its status to “\(status)”" }
    package func markedDuplicate(_ who: String, of short: String) -> String {
        "\(who) marked this as the same problem as issue \(short)"
    }
    package func removedEntry(_ who: String, reason: String) -> String { "\(who) removed an earlier entry: \(reason)" }
    package func relayedName(_ name: String, byEmail: Bool, through: String) -> String {
        "\(name) (not on CIX: reached by \(byEmail ? "e-mail" : "Open311") through \(through))"
    }
    package func sharedContact(_ who: String, with body: String) -> String {
        "\(who) passed the resident's contact details, sealed, to \(body), with their consent"
    }
    package func feedSummary(
        status: String,
        category: String,
        confirmations: Int,
        solutions: Int,
        offers: Int
    )
        -> String
    {
        "\(status) · \(category) · \(confirmations) confirmed, \(solutions) solutions, \(offers) offers of help"
    }

    // MARK: Reporting
    package var reportLead: String { "Tell us what and where." }
    package func reportLeadSends(_ site: String) -> String {
        "\(site) sends it to every body responsible for that kind of problem in that place, and shows you where it went and why."
    }
    package var checkYourReport: String { "Please check your report" }
    package var findPlace: String { "Find a street or place" }
    package var find: String { "Find" }
    package func noPlace(_ text: String) -> String {
        "No street or place called “\(text)” is known here. Place the pin on the map, or type the coordinates."
    }
    package func placesMatch(_ count: Int, _ text: String) -> String {
        "\(count == 1 ? "One place matches" : "\(count) places match") “\(text)”: choose one to fill in where the problem is."
    }
    package var whatIsTheProblem: String { "What is the problem?" }
    package var kindOfProblem: String { "Kind of problem" }
    package var shortTitle: String { "Short title" }
    package var detailsOptional: String { "Details (optional)" }
    package var photoOptional: String { "Photo (optional, JPEG or PNG; location and camera data are removed)" }
    package var whereIsIt: String { "Where is it?" }
    package var whereHelp: String { "Click the map to place a pin, or type the coordinates." }
    package var mapPick: String { "Map: click to set the place of the problem" }
    package var latitude: String { "Latitude" }
    package var longitude: String { "Longitude" }
    package var addressOptional: String { "Address or landmark (optional)" }
    package var yourDetails: String { "Your details (optional)" }
    package func privateHelp(_ site: String) -> String {
        "Your name and contact details stay on \(site)'s node, for replies about this report only. They are never published, and never sent to any other body unless you tick the last box. The public report shows only a pseudonym."
    }
    package var name: String { "Name" }
    package var email: String { "Email" }
    package var phone: String { "Phone" }
    package var emailMeUpdates: String {
        "Email me when a body answers this report (needs your email; every email has a link to stop them)"
    }
    package var shareWithBodies: String {
        "The bodies handling this report may contact me about it (your details are sent, sealed so that only each of them can read them, to every body it goes to; needs your email or phone)"
    }
    package var sendReport: String { "Send report" }
    package var choose: String { "Choose…" }
    package func problem(_ problem: IntakeProblem) -> String { problem.message }

    // MARK: Short pages
    package func errorTitle(_ status: Int) -> String { "Error \(status)" }
    package var thatDidNotWork: String { "That did not work" }
    package var mirrorTakesNoReportsTitle: String { "This mirror takes no reports" }
    package func useIntakeNodes(_ site: String) -> String {
        "\(site) is a read-only public mirror: it copies and verifies the records of the bodies below, but it cannot accept reports, confirmations, solutions or offers of help. Please use one of these intake nodes instead:"
    }
    package var reportReceived: String { "Report received" }
    package var thanksReceived: String { "Thank you: your report was received" }
    package func heldExplained(_ site: String) -> String {
        "\(site) checks reports of this kind before they are published. Once a moderator has looked at it, it becomes a public, signed issue and goes to the bodies that deal with it. If it cannot be published, it is deleted."
    }
    package var reportSent: String { "Report sent" }
    package var thanksSent: String { "Thank you: your report was sent" }
    package func nowPublic(_ title: String) -> String { "“\(title)” is now a public, signed issue." }
    package var whereItWent: String { "Where it went, and why" }
    package func heldByHand(_ site: String) -> String {
        "No body has said it serves this kind of problem in this place yet, so \(site) holds it and will route it by hand."
    }
    package var followYourReport: String { "Follow your report" }
    package var bookmark: String { "(bookmark this page to come back to it)." }

    // MARK: Figures
    package var figures: String { "Figures" }
    package func figuresHeading(_ site: String) -> String { "Figures for \(site)" }
    package var periodFrom: String { "From" }
    package var periodTo: String { "To" }
    package var show: String { "Show" }
    package var downloadCSV: String { "Download as CSV" }
    package func figuresSummary(
        _ received: Int,
        _ accepted: Int,
        _ declined: Int,
        _ fixed: Int,
        open: Int
    )
        -> String
    {
        "In all: \(received) received, \(accepted) accepted, \(declined) declined, \(fixed) fixed, \(open) open now."
    }
    package var chartByCategory: String { "Received, accepted, declined and fixed, by category" }
    package var figuresByCategory: String { "Figures by category" }
    package var whatTheNumbersMean: String { "What the numbers mean" }
    package var numbersExplained: [HTML] {
        [
            "<strong>Received</strong>: reports made in the period that reached us (routed to us, or taken here).",
            "<strong>Accepted</strong>, <strong>declined</strong>, <strong>fixed</strong>: our own signed answers dated in the period.",
            "<strong>Open</strong>: reports routed to us, taken here or accepted, not fixed or closed now, by the report's age.",
            "<strong>Median days</strong>: from the report to our accept, or to our \"fixed\", over the answers counted.",
        ]
    }
    package var outsideNamedAreas: String { "Outside the named areas" }
    package var allCategories: String { "All categories" }
    package var byArea: String { "By area" }
    package var byAreaLead: String {
        "Areas with the most reports received first; a report on a boundary counts in each area it is in."
    }
    package var chartTopAreas: String { "The top areas: received, accepted, declined and fixed" }
    package var figuresByArea: String { "Figures by area" }
    package var noReportsInPeriod: String { "No reports in this period." }
    package func measure(_ measure: FigureMeasure) -> String {
        switch measure {
        case .received: "received"
        case .accepted: "accepted"
        case .declined: "declined"
        case .fixed: "fixed"
        }
    }
    package func openAged(_ band: Int) -> String {
        "Open, \(BodyFigures.ages[band].label)"
    }
    package var medianDaysToAccept: String { "Median days to accept" }
    package var medianDaysToFix: String { "Median days to fix" }

    // MARK: Mail pages
    package func newReportsIn(_ area: String) -> String { "new reports in \(area)" }
    package var anIssue: String { "an issue" }
    package var confirmMailsTitle: String { "Confirm e-mails" }
    package func confirmMailsHeading(_ site: String) -> String { "Confirm e-mails from \(site)" }
    package func sendMailsTo(_ email: String, about: HTML) -> HTML {
        "Send e-mails to <strong>\(email)</strong> about \(about)?"
    }
    package var eachMailCanStop: String { "Each e-mail has a link to stop them." }
    package var mailsConfirmedTitle: String { "E-mails confirmed" }
    package var confirmed: String { "Confirmed" }
    package func willMail(_ site: String, _ email: String, about: HTML) -> HTML {
        "\(site) will e-mail \(email) about \(about)."
    }
    package var stopMailsTitle: String { "Stop e-mails" }
    package func stopMailsHeading(_ site: String) -> String { "Stop e-mails from \(site)" }
    package func stopMailsTo(_ email: String, about: HTML) -> HTML {
        "Stop sending e-mails to <strong>\(email)</strong> about \(about)?"
    }
    package var stopTheseMails: String { "Stop these e-mails" }
    package var mailsStoppedTitle: String { "E-mails stopped" }
    package var stopped: String { "Stopped" }
    package var noMoreMails: String {
        "No more of these e-mails will be sent. Anything already on its way is cancelled."
    }
    package var linkUnknownTitle: String { "Link not recognised" }
    package var linkUnknownHeading: String { "This link is not recognised" }
    package var linkUnknown: String {
        "It may have been copied incompletely, or these e-mails have already been stopped. Nothing was changed."
    }
    package var areaMailsTitle: String { "E-mails about an area" }
    package var areaMailsHeading: String { "E-mails about new reports in an area" }
    package func areaMailsHelp(_ site: String) -> String {
        "We first send a link to confirm; nothing else is sent until you do. Your address stays on \(site)'s node and is never published or shared."
    }
    package var sendMeMails: String { "Send me e-mails" }
    package var alreadyFollowing: String { "Already following" }
    package var alreadyGetsThese: String { "That address already gets these e-mails." }
    package var checkYourEmail: String { "Check your e-mail" }
    package var confirmLinkSent: String {
        "We sent a link to confirm. Nothing else is sent until you open it and press Confirm."
    }
}

/// "A", "A and B", "A, B and C", with the language's "and"; `nobody` for none.
func list(_ names: [String], and: String, nobody: String) -> String {
    names.isEmpty ? nobody : MailNotice.list(names, and: and)
}
