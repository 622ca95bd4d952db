import CIXCore
import CIXNode
import CIXStaff
import CIXStore

/// Every word the public pages say, in one language: the message catalogue.
///
/// Each language is a type that conforms, with no defaults, so a message
/// missing from a language is a compile error rather than English left on a
/// Welsh page. What bodies and residents wrote (reports, comments, reasons)
/// and names (of bodies, places, areas) are content and are never translated.
/// Messages that take values are functions; those that carry links return HTML.
package protocol Catalogue: Sendable {
    // MARK: The frame of every page
    var skipToContent: String { get }
    var mainNavigation: String { get }
    var home: String { get }
    var allIssues: String { get }
    var bodiesAndNodes: String { get }
    var reportAProblem: String { get }
    var mirrorNote: String { get }
    /// The kind of body a node serves ("council").
    func nodeKind(_ kind: NodeKind?) -> String
    /// The node's kind under its name in the header ("council node · Civic Issue eXchange").
    func siteKind(_ kind: NodeKind?) -> String
    var searchIssues: String { get }
    var search: String { get }
    var footerSigned: String { get }
    var jsonAPI: String { get }
    var atomFeed: String { get }
    var languageChoice: String { get }
    var backHome: String { get }

    // MARK: Maps
    var mapKey: String { get }
    var legendClosed: String { get }
    var legendSeveral: String { get }
    /// Templates for the map script: `{n}`, `{lat}`, `{lon}`, `{metres}` and `{error}` are filled in by it.
    var mapCluster: String { get }
    var mapPinTitle: String { get }
    var mapPinAlt: String { get }
    var mapPinAt: String { get }
    var mapMiddle: String { get }
    var mapLocate: String { get }
    var mapLocating: String { get }
    var mapLocated: String { get }
    var mapNoLocation: String { get }
    var mapZoomIn: String { get }
    var mapZoomOut: String { get }
    var mapLimitList: String { get }

    // MARK: Shared words
    /// An issue's overall status or a body's own status, by its wire name.
    func status(_ raw: String) -> String
    func role(_ role: IssueState.AgencyPart.Role) -> String
    /// A category's name by code; nil is "uncategorised".
    func category(_ code: String?) -> String
    func categoryGroup(_ group: String) -> String
    /// Month names, January first.
    var months: [String] { get }
    /// A moment in UTC, e.g. "2 December 2026, 10:07 UTC".
    func date(day: Int, month: String, year: Int, time: String) -> String
    var reportRemoved: String { get }
    func reportedThrough(_ date: String, _ node: String) -> String

    // MARK: Home
    func homeHeading(_ site: String) -> String
    var homeLead: String { get }
    var noNeedToKnow: String { get }
    func mirrorTakesNoReports(nodes href: String) -> HTML
    var followAreaLink: String { get }
    var mapOfRecent: String { get }
    var recentlyChanged: String { get }
    var noIssuesYet: String { get }
    var mostConfirmed: String { get }
    var allByConfirmations: String { get }

    // MARK: Lists
    func confirmedCount(_ number: Int) -> String
    func solutionCount(_ number: Int) -> String
    func offerCount(_ number: Int) -> String
    func commentCount(_ number: Int) -> String
    var issues: String { get }
    var filterIssues: String { get }
    var words: String { get }
    var categoryLabel: String { get }
    var statusLabel: String { get }
    var bodyLabel: String { get }
    var areaBox: String { get }
    var orderLabel: String { get }
    var showIssues: String { get }
    var mapOfListed: String { get }
    var theseIssuesAs: String { get }
    var results: String { get }
    /// "No issues match.", "1 issue matches.", "More than 10,000 issues match." (`more` when above the cap).
    func matchCount(_ number: Int, shown: String, more: Bool) -> String
    func page(_ number: Int) -> String
    var previousPage: String { get }
    var nextPage: String { get }
    var pages: String { get }
    var noneMatchFilters: String { get }
    var anyCategory: String { get }
    var anyStatus: String { get }
    var anyBody: String { get }
    func order(_ order: IssueQuery.Order) -> String
    var matchingFeed: String { get }
    func issuesOf(_ site: String) -> String

    // MARK: Bodies and nodes
    var nodesLead: String { get }
    func figuresLink(_ site: String) -> String
    var mapOfAreas: String { get }
    var kind: String { get }
    var address: String { get }
    var area: String { get }
    var categories: String { get }
    var keyFingerprint: String { get }
    var lastHeard: String { get }
    var thisNode: String { get }
    var heardThroughOthers: String { get }
    var everywhere: String { get }
    var onTheMap: String { get }

    var blocksHeading: String { get }
    var blocksLead: String { get }
    var blocksNone: String { get }
    var nodeColumn: String { get }
    var sinceColumn: String { get }
    var reasonColumn: String { get }

    // MARK: One issue
    var followFeed: String { get }
    var whereThisIs: String { get }
    var updatesFeed: String { get }
    var removedByAuthor: String { get }
    var theReport: String { get }
    var whereLabel: String { get }
    var reporterLabel: String { get }
    func pseudonym(_ reporter: String, keptBy node: String) -> String
    func tags(_ list: String) -> String
    var photoAlt: String { get }
    func photoHeldElsewhere(_ hash: String, by node: String) -> String
    var signatureVerifiedTitle: String { get }
    var signatureVerified: String { get }
    var signatureNotVerified: String { get }
    var noBodyHoldsIt: String { get }
    var whoHoldsIt: String { get }
    var partColumn: String { get }
    var whyColumn: String { get }
    var signedByColumn: String { get }
    func routedBy(_ node: String) -> String
    var tookTheReport: String { get }
    func referredBy(_ node: String) -> String
    func passedOnBy(_ node: String) -> String
    var alsoReportedAs: String { get }
    var markedDuplicates: String { get }
    func reported(_ date: String) -> String
    func waitingFor(_ node: String) -> String
    func routedByShort(_ node: String) -> String
    func duplicateOf(_ link: HTML, heldBy node: String?) -> HTML
    func issueNumber(_ short: String) -> String
    var confirmations: String { get }
    var nobodyConfirmed: String { get }
    var proposedSolutions: String { get }
    var noSolutions: String { get }
    var offersOfHelp: String { get }
    var noOffers: String { get }
    var comments: String { get }
    var noComments: String { get }
    var removedContribution: String { get }
    /// Beside a report or contribution a moderator replaced by a cleaned copy.
    var cleanedByModerator: String { get }
    var seenToo: String { get }
    func when(_ text: String) -> String
    func by(_ text: String) -> String
    func contributionMeta(_ date: String, through node: String) -> String
    var theReportItem: String { get }
    func contributionItem(_ kind: EventKind, date: String, id: String) -> String
    var followByEmail: String { get }
    var followHint: String { get }
    var yourEmail: String { get }
    var follow: String { get }
    var flagHeading: String { get }
    func flagHint(_ site: String) -> String
    var what: String { get }
    var why: String { get }
    var flagNote: String { get }
    var tellModerators: String { get }
    func flagReason(_ reason: FlagReason) -> String
    var addToIssue: String { get }
    func mirrorAddElsewhere(_ site: String) -> String
    func publishedBy(_ site: String) -> String
    var comment: String { get }
    var yourComment: String { get }
    var addComment: String { get }
    var seeThisToo: String { get }
    var oneConfirmation: String { get }
    var noteOptional: String { get }
    var confirmEmail: String { get }
    var confirm: String { get }
    var proposeSolution: String { get }
    var yourFix: String { get }
    var propose: String { get }
    var offerHelp: String { get }
    var whatYouCanDo: String { get }
    var whenOptional: String { get }
    var whoOffers: String { get }
    var timeline: String { get }
    var timelineLead: String { get }
    var whenColumn: String { get }
    var whatColumn: String { get }
    var effectColumn: String { get }
    var signatureColumn: String { get }
    func failedVerification(_ short: String, _ failure: String) -> String
    func effect(_ effect: IssueState.TimelineEntry.Effect) -> String
    func notice(_ added: String) -> String?

    // MARK: Timeline sentences (content, such as reasons, is passed through)
    func eventWithoutBody(_ who: String, _ kind: EventKind) -> String
    func tookReport(_ who: String) -> String
    func corrected(_ who: String, fields: [EditedField]) -> String
    func commentThrough(_ who: String) -> String
    func confirmedThrough(_ who: String) -> String
    func solutionThrough(_ who: String) -> String
    func offerThrough(_ who: String) -> String
    func askedToLook(_ who: String, _ names: [String]) -> String
    func accepted(_ who: String) -> String
    func declined(_ who: String, suggested: String?, reason: String) -> String
    func transferred(_ who: String, to: String, reason: String) -> String
    func setStatus(_ who: String, _ status: String) -> String
    func markedDuplicate(_ who: String, of short: String) -> String
    func removedEntry(_ who: String, reason: String) -> String
    /// A body not on CIX, which `through` reaches by e-mail or Open311 and answers for.
    func relayedName(_ name: String, byEmail: Bool, through: String) -> String
    /// Staff timelines only: contact events are never public.
    func sharedContact(_ who: String, with body: String) -> String
    func feedSummary(status: String, category: String, confirmations: Int, solutions: Int, offers: Int) -> String

    // MARK: Reporting
    var reportLead: String { get }
    func reportLeadSends(_ site: String) -> String
    var checkYourReport: String { get }
    var findPlace: String { get }
    var find: String { get }
    func noPlace(_ text: String) -> String
    func placesMatch(_ count: Int, _ text: String) -> String
    var whatIsTheProblem: String { get }
    var kindOfProblem: String { get }
    var shortTitle: String { get }
    var detailsOptional: String { get }
    var photoOptional: String { get }
    var whereIsIt: String { get }
    var whereHelp: String { get }
    var mapPick: String { get }
    var latitude: String { get }
    var longitude: String { get }
    var addressOptional: String { get }
    var yourDetails: String { get }
    func privateHelp(_ site: String) -> String
    var name: String { get }
    var email: String { get }
    var phone: String { get }
    var emailMeUpdates: String { get }
    /// The consent to seal the resident's details to the bodies handling the report.
    var shareWithBodies: String { get }
    var sendReport: String { get }
    var choose: String { get }
    /// A problem with what was submitted, by its field and kind (the intake's English as the fallback).
    func problem(_ problem: IntakeProblem) -> String

    // MARK: Short pages
    func errorTitle(_ status: Int) -> String
    var thatDidNotWork: String { get }
    var mirrorTakesNoReportsTitle: String { get }
    func useIntakeNodes(_ site: String) -> String
    var reportReceived: String { get }
    var thanksReceived: String { get }
    func heldExplained(_ site: String) -> String
    var reportSent: String { get }
    var thanksSent: String { get }
    func nowPublic(_ title: String) -> String
    var whereItWent: String { get }
    func heldByHand(_ site: String) -> String
    var followYourReport: String { get }
    var bookmark: String { get }

    // MARK: Figures
    var figures: String { get }
    func figuresHeading(_ site: String) -> String
    var periodFrom: String { get }
    var periodTo: String { get }
    var show: String { get }
    var downloadCSV: String { get }
    func figuresSummary(_ received: Int, _ accepted: Int, _ declined: Int, _ fixed: Int, open: Int) -> String
    var chartByCategory: String { get }
    var figuresByCategory: String { get }
    var whatTheNumbersMean: String { get }
    var numbersExplained: [HTML] { get }
    var outsideNamedAreas: String { get }
    var allCategories: String { get }
    var byArea: String { get }
    var byAreaLead: String { get }
    var chartTopAreas: String { get }
    var figuresByArea: String { get }
    var noReportsInPeriod: String { get }
    /// A measure in lower case, as in "received: 4".
    func measure(_ measure: FigureMeasure) -> String
    /// The heading of the open parts of one age band (`BodyFigures.ages`, by index).
    func openAged(_ band: Int) -> String
    var medianDaysToAccept: String { get }
    var medianDaysToFix: String { get }

    // MARK: Mail pages
    func newReportsIn(_ area: String) -> String
    var anIssue: String { get }
    var confirmMailsTitle: String { get }
    func confirmMailsHeading(_ site: String) -> String
    func sendMailsTo(_ email: String, about: HTML) -> HTML
    var eachMailCanStop: String { get }
    var mailsConfirmedTitle: String { get }
    var confirmed: String { get }
    func willMail(_ site: String, _ email: String, about: HTML) -> HTML
    var stopMailsTitle: String { get }
    func stopMailsHeading(_ site: String) -> String
    func stopMailsTo(_ email: String, about: HTML) -> HTML
    var stopTheseMails: String { get }
    var mailsStoppedTitle: String { get }
    var stopped: String { get }
    var noMoreMails: String { get }
    var linkUnknownTitle: String { get }
    var linkUnknownHeading: String { get }
    var linkUnknown: String { get }
    var areaMailsTitle: String { get }
    var areaMailsHeading: String { get }
    func areaMailsHelp(_ site: String) -> String
    var sendMeMails: String { get }
    var alreadyFollowing: String { get }
    var alreadyGetsThese: String { get }
    var checkYourEmail: String { get }
    var confirmLinkSent: String { get }
}

/// The fields an edit can correct, for the sentence that says so.
package enum EditedField: Sendable, Equatable {
    case title, details, tags, place
    case category(String)
}
